/**
 * n8n's node setting Retry On Fail re-runs the whole node, every item, while the first item of output 0
 * is an error item (n8n-core WorkflowExecute: `checkFailure`). These tests run that real retry loop
 * (node settings retryOnFail, maxTries, waitBetweenTries) and check that an outcome settled on an
 * earlier try is reused: no second request for it, and the same items as a single try.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { KyyVideo2Emulator } from '../../emulators/kyyVideo2';
import { MetaStudioEmulator } from '../../emulators/metaStudio';
import type { OnError, RunResult } from '../../harness/runWorkflow';
import { runMediaAssets } from '../../harness/runWorkflow';

const KEY = 'sk-kyy-retry-on-fail-3c9a';
const PROJECT = '6a6a1f8354f64dd9b9a614def7b59d83';
const AK = 'HPUAXLPZQ7TESTAK0003';
const SK = 'secretKeyRetryOnFail0123456789abcdefghi';
const RETRY_ON_FAIL = { retryOnFail: true, maxTries: 3, waitBetweenTries: 10 };

/** Items without their timestamps, which differ between runs. */
function comparable(items: INodeExecutionData[] | undefined) {
	return (items ?? []).map((item) => {
		const { deletedAt, ...json } = item.json;
		return { json: { ...json, ...(deletedAt ? { deletedAt: 'set' } : {}) }, pairedItem: item.pairedItem };
	});
}

describe.each<OnError>(['continueErrorOutput', 'continueRegularOutput'])(
	"n8n's Retry On Fail with On Error = %s",
	(onError) => {
		describe('KyyVideo2 Delete', () => {
			let api: KyyVideo2Emulator;
			const ASSETS = ['asset-r1', 'asset-r2', 'asset-r3'];

			beforeEach(async () => {
				api = await KyyVideo2Emulator.start({ apiKey: KEY, assets: ASSETS });
			});

			afterEach(async () => {
				await api.stop();
			});

			async function run(items: IDataObject[], nodeSettings: IDataObject, options: IDataObject = {}): Promise<RunResult> {
				return await runMediaAssets({
					items,
					parameters: { resource: 'asset', operation: 'delete', assetId: '={{ $json.assetId }}', options: options as never },
					onError,
					nodeSettings,
					credentials: { kyyVideo2Api: { apiKey: KEY, baseUrl: api.baseUrl } },
				});
			}

			const deletesOf = (id: string) => api.requests.filter((r) => r.method === 'DELETE' && r.rawPath.endsWith(`/${id}`)).length;

			it('should not send a delete twice when an invalid first item makes n8n retry, and give the single-try items', async () => {
				const items = [{ assetId: '../x' }, ...ASSETS.map((assetId) => ({ assetId }))];

				const retried = await run(items, RETRY_ON_FAIL);

				expect(retried.error).toBeUndefined();
				for (const id of ASSETS) {
					expect(deletesOf(id)).toBe(1);
					expect(api.hasAsset(id)).toBe(false);
				}
				const all = retried.outputs.flat();
				expect(all).toHaveLength(4);
				const successes = all.filter((item) => item.json.deleted === true);
				expect(successes.map((item) => item.json.assetId)).toEqual(ASSETS);
				expect(successes.every((item) => item.json.attempts === 1)).toBe(true);

				// The same workflow without Retry On Fail, on a fresh server: the same items.
				await api.stop();
				api = await KyyVideo2Emulator.start({ apiKey: KEY, assets: ASSETS });
				const single = await run(items, {});
				expect(retried.outputs.map(comparable)).toEqual(single.outputs.map(comparable));
			});

			it("should retry on n8n's next try an item whose failure a retry could fix, and only that one", async () => {
				// asset-r2's first DELETE gets a 503; with Max Retries 0 the node's own retry is off, so only
				// n8n's re-run can help. The invalid first item makes n8n re-run the node.
				await api.stop();
				api = await KyyVideo2Emulator.start({ apiKey: KEY, assets: ASSETS, faults: { script: { 'asset-r2': ['http503'] } } });
				const items = [{ assetId: '' }, ...ASSETS.map((assetId) => ({ assetId }))];

				const result = await run(items, RETRY_ON_FAIL, { maxRetries: 0 });

				expect(deletesOf('asset-r1')).toBe(1);
				expect(deletesOf('asset-r2')).toBe(2);
				expect(deletesOf('asset-r3')).toBe(1);
				for (const id of ASSETS) expect(api.deletesLanded(id)).toBe(1);
				const successes = result.outputs.flat().filter((item) => item.json.deleted === true);
				expect(successes.map((item) => [item.json.assetId, item.pairedItem])).toEqual([
					['asset-r1', { item: 1 }],
					['asset-r2', { item: 2 }],
					['asset-r3', { item: 3 }],
				]);
			});
		});

		describe('MetaStudio Delete Media File', () => {
			let cloud: MetaStudioEmulator;
			const FILES = ['0f9c2a5e-2222-4c7b-9a3e-000000000001', '0f9c2a5e-2222-4c7b-9a3e-000000000002'];

			beforeEach(async () => {
				cloud = await MetaStudioEmulator.start({ accessKeyId: AK, secretAccessKey: SK, projectId: PROJECT, files: FILES });
			});

			afterEach(async () => {
				await cloud.stop();
			});

			it('should keep deleted files deleted, not "not found", across tries', async () => {
				const result = await runMediaAssets({
					items: [{ fileId: 'a/b' }, ...FILES.map((fileId) => ({ fileId }))],
					parameters: { resource: 'mediaFile', operation: 'delete', fileId: '={{ $json.fileId }}', options: {} },
					onError,
					nodeSettings: RETRY_ON_FAIL,
					credentials: {
						huaweiCloudAkSkApi: cloud.akSkCredential(),
					},
				});

				expect(cloud.requests.filter((r) => r.method === 'DELETE')).toHaveLength(2);
				const successes = result.outputs.flat().filter((item) => item.json.deleted === true);
				expect(successes.map((item) => item.json.fileId)).toEqual(FILES);
				expect(successes.every((item) => item.json.alreadyDeleted === undefined)).toBe(true);
			});
		});
	},
);

