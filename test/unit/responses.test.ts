import * as kyy from '../../nodes/MediaAssets/transport/kyyVideo2';
import * as metaStudio from '../../nodes/MediaAssets/transport/metaStudio';
import { networkFailure } from '../../nodes/MediaAssets/transport/networkFailure';

const exchange = (statusCode: number, body: unknown, headers: Record<string, string> = {}) => ({
	statusCode,
	body,
	headers,
});

describe('KyyVideo2 delete answers', () => {
	it('should count HTTP 2xx with code "0" as deleted', () => {
		expect(kyy.interpretDelete(exchange(200, { code: '0', msg: '删除成功', data: null }))).toEqual({
			outcome: 'done',
			value: { code: '0', message: '删除成功' },
			httpStatus: 200,
		});
	});

	it('should count the numeric 0 of sibling endpoints as success too', () => {
		expect(kyy.interpretDelete(exchange(200, { code: 0, msg: 'success', data: null })).outcome).toBe('done');
	});

	it('should treat any other code as a refusal, not as a certain "not found" (the detail endpoint decides that)', () => {
		const result = kyy.interpretDelete(exchange(200, { code: '-1', msg: '资产不存在', data: null }));
		expect(result).toMatchObject({ outcome: 'failed', failure: { reason: 'apiError', code: '-1', apiMessage: '资产不存在', retryable: false } });
	});

	it('should never decide by the text of msg', () => {
		const result = kyy.interpretDelete(exchange(200, { code: '1', msg: '删除成功', data: null }));
		expect(result.outcome).not.toBe('done');
	});

	it('should not count HTTP 500 with code "0" as success', () => {
		const result = kyy.interpretDelete(exchange(500, { code: '0', msg: 'x' }));
		expect(result).toMatchObject({ outcome: 'failed', failure: { reason: 'serverError', retryable: true, outcomeUnknown: true } });
	});

	it('should mark a bad key as not retryable', () => {
		const result = kyy.interpretDelete(exchange(401, { code: 401, msg: 'Unauthorized' }));
		expect(result).toMatchObject({ outcome: 'failed', failure: { reason: 'authentication', retryable: false } });
	});

	it('should carry Retry-After from a 429', () => {
		const result = kyy.interpretDelete(exchange(429, { code: '429', msg: 'slow down' }, { 'retry-after': '2' }));
		expect(result).toMatchObject({ outcome: 'failed', failure: { reason: 'throttled', retryable: true, retryAfterMs: 2000 } });
	});

	it('should refuse a body that is not the API JSON', () => {
		const result = kyy.interpretDelete(exchange(200, '<html>proxy</html>'));
		expect(result).toMatchObject({ outcome: 'failed', failure: { reason: 'invalidResponse', retryable: false } });
	});

	it('should percent-encode the ID as exactly one path segment and tolerate a trailing slash', () => {
		expect(kyy.assetUrl('https://h/kyyReactApiServer/', 'a b')).toBe('https://h/kyyReactApiServer/kyyVideo2/asset/a%20b');
	});
});

describe('KyyVideo2 detail answers', () => {
	it('should read the status of a found asset', () => {
		const data = { name: 'n', assetId: 'a', status: 'Failed', assetType: 'Image', url: 'u', createTime: 't' };
		expect(kyy.interpretDetail(exchange(200, { code: 0, msg: null, data }))).toEqual({
			outcome: 'done',
			value: data,
			httpStatus: 200,
		});
	});

	it('should report a non-zero code with no data as not found', () => {
		expect(kyy.interpretDetail(exchange(200, { code: -1, msg: 'not found', data: null }))).toMatchObject({
			outcome: 'failed',
			failure: { reason: 'notFound', httpStatus: 200, code: '-1', apiMessage: 'not found', retryable: false },
		});
	});
});

