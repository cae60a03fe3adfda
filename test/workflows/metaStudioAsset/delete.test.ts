/**
 * MetaStudio asset → Delete through the n8n engine: to the recycle bin or for good, Ignore Not Found, Dry
 * Run, a wrong signature, after Get Many in one workflow, execution hints; in batches (BatchExecuteAssetAction
 * beside per-asset requests, as the region's limits plan them: a hidden smaller maximum, missing, repeated
 * and bad IDs, Batch Size 1); and in batches under faults (lost answers, 5xx, dropped connections, a page
 * answering in MetaStudio's place, n8n's Retry On Fail re-running the node).
 */
import type { IConnections, IDataObject, INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { MetaStudioEmulator } from '../../emulators/metaStudio';
import { batchActionFaultKey } from '../../emulators/metaStudio';
import { generateAssets } from '../../emulators/metaStudioAssets';
import type { OnError } from '../../harness/runWorkflow';
import { MEDIA_ASSETS_NODE_TYPE, runMediaAssets, runWorkflow, SOURCE_NODE_TYPE, visibleText } from '../../harness/runWorkflow';
import { itemsSourceParameters } from '../../harness/sourceNode';
import { errorOf } from '../shared';
import {
	aloneCount,
	AUTOMATIC_SHARE_CN_NORTH_4,
	byRow,
	counts,
	emulatorSession,
	expectEachRowOnce,
	expectRetryOnFailToSendNothingTwice,
	hintsOf,
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

describe('MetaStudio asset → Delete', () => {
	let cloud: MetaStudioEmulator;

	afterEach(async () => {
		await cloud?.stop();
	});

	describe('through the n8n engine', () => {
		const { start, run, credentials } = emulatorSession(LIBRARY_KEYS, (started) => (cloud = started));
		const SK = LIBRARY_KEYS.secretAccessKey;

		it('should move the asset to the recycle bin by default', async () => {
			await start();
			const result = await run({ operation: 'delete', assetId: '={{ $json.id }}', options: {} }, [{ id: 'asset-00002' }]);
			expect(result.outputs[0][0].json).toEqual({
				assetId: 'asset-00002',
				deleted: true,
				deleteMode: 'recycleBin',
				requestId: expect.any(String),
				httpStatus: 200,
				attempts: 1,
				deletedAt: expect.any(String),
			});
			expect(cloud.assetState('asset-00002')).toBe('DELETING');
			const [request] = cloud.requests.filter((r) => r.method === 'DELETE');
			expect(request.rawPath).toBe(`/v1/${PROJECT}/digital-assets/asset-00002`);
		});

		it('should delete for good with mode=force', async () => {
			await start();
			const result = await run({ operation: 'delete', deleteMode: 'permanent', assetId: '={{ $json.id }}', options: {} }, [
				{ id: 'asset-00003' },
			]);
			expect(result.outputs[0][0].json).toMatchObject({ assetId: 'asset-00003', deleted: true, deleteMode: 'permanent' });
			expect(cloud.hasAsset('asset-00003')).toBe(false);
			const [request] = cloud.requests.filter((r) => r.method === 'DELETE');
			expect(request.rawPath).toBe(`/v1/${PROJECT}/digital-assets/asset-00003?mode=force`);
		});

		it('should count a missing asset as already deleted with Ignore Not Found, and fail it without', async () => {
			await start();
			const ignored = await run({ operation: 'delete', assetId: '={{ $json.id }}', options: { ignoreNotFound: true } }, [{ id: 'asset-gone' }]);
			expect(ignored.outputs[0][0].json).toMatchObject({ assetId: 'asset-gone', deleted: true, alreadyDeleted: true, code: 'MSS.10001001' });
			const failed = await run({ operation: 'delete', assetId: '={{ $json.id }}', options: {} }, [{ id: 'asset-gone' }]);
			expect(failed.outputs[1][0].json.error).toMatchObject({ reason: 'notFound', code: 'MSS.10001001', retryable: false });
		});

		it('should show the request and send nothing on a dry run', async () => {
			await start();
			const result = await run({ operation: 'delete', deleteMode: 'permanent', assetId: '={{ $json.id }}', options: { dryRun: true } }, [
				{ id: 'asset-00001' },
			]);
			expect(result.outputs[0][0].json).toEqual({
				assetId: 'asset-00001',
				dryRun: true,
				deleted: false,
				method: 'DELETE',
				url: `${cloud.endpoint}/v1/${PROJECT}/digital-assets/asset-00001?mode=force`,
				attempts: 0,
			});
			expect(cloud.requests).toHaveLength(0);
		});

		it('should keep the secret key out of every output and log on a wrong signature', async () => {
			await start();
			const result = await runMediaAssets({
				items: [{ id: 'asset-00001' }],
				parameters: { resource: 'metaStudioAsset', operation: 'delete', assetId: '={{ $json.id }}', options: {} },
				onError: 'continueErrorOutput',
				credentials: { huaweiCloudAkSkApi: { ...credentials('akSk').huaweiCloudAkSkApi, secretAccessKey: 'wrongSecretKeyNeverShown0123456789' } },
			});
			expect(result.outputs[1][0].json.error).toMatchObject({ reason: 'authentication', code: 'APIGW.0301' });
			const text = visibleText(result);
			expect(text).not.toContain('wrongSecretKeyNeverShown0123456789');
			expect(text).not.toContain(SK);
		});

		describe('in one workflow, after Get Many', () => {
			function chain(nodes: Array<{ name: string; parameters: INodeParameters }>, items: IDataObject[] = [{}]) {
				const all: INode[] = [
					{ id: 'source', name: 'Items Source', type: SOURCE_NODE_TYPE, typeVersion: 1, position: [0, 0], parameters: itemsSourceParameters(items) },
					...nodes.map(
						(node, index): INode => ({
							id: `n${index}`,
							name: node.name,
							type: MEDIA_ASSETS_NODE_TYPE,
							typeVersion: 1,
							position: [200 * (index + 1), 0],
							parameters: node.parameters,
							credentials: { huaweiCloudAkSkApi: { id: '1', name: 'huaweiCloudAkSkApi' } },
							onError: 'continueErrorOutput',
						}),
					),
				];
				const connections: IConnections = {};
				all.slice(0, -1).forEach((node, index) => {
					connections[node.name] = { main: [[{ node: all[index + 1].name, type: 'main', index: 0 }]] };
				});
				return { nodes: all, connections };
			}

			it('should list failed assets older than a date and move exactly those to the recycle bin', async () => {
				await start(
					generateAssets(130, {
						start: '2026-08-01T00:00:00Z',
						stepMs: 3600_000,
						each: (i) => ({ asset_state: i % 2 === 0 ? 'FAILED' : 'ACTIVED' }),
					}),
				);
				const workflow = chain([
					{
						name: 'List failed',
						parameters: {
							resource: 'metaStudioAsset',
							operation: 'getAll',
							returnAll: true,
							filters: { assetState: ['FAILED'], createdBefore: '2026-08-04T00:00:00Z' },
							options: {},
						},
					},
					{
						name: 'Delete',
						parameters: { resource: 'metaStudioAsset', operation: 'delete', assetId: '={{ $json.asset_id }}', options: { requestsPerSecond: 0 } },
					},
				]);
				const result = await runWorkflow(workflow, { credentials: credentials('akSk') });

				expect(result.error).toBeUndefined();
				const deleted = result.runData.Delete[0].data!.main[0]!;
				// Hours 0..72 inclusive → 73 assets, of which the even ones failed review: 37.
				expect(deleted).toHaveLength(37);
				expect(deleted.every((item) => item.json.deleted === true)).toBe(true);
				for (const item of deleted) expect(cloud.assetState(String(item.json.assetId))).toBe('DELETING');
				expect(cloud.assets().filter((asset) => asset.asset_state === 'DELETING')).toHaveLength(37);
			});
		});
	});

	describe('execution hints', () => {
		const { start, run } = emulatorSession(LOCATOR_KEYS, (started) => (cloud = started));

		it('should sum up a dry run and Ignore Not Found in execution hints', async () => {
			await start(generateAssets(3));
			const items = [{ id: 'asset-00000' }, { id: 'asset-00001' }, { id: 'asset-99999' }];
			const parameters = { operation: 'delete', deleteMode: 'permanent', options: { dryRun: true, ignoreNotFound: true } };
			const plain = await run({ ...parameters, assetId: '={{ $json.id }}' }, items);
			const located = await run({ ...parameters, assetId: locator('={{ $json.id }}', 'id') }, items);

			expect(located.outputs[0].map((i) => i.json)).toEqual(plain.outputs[0].map((i) => i.json));
			expect(hintsOf(plain)).toEqual(hintsOf(located));
			expect(cloud.hasAsset('asset-00000')).toBe(true);

			const deleted = await run({ operation: 'delete', deleteMode: 'permanent', assetId: locator('={{ $json.id }}', 'id'), options: { ignoreNotFound: true } }, items);
			expect(deleted.outputs[0].map((i) => i.json.alreadyDeleted ?? false)).toEqual([false, false, true]);
			expect(hintsOf(deleted)).toEqual([
				'Ignore Not Found: 1 MetaStudio asset did not exist and counts as already deleted (alreadyDeleted: true).',
			]);
			expect(hintsOf(located)).toEqual([
				// A dry run of a MetaStudio delete reads nothing, so the missing ID is counted too.
				'Dry run: 3 MetaStudio assets would be deleted. Nothing was changed; turn Dry Run off to do it.',
			]);
		});
	});

	describe('in batches', () => {
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

	describe('in batches, under faults', () => {
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
			it('should count "not found" from the next batch request as that delete, not as a failure', async () => {
				// Max Retries 1: two reads fail each time the state is read.
				const { result, ids } = await lostThenUnreadable('delete', 1, 4, (started) => (cloud = started));

				expect(result.outputs[1] ?? []).toEqual([]);
				expect(sent(cloud).batches).toHaveLength(2);
				for (const item of result.outputs[0].slice(1)) expect(item.json).toMatchObject({ deleted: true, alreadyDeleted: true, code: 'MSS.10001001' });
				for (const id of ids) expect(cloud.changesLandedOn(id)).toBe(1);
			});

			it('should count "not found" from the per-asset request it ends in as that delete, not as a failure', async () => {
				// Max Retries 0: no second batch; the read fails once, then each asset gets its own DeleteAsset.
				const { result, ids } = await lostThenUnreadable('delete', 0, 1, (started) => (cloud = started));

				expect(result.outputs[1] ?? []).toEqual([]);
				expect(sent(cloud).perAssetIds).toEqual(ids);
				for (const item of result.outputs[0].slice(1)) expect(item.json).toMatchObject({ deleted: true, alreadyDeleted: true, code: 'MSS.10001001' });
				for (const id of ids) expect(cloud.changesLandedOn(id)).toBe(1);
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

	describe.each<OnError>(['continueErrorOutput', 'continueRegularOutput'])("n8n's Retry On Fail over batch requests, On Error = %s", (onError) => {
		it('should send no delete twice when an invalid first item makes n8n re-run the node, and give the single-try items', async () => {
			await expectRetryOnFailToSendNothingTwice('delete', onError, (started) => (cloud = started));
		});
	});
});