describe("n8n's Retry On Fail with On Error = stopWorkflow", () => {
	let api: KyyVideo2Emulator;
	const ASSETS = ['asset-s1', 'asset-s2', 'asset-s3'];

	beforeEach(async () => {
		api = await KyyVideo2Emulator.start({ apiKey: KEY, assets: ASSETS, faults: { script: { 'asset-s2': ['http500'] } } });
	});

	afterEach(async () => {
		await api.stop();
	});

	it('should finish on a later try without deleting again what the failed try deleted', async () => {
		const result = await runMediaAssets({
			items: ASSETS.map((assetId) => ({ assetId })),
			parameters: { resource: 'asset', operation: 'delete', assetId: '={{ $json.assetId }}', options: { maxRetries: 0, concurrency: 1 } },
			onError: 'stopWorkflow',
			nodeSettings: RETRY_ON_FAIL,
			credentials: { kyyVideo2Api: { apiKey: KEY, baseUrl: api.baseUrl } },
		});

		expect(result.error).toBeUndefined();
		expect(result.outputs[0].map((item) => [item.json.assetId, item.json.deleted])).toEqual(ASSETS.map((id) => [id, true]));
		const deletes = api.requests.filter((r) => r.method === 'DELETE').map((r) => r.rawPath.split('/').pop());
		// Try 1: s1 deleted, s2 failed (500), s3 never started. Try 2: s1 remembered, s2 and s3 sent.
		expect(deletes).toEqual(['asset-s1', 'asset-s2', 'asset-s2', 'asset-s3']);
		for (const id of ASSETS) expect(api.deletesLanded(id)).toBe(1);
	});
});
