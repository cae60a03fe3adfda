/**
 * MetaStudio Restore in batches, and Activate / Deactivate (which exist only as BatchExecuteAssetAction),
 * through the n8n engine.
 */
import type { IDataObject } from 'n8n-workflow';

import type { AssetState, MetaStudioEmulator } from '../emulators/metaStudio';
import { generateAssets } from '../emulators/metaStudioAssets';
import { byRow, errorOf, expectEachRowOnce, PROJECT, rowOf, runAssets, sent, startCloud } from './metaStudioBatch.shared';

describe('MetaStudio batch actions', () => {
	let cloud: MetaStudioEmulator;

	afterEach(async () => {
		await cloud?.stop();
	});

	describe('Restore in batches', () => {
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

	describe('Activate and Deactivate', () => {
		const STATES: AssetState[] = ['UNACTIVED', 'UNACTIVED', 'FAILED', 'UNACTIVED', 'ACTIVED', 'DELETING', 'UNACTIVED', 'UNACTIVED'];

		async function startWith(states: AssetState[]) {
			const seeds = generateAssets(states.length, { each: (i) => ({ asset_state: states[i] }) });
			cloud = await startCloud(seeds);
			return seeds.map((seed) => seed.asset_id!);
		}

		// MetaStudio groups failed IDs by error code and gives the first one's text: the FAILED asset's
		// message is the DELETING one's too when they share a request.
		it.each<[string, IDataObject, number]>([
			['in one batch request (Batch Size automatic)', { batchSize: 0 }, 1],
			['in one batch request (Batch Size left out: automatic, no saved workflow ran them one by one)', {}, 1],
			['one batch request per asset (Batch Size 1)', { batchSize: 1 }, STATES.length],
		])('should activate UNACTIVED assets and fail those whose state refuses it, %s', async (_name, options, requests) => {
			const ids = await startWith(STATES);

			const result = await runAssets(cloud, 'activate', ids.map((id) => ({ id })), { ...options, requestsPerSecond: 0 });

			expectEachRowOnce(result, ids.length);
			byRow(result).forEach((item, i) => {
				if (STATES[i] === 'FAILED' || STATES[i] === 'DELETING') {
					expect(errorOf(item)).toMatchObject({ assetId: ids[i], reason: 'apiError', code: 'MSS.00000003', retryable: false });
					expect(String(errorOf(item).apiMessage)).toMatch(/the asset state (FAILED|DELETING) does not allow ACTIVE/);
					expect(String(errorOf(item).message)).toMatch(/^Could not activate asset /);
					expect(cloud.assetState(ids[i])).toBe(STATES[i]);
				} else {
					expect(item.json).toEqual({ assetId: ids[i], activated: true, requestId: expect.any(String), httpStatus: 200, attempts: 1 });
					expect(cloud.assetState(ids[i])).toBe('ACTIVED');
				}
			});
			const { batches } = sent(cloud);
			expect(batches).toHaveLength(requests);
			expect(batches.every((batch) => batch.action === 'ACTIVE')).toBe(true);
			expect(batches.flatMap((batch) => batch.ids)).toEqual(ids);
			expect(cloud.landedCounts().activate).toBe(STATES.filter((state) => state === 'UNACTIVED').length);
		});

		it('should deactivate ACTIVED assets and fail one in the recycle bin', async () => {
			const states: AssetState[] = ['ACTIVED', 'ACTIVED', 'DELETING', 'ACTIVED', 'UNACTIVED'];
			const ids = await startWith(states);

			const result = await runAssets(cloud, 'deactivate', ids.map((id) => ({ id })), { batchSize: 0, requestsPerSecond: 0 });

			expectEachRowOnce(result, ids.length);
			const rows = byRow(result);
			expect(rows.map((item) => item.json.deactivated ?? false)).toEqual([true, true, false, true, true]);
			expect(rows[0].json).toEqual({ assetId: ids[0], deactivated: true, requestId: expect.any(String), httpStatus: 200, attempts: 1 });
			expect(errorOf(rows[2])).toMatchObject({ assetId: ids[2], code: 'MSS.00000003', reason: 'apiError' });
			expect(ids.map((id) => cloud.assetState(id))).toEqual(['UNACTIVED', 'UNACTIVED', 'DELETING', 'UNACTIVED', 'UNACTIVED']);
			expect(cloud.landedCounts().deactivate).toBe(3);
			expect(sent(cloud).batches).toEqual([{ action: 'UNACTIVE', ids }]);
		});

		it('should settle an activation whose answer was lost by reading the asset, and not count it twice', async () => {
			const ids = await startWith(['UNACTIVED', 'UNACTIVED', 'UNACTIVED']);
			cloud.setFaults({ methods: ['POST'], script: { 'batch-action#1': ['landedThenDrop'] } });

			const result = await runAssets(cloud, 'activate', ids.map((id) => ({ id })), { batchSize: 0, requestsPerSecond: 0 });

			expect(result.outputs[0].map((item) => item.json)).toEqual(
				ids.map((assetId) => ({ assetId, activated: true, requestId: null, httpStatus: 200, attempts: 1 })),
			);
			for (const id of ids) expect(cloud.activationsLanded(id)).toBe(1);
			expect(cloud.requestsTo('BatchExecuteAssetAction')).toHaveLength(1);
		});

		it.each(['activate', 'deactivate'] as const)('should send nothing on a Dry Run of %s and show the batch body per asset', async (operation) => {
			const ids = await startWith(['UNACTIVED', 'ACTIVED', 'UNACTIVED']);

			const result = await runAssets(cloud, operation, ids.map((id) => ({ id })), { batchSize: 0, dryRun: true });

			const flag = operation === 'activate' ? 'activated' : 'deactivated';
			expect(result.outputs[0].map((item) => item.json)).toEqual(
				ids.map((assetId) => ({
					assetId,
					dryRun: true,
					[flag]: false,
					method: 'POST',
					url: `${cloud.endpoint}/v1/${PROJECT}/digital-assets/batch-action`,
					body: { action: operation === 'activate' ? 'ACTIVE' : 'UNACTIVE', asset_ids: [assetId] },
					attempts: 0,
				})),
			);
			expect(cloud.requests).toHaveLength(0);
		});
	});
});
