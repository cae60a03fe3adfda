/**
 * What the editor offers beyond plain fields, run on the emulators: resource locators (a plain string
 * saved in their place is read as By ID, with the same outcome), Simplify on reads, ListAssets' filters,
 * service-named actions and execution hints.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { MediaAssets } from '../../nodes/MediaAssets/MediaAssets.node';
import { KyyVideo2Emulator } from '../emulators/kyyVideo2';
import { MetaStudioEmulator } from '../emulators/metaStudio';
import { generateAssets } from '../emulators/metaStudioAssets';
import type { RunResult } from '../harness/runWorkflow';
import { runMediaAssets } from '../harness/runWorkflow';

const PROJECT = '6a6a1f8354f64dd9b9a614def7b59d83';
const AK = 'HPUAXLPZQ7TESTAK0016';
const SK = 'secretKeyVersions0123456789abcdefghijkl';
const KYY_KEY = 'sk-kyy-locators-key-16';

const locator = (value: string, mode: 'list' | 'id' = 'list') => ({ __rl: true, mode, value });

describe('Media Assets locators, Simplify and hints', () => {
	let cloud: MetaStudioEmulator;

	afterEach(async () => {
		await cloud?.stop();
	});

	async function start(assets = generateAssets(5)) {
		cloud = await MetaStudioEmulator.start({ accessKeyId: AK, secretAccessKey: SK, projectId: PROJECT, assets });
	}

	async function run(parameters: INodeParameters, items: IDataObject[] = [{}]): Promise<RunResult> {
		return await runMediaAssets({
			items,
			parameters: { resource: 'metaStudioAsset', authentication: 'akSk', ...parameters },
			onError: 'continueErrorOutput',
			credentials: { huaweiCloudAkSkApi: cloud.akSkCredential() },
		});
	}

	const hintsOf = (result: RunResult) => (result.runData['Media Assets']?.[0]?.hints ?? []).map((hint) => hint.message);
	const listQueries = () =>
		cloud.requests.filter((r) => r.method === 'GET' && /\/digital-assets\?/.test(r.rawPath)).map((r) => new URL(r.rawPath, 'http://x').search);

	describe('description', () => {
		const description = new MediaAssets().description;

		it("should give every action a distinct, service-naming label for n8n's AI tool", () => {
			const actions = description.properties
				.filter((p) => p.name === 'operation')
				.flatMap((p) => (p.options as Array<{ action?: string }>).map((o) => o.action));
			expect(actions).toEqual([
				'Delete a Seedance asset',
				'Get a Seedance asset',
				'Delete a MetaStudio media file',
				'Activate a MetaStudio asset',
				'Deactivate a MetaStudio asset',
				'Delete a MetaStudio asset',
				'Get a MetaStudio asset',
				'Get many MetaStudio assets',
				'Restore a MetaStudio asset',
			]);
			expect(new Set(actions).size).toBe(actions.length);
			const described = NodeHelpers.makeDescription({ resource: 'metaStudioAsset', operation: 'restore' }, description);
			expect(described).toBe('Restore a MetaStudio asset in Media Assets');
		});

		it('should make MetaStudio asset IDs resource locators (From list first, then By ID) and keep the other IDs plain', () => {
			const ids = description.properties.filter((p) => p.name === 'assetId' || p.name === 'fileId');
			const shape = ids.map((p) => [p.displayOptions?.show?.resource?.[0], p.displayOptions?.show?.operation?.[0], p.type, p.modes?.map((m) => m.name).join(',')]);
			expect(shape).toEqual([
				['asset', 'delete', 'string', undefined],
				['asset', 'get', 'string', undefined],
				['mediaFile', 'delete', 'string', undefined],
				['metaStudioAsset', 'get', 'resourceLocator', 'list,id'],
				['metaStudioAsset', 'delete', 'resourceLocator', 'list,id'],
				['metaStudioAsset', 'restore', 'resourceLocator', 'list,id'],
				['metaStudioAsset', 'activate', 'resourceLocator', 'list,id'],
				['metaStudioAsset', 'deactivate', 'resourceLocator', 'list,id'],
			]);
			const restore = ids.find((p) => p.displayOptions?.show?.operation?.[0] === 'restore')!;
			expect(restore.modes![0].typeOptions).toEqual({ searchListMethod: 'searchRecycleBinAssets', searchable: true });
		});
	});

	describe('Get', () => {
		it('should read the same asset from a locator or a plain string, simplified unless Simplify is off', async () => {
			await start(generateAssets(3, { tags: ['promo'], filesPerAsset: 2 }));
			const plain = await run({ operation: 'get', assetId: 'asset-00001', simple: false, options: {} });
			const unsimplified = await run({ operation: 'get', assetId: locator('asset-00001'), simple: false, options: {} });
			const located = await run({ operation: 'get', assetId: locator('asset-00001'), options: {} });

			expect(unsimplified.outputs[0].map((i) => i.json)).toEqual(plain.outputs[0].map((i) => i.json));
			const raw = plain.outputs[0][0].json;
			expect((raw.files as IDataObject[])[0]).toHaveProperty('download_url');
			expect(located.outputs[0][0].json).toEqual({
				asset_id: 'asset-00001',
				asset_name: raw.asset_name,
				asset_type: raw.asset_type,
				asset_state: 'ACTIVED',
				create_time: raw.create_time,
				update_time: raw.update_time,
				tags: ['promo'],
				files: (raw.files as IDataObject[]).map((f) => ({ file_id: f.file_id, file_name: f.file_name })),
			});
			expect(located.outputs[0][0].pairedItem).toEqual({ item: 0 });
		});

		it('should map By ID from the input with an expression, and check it as a plain field is checked', async () => {
			await start();
			const items = [{ asset_id: 'asset-00002' }, { asset_id: 'asset-1/../x' }];
			const plain = await run({ operation: 'get', assetId: '={{ $json.asset_id }}', options: {} }, items);
			const located = await run({ operation: 'get', assetId: locator('={{ $json.asset_id }}', 'id'), simple: false, options: {} }, items);

			for (const result of [plain, located]) {
				expect(result.outputs[0].map((i) => i.json.asset_id)).toEqual(['asset-00002']);
				expect(result.outputs[1]).toHaveLength(1);
				expect(result.outputs[1][0].pairedItem).toEqual({ item: 1 });
			}
			expect(located.outputs[1][0].json.error).toEqual(plain.outputs[1][0].json.error);
		});
	});

	describe('Delete and Restore', () => {
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

	describe('Get Many', () => {
		it('should send the same request with Simplify on or off, and simplify each asset', async () => {
			await start(generateAssets(30));
			const plain = await run({ operation: 'getAll', returnAll: true, simple: false, filters: { assetState: ['ACTIVED'] }, options: {} });
			const located = await run({ operation: 'getAll', returnAll: true, filters: { assetState: ['ACTIVED'] }, options: {} });
			const [q1, q2] = listQueries();
			expect(q2).toBe(q1);
			expect(located.outputs[0].map((i) => i.json.asset_id)).toEqual(plain.outputs[0].map((i) => i.json.asset_id));
			expect(Object.keys(located.outputs[0][0].json)).toEqual(['asset_id', 'asset_name', 'asset_type', 'asset_state', 'create_time', 'update_time', 'tags', 'files']);
			const unsimplified = await run({ operation: 'getAll', returnAll: true, simple: false, filters: { assetState: ['ACTIVED'] }, options: {} });
			expect(unsimplified.outputs[0].map((i) => i.json)).toEqual(plain.outputs[0].map((i) => i.json));
		});

		it('should send sort, source, tag combination and exact asset IDs as ListAssets documents them', async () => {
			await start(
				generateAssets(10, {
					each: (i) => ({ tags: i % 3 === 0 ? ['a'] : i % 3 === 1 ? ['b'] : ['a', 'b'], update_time: Date.parse('2026-06-01T00:00:00Z') - i * 1000 }),
				}),
			);
			const result = await run({
				operation: 'getAll',
				returnAll: true,
				filters: {
					tag: 'a,b',
					tagCombination: 'UNION_SET',
					sortKey: 'update_time',
					sortDir: 'desc',
					assetSource: 'ALL',
					assetIds: 'asset-00001, asset-00002,asset-00003',
				},
				options: {},
			});
			// The AK/SK signer sends the query in canonical (sorted) order; array values as repeated keys.
			expect(listQueries()[0]).toBe(
				'?asset_id=asset-00001&asset_id=asset-00002&asset_id=asset-00003&asset_source=ALL&limit=100&offset=0&sort_dir=desc&sort_key=update_time&tag=a%2Cb&tag_combination_type=UNION_SET',
			);
			// Newest update first: asset 1 was updated last.
			expect(result.outputs[0].map((i) => i.json.asset_id)).toEqual(['asset-00001', 'asset-00002', 'asset-00003']);

			const both = await run({ operation: 'getAll', returnAll: true, filters: { tag: 'a,b', tagCombination: 'INTERSECTION' }, options: {} });
			expect(both.outputs[0].map((i) => i.json.asset_id)).toEqual(['asset-00002', 'asset-00005', 'asset-00008']);
		});

		it('should refuse a bad ID in the Asset IDs filter before sending anything', async () => {
			await start();
			const result = await run({ operation: 'getAll', returnAll: true, filters: { assetIds: 'asset-1/../x' }, options: {} });
			expect(result.outputs[1]).toHaveLength(1);
			expect(String((result.outputs[1][0].json.error as IDataObject).message)).toMatch(/asset ID in the Asset IDs filter/);
			expect(listQueries()).toHaveLength(0);
		});

		it('should hint when the Limit stopped the listing while more assets matched', async () => {
			await start(generateAssets(30));
			const located = await run({ operation: 'getAll', returnAll: false, limit: 10, filters: {}, options: {} });
			expect(located.outputs[0]).toHaveLength(10);
			expect(hintsOf(located)).toEqual([
				'Get Many stopped at the Limit of 10 MetaStudio assets; 30 matched. Turn on Return All, or raise the Limit, to get the rest.',
			]);
			const all = await run({ operation: 'getAll', returnAll: false, limit: 30, filters: {}, options: {} });
			expect(hintsOf(all)).toEqual([]);
		});
	});

	describe('KyyVideo2 Get', () => {
		let api: KyyVideo2Emulator;

		afterEach(async () => {
			await api?.stop();
		});

		it('should simplify unless Simplify is off, which gives the whole detail', async () => {
			api = await KyyVideo2Emulator.start({ apiKey: KYY_KEY, assets: ['asset-20260330142158-q75m8'] });
			const kyy = async (extra: INodeParameters = {}) =>
				await runMediaAssets({
					items: [{}],
					parameters: { resource: 'asset', operation: 'get', assetId: 'asset-20260330142158-q75m8', options: {}, ...extra },
					credentials: { kyyVideo2Api: { apiKey: KYY_KEY, baseUrl: api.baseUrl } },
				});
			const located = await kyy();
			const unsimplified = await kyy({ simple: false });
			const { url, ...short } = unsimplified.outputs[0][0].json;
			expect(url).toEqual(expect.any(String));
			expect(located.outputs[0][0].json).toEqual(short);
		});
	});
});
