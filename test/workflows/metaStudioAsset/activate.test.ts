/**
 * MetaStudio asset → Activate and Deactivate (which exist only as BatchExecuteAssetAction) through the
 * n8n engine: states that refuse the action, a lost answer, Dry Run; and batch requests when the run
 * stops (the first failure without continue-on-fail, a cancelled execution).
 */
import type { IDataObject } from 'n8n-workflow';

import type { AssetState, MetaStudioEmulator } from '../../emulators/metaStudio';
import { generateAssets } from '../../emulators/metaStudioAssets';
import type { OnError } from '../../harness/runWorkflow';
import { runMediaAssets } from '../../harness/runWorkflow';
import { errorOf } from '../shared';
import { byRow, expectEachRowOnce, PROJECT, runAssets, sent, startCloud } from './shared';

describe('MetaStudio asset → Activate and Deactivate', () => {
	let cloud: MetaStudioEmulator;

	afterEach(async () => {
		await cloud?.stop();
	});

	describe('in batches', () => {
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

	describe('when the run stops', () => {
		/** 15 UNACTIVED assets (asset-00001 FAILED when asked), activated 5 per batch request (1/s). */
		async function activateAll(failed: boolean, run: { onError: OnError; cancelWhen?: () => boolean }) {
			const states: AssetState[] = Array.from({ length: 15 }, (_, i) => (failed && i === 1 ? 'FAILED' : 'UNACTIVED'));
			const seeds = generateAssets(15, { each: (i) => ({ asset_state: states[i] }) });
			cloud = await startCloud(seeds);
			return await runMediaAssets({
				items: seeds.map((seed) => ({ id: seed.asset_id })),
				parameters: { resource: 'metaStudioAsset', operation: 'activate', assetId: '={{ $json.id }}', options: { batchSize: 5 } } as never,
				onError: run.onError,
				cancelWhen: run.cancelWhen,
				credentials: { huaweiCloudAkSkApi: cloud.akSkCredential() },
			});
		}

		it('should send no batch request after the first failure without continue-on-fail, not even one waiting for its pace slot', async () => {
			const result = await activateAll(true, { onError: 'stopWorkflow' });

			expect(result.error?.message).toMatch(/^Could not activate asset "asset-00001": /);
			// The second batch waited for the 1/s pace when the first one's answer stopped the run.
			expect(sent(cloud).batches).toHaveLength(1);
			expect(cloud.landedCounts().activate).toBe(4);
		});

		it('should send no batch request after the execution is cancelled', async () => {
			// Cancelled as soon as the first batch request has arrived, while the second waits for its 1/s slot.
			const result = await activateAll(false, { onError: 'continueErrorOutput', cancelWhen: () => sent(cloud).batches.length >= 1 });

			expect(result.canceled).toBe(true);
			// Past the second batch's slot: a request still scheduled would show up by now (load can only hide it).
			await new Promise((resolve) => setTimeout(resolve, 1500));
			expect(sent(cloud).batches).toHaveLength(1);
			expect(cloud.landedCounts().activate).toBe(5);
		});
	});
});