describe('MetaStudio answers', () => {
	it('should accept 2xx with an empty body and keep the request ID', () => {
		expect(metaStudio.interpretAnswer(exchange(200, '', { 'X-Request-Id': 'r1' }), metaStudio.FILE_NOT_FOUND)).toEqual({
			outcome: 'done',
			value: {},
			httpStatus: 200,
			requestId: 'r1',
		});
	});

	it('should decide "not found" by the code MSS.10001004, although the status is 400', () => {
		const result = metaStudio.interpretAnswer(
			exchange(400, { error_code: 'MSS.10001004', error_msg: 'The file not found' }, { 'x-request-id': 'r2' }), metaStudio.FILE_NOT_FOUND);
		expect(result).toMatchObject({ outcome: 'failed', failure: { reason: 'notFound', requestId: 'r2', httpStatus: 400, retryable: false } });
	});

	it('should treat another 400 as a plain refusal', () => {
		const result = metaStudio.interpretAnswer(exchange(400, { error_code: 'MSS.00000003', error_msg: 'bad' }), metaStudio.FILE_NOT_FOUND);
		expect(result).toMatchObject({ outcome: 'failed', failure: { reason: 'apiError', retryable: false, code: 'MSS.00000003' } });
	});

	it('should retry the gateway throttle APIGW.0308 although it has no Retry-After', () => {
		const result = metaStudio.interpretAnswer(
			exchange(429, { error_code: 'APIGW.0308', error_msg: 'throttled', request_id: 'g1' }), metaStudio.FILE_NOT_FOUND);
		expect(result).toMatchObject({ outcome: 'failed', failure: { reason: 'throttled', retryable: true, requestId: 'g1' } });
	});

	it.each([
		[401, 'APIGW.0301'],
		[401, 'MSS.00000001'],
		[400, 'MSS.00010008'],
		[400, 'MSS.00010009'],
	])('should explain HTTP %s %s as a credential problem that retries cannot fix', (status, code) => {
		const result = metaStudio.interpretAnswer(exchange(status, { error_code: code, error_msg: 'x' }), metaStudio.FILE_NOT_FOUND);
		expect(result).toMatchObject({ outcome: 'failed', failure: { reason: 'authentication', retryable: false, code } });
	});

	it('should retry a 500', () => {
		const result = metaStudio.interpretAnswer(exchange(500, { error_code: 'MSS.00000004', error_msg: 'Internal Error' }), metaStudio.FILE_NOT_FOUND);
		expect(result).toMatchObject({ outcome: 'failed', failure: { reason: 'serverError', retryable: true } });
	});
});

describe('networkFailure', () => {
	const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

	it('should call a timeout retryable with an unknown outcome', () => {
		expect(networkFailure(withCode('ECONNABORTED', 'timeout of 100ms exceeded'))).toMatchObject({
			reason: 'timeout',
			retryable: true,
			outcomeUnknown: true,
		});
	});

	it('should know a refused connection was never carried out', () => {
		expect(networkFailure(withCode('ECONNREFUSED'))).toMatchObject({ reason: 'network', retryable: true, outcomeUnknown: false });
	});

	it('should treat a reset as possibly carried out', () => {
		expect(networkFailure({ cause: withCode('ECONNRESET', 'socket hang up') })).toMatchObject({
			retryable: true,
			outcomeUnknown: true,
		});
	});

	it('should not retry a host name that does not resolve', () => {
		expect(networkFailure(withCode('ENOTFOUND'))).toMatchObject({ retryable: false });
	});

	it('should recognise a cancelled request', () => {
		expect(networkFailure(withCode('ERR_CANCELED', 'canceled'))).toMatchObject({ reason: 'cancelled', retryable: false });
	});
});

describe('MetaStudio per-API limits', () => {
	it('should give the documented Delete File (and other change APIs) rate limit of the region', () => {
		expect(metaStudio.metaStudioRateLimit('cn-north-4', 'change')).toBe(10);
		expect(metaStudio.metaStudioRateLimit('cn-east-3', 'change')).toBe(5);
		expect(metaStudio.metaStudioRateLimit('ap-southeast-3', 'change')).toBe(5);
		expect(metaStudio.metaStudioRateLimit('', 'change')).toBe(5);
	});

	it('should give the documented query API limit of the region', () => {
		expect(metaStudio.metaStudioRateLimit('cn-north-4', 'query')).toBe(20);
		expect(metaStudio.metaStudioRateLimit('cn-east-3', 'query')).toBe(10);
		expect(metaStudio.metaStudioRateLimit('ap-southeast-3', 'query')).toBe(10);
	});
});
