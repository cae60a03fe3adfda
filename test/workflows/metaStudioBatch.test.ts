/**
 * MetaStudio Delete through BatchExecuteAssetAction, through the n8n engine: the automatic plan (per
 * asset requests beside batch requests, by the region's limits), a hidden smaller maximum, missing IDs,
 * Dry Run, Batch Size 1, repeated and bad IDs. Version 1 of the node uses batches only when the Batch
 * Size option is set (0 = automatic).
 */
import type { IDataObject } from 'n8n-workflow';

import type { MetaStudioEmulator } from '../emulators/metaStudio';
import { generateAssets } from '../emulators/metaStudioAssets';
import { aloneCount, byRow, counts, errorOf, expectEachRowOnce, PROJECT, rowOf, runAssets, sent, startCloud } from './metaStudioBatch.shared';

/** cn-north-4: DeleteAsset 10/s, BatchExecuteAssetAction 1/s of 50 IDs: a sixth of the assets go one by one. */
const AUTOMATIC_SHARE_CN_NORTH_4 = 10 / (10 + 50);

describe('MetaStudio Delete in batches', () => {
	let cloud: MetaStudioEmulator;

	afterEach(async () => {
		await cloud?.stop();
	});

	const idsOf = (count: number) => generateAssets(count).map((seed) => seed.asset_id!);

	describe('Batch Size automatic (left out: the default)', () => {
		it('should delete 320 assets to the recycle bin, each once, by batch and per-asset requests as the region limits plan', async () => {
			const ids = idsOf(320);
			cloud = await startCloud(generateAssets(320), { enforceApiLimits: true });

			const result = await runAssets(cloud, 'delete', ids.map((id) => ({ id })), {});

			expectEachRowOnce(result, ids.length);
			const [success, failed] = result.outputs;
			expect(failed ?? []).toEqual([]);
			expect(success.map(rowOf)).toEqual(ids.map((_, i) => i));
			success.forEach((item, i) => {
				expect(item.json).toMatchObject({ assetId: ids[i], deleted: true, deleteMode: 'recycleBin', requestId: expect.any(String) });
				expect(item.json.requestId).not.toBe('');
				expect(item.pairedItem).toEqual({ item: i });
			});
			for (const id of ids) {
				expect(cloud.assetState(id)).toBe('DELETING');
				expect(cloud.changesLandedOn(id)).toBe(1);
			}
			expect(cloud.landedCounts().recycleBin).toBe(ids.length);

			// Each ID went one way: batch requests (DELETE) or its own DeleteAsset, a sixth of them.
			const { batches, batchIds, perAssetIds } = sent(cloud);
			const batched = new Set(batchIds);
			expect(perAssetIds).toHaveLength(aloneCount(ids.length, AUTOMATIC_SHARE_CN_NORTH_4));
			expect(new Set(perAssetIds).size).toBe(perAssetIds.length);
			expect(perAssetIds.filter((id) => batched.has(id))).toEqual([]);
			expect([...batched, ...perAssetIds].sort()).toEqual([...ids].sort());
			expect(batches.every((batch) => batch.action === 'DELETE' && batch.ids.length <= 50)).toBe(true);
			// 270 IDs in groups of 50: 5 full batches and the rest; a batch the 1/s limit refused (429,
			// nothing done) was sent again.
			const { batchRequests, apiLimited } = cloud.stats();
			expect(batchRequests).toBe(Math.ceil((ids.length - perAssetIds.length) / 50));
			expect(batches.length).toBe(batchRequests + cloud.apiLimited.BatchExecuteAssetAction);
			expect(apiLimited).toBe(cloud.apiLimited.BatchExecuteAssetAction);
		});


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
		it('should lose nothing when two executions batch at once on one tenant limit (queue mode)', async () => {
			const ids = idsOf(240);
			cloud = await startCloud(generateAssets(240), { enforceApiLimits: true });
			const halves = [ids.slice(0, 120), ids.slice(120)];

			const results = await Promise.all(
				halves.map(async (half) => await runAssets(cloud, 'delete', half.map((id) => ({ id })), { batchSize: 0 })),
			);

			results.forEach((result, i) => {
				expectEachRowOnce(result, halves[i].length);
				expect(result.outputs[1] ?? []).toEqual([]);
				expect(result.outputs[0].map((item) => item.json.assetId)).toEqual(halves[i]);
			});
			for (const id of ids) expect(cloud.changesLandedOn(id)).toBe(1);
			expect(cloud.landedCounts().recycleBin).toBe(ids.length);
		});

		it('should adapt to a hidden maximum smaller than 50 IDs, accounting for every item and changing none twice', async () => {
			const ids = idsOf(60);
			cloud = await startCloud(generateAssets(60), { batchMaxAssetIds: 12 });

			const result = await runAssets(cloud, 'delete', ids.map((id) => ({ id })), { batchSize: 0 });

			expectEachRowOnce(result, ids.length);
			expect(result.outputs[1] ?? []).toEqual([]);
			expect(result.outputs[0].map((item) => [item.json.assetId, item.json.deleted])).toEqual(ids.map((id) => [id, true]));
			for (const id of ids) expect(cloud.changesLandedOn(id)).toBe(1);

			const { batches, perAssetIds } = sent(cloud);
			const refused = batches.filter((batch) => batch.ids.length > 12);
			const answered = batches.filter((batch) => batch.ids.length <= 12);
			// 50 refused, then 25 (both halves), then groups of at most 12 pass.
			expect(refused.length).toBeGreaterThan(0);
			expect(refused.every((batch) => batch.ids.length === 50 || batch.ids.length === 25)).toBe(true);
			expect(cloud.stats().batchRequests).toBe(answered.length);
			expect([...answered.flatMap((batch) => batch.ids), ...perAssetIds].sort()).toEqual([...ids].sort());
			// Once a size passed, no larger group was tried again.
			const firstAnswered = batches.findIndex((batch) => batch.ids.length <= 12);
			expect(batches.slice(firstAnswered).every((batch) => batch.ids.length <= 12)).toBe(true);
		});
	});

	describe('missing assets in a batch', () => {
		// Batch Size 4 in cn-north-4: per-asset share 10/(10+4); the rest goes by batch.
		const items = (ids: string[]) => ids.map((id) => ({ id }));
		const mixed = ['asset-00000', 'asset-missing-1', 'asset-00001', 'asset-missing-2', 'asset-00002', 'asset-missing-3', 'asset-00003',
			'asset-missing-4', 'asset-00004', 'asset-missing-5', 'asset-00005', 'asset-missing-6', 'asset-00006', 'asset-missing-7'];
		const isMissing = (id: string) => id.startsWith('asset-missing-');

		it('should fail the unknown IDs with MSS.10001001 and delete the others', async () => {
			cloud = await startCloud(generateAssets(7));

			const result = await runAssets(cloud, 'delete', items(mixed), { batchSize: 4 });

			expectEachRowOnce(result, mixed.length);
			const [success, failed] = result.outputs;
			expect(success.map((item) => item.json.assetId)).toEqual(mixed.filter((id) => !isMissing(id)));
			expect(failed.map((item) => errorOf(item).assetId)).toEqual(mixed.filter(isMissing));
			for (const item of failed) {
				expect(errorOf(item)).toMatchObject({ reason: 'notFound', code: 'MSS.10001001', retryable: false });
				expect(String(errorOf(item).message)).toMatch(/^Could not delete asset "asset-missing-\d": .*not found/i);
			}
			// Some of the missing IDs were in batch requests (the rest went one by one, per the plan).
			expect(sent(cloud).batchIds.filter(isMissing).length).toBeGreaterThan(0);
			for (const id of mixed.filter((one) => !isMissing(one))) expect(cloud.assetState(id)).toBe('DELETING');
		});

		it('should count the unknown IDs as already deleted with Ignore Not Found', async () => {
			cloud = await startCloud(generateAssets(7));

			const result = await runAssets(cloud, 'delete', items(mixed), { batchSize: 4, ignoreNotFound: true });

			expectEachRowOnce(result, mixed.length);
			expect(result.outputs[1] ?? []).toEqual([]);
			const rows = byRow(result);
			rows.forEach((item, i) => {
				if (isMissing(mixed[i])) {
					expect(item.json).toMatchObject({ assetId: mixed[i], deleted: true, alreadyDeleted: true, code: 'MSS.10001001', deleteMode: 'recycleBin' });
				} else {
					expect(item.json).toMatchObject({ assetId: mixed[i], deleted: true, deleteMode: 'recycleBin' });
					expect(item.json.alreadyDeleted).toBeUndefined();
				}
			});
			expect(sent(cloud).batchIds.filter(isMissing).length).toBeGreaterThan(0);
		});
	});

	describe('Dry Run', () => {
		it('should send nothing, change nothing, and show per item the request that would be sent', async () => {
			const ids = idsOf(30);
			cloud = await startCloud(generateAssets(30));

			const result = await runAssets(cloud, 'delete', ids.map((id) => ({ id })), { batchSize: 0, dryRun: true }, { deleteMode: 'permanent' });

			expectEachRowOnce(result, ids.length);
			expect(result.outputs[0].map((item) => item.json)).toEqual(
				ids.map((id) => ({
					assetId: id,
					dryRun: true,
					deleted: false,
					method: 'DELETE',
					url: `${cloud.endpoint}/v1/${PROJECT}/digital-assets/${id}?mode=force`,
					attempts: 0,
				})),
			);
			expect(cloud.requests).toHaveLength(0);
			expect(cloud.stats().batchRequests).toBe(0);
			expect(cloud.changesLanded().size).toBe(0);
		});
	});

	describe('Batch Size 1', () => {
		it.each<[string, IDataObject]>([
			['Batch Size 1', { batchSize: 1 }],
			['Batch Size left out, for a handful of assets (automatic: one by one is as fast)', {}],
		])('should send no batch request for deletes with %s', async (_name, options) => {
			const ids = idsOf(12);
			cloud = await startCloud(generateAssets(12));

			const result = await runAssets(cloud, 'delete', ids.map((id) => ({ id })), { ...options, requestsPerSecond: 0 });

			expect(result.outputs[0].map((item) => item.json.assetId)).toEqual(ids);
			expect(cloud.requestsTo('BatchExecuteAssetAction')).toHaveLength(0);
			expect(sent(cloud).perAssetIds).toEqual(ids);
		});

		it('should send no batch request for restores with Batch Size 1', async () => {
			const ids = idsOf(12);
			cloud = await startCloud(generateAssets(12, { asset_state: 'DELETING', stateBeforeDelete: 'ACTIVED' }));

			const result = await runAssets(cloud, 'restore', ids.map((id) => ({ id })), { batchSize: 1, requestsPerSecond: 0 });

			expect(result.outputs[0].map((item) => [item.json.assetId, item.json.restored])).toEqual(ids.map((id) => [id, true]));
			expect(cloud.requestsTo('BatchExecuteAssetAction')).toHaveLength(0);
			expect(sent(cloud).perAssetIds).toEqual(ids);
		});
	});

	describe('repeated and bad IDs', () => {
		it('should send a repeated ID once and mark its repeats duplicateOf the first', async () => {
			cloud = await startCloud(generateAssets(20));
			// Batch Size 5 in cn-north-4: two thirds of the assets one by one (10/(10+5)), the rest by batch.
			const distinct = idsOf(20);
			const input = [...distinct.slice(0, 3), distinct[0], ...distinct.slice(3, 12), distinct[1], distinct[0], ...distinct.slice(12), distinct[19]];
			const firstOf = (id: string) => input.indexOf(id);

			const result = await runAssets(cloud, 'delete', input.map((id) => ({ id })), { batchSize: 5 });

			expectEachRowOnce(result, input.length);
			const rows = byRow(result);
			expect(rows.map((item) => [item.json.assetId, item.json.deleted])).toEqual(input.map((id) => [id, true]));
			expect(rows.map((item) => item.json.duplicateOf)).toEqual(input.map((id, i) => (firstOf(id) === i ? undefined : firstOf(id))));
			for (const item of rows.filter((one) => one.json.duplicateOf !== undefined)) expect(item.json.attempts).toBe(0);
			const { batchIds, perAssetIds } = sent(cloud);
			expect(batchIds.length).toBeGreaterThan(0);
			expect([...counts([...batchIds, ...perAssetIds]).values()].every((count) => count === 1)).toBe(true);
			expect([...batchIds, ...perAssetIds].sort()).toEqual([...new Set(input)].sort());
			for (const id of new Set(input)) expect(cloud.changesLandedOn(id)).toBe(1);
		});

		it('should fail bad IDs on their own and never put them in a request', async () => {
			cloud = await startCloud(generateAssets(15));
			const bad: Array<string | number | IDataObject> = ['', '..', 'asset\u0001x', 'asset-\n00000', 12345, { id: 'x' }, 'a'.repeat(200), 'x/y', '   '];
			const good = idsOf(15);
			const input = [...good.slice(0, 4), ...bad.slice(0, 3), ...good.slice(4, 10), ...bad.slice(3), ...good.slice(10)];

			const result = await runAssets(cloud, 'delete', input.map((id) => ({ id })), { batchSize: 5 });

			expectEachRowOnce(result, input.length);
			const rows = byRow(result);
			rows.forEach((item, i) => {
				const value = input[i];
				if (typeof value === 'string' && good.includes(value)) {
					expect(item.json).toMatchObject({ assetId: value, deleted: true });
				} else {
					expect(errorOf(item)).toMatchObject({ reason: 'invalidInput', attempts: 0, retryable: false });
					expect(String(errorOf(item).message)).toMatch(/No request was sent\.$/);
				}
			});
			const { batchIds, perAssetIds } = sent(cloud);
			expect(batchIds.length).toBeGreaterThan(0);
			expect([...batchIds, ...perAssetIds].sort()).toEqual([...good].sort());
			for (const request of cloud.requests) {
				expect(request.body).not.toMatch(/\\u0001|12345|aaaaaaaa|\.\.|x\/y/);
			}
		});
	});
});
