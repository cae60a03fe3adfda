/**
 * MetaStudio asset → Restore through the n8n engine: out of the recycle bin, a lost answer, an asset not
 * in the bin; from a resource locator; in batches (automatic, Batch Size 1, Batch Size 5 with an asset
 * not in the bin); a batch whose answer was lost when the assets cannot be read back; n8n's Retry On
 * Fail re-running the node.
 */
import type { MetaStudioEmulator } from '../../emulators/metaStudio';
import { generateAssets } from '../../emulators/metaStudioAssets';
import type { OnError, RunResult } from '../../harness/runWorkflow';
import { errorOf } from '../shared';
import {
	aloneCount,
	AUTOMATIC_SHARE_CN_NORTH_4,
	emulatorSession,
	expectEachRowOnce,
	expectRetryOnFailToSendNothingTwice,
	idsOf,
	LIBRARY_KEYS,
	locator,
	LOCATOR_KEYS,
	lostThenUnreadable,
	PROJECT,
	rowOf,
	runAssets,
	sent,
	startCloud,
} from './shared';

describe('MetaStudio asset → Restore', () => {
	let cloud: MetaStudioEmulator;

	afterEach(async () => {
		await cloud?.stop();
	});

	describe('through the n8n engine', () => {
		const { start, run } = emulatorSession(LIBRARY_KEYS, (started) => (cloud = started));

		it('should take an asset out of the recycle bin', async () => {
			await start(generateAssets(2, { asset_state: 'DELETING', stateBeforeDelete: 'ACTIVED' }));
			const result = await run({ operation: 'restore', assetId: '={{ $json.id }}', options: {} }, [{ id: 'asset-00000' }]);
			expect(result.outputs[0][0].json).toEqual({
				assetId: 'asset-00000',
				restored: true,
				requestId: expect.any(String),
				httpStatus: 200,
				attempts: 1,
				restoredAt: expect.any(String),
			});
			expect(cloud.assetState('asset-00000')).toBe('ACTIVED');
			expect(cloud.requests.find((r) => r.method === 'POST')?.rawPath).toBe(`/v1/${PROJECT}/digital-assets/asset-00000/restore`);
		});

		it('should undo a recycle-bin delete of the same assets in a later run', async () => {
			await start(generateAssets(3));
			const items = [{ id: 'asset-00000' }, { id: 'asset-00001' }];
			await run({ operation: 'delete', assetId: '={{ $json.id }}', options: {} }, items);
			const restored = await run({ operation: 'restore', assetId: '={{ $json.id }}', options: {} }, items);
			expect(restored.outputs[0].map((item) => item.json.restored)).toEqual([true, true]);
			expect(cloud.assetState('asset-00000')).toBe('ACTIVED');
		});

		it('should report a restore whose answer was lost as restored, after checking the asset left the recycle bin', async () => {
			await start(generateAssets(1, { asset_state: 'DELETING', stateBeforeDelete: 'ACTIVED' }));
			cloud.setFaults({ methods: ['POST'], script: { 'asset-00000': ['landedThenDrop'] } });
			const result = await run({ operation: 'restore', assetId: '={{ $json.id }}', options: {} }, [{ id: 'asset-00000' }]);

			expect(result.outputs[1] ?? []).toEqual([]);
			expect(result.outputs[0][0].json).toMatchObject({ assetId: 'asset-00000', restored: true, attempts: 2 });
			expect(cloud.restoresLanded('asset-00000')).toBe(1);
			expect(cloud.requests.filter((r) => r.method === 'GET').map((r) => r.rawPath)).toEqual([`/v1/${PROJECT}/digital-assets/asset-00000`]);
		});

		it('should fail an asset that is not in the recycle bin, as the API answers', async () => {
			await start();
			const result = await run({ operation: 'restore', assetId: '={{ $json.id }}', options: {} }, [{ id: 'asset-00001' }]);
			expect(result.outputs[1][0].json.error).toMatchObject({ assetId: 'asset-00001', retryable: false, httpStatus: 400 });
		});
	});

	describe('from a resource locator or a plain string', () => {
		const { start, run } = emulatorSession(LOCATOR_KEYS, (started) => (cloud = started));

		it('should delete to the recycle bin and restore alike from a locator or a plain string', async () => {
			await start(generateAssets(4));
			const plain = await run({ operation: 'delete', assetId: '={{ $json.id }}', deleteMode: 'recycleBin', options: {} }, [{ id: 'asset-00000' }]);
			const located = await run({ operation: 'delete', assetId: locator('={{ $json.id }}', 'id'), deleteMode: 'recycleBin', options: {} }, [{ id: 'asset-00001' }]);
			expect(cloud.assetState('asset-00000')).toBe('DELETING');
			expect(cloud.assetState('asset-00001')).toBe('DELETING');
			const shape = (r: RunResult) => ({ ...r.outputs[0][0].json, assetId: 'x', deletedAt: 'x', requestId: 'x' });
			expect(shape(located)).toEqual(shape(plain));

			await run({ operation: 'restore', assetId: 'asset-00000', options: {} });
			const restored = await run({ operation: 'restore', assetId: locator('asset-00001'), options: {} });
			expect(restored.outputs[0][0].json).toMatchObject({ assetId: 'asset-00001', restored: true });
			expect(cloud.assetState('asset-00000')).toBe('ACTIVED');
			expect(cloud.assetState('asset-00001')).toBe('ACTIVED');
		});
	});

	describe('in batches', () => {
		describe('Batch Size automatic (left out: the default)', () => {
			it('should restore 120 assets from the recycle bin, each once, by batch and per-asset requests', async () => {
				const ids = idsOf(120);
				cloud = await startCloud(generateAssets(120, { asset_state: 'DELETING', stateBeforeDelete: 'ACTIVED' }));

				const result = await runAssets(cloud, 'restore', ids.map((id) => ({ id })), {});

				expectEachRowOnce(result, ids.length);
				const [success, failed] = result.outputs;
				expect(failed ?? []).toEqual([]);
				expect(success.map((item) => [item.json.assetId, item.json.restored, item.pairedItem])).toEqual(ids.map((id, i) => [id, true, { item: i }]));
				for (const id of ids) {
					expect(cloud.assetState(id)).toBe('ACTIVED');
					expect(cloud.restoresLanded(id)).toBe(1);
				}
				const { batches, batchIds, perAssetIds } = sent(cloud);
				expect(batches.length).toBeGreaterThan(0);
				expect(batches.every((batch) => batch.action === 'RESTORE' && batch.ids.length <= 50)).toBe(true);
				expect(perAssetIds).toHaveLength(aloneCount(ids.length, AUTOMATIC_SHARE_CN_NORTH_4));
				expect([...batchIds, ...perAssetIds].sort()).toEqual([...ids].sort());
			});
		});

		describe('Batch Size 1', () => {
			it('should send no batch request for restores with Batch Size 1', async () => {
				const ids = idsOf(12);
				cloud = await startCloud(generateAssets(12, { asset_state: 'DELETING', stateBeforeDelete: 'ACTIVED' }));

				const result = await runAssets(cloud, 'restore', ids.map((id) => ({ id })), { batchSize: 1, requestsPerSecond: 0 });

				expect(result.outputs[0].map((item) => [item.json.assetId, item.json.restored])).toEqual(ids.map((id) => [id, true]));
				expect(cloud.requestsTo('BatchExecuteAssetAction')).toHaveLength(0);
				expect(sent(cloud).perAssetIds).toEqual(ids);
			});
		});

		describe('Batch Size 5', () => {
			it('should take assets out of the recycle bin and fail the one that is not in it', async () => {
				const NOT_IN_BIN = 'asset-00003';
				const seeds = generateAssets(20, {
					asset_state: 'DELETING',
					each: (i) => ({ stateBeforeDelete: i % 2 === 0 ? 'ACTIVED' : 'UNACTIVED', ...(i === 3 ? { asset_state: 'ACTIVED' } : {}) }),
				});
				const ids = seeds.map((seed) => seed.asset_id!);
				cloud = await startCloud(seeds);

				// Batch Size 5 with Requests per Second 1: a sixth one by one (rows 0, 6, 12, 18), the rest by batch.
				const result = await runAssets(cloud, 'restore', ids.map((id) => ({ id })), { batchSize: 5, requestsPerSecond: 1 });

				expectEachRowOnce(result, ids.length);
				const [success, failed] = result.outputs;
				expect(success.map((item) => item.json.assetId)).toEqual(ids.filter((id) => id !== NOT_IN_BIN));
				for (const item of success) {
					expect(item.json).toMatchObject({ restored: true, requestId: expect.any(String), httpStatus: 200, attempts: 1 });
					const i = rowOf(item);
					expect(cloud.assetState(ids[i])).toBe(i % 2 === 0 ? 'ACTIVED' : 'UNACTIVED');
					expect(cloud.restoresLanded(ids[i])).toBe(1);
				}
				expect(failed).toHaveLength(1);
				expect(failed[0].pairedItem).toEqual({ item: 3 });
				expect(errorOf(failed[0])).toMatchObject({ assetId: NOT_IN_BIN, reason: 'apiError', code: 'MSS.00000003', retryable: false });
				expect(String(errorOf(failed[0]).message)).toMatch(/^Could not restore asset "asset-00003": /);
				expect(cloud.assetState(NOT_IN_BIN)).toBe('ACTIVED');
				expect(cloud.changesLandedOn(NOT_IN_BIN)).toBe(0);

				const { batches, batchIds, perAssetIds } = sent(cloud);
				expect(batches.every((batch) => batch.action === 'RESTORE' && batch.ids.length <= 5)).toBe(true);
				expect(batchIds).toContain(NOT_IN_BIN);
				// The last one left over, a group of one, goes on its own too.
				expect(perAssetIds).toEqual([ids[0], ids[6], ids[12], ids[18], ids[19]]);
				expect([...batchIds, ...perAssetIds].sort()).toEqual(ids);
			});
		});
	});

	describe('a batch whose answer was lost after it landed, when the assets cannot be read back', () => {
		it('should check a restore refused as "not in the recycle bin" by its per-asset request, and count it restored', async () => {
			const { result, ids } = await lostThenUnreadable('restore', 0, 1, (started) => (cloud = started));

			expect(result.outputs[1] ?? []).toEqual([]);
			expect(result.outputs[0].map((item) => [item.json.assetId, item.json.restored])).toEqual(ids.map((id) => [id, true]));
			for (const id of ids) expect(cloud.restoresLanded(id)).toBe(1);
		});
	});

	describe.each<OnError>(['continueErrorOutput', 'continueRegularOutput'])("n8n's Retry On Fail over batch requests, On Error = %s", (onError) => {
		it('should send no restore twice when an invalid first item makes n8n re-run the node, and give the single-try items', async () => {
			await expectRetryOnFailToSendNothingTwice('restore', onError, (started) => (cloud = started));
		});
	});
});
