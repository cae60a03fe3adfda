/**
 * MetaStudio batch deletes when things go wrong, through the n8n engine: faults on batch requests
 * (answers lost after the change landed, 5xx, dropped connections), a page that answers in
 * MetaStudio's place, and n8n's Retry On Fail re-running a node that used batch requests.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { AssetState, MetaStudioEmulator } from '../emulators/metaStudio';
import { batchActionFaultKey, listAssetsFaultKey } from '../emulators/metaStudio';
import type { FaultKind } from '../emulators/faults';
import { generateAssets } from '../emulators/metaStudioAssets';
import type { OnError } from '../harness/runWorkflow';
import { runMediaAssets } from '../harness/runWorkflow';
import { byRow, counts, errorOf, expectEachRowOnce, rowOf, runAssets, sent, startCloud } from './metaStudioBatch.shared';

const idsOf = (count: number) => generateAssets(count).map((seed) => seed.asset_id!);

describe('MetaStudio batch deletes under faults', () => {
	let cloud: MetaStudioEmulator;

	afterEach(async () => {
		await cloud?.stop();
	});

	describe('30 % of batch requests fail', () => {
		it('should delete each asset for good exactly once and report as failed only assets still there', async () => {
			const ids = idsOf(60);
			cloud = await startCloud(generateAssets(60));
			// Only batch requests (POST) are faulted; reads and per-asset DELETEs are not.
			cloud.setFaults({ methods: ['POST'], random: { probability: 0.3, kinds: ['landedThenDrop', 'http500', 'http503', 'drop'], seed: 3 } });

			// Batch Size 5 with Requests per Second 1: a sixth of the assets one by one (1/(1+5)), the rest by batch.
			const result = await runAssets(cloud, 'delete', ids.map((id) => ({ id })), { batchSize: 5, requestsPerSecond: 1, maxRetries: 3 }, {
				deleteMode: 'permanent',
			});

			expectEachRowOnce(result, ids.length);
			const [success, failed = []] = result.outputs;
			for (const item of success) {
				expect(item.json).toMatchObject({ assetId: ids[rowOf(item)], deleted: true, deleteMode: 'permanent' });
				expect(cloud.hasAsset(ids[rowOf(item)])).toBe(false);
			}
			for (const item of failed) {
				expect(cloud.hasAsset(ids[rowOf(item)])).toBe(true);
				expect(errorOf(item)).toMatchObject({ assetId: ids[rowOf(item)], retryable: true });
			}
			for (const id of ids) expect(cloud.changesLandedOn(id)).toBe(cloud.hasAsset(id) ? 0 : 1);
			expect(cloud.landedCounts().force).toBe(success.length);

			const injected = cloud.faultsInjected;
			expect(injected.landedThenDrop).toBeGreaterThan(0);
			expect((injected.http500 ?? 0) + (injected.http503 ?? 0) + (injected.drop ?? 0)).toBeGreaterThan(0);
			const { batches, perAssetIds, readIds } = sent(cloud);
			expect(batches.every((batch) => batch.action === 'DELETE_FORCE')).toBe(true);
			expect(cloud.stats().batchRequests).toBeGreaterThan(0);
			// A lost answer was settled by reading the assets before anything was sent again.
			expect(readIds.length).toBeGreaterThan(0);
			expect(new Set(perAssetIds).size).toBe(perAssetIds.length);
		});

		it('should settle each scripted fault of batch and per-asset requests, and fail only what is still there', async () => {
			const ids = idsOf(30);
			cloud = await startCloud(generateAssets(30));
			// A sixth one by one (1/(1+5)): rows 0, 6, 12, 18, 24. asset-00000's DELETE fails every time
			// (Max Retries 3: four 503s); asset-00006's first DELETE lands but its answer is lost.
			cloud.setFaults({
				methods: ['POST', 'DELETE'],
				script: {
					[batchActionFaultKey(1)]: ['landedThenDrop'],
					[batchActionFaultKey(2)]: ['http500'],
					[batchActionFaultKey(3)]: ['drop'],
					[batchActionFaultKey(4)]: ['http503'],
					'asset-00000': ['http503', 'http503', 'http503', 'http503'],
					'asset-00006': ['landedThenDrop'],
				},
			});

			const result = await runAssets(cloud, 'delete', ids.map((id) => ({ id })), { batchSize: 5, requestsPerSecond: 1, maxRetries: 3 }, {
				deleteMode: 'permanent',
			});

			expectEachRowOnce(result, ids.length);
			const [success, failed] = result.outputs;
			expect(failed.map((item) => errorOf(item))).toEqual([
				expect.objectContaining({ assetId: 'asset-00000', reason: 'serverError', httpStatus: 503, retryable: true, attempts: 4 }),
			]);
			expect(cloud.hasAsset('asset-00000')).toBe(true);
			expect(success.map((item) => item.json.assetId)).toEqual(ids.slice(1));
			expect(success.find((item) => item.json.assetId === 'asset-00006')?.json).toMatchObject({ deleted: true, alreadyDeleted: true });
			for (const id of ids.slice(1)) {
				expect(cloud.hasAsset(id)).toBe(false);
				expect(cloud.changesLandedOn(id)).toBe(1);
			}
			expect(cloud.landedCounts().force).toBe(29);
			const { batches } = sent(cloud);
			// The batch whose answer was lost after it landed was settled by reading, not sent again.
			const landedFirst = batches[0].ids;
			expect(batches.slice(1).some((batch) => batch.ids.some((id) => landedFirst.includes(id)))).toBe(false);
			expect(success.filter((item) => landedFirst.includes(String(item.json.assetId))).every((item) => item.json.requestId === null)).toBe(true);
		});
	});

	describe('a batch whose answer was lost after it landed, when the assets cannot be read back', () => {
		/**
		 * Batch Size 100 in cn-north-4: one asset in 11 one by one (10/(10+100)), the first; 1–10 share one
		 * batch request, whose answer is lost after it landed; every read of them (ListAssets, ShowAsset)
		 * gets a 500 `reads` times.
		 */
		async function lostThenUnreadable(operation: 'delete' | 'restore', maxRetries: number, reads: number) {
			const seeds = generateAssets(11, operation === 'restore' ? { asset_state: 'DELETING', stateBeforeDelete: 'ACTIVED' } : {});
			cloud = await startCloud(seeds);
			const failures = (): FaultKind[] => Array.from({ length: reads }, () => 'http500');
			const script: Record<string, FaultKind[]> = { [batchActionFaultKey(1)]: ['landedThenDrop'], [listAssetsFaultKey(0)]: failures() };
			for (const seed of seeds.slice(1)) script[seed.asset_id!] = failures();
			cloud.setFaults({ methods: ['POST', 'GET'], script });
			const options = { batchSize: 100, maxRetries };
			const result = await runAssets(cloud, operation, seeds.map((seed) => ({ id: seed.asset_id })), options, { deleteMode: 'permanent' });
			expectEachRowOnce(result, seeds.length);
			expect(sent(cloud).batches[0].ids).toEqual(seeds.slice(1).map((seed) => seed.asset_id));
			return { result, ids: seeds.map((seed) => seed.asset_id!) };
		}

		it('should count "not found" from the next batch request as that delete, not as a failure', async () => {
			// Max Retries 1: two reads fail each time the state is read.
			const { result, ids } = await lostThenUnreadable('delete', 1, 4);

			expect(result.outputs[1] ?? []).toEqual([]);
			expect(sent(cloud).batches).toHaveLength(2);
			for (const item of result.outputs[0].slice(1)) expect(item.json).toMatchObject({ deleted: true, alreadyDeleted: true, code: 'MSS.10001001' });
			for (const id of ids) expect(cloud.changesLandedOn(id)).toBe(1);
		});

		it('should count "not found" from the per-asset request it ends in as that delete, not as a failure', async () => {
			// Max Retries 0: no second batch; the read fails once, then each asset gets its own DeleteAsset.
			const { result, ids } = await lostThenUnreadable('delete', 0, 1);

			expect(result.outputs[1] ?? []).toEqual([]);
			expect(sent(cloud).perAssetIds).toEqual(ids);
			for (const item of result.outputs[0].slice(1)) expect(item.json).toMatchObject({ deleted: true, alreadyDeleted: true, code: 'MSS.10001001' });
			for (const id of ids) expect(cloud.changesLandedOn(id)).toBe(1);
		});

		it('should check a restore refused as "not in the recycle bin" by its per-asset request, and count it restored', async () => {
			const { result, ids } = await lostThenUnreadable('restore', 0, 1);

			expect(result.outputs[1] ?? []).toEqual([]);
			expect(result.outputs[0].map((item) => [item.json.assetId, item.json.restored])).toEqual(ids.map((id) => [id, true]));
			for (const id of ids) expect(cloud.restoresLanded(id)).toBe(1);
		});
	});

	describe('a page answering in MetaStudio\'s place', () => {
		function expectForeignFailure(item: INodeExecutionData, id: string) {
			expect(item.json.deleted).toBeUndefined();
			const error = errorOf(item);
			expect(error).toMatchObject({ assetId: id, reason: 'invalidResponse', httpStatus: 200, retryable: false });
			expect(String(error.message)).toMatch(/did not come from MetaStudio/);
			expect(String(error.description)).toMatch(/Endpoint in the credential and any proxy/);
		}

		it.each<[string, IDataObject]>([
			['per asset (Batch Size 1)', { batchSize: 1 }],
			['in batches', { batchSize: 5 }],
		])('should report no asset deleted while every request gets the page, %s', async (_name, options) => {
			const ids = idsOf(20);
			cloud = await startCloud(generateAssets(20), { foreignPage: true });

			const result = await runAssets(cloud, 'delete', ids.map((id) => ({ id })), { ...options, requestsPerSecond: 0 });

			expectEachRowOnce(result, ids.length);
			expect(result.outputs[0]).toEqual([]);
			byRow(result).forEach((item, i) => expectForeignFailure(item, ids[i]));
			for (const id of ids) expect(cloud.assetState(id)).toBe('ACTIVED');
			expect(cloud.changesLanded().size).toBe(0);
			expect(cloud.stats().foreignPages).toBeGreaterThan(0);
			if (options.batchSize === 5) expect(cloud.requestsTo('BatchExecuteAssetAction').length).toBeGreaterThan(0);
			else expect(cloud.requestsTo('BatchExecuteAssetAction')).toHaveLength(0);
		});

		it('should fail the assets of the one batch request the page answered, after reading that they are still there', async () => {
			const ids = idsOf(20);
			cloud = await startCloud(generateAssets(20));
			cloud.setFaults({ methods: ['POST'], script: { [batchActionFaultKey(1)]: ['foreignPage'] } });

			const result = await runAssets(cloud, 'delete', ids.map((id) => ({ id })), { batchSize: 5, requestsPerSecond: 0 });

			expectEachRowOnce(result, ids.length);
			const { batches, readIds } = sent(cloud);
			const paged = new Set(batches[0].ids);
			expect(paged.size).toBe(5);
			for (const item of byRow(result)) {
				const id = ids[rowOf(item)];
				if (paged.has(id)) {
					expectForeignFailure(item, id);
					expect(cloud.assetState(id)).toBe('ACTIVED');
				} else {
					expect(item.json).toMatchObject({ assetId: id, deleted: true });
					expect(cloud.assetState(id)).toBe('DELETING');
				}
			}
			expect([...paged].every((id) => readIds.includes(id))).toBe(true);
			expect(cloud.stats().foreignPages).toBe(1);
		});
	});
});

