import { interpretBatch } from '../../nodes/MediaAssets/transport/metaStudio';

const exchange = (statusCode: number, body: unknown, headers: Record<string, string> = { 'X-Request-Id': 'req-1' }) => ({
	statusCode,
	body,
	headers,
});

const FOREIGN = {
	outcome: 'failed',
	failure: expect.objectContaining({ reason: 'invalidResponse', httpStatus: 200, retryable: false, outcomeUnknown: true }),
};

describe('BatchExecuteAssetAction answers (interpretBatch)', () => {
	it('should give each named ID its own outcome, decided by the error code of its group', () => {
		const result = interpretBatch(
			exchange(200, {
				results: [
					{ ret_status: 'SUCCESS', asset_ids: ['a', 'b'] },
					{ ret_status: 'FAILED', asset_ids: ['c'], error_info: { error_code: 'MSS.10001001', error_msg: 'Asset not found' } },
					{ ret_status: 'FAILED', asset_ids: ['d'], error_info: { error_code: 'MSS.00000003', error_msg: 'Invalid parameter: asset_ids' } },
					{ ret_status: 'FAILED', asset_ids: ['e'], error_info: { error_code: 'MSS.00000004', error_msg: 'Internal Error' } },
				],
			}),
			6,
		);

		expect(result.outcome).toBe('done');
		if (result.outcome !== 'done') return;
		expect(result).toMatchObject({ httpStatus: 200, requestId: 'req-1' });
		const SUCCESS = { outcome: 'done', value: {}, httpStatus: 200, requestId: 'req-1' };
		expect(result.value.get('a')).toEqual(SUCCESS);
		expect(result.value.get('b')).toEqual(SUCCESS);
		expect(result.value.get('c')).toMatchObject({
			outcome: 'failed',
			failure: { reason: 'notFound', code: 'MSS.10001001', apiMessage: 'Asset not found', requestId: 'req-1', retryable: false, outcomeUnknown: false },
		});
		expect(result.value.get('d')).toMatchObject({ outcome: 'failed', failure: { reason: 'apiError', code: 'MSS.00000003', retryable: false } });
		expect(result.value.get('e')).toMatchObject({ outcome: 'failed', failure: { reason: 'serverError', retryable: true, outcomeUnknown: true } });
		// An ID the answer does not name has no outcome here: the engine reads its state.
		expect(result.value.has('f')).toBe(false);
	});

	it('should take IDs as strings, whatever type the answer gives them', () => {
		const result = interpretBatch(exchange(200, { results: [{ ret_status: 'SUCCESS', asset_ids: [42] }] }), 1);
		expect(result.outcome === 'done' && result.value.get('42')).toMatchObject({ outcome: 'done' });
	});

	it('should count a ret_status other than SUCCESS as a refusal, never as success', () => {
		const result = interpretBatch(exchange(200, { results: [{ ret_status: 'PROCESSING', asset_ids: ['a'] }] }), 1);
		expect(result.outcome === 'done' && result.value.get('a')).toMatchObject({ outcome: 'failed', failure: { reason: 'apiError' } });
	});

	it.each<[string, ReturnType<typeof exchange>]>([
		['without X-Request-Id', exchange(200, { results: [{ ret_status: 'SUCCESS', asset_ids: ['a'] }] }, {})],
		['an HTML page', exchange(200, '<!DOCTYPE html><html></html>', { 'X-Request-Id': 'req-1', 'Content-Type': 'text/html' })],
		['an HTML page without X-Request-Id', exchange(200, '<!DOCTYPE html><html></html>', { 'Content-Type': 'text/html' })],
		['JSON without results', exchange(200, {})],
		['an empty body', exchange(200, '')],
		['results that are not a list', exchange(200, { results: { ret_status: 'SUCCESS' } })],
		['a group without its asset_ids list', exchange(200, { results: [{ ret_status: 'SUCCESS', asset_ids: 'a,b' }] })],
		['a null group', exchange(200, { results: [null] })],
	])('should not count a 2xx as an answer when it is %s', (_name, answer) => {
		const result = interpretBatch(answer, 2);
		expect(result).toEqual(FOREIGN);
		expect(result.outcome === 'failed' && result.failure.hint).toMatch(/Endpoint in the credential and any proxy/);
	});

	it('should ask for smaller requests on 400 MSS.00000003 only when there is more than one ID', () => {
		const refused = exchange(400, { error_code: 'MSS.00000003', error_msg: 'Invalid parameter: asset_ids' });
		expect(interpretBatch(refused, 50)).toMatchObject({ outcome: 'failed', failure: { split: true, reason: 'apiError', httpStatus: 400 } });
		const one = interpretBatch(refused, 1);
		expect(one.outcome === 'failed' && one.failure.split).toBeFalsy();
	});

	it.each<[number, string, Record<string, unknown>]>([
		[400, 'MSS.10001001', { reason: 'notFound', retryable: false, outcomeUnknown: false }],
		[400, 'MSS.00010009', { reason: 'authentication', retryable: false }],
		[401, 'APIGW.0301', { reason: 'authentication', retryable: false }],
		[429, 'APIGW.0308', { reason: 'throttled', retryable: true, outcomeUnknown: false }],
		[500, 'MSS.00000004', { reason: 'serverError', retryable: true, outcomeUnknown: true }],
		[503, 'APIGW.0202', { reason: 'serverError', retryable: true, outcomeUnknown: true }],
	])('should read HTTP %i %s as a failure of the whole request, not to be split', (status, code, failure) => {
		const result = interpretBatch(exchange(status, { error_code: code, error_msg: 'x' }), 10);
		expect(result).toMatchObject({ outcome: 'failed', failure: { ...failure, code, httpStatus: status } });
		expect(result.outcome === 'failed' && result.failure.split).toBeFalsy();
	});
});
