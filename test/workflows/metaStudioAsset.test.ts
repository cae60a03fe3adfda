/**
 * The MetaStudio asset library through the n8n engine: Get many (pages, filters), Get, Delete to the
 * recycle bin or for good, Restore, and list → delete chains in one workflow.
 */
import type { IConnections, IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { MetaStudioEmulator } from '../emulators/metaStudio';
import { generateAssets } from '../emulators/metaStudioAssets';
import type { OnError, RunResult } from '../harness/runWorkflow';
import { MEDIA_ASSETS_NODE_TYPE, runMediaAssets, runWorkflow, SOURCE_NODE_TYPE, visibleText } from '../harness/runWorkflow';
import { itemsSourceParameters } from '../harness/sourceNode';

const PROJECT = '6a6a1f8354f64dd9b9a614def7b59d83';
const AK = 'HPUAXLPZQ7TESTAK0005';
const SK = 'secretKeyAssetLibrary0123456789abcdefgh';
const IAM_USER = { domainName: 'acme-account', userName: 'library-bot', password: 'P@ss-asset-library-never-leak' };

describe('Media Assets: MetaStudio asset library through the n8n engine', () => {
	let cloud: MetaStudioEmulator;

	afterEach(async () => {
		await cloud?.stop();
	});

	async function start(assets = generateAssets(5)) {
		cloud = await MetaStudioEmulator.start({ accessKeyId: AK, secretAccessKey: SK, projectId: PROJECT, assets, iamUser: IAM_USER });
	}

	function credentials(authentication: 'akSk' | 'iamToken' = 'akSk') {
		return authentication === 'akSk'
			? {
					huaweiCloudAkSkApi: cloud.akSkCredential(),
				}
			: {
					huaweiCloudIamApi: {
						...IAM_USER,
						region: 'cn-north-4',
						projectId: PROJECT,
						endpoint: cloud.endpoint,
						iamEndpoint: cloud.iamEndpoint,
						token: '',
					},
				};
	}

	async function run(
		parameters: INodeParameters,
		items: IDataObject[] = [{}],
		{ onError = 'continueErrorOutput', authentication = 'akSk' }: { onError?: OnError; authentication?: 'akSk' | 'iamToken' } = {},
	): Promise<RunResult> {
		return await runMediaAssets({
			items,
			parameters: { resource: 'metaStudioAsset', authentication, ...parameters },
			onError,
			credentials: credentials(authentication),
		});
	}

	const listRequests = () => cloud.requests.filter((r) => r.method === 'GET' && /\/digital-assets\?/.test(r.rawPath));

	describe('Get many', () => {
		it('should page by 100 until count is reached when returning all, pairing every asset with the input item', async () => {
			await start(generateAssets(250));
			const result = await run({ operation: 'getAll', returnAll: true, filters: {}, options: {} });

			expect(result.error).toBeUndefined();
			const items = result.outputs[0];
			expect(items).toHaveLength(250);
			expect(items.map((item) => item.json.asset_id)).toEqual(generateAssets(250).map((seed) => seed.asset_id));
			expect(items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
			expect(items[0].json).toMatchObject({ asset_id: 'asset-00000', asset_state: 'ACTIVED', files: [expect.objectContaining({ file_id: expect.any(String) })] });
			const pages = listRequests().map((r) => new URL(r.rawPath, 'http://x').searchParams);
			expect(pages.map((query) => [query.get('offset'), query.get('limit')])).toEqual([
				['0', '100'],
				['100', '100'],
				['200', '100'],
			]);
		});

		it('should stop at the limit, asking only for what it still needs', async () => {
			await start(generateAssets(250));
			const result = await run({ operation: 'getAll', returnAll: false, limit: 120, filters: {}, options: {} });

			expect(result.outputs[0]).toHaveLength(120);
			const pages = listRequests().map((r) => new URL(r.rawPath, 'http://x').searchParams);
			expect(pages.map((query) => [query.get('offset'), query.get('limit')])).toEqual([
				['0', '100'],
				['100', '20'],
			]);
		});

		it('should send every filter as documented and return only matching assets', async () => {
			await start(
				generateAssets(40, {
					start: '2026-09-01T00:00:00Z',
					stepMs: 24 * 3600_000,
					each: (i) => ({
						asset_state: i % 4 === 0 ? 'FAILED' : 'ACTIVED',
						asset_type: i % 2 === 0 ? 'VIDEO' : 'IMAGE',
						asset_name: i % 3 === 0 ? `promo clip ${i}` : `asset ${i}`,
						tags: i % 5 === 0 ? ['campaign-x'] : [],
					}),
				}),
			);
			const result = await run({
				operation: 'getAll',
				returnAll: true,
				filters: {
					assetState: ['FAILED'],
					assetType: ['VIDEO'],
					name: 'promo',
					tag: 'campaign-x',
					// A wall time, read in the workflow's time zone (n8n's default: America/New_York).
					createdAfter: '2026-08-31T00:00:00',
					createdBefore: '2026-10-31T00:00:00Z',
				},
				options: {},
			});

			const query = new URL(listRequests()[0].rawPath, 'http://x').searchParams;
			expect(query.get('asset_state')).toBe('FAILED');
			expect(query.get('asset_type')).toBe('VIDEO');
			expect(query.get('name')).toBe('promo');
			expect(query.get('tag')).toBe('campaign-x');
			expect(query.get('start_time')).toBe('2026-08-31T04:00:00Z');
			expect(query.get('end_time')).toBe('2026-10-31T00:00:00Z');
			const ids = result.outputs[0].map((item) => item.json.asset_id);
			// i divisible by 4 (FAILED), 2 (VIDEO), 3 (promo), 5 (tag): i = 0 and i = 60 → only 0 is seeded.
			expect(ids).toEqual(['asset-00000']);
		});

		it('should send several states comma-separated', async () => {
			await start(generateAssets(6, { each: (i) => ({ asset_state: (['FAILED', 'DELETING', 'ACTIVED'] as const)[i % 3] }) }));
			const result = await run({ operation: 'getAll', returnAll: true, filters: { assetState: ['FAILED', 'DELETING'] }, options: {} });
			expect(new URL(listRequests()[0].rawPath, 'http://x').searchParams.get('asset_state')).toBe('FAILED,DELETING');
			expect(result.outputs[0].map((item) => item.json.asset_state)).toEqual(['FAILED', 'DELETING', 'FAILED', 'DELETING']);
		});

		it('should list with an IAM token as well', async () => {
			await start(generateAssets(3));
			const result = await run({ operation: 'getAll', returnAll: true, filters: {}, options: {} }, [{}], { authentication: 'iamToken' });
			expect(result.outputs[0]).toHaveLength(3);
			expect(listRequests()[0].headers['x-auth-token']).toEqual(expect.any(String));
		});

		it('should fail the input item, not pass a partial listing, when a page keeps failing', async () => {
			await start(generateAssets(150));
			cloud.setFaults({ methods: ['GET'], random: { probability: 1, kinds: ['http500'] } });
			const result = await run({ operation: 'getAll', returnAll: true, filters: {}, options: { maxRetries: 1 } });

			const [success, failed] = result.outputs;
			expect(success).toEqual([]);
			expect(failed).toHaveLength(1);
			expect(failed[0].pairedItem).toEqual({ item: 0 });
			expect(failed[0].json.error).toMatchObject({ reason: 'serverError', retryable: true, attempts: 2, httpStatus: 500 });
			expect(String((failed[0].json.error as IDataObject).message)).toMatch(/^Could not list assets: /);
		});

		it('should refuse a date filter that is not a date, with no request', async () => {
			await start();
			const result = await run({ operation: 'getAll', returnAll: true, filters: { createdAfter: 'last tuesday' }, options: {} });
			expect(result.outputs[1][0].json.error).toMatchObject({ reason: 'invalidInput' });
			expect(cloud.requests).toHaveLength(0);
		});
	});

	describe('Get', () => {
		it("should return the asset's fields as MetaStudio sends them, files included", async () => {
			await start(generateAssets(2, { filesPerAsset: 2 }));
			const result = await run({ operation: 'get', assetId: '={{ $json.id }}', simple: false, options: {} }, [{ id: 'asset-00001' }]);
			const [item] = result.outputs[0];
			expect(item.json).toEqual(cloud.asset('asset-00001'));
			expect((item.json.files as IDataObject[]).length).toBe(2);
			expect(item.pairedItem).toEqual({ item: 0 });
		});

		it('should make a missing asset an error item naming MSS.10001001', async () => {
			await start();
			const result = await run({ operation: 'get', assetId: '={{ $json.id }}', options: {} }, [{ id: 'asset-missing' }]);
			const error = result.outputs[1][0].json.error as IDataObject;
			expect(error).toMatchObject({ reason: 'notFound', code: 'MSS.10001001', httpStatus: 400, assetId: 'asset-missing' });
			expect(String(error.message)).toContain('Could not get asset "asset-missing"');
		});
	});

	describe('Delete', () => {
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
	});

	describe('Restore', () => {
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

	describe('in one workflow', () => {
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