describe('MetaStudio batch requests when the run stops', () => {
	let cloud: MetaStudioEmulator;

	afterEach(async () => {
		await cloud?.stop();
	});

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

/** Items without what differs between runs (times, request IDs). */
function comparable(items: INodeExecutionData[] | undefined) {
	return (items ?? []).map((item) => {
		const { deletedAt, restoredAt, requestId, ...json } = item.json;
		const marks = { deletedAt, restoredAt, requestId };
		for (const key of Object.keys(marks) as Array<keyof typeof marks>) {
			if (marks[key] === undefined) delete marks[key];
			else marks[key] = 'set' as never;
		}
		return { json: { ...json, ...marks }, pairedItem: item.pairedItem };
	});
}

describe.each<OnError>(['continueErrorOutput', 'continueRegularOutput'])("n8n's Retry On Fail over batch requests, On Error = %s", (onError) => {
	const RETRY_ON_FAIL = { retryOnFail: true, maxTries: 3, waitBetweenTries: 10 };
	let cloud: MetaStudioEmulator;

	afterEach(async () => {
		await cloud?.stop();
	});

	it.each(['delete', 'restore'] as const)('should send no %s twice when an invalid first item makes n8n re-run the node, and give the single-try items', async (operation) => {
		const ids = idsOf(16);
		const seeds = () => generateAssets(16, operation === 'restore' ? { asset_state: 'DELETING', stateBeforeDelete: 'ACTIVED' } : {});
		const items = [{ id: '../x' }, ...ids.map((id) => ({ id }))];
		const options = { batchSize: 5, requestsPerSecond: 0 };
		cloud = await startCloud(seeds());

		const retried = await runAssets(cloud, operation, items, options, {}, { onError, nodeSettings: RETRY_ON_FAIL });

		expectEachRowOnce(retried, items.length);
		const { batchIds, perAssetIds } = sent(cloud);
		expect(batchIds.length).toBeGreaterThan(0);
		expect([...counts([...batchIds, ...perAssetIds]).values()].every((count) => count === 1)).toBe(true);
		expect([...batchIds, ...perAssetIds].sort()).toEqual(ids);
		for (const id of ids) expect(cloud.changesLandedOn(id)).toBe(1);
		const flag = operation === 'delete' ? 'deleted' : 'restored';
		const successes = retried.outputs.flat().filter((item) => item.json[flag] === true);
		expect(successes.map((item) => item.json.assetId)).toEqual(ids);

		// The same workflow without Retry On Fail, on a fresh emulator: the same items.
		await cloud.stop();
		cloud = await startCloud(seeds());
		const single = await runAssets(cloud, operation, items, options, {}, { onError });
		expect(retried.outputs.map(comparable)).toEqual(single.outputs.map(comparable));
	});
});
