import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { KyyVideo2Emulator } from '../emulators/kyyVideo2';
import { MetaStudioEmulator } from '../emulators/metaStudio';
import { runMediaAssets } from '../harness/runWorkflow';
import type { OnError, RunResult } from '../harness/runWorkflow';

const API_KEY = 'sk-kyy-batch-test-key-7c1e';
const ids = (n: number, prefix = 'asset-') => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(5, '0')}`);

/** Every input index appears exactly once across all outputs. */
function expectEachItemOnce(result: RunResult, count: number) {
	const seen = result.outputs.flat().map((item) => (item.pairedItem as { item: number }).item);
	expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i));
}

const errorOf = (item: INodeExecutionData) => item.json.error as IDataObject;

describe('Batch behaviour shared by both operations', () => {
	let api: KyyVideo2Emulator;

	beforeEach(async () => {
		api = await KyyVideo2Emulator.start({ apiKey: API_KEY, assets: ids(20) });
	});

	afterEach(async () => {
		await api.stop();
	});

	const deletes = () => api.requests.filter((r) => r.method === 'DELETE');

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

describe('Batch behaviour on MetaStudio', () => {
	let cloud: MetaStudioEmulator;
	const PROJECT = 'p0000000000000000000000000000001';

	beforeEach(async () => {
		cloud = await MetaStudioEmulator.start({
			accessKeyId: 'AKBATCH0000000000001',
			secretAccessKey: 'sk-batch-secret-0000000000000000000000',
			projectId: PROJECT,
			files: ids(30, 'file-'),
		});
	});

	afterEach(async () => {
		await cloud.stop();
	});

	async function runFiles(items: IDataObject[], options: IDataObject = {}, region = 'cn-north-4') {
		return await runMediaAssets({
			items,
			parameters: { resource: 'mediaFile', operation: 'delete', authentication: 'akSk', fileId: '={{ $json.fileId }}', options } as never,
			onError: 'continueErrorOutput',
			credentials: {
				huaweiCloudAkSkApi: {
					accessKeyId: 'AKBATCH0000000000001',
					secretAccessKey: 'sk-batch-secret-0000000000000000000000',
					region,
					projectId: PROJECT,
					endpoint: cloud.endpoint,
				},
			},
		});
	}

	const deletes = () => cloud.requests.filter((r) => r.method === 'DELETE');

	it('should pace at the region limit by default (5/s outside cn-north-4)', async () => {
		const startedAt = Date.now();
		await runFiles(ids(6, 'file-').map((fileId) => ({ fileId })), {}, 'ap-southeast-3');
		const times = deletes().map((r) => r.time);
		// The sixth delete leaves at least 5 intervals of 200 ms after the run started: a lower bound load cannot break.
		expect(Math.max(...times) - startedAt).toBeGreaterThanOrEqual(900);
	});

	it('should back off at least 1 s after APIGW.0308, which comes without Retry-After, and retry with a fresh signature', async () => {
		cloud.setFaults({ script: { 'file-00000': ['throttle'] } });
		const result = await runFiles([{ fileId: 'file-00000' }], { requestsPerSecond: 0 });
		expect(result.outputs[0][0].json).toMatchObject({ deleted: true, attempts: 2 });
		const [first, second] = deletes();
		expect(second.time - first.time).toBeGreaterThanOrEqual(950);
		// Each attempt is signed afresh: a retry never reuses the first attempt's date.
		expect(second.headers['x-sdk-date']).not.toBe(first.headers['x-sdk-date']);
	});

	it('should report a delete that landed before the connection dropped as already deleted', async () => {
		cloud.setFaults({ script: { 'file-00000': ['landedThenDrop'] } });
		const result = await runFiles([{ fileId: 'file-00000' }], { requestsPerSecond: 0 });
		expect(result.outputs[0][0].json).toMatchObject({ deleted: true, alreadyDeleted: true, attempts: 2 });
		expect(cloud.deletesLanded('file-00000')).toBe(1);
	});

	it('should send no DELETE in a dry run', async () => {
		const result = await runFiles([{ fileId: 'file-00000' }], { dryRun: true });
		expect(deletes()).toHaveLength(0);
		expect(result.outputs[0][0].json).toEqual({
			fileId: 'file-00000',
			dryRun: true,
			deleted: false,
			method: 'DELETE',
			url: `${cloud.endpoint}/v1/${PROJECT}/files/file-00000`,
			attempts: 0,
		});
	});
});
