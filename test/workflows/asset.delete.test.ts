import type { IDataObject } from 'n8n-workflow';

import { KyyVideo2Emulator } from '../emulators/kyyVideo2';
import { runMediaAssets, visibleText } from '../harness/runWorkflow';
import type { OnError, RunResult } from '../harness/runWorkflow';

const API_KEY = 'sk-kyy-test-5f2d8c1e9a7b4d3c';

describe('Media Assets: Delete Asset (KyyVideo2) through the n8n engine', () => {
	let api: KyyVideo2Emulator;

	beforeEach(async () => {
		api = await KyyVideo2Emulator.start({
			apiKey: API_KEY,
			assets: ['asset-20260330142158-q75m8', 'asset-a', 'asset-b', 'asset-c'],
		});
	});

	afterEach(async () => {
		await api.stop();
	});

	const deletes = () => api.requests.filter((r) => r.method === 'DELETE');

	async function run(
		items: IDataObject[],
		{
			onError = 'stopWorkflow',
			assetId = '={{ $json.assetId }}',
			options = {},
			apiKey = API_KEY,
		}: { onError?: OnError; assetId?: unknown; options?: IDataObject; apiKey?: string } = {},
	): Promise<RunResult> {
		return await runMediaAssets({
			items,
			parameters: { resource: 'asset', operation: 'delete', assetId, options } as never,
			onError,
			credentials: { kyyVideo2Api: { apiKey, baseUrl: `${api.baseUrl}/` } },
		});
	}

	it('should delete one asset and describe it on the main output', async () => {
		const result = await run([{ assetId: 'asset-20260330142158-q75m8' }]);

		expect(result.error).toBeUndefined();
		expect(result.outputs).toHaveLength(1);
		const [item] = result.outputs[0];
		expect(item.json).toEqual({
			assetId: 'asset-20260330142158-q75m8',
			deleted: true,
			code: '0',
			message: '删除成功',
			httpStatus: 200,
			attempts: 1,
			deletedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
		});
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(api.hasAsset('asset-20260330142158-q75m8')).toBe(false);
		expect(deletes()).toHaveLength(1);
		expect(deletes()[0].rawPath).toBe('/kyyReactApiServer/kyyVideo2/asset/asset-20260330142158-q75m8');
		expect(deletes()[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
	});

	it('should delete many assets, one request each, in input order', async () => {
		const ids = ['asset-a', 'asset-b', 'asset-c'];
		const result = await run(ids.map((assetId) => ({ assetId })));

		expect(result.outputs[0].map((i) => i.json.assetId)).toEqual(ids);
		expect(result.outputs[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(deletes().map((r) => r.rawPath).sort()).toEqual(ids.map((id) => `/kyyReactApiServer/kyyVideo2/asset/${id}`).sort());
		for (const id of ids) expect(api.deletesLanded(id)).toBe(1);
	});

	it('should accept the numeric code 0 as success', async () => {
		api.numericSuccessCode = true;
		const result = await run([{ assetId: 'asset-a' }]);
		expect(result.outputs[0][0].json).toMatchObject({ assetId: 'asset-a', deleted: true, code: '0' });
	});

	it('should strip the asset:// prefix and surrounding whitespace', async () => {
		const result = await run([{ assetId: '  asset://asset-a ' }]);
		expect(result.outputs[0][0].json).toMatchObject({ assetId: 'asset-a', deleted: true });
		expect(deletes()[0].rawPath).toBe('/kyyReactApiServer/kyyVideo2/asset/asset-a');
	});

	it('should evaluate the asset ID expression per item', async () => {
		const result = await run([{ row: { id: 'a' } }, { row: { id: 'b' } }], {
			assetId: '={{ "asset-" + $json.row.id }}',
		});
		expect(result.outputs[0].map((i) => i.json.assetId)).toEqual(['asset-a', 'asset-b']);
	});

	describe('with On Error = "Continue (using error output)"', () => {
		it('should send successes to the main output and failures to the Error output, input fields kept', async () => {
			const input = [
				{ assetId: 'asset-a', row: 1 },
				{ assetId: 'asset-missing', row: 2 },
				{ assetId: 'asset-b', row: 3 },
				{ assetId: 'bad/id', row: 4 },
			];
			const result = await run(input, { onError: 'continueErrorOutput' });

			expect(result.error).toBeUndefined();
			const [success, failed] = result.outputs;
			expect(success.map((i) => i.json.assetId)).toEqual(['asset-a', 'asset-b']);
			expect(success.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);

			expect(failed.map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 3 }]);
			for (const item of failed) {
				const index = (item.pairedItem as { item: number }).item;
				// n8n merges the input item's fields under the node's single `error` key.
				expect(Object.keys(item.json).sort()).toEqual([...Object.keys(input[index]), 'error'].sort());
				expect(item.json.row).toBe(input[index].row);
			}
			expect(failed[0].json.error).toEqual({
				message: expect.stringContaining('"asset-missing"'),
				description: expect.any(String),
				assetId: 'asset-missing',
				httpStatus: 200,
				code: '-1',
				apiMessage: expect.any(String),
				requestId: null,
				reason: 'apiError',
				attempts: 1,
				retryable: false,
			});
			expect((failed[0].json.error as IDataObject).message).toMatch(/HTTP 200/);
			expect((failed[0].json.error as IDataObject).message).toMatch(/code -1/);
			expect(failed[1].json.error).toMatchObject({ assetId: null, reason: 'invalidInput', attempts: 0, retryable: false });
			expect((failed[1].json.error as IDataObject).message).toContain('bad/id');
			expect(deletes()).toHaveLength(3);
		});
	});

	describe('with On Error = "Continue" (regular output)', () => {
		it('should keep every item on the main output, each failure with the single json key "error"', async () => {
			const result = await run([{ assetId: 'asset-a' }, { assetId: 'asset-missing' }, { assetId: '' }], {
				onError: 'continueRegularOutput',
			});

			expect(result.outputs).toHaveLength(1);
			const [ok, missing, empty] = result.outputs[0];
			expect(ok.json).toMatchObject({ assetId: 'asset-a', deleted: true });
			for (const failure of [missing, empty]) {
				expect(Object.keys(failure.json)).toEqual(['error']);
				expect(Object.keys(failure.json.error as IDataObject).sort()).toEqual(
					['message', 'description', 'assetId', 'httpStatus', 'code', 'apiMessage', 'requestId', 'reason', 'attempts', 'retryable'].sort(),
				);
			}
			expect(result.outputs[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		});
	});

	describe('with On Error = "Stop Workflow"', () => {
		it('should fail the execution with a message naming the ID', async () => {
			const result = await run([{ assetId: 'asset-a' }, { assetId: 'asset-missing' }]);

			expect(result.error).toBeDefined();
			expect(result.error!.message).toContain('"asset-missing"');
			expect(result.error!.message).toMatch(/code -1/);
			expect((result.error as { context?: IDataObject }).context?.itemIndex).toBe(1);
		});

		it('should refuse a run with an invalid ID before sending any request', async () => {
			const result = await run([{ assetId: 'asset-a' }, { assetId: 'asset-b?x=1' }]);

			expect(result.error!.message).toContain('asset-b?x=1');
			expect(result.error!.message).toMatch(/No request was sent/);
			expect(api.requests).toHaveLength(0);
		});
	});

	it('should report a wrong API key clearly, without the key', async () => {
		const wrongKey = 'sk-kyy-wrong-0000000000000000';
		const result = await run([{ assetId: 'asset-a' }], { onError: 'continueRegularOutput', apiKey: wrongKey });

		const error = result.outputs[0][0].json.error as IDataObject;
		expect(error).toMatchObject({ httpStatus: 401, reason: 'authentication', retryable: false, attempts: 1 });
		expect(error.message).toMatch(/API key was rejected/);
		expect(api.hasAsset('asset-a')).toBe(true);
		expect(visibleText(result)).not.toContain(wrongKey);
	});

	it('should report HTTP 500 as retryable and retry it', async () => {
		api.setFaults({ script: { 'asset-a': ['http500', 'http500'] } });
		const result = await run([{ assetId: 'asset-a' }, { assetId: 'asset-b' }], {
			onError: 'continueRegularOutput',
			options: { maxRetries: 1 },
		});

		const [a, b] = result.outputs[0];
		expect(a.json.error).toMatchObject({ assetId: 'asset-a', httpStatus: 500, reason: 'serverError', retryable: true, attempts: 2 });
		expect((a.json.error as IDataObject).message).toMatch(/HTTP 500/);
		expect(b.json).toMatchObject({ assetId: 'asset-b', deleted: true, attempts: 1 });
	});

	it('should report a body that is not JSON without crashing', async () => {
		api.htmlFor.add('asset-a');
		const result = await run([{ assetId: 'asset-a' }], { onError: 'continueRegularOutput', options: { maxRetries: 0 } });

		const error = result.outputs[0][0].json.error as IDataObject;
		expect(error.assetId).toBe('asset-a');
		expect(error.message).toContain('"asset-a"');
		expect(typeof error.httpStatus).toBe('number');
	});

	describe('invalid IDs', () => {
		const invalid: Array<[string, IDataObject[string]]> = [
			['empty', ''],
			['whitespace', '   '],
			['a slash', 'asset-a/../asset-b'],
			['a backslash', 'asset-a\\b'],
			['a question mark', 'asset-a?x=1'],
			['a hash', 'asset-a#b'],
			['an encoded slash', 'asset-a%2Fb'],
			['two dots', '..'],
			['a space inside', 'asset a'],
			['a control character', 'asset-\u0001a'],
			['a number', 12345],
			['an object', { id: 'asset-a' }],
			['a very long value', 'a'.repeat(500)],
		];

		it.each(invalid)('should fail an ID with %s per item, and send no request', async (_case, value) => {
			const result = await run([{ value }, { value: 'asset-a' }], {
				onError: 'continueErrorOutput',
				assetId: '={{ $json.value }}',
			});

			const [success, failed] = result.outputs;
			expect(failed).toHaveLength(1);
			expect(failed[0].pairedItem).toEqual({ item: 0 });
			expect(failed[0].json.error).toMatchObject({ reason: 'invalidInput', attempts: 0 });
			expect((failed[0].json.error as IDataObject).message).toMatch(/No request was sent/);
			expect(success.map((i) => i.json.assetId)).toEqual(['asset-a']);
			expect(api.requests.map((r) => r.rawPath)).toEqual(['/kyyReactApiServer/kyyVideo2/asset/asset-a']);
		});
	});

	it('should never show the API key in items, errors or logs', async () => {
		const result = await run(
			[{ assetId: 'asset-a' }, { assetId: 'asset-missing' }, { assetId: '' }, { assetId: 'asset-b' }],
			{ onError: 'continueErrorOutput' },
		);
		const stopped = await run([{ assetId: 'asset-missing' }]);

		for (const visible of [visibleText(result), visibleText(stopped)]) {
			expect(visible).not.toContain(API_KEY);
			expect(visible).not.toContain('Bearer');
		}
	});
});
