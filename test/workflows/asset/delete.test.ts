/**
 * Seedance (KyyVideo2) asset → Delete through the n8n engine: one DELETE per asset, the outputs and
 * On Error modes, invalid IDs and the API key; then what the engine does around those requests
 * (concurrency and order, Requests per Second, retries, outcomes to settle, Only If Status, Verify
 * Deletion, repeated IDs, stopping and cancelling).
 */
import type { IDataObject } from 'n8n-workflow';

import { KyyVideo2Emulator } from '../../emulators/kyyVideo2';
import { runMediaAssets, visibleText } from '../../harness/runWorkflow';
import type { OnError, RunResult } from '../../harness/runWorkflow';
import { errorOf, ids } from '../shared';

/** Every input index appears exactly once across all outputs. */
function expectEachItemOnce(result: RunResult, count: number) {
	const seen = result.outputs.flat().map((item) => (item.pairedItem as { item: number }).item);
	expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i));
}

describe('Seedance asset → Delete', () => {
	let api: KyyVideo2Emulator;

	afterEach(async () => {
		await api.stop();
	});

	const deletes = () => api.requests.filter((r) => r.method === 'DELETE');

	describe('one request per asset, through the n8n engine', () => {
		const API_KEY = 'sk-kyy-test-5f2d8c1e9a7b4d3c';

		beforeEach(async () => {
			api = await KyyVideo2Emulator.start({
				apiKey: API_KEY,
				assets: ['asset-20260330142158-q75m8', 'asset-a', 'asset-b', 'asset-c'],
			});
		});

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

	describe('concurrency, pacing, retries and order', () => {
		const API_KEY = 'sk-kyy-batch-test-key-7c1e';

		beforeEach(async () => {
			api = await KyyVideo2Emulator.start({ apiKey: API_KEY, assets: ids(20) });
		});

		async function runAssets(
			items: IDataObject[],
			options: IDataObject = {},
			onError: OnError = 'continueErrorOutput',
			extra: { cancelWhen?: () => boolean } = {},
		) {
			return await runMediaAssets({
				items,
				parameters: { resource: 'asset', operation: 'delete', assetId: '={{ $json.assetId }}', options } as never,
				onError,
				credentials: { kyyVideo2Api: { apiKey: API_KEY, baseUrl: api.baseUrl } },
				...extra,
			});
		}

		describe('concurrency and order', () => {
			it('should keep input order and pairing with concurrency 16 and random latency', async () => {
				const all = ids(120, 'asset-ord-');
				all.forEach((id) => api.addAsset(id));
				api.setFaults({ latencyMs: [0, 25], random: { probability: 0, kinds: [] } });
				const input = all.map((assetId, row) => ({ assetId, row }));
				// A few missing ones, spread out, so that both outputs interleave.
				for (const row of [3, 50, 77, 119]) input[row].assetId = `asset-missing-${row}`;

				const result = await runAssets(input, { concurrency: 16 });

				expectEachItemOnce(result, input.length);
				const [success, failed] = result.outputs;
				const successRows = success.map((i) => (i.pairedItem as { item: number }).item);
				expect(successRows).toEqual([...successRows].sort((a, b) => a - b));
				for (const item of success) {
					expect(item.json.assetId).toBe(input[(item.pairedItem as { item: number }).item].assetId);
				}
				expect(failed.map((i) => (i.pairedItem as { item: number }).item)).toEqual([3, 50, 77, 119]);
				expect(failed.map((i) => i.json.row)).toEqual([3, 50, 77, 119]);
				expect(api.maxInFlight).toBeGreaterThan(1);
				expect(api.maxInFlight).toBeLessThanOrEqual(16);
			});

			it('should never have more requests in flight than the concurrency option', async () => {
				api.setFaults({ latencyMs: 30 });
				await runAssets(ids(12).map((assetId) => ({ assetId })), { concurrency: 3 });
				expect(api.maxInFlight).toBe(3);
			});
		});

		describe('requests per second', () => {
			it('should space requests at the configured rate', async () => {
				const startedAt = Date.now();
				await runAssets(ids(11).map((assetId) => ({ assetId })), { requestsPerSecond: 20, concurrency: 8 });
				const times = deletes().map((r) => r.time);
				// 11 requests at 20/s: the last one leaves at least 10 intervals of 50 ms after the run started
				// (generous bound for timer slack), and arrives later still. Load only adds to that, so this lower
				// bound holds on any machine; the spacing itself is tested on a virtual clock (pacer.test.ts).
				expect(Math.max(...times) - startedAt).toBeGreaterThanOrEqual(450);
			});
		});

		describe('retries', () => {
			it('should retry 5xx, timeouts and dropped connections up to Max Retries', async () => {
				api.setFaults({ script: { 'asset-00000': ['http500', 'http503', 'drop'] } });
				const result = await runAssets([{ assetId: 'asset-00000' }], { maxRetries: 3 });
				expect(result.outputs[0][0].json).toMatchObject({ assetId: 'asset-00000', deleted: true, attempts: 4 });
			});

			it('should stop after Max Retries and say it may help later', async () => {
				api.setFaults({ script: { 'asset-00000': ['http500', 'http500', 'http500'] } });
				const result = await runAssets([{ assetId: 'asset-00000' }], { maxRetries: 2 });
				expect(errorOf(result.outputs[1][0])).toMatchObject({ httpStatus: 500, attempts: 3, retryable: true });
				expect(errorOf(result.outputs[1][0]).description).toMatch(/3 attempts/);
			});

			it('should never retry other 4xx answers', async () => {
				const result = await runAssets([{ assetId: 'asset-missing' }], { maxRetries: 5 });
				expect(errorOf(result.outputs[1][0])).toMatchObject({ attempts: 1, retryable: false });
				expect(deletes()).toHaveLength(1);
			});

			it('should honour Retry-After before retrying a 429', async () => {
				api.setFaults({ script: { 'asset-00000': ['throttle'] }, retryAfterSeconds: 1 });
				const result = await runAssets([{ assetId: 'asset-00000' }], { maxRetries: 2 });

				expect(result.outputs[0][0].json).toMatchObject({ deleted: true, attempts: 2 });
				const [first, second] = deletes();
				// A lower bound load cannot break: the retry leaves a second after the 429 came, which came after
				// the first request arrived. How much longer it may wait is retryDelayMs's (retryPolicy.test.ts).
				expect(second.time - first.time).toBeGreaterThanOrEqual(950);
			});

			it('should end a request slower than the timeout and fail it as retryable, its outcome unknown, when Max Retries is 0', async () => {
				api.setFaults({ script: { 'asset-00000': ['slow'] }, slowMs: 1500 });
				const result = await runAssets([{ assetId: 'asset-00000' }], { timeout: 300, maxRetries: 0 });
				expect(errorOf(result.outputs[1][0])).toMatchObject({ reason: 'timeout', retryable: true, attempts: 1 });
				expect(errorOf(result.outputs[1][0]).description).toMatch(/may still have been carried out/);
			});
		});

		describe('deletes whose outcome was unknown', () => {
			it('should report a delete that landed before the connection dropped as a success', async () => {
				api.setFaults({ script: { 'asset-00000': ['landedThenDrop'] } });
				const result = await runAssets([{ assetId: 'asset-00000' }], { maxRetries: 2 });

				expect(result.outputs[0][0].json).toMatchObject({
					assetId: 'asset-00000',
					deleted: true,
					alreadyDeleted: true,
					attempts: 2,
				});
				expect(api.deletesLanded('asset-00000')).toBe(1);
				// The detail endpoint confirmed that the asset is gone.
				expect(api.requests.filter((r) => r.method === 'GET')).toHaveLength(1);
			});
		});

		describe('ignore not found', () => {
			it('should confirm with the detail endpoint and count a missing asset as already deleted', async () => {
				const result = await runAssets([{ assetId: 'asset-never-existed' }], { ignoreNotFound: true });
				expect(result.outputs[0][0].json).toMatchObject({
					assetId: 'asset-never-existed',
					deleted: true,
					alreadyDeleted: true,
					attempts: 1,
				});
				expect(api.requests.map((r) => r.method)).toEqual(['DELETE', 'GET']);
			});

			it('should fail a missing asset without the option', async () => {
				const result = await runAssets([{ assetId: 'asset-never-existed' }]);
				expect(result.outputs[1]).toHaveLength(1);
			});
		});

		describe('dry run', () => {
			it('should send no DELETE and describe each request without headers', async () => {
				const result = await runAssets(
					[{ assetId: 'asset-00000' }, { assetId: 'asset-00001' }, { assetId: 'bad id' }],
					{ dryRun: true },
				);

				expect(deletes()).toHaveLength(0);
				const [success, failed] = result.outputs;
				expect(success.map((i) => i.json)).toEqual([
					{ assetId: 'asset-00000', dryRun: true, deleted: false, method: 'DELETE', url: `${api.baseUrl}/kyyVideo2/asset/asset-00000`, attempts: 0 },
					{ assetId: 'asset-00001', dryRun: true, deleted: false, method: 'DELETE', url: `${api.baseUrl}/kyyVideo2/asset/asset-00001`, attempts: 0 },
				]);
				expect(failed).toHaveLength(1);
				expect(JSON.stringify(result.outputs)).not.toMatch(/authorization|bearer/i);
				expect(api.hasAsset('asset-00000')).toBe(true);
			});

			it('should still run the read-only status check', async () => {
				api.addAsset({ assetId: 'asset-failed-1', status: 'Failed' });
				api.addAsset({ assetId: 'asset-active-1', status: 'Active' });
				const result = await runAssets([{ assetId: 'asset-failed-1' }, { assetId: 'asset-active-1' }], {
					dryRun: true,
					onlyIfStatus: ['Failed'],
				});
				expect(deletes()).toHaveLength(0);
				expect(result.outputs[0].map((i) => i.json)).toEqual([
					expect.objectContaining({ assetId: 'asset-failed-1', dryRun: true, status: 'Failed' }),
					expect.objectContaining({ assetId: 'asset-active-1', dryRun: true, skipped: true, status: 'Active' }),
				]);
			});
		});

		describe('only if status', () => {
			it('should delete only assets in a selected status and skip the rest', async () => {
				api.addAsset({ assetId: 'asset-failed-1', status: 'Failed' });
				api.addAsset({ assetId: 'asset-active-1', status: 'Active' });
				api.addAsset({ assetId: 'asset-processing-1', status: 'Processing' });
				const result = await runAssets(
					[{ assetId: 'asset-failed-1' }, { assetId: 'asset-active-1' }, { assetId: 'asset-processing-1' }],
					{ onlyIfStatus: ['Failed', 'Processing'] },
				);

				expect(result.outputs[0].map((i) => i.json)).toEqual([
					expect.objectContaining({ assetId: 'asset-failed-1', deleted: true }),
					{
						assetId: 'asset-active-1',
						deleted: false,
						skipped: true,
						status: 'Active',
						reason: expect.stringContaining('Active'),
						attempts: 0,
					},
					expect.objectContaining({ assetId: 'asset-processing-1', deleted: true }),
				]);
				expect(api.hasAsset('asset-active-1')).toBe(true);
				expect(deletes().map((r) => r.rawPath)).not.toContain('/kyyReactApiServer/kyyVideo2/asset/asset-active-1');
			});
		});

		describe('verify deletion', () => {
			it('should confirm the asset is gone after the delete', async () => {
				const result = await runAssets([{ assetId: 'asset-00000' }], { verifyDeletion: true });
				expect(result.outputs[0][0].json).toMatchObject({ deleted: true });
				expect(api.requests.map((r) => r.method)).toEqual(['DELETE', 'GET']);
			});

			it('should fail the item when the asset is still there', async () => {
				api.ghostDeletes.add('asset-00000');
				const result = await runAssets([{ assetId: 'asset-00000' }], { verifyDeletion: true });
				expect(errorOf(result.outputs[1][0])).toMatchObject({ assetId: 'asset-00000', reason: 'stillExists' });
			});
		});

		describe('duplicate IDs', () => {
			it('should delete a repeated ID once and give each repeat the first outcome', async () => {
				const result = await runAssets(
					[
						{ assetId: 'asset-00000' },
						{ assetId: 'asset-00001' },
						{ assetId: 'asset://asset-00000' },
						{ assetId: 'asset-missing' },
						{ assetId: 'asset-missing' },
					],
					{ concurrency: 4 },
				);

				expect(api.deletesLanded('asset-00000')).toBe(1);
				expect(deletes().filter((r) => r.rawPath.endsWith('/asset-00000'))).toHaveLength(1);
				expect(deletes().filter((r) => r.rawPath.endsWith('/asset-missing'))).toHaveLength(1);
				const [success, failed] = result.outputs;
				expect(success.map((i) => [(i.pairedItem as { item: number }).item, i.json.duplicateOf])).toEqual([
					[0, undefined],
					[1, undefined],
					[2, 0],
				]);
				expect(success[2].json).toMatchObject({ assetId: 'asset-00000', deleted: true });
				expect(failed.map((i) => [(i.pairedItem as { item: number }).item, errorOf(i).duplicateOf])).toEqual([
					[3, undefined],
					[4, 3],
				]);
			});
		});

		describe('without continue-on-fail', () => {
			it('should stop scheduling at the first failure and throw for the earliest failing item', async () => {
				const input = ['asset-00000', 'asset-00001', 'asset-missing', 'asset-00002', 'asset-00003'].map((assetId) => ({
					assetId,
				}));
				const result = await runAssets(input, { concurrency: 1 }, 'stopWorkflow');

				expect(result.error!.message).toContain('"asset-missing"');
				expect(deletes().map((r) => r.rawPath.split('/').pop())).toEqual(['asset-00000', 'asset-00001', 'asset-missing']);
				expect(api.hasAsset('asset-00002')).toBe(true);
			});

			it('should let requests in flight finish but send nothing new after the failure', async () => {
				api.setFaults({ latencyMs: 40 });
				const input = ids(20).map((assetId) => ({ assetId }));
				input[5].assetId = 'asset-missing';
				// Every item after it fails too, so only a success may free a slot for a new request: at most
				// the first 4 requests and one more per existing asset (5), in whatever order the answers come.
				for (let row = 6; row < input.length; row++) input[row].assetId = `asset-missing-${row}`;
				const result = await runAssets(input, { concurrency: 4 }, 'stopWorkflow');

				expect(result.error!.message).toContain('"asset-missing"');
				expect(deletes().length).toBeLessThanOrEqual(4 + 5);
				for (const assetId of ids(5)) expect(api.hasAsset(assetId)).toBe(false);
				expect(deletes().length).toBeLessThan(20);
			});
		});

		describe('cancellation', () => {
			it('should stop scheduling when the execution is cancelled', async () => {
				api.setFaults({ latencyMs: 50 });
				const result = await runAssets(ids(20).map((assetId) => ({ assetId })), { concurrency: 1 }, 'continueErrorOutput', {
					cancelWhen: () => deletes().length >= 3,
				});
				const sent = deletes().length;
				// Time for a request still scheduled to show up; a loaded machine can only hide one, not fail the test.
				await new Promise((resolve) => setTimeout(resolve, 200));
				expect(deletes().length).toBe(sent);
				expect(sent).toBeLessThan(20);
				expect(result.canceled).toBe(true);
				expect(result.error?.message).toMatch(/execution was cancelled/);
			});
		});

		describe('under 20 % mixed faults with Max Retries 5', () => {
			it('should account for every item once, delete no ID twice, and never report a landed delete as failed', async () => {
				const all = ids(150, 'asset-chaos-');
				all.forEach((id) => api.addAsset(id));
				api.setFaults({
					latencyMs: [0, 10],
					random: { probability: 0.2, kinds: ['http500', 'http503', 'drop', 'landedThenDrop', 'throttle'], seed: 42 },
					retryAfterSeconds: 0,
					methods: ['DELETE', 'GET'],
				});

				const result = await runAssets(
					all.map((assetId) => ({ assetId })),
					{ concurrency: 16, maxRetries: 5 },
				);

				expectEachItemOnce(result, all.length);
				for (const id of all) expect(api.deletesLanded(id)).toBeLessThanOrEqual(1);
				const [success, failed] = result.outputs;
				for (const item of failed) {
					// A failure may only be reported for an asset that is really still there.
					expect(api.hasAsset(errorOf(item).assetId as string)).toBe(true);
				}
				for (const item of success) expect(api.hasAsset(item.json.assetId as string)).toBe(false);
				expect(success.length).toBeGreaterThan(all.length * 0.95);
			});
		});
	});
});
