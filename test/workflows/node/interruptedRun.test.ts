/**
 * When n8n dies in the middle of a batch, the execution's record of what was deleted is lost. The
 * recipe in the README ("after an interrupted run"): run the same items again with Ignore Not Found.
 * Here the first run is stopped mid-batch (its result thrown away, as a crash would lose it) and the
 * second run must account for every item, call the ones the first run deleted `alreadyDeleted`, and
 * delete nothing twice.
 */
import type { IDataObject } from 'n8n-workflow';

import { KyyVideo2Emulator } from '../../emulators/kyyVideo2';
import { MetaStudioEmulator } from '../../emulators/metaStudio';
import { runMediaAssets } from '../../harness/runWorkflow';
import { waitUntil } from '../../harness/waitUntil';

const KEY = 'sk-kyy-interrupted-8d2f';
const PROJECT = '6a6a1f8354f64dd9b9a614def7b59d83';
const AK = 'HPUAXLPZQ7TESTAK0004';
const SK = 'secretKeyInterrupted0123456789abcdefghi';
const COUNT = 200;
/** The first run is stopped once the server has received this many deletes, far from the last. */
const STOP_AT = 20;

describe('After an interrupted run: the same items again with Ignore Not Found', () => {
	it('should account for every KyyVideo2 asset exactly once and delete none twice', async () => {
		const ids = Array.from({ length: COUNT }, (_, i) => `asset-interrupted-${i}`);
		const api = await KyyVideo2Emulator.start({ apiKey: KEY, assets: ids, faults: { latencyMs: 50 } });
		const deletesReceived = () => api.requests.filter((request) => request.method === 'DELETE').length;
		try {
			const run = async (options: IDataObject, cancelWhen?: () => boolean) =>
				await runMediaAssets({
					items: ids.map((assetId) => ({ assetId })),
					parameters: { resource: 'asset', operation: 'delete', assetId: '={{ $json.assetId }}', options: options as never },
					onError: 'continueErrorOutput',
					credentials: { kyyVideo2Api: { apiKey: KEY, baseUrl: api.baseUrl } },
					cancelWhen,
				});

			const interrupted = await run({ concurrency: 4 }, () => deletesReceived() >= STOP_AT);
			expect(interrupted.canceled).toBe(true);
			// Requests in flight when the run stopped still land, as they would after a crash.
			await waitUntil(() => api.totalDeletesLanded() === deletesReceived());
			const deletedBefore = ids.filter((id) => !api.hasAsset(id));
			expect(deletedBefore.length).toBeGreaterThan(0);
			expect(deletedBefore.length).toBeLessThan(COUNT);

			const rerun = await run({ concurrency: 4, ignoreNotFound: true });

			expect(rerun.error).toBeUndefined();
			const [success, failed] = rerun.outputs;
			expect(failed ?? []).toEqual([]);
			expect(success.map((item) => item.json.assetId)).toEqual(ids);
			expect(success.map((item) => item.pairedItem)).toEqual(ids.map((_, item) => ({ item })));
			const already = success.filter((item) => item.json.alreadyDeleted === true).map((item) => item.json.assetId);
			expect(already.sort()).toEqual([...deletedBefore].sort());
			for (const id of ids) {
				expect(api.hasAsset(id)).toBe(false);
				expect(api.deletesLanded(id)).toBe(1);
			}
		} finally {
			await api.stop();
		}
	});

	it('should account for every MetaStudio media file exactly once and delete none twice', async () => {
		const ids = Array.from({ length: COUNT }, (_, i) => `0f9c2a5e-3333-4c7b-9a3e-${String(i).padStart(12, '0')}`);
		const cloud = await MetaStudioEmulator.start({
			accessKeyId: AK,
			secretAccessKey: SK,
			projectId: PROJECT,
			files: ids,
			faults: { latencyMs: 50 },
		});
		const deletesReceived = () => cloud.requestsTo('DeleteFile').length;
		try {
			const run = async (options: IDataObject, cancelWhen?: () => boolean) =>
				await runMediaAssets({
					items: ids.map((fileId) => ({ fileId })),
					parameters: { resource: 'mediaFile', operation: 'delete', fileId: '={{ $json.fileId }}', options: options as never },
					onError: 'continueErrorOutput',
					credentials: {
						huaweiCloudAkSkApi: cloud.akSkCredential(),
					},
					cancelWhen,
				});
			const interrupted = await run({ concurrency: 4, requestsPerSecond: 0 }, () => deletesReceived() >= STOP_AT);
			expect(interrupted.canceled).toBe(true);
			await waitUntil(() => cloud.totalDeletesLanded() === deletesReceived());
			const deletedBefore = ids.filter((id) => !cloud.hasFile(id));
			expect(deletedBefore.length).toBeGreaterThan(0);
			expect(deletedBefore.length).toBeLessThan(COUNT);

			const rerun = await run({ concurrency: 4, requestsPerSecond: 0, ignoreNotFound: true });

			const [success, failed] = rerun.outputs;
			expect(failed ?? []).toEqual([]);
			expect(success.map((item) => item.json.fileId)).toEqual(ids);
			const already = success.filter((item) => item.json.alreadyDeleted === true).map((item) => item.json.fileId);
			expect(already.sort()).toEqual([...deletedBefore].sort());
			for (const id of ids) {
				expect(cloud.hasFile(id)).toBe(false);
				expect(cloud.deletesLanded(id)).toBe(1);
			}
		} finally {
			await cloud.stop();
		}
	});
});
