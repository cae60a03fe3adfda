/**
 * The Asset ID pickers ("From list") through n8n's own dynamic-parameter path: n8n-core's
 * LoadOptionsContext on a throwaway workflow, the real credentials helper, the MetaStudio emulator.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { MetaStudioEmulator } from '../../emulators/metaStudio';
import { generateAssets } from '../../emulators/metaStudioAssets';
import { resourceLocatorResults } from '../../harness/loadOptions';

const PROJECT = '6a6a1f8354f64dd9b9a614def7b59d83';
const AK = 'HPUAXLPZQ7TESTAK0015';
const SK = 'secretKeyListSearch0123456789abcdefghij';
const IAM_USER = { domainName: 'acme-account', userName: 'picker-bot', password: 'P@ss-picker-never-leak' };

describe('Media Assets v2: Asset ID list searches through n8n\'s dynamic-parameter path', () => {
	let cloud: MetaStudioEmulator;

	afterEach(async () => {
		await cloud?.stop();
	});

	async function start(assets = generateAssets(5)) {
		cloud = await MetaStudioEmulator.start({ accessKeyId: AK, secretAccessKey: SK, projectId: PROJECT, assets, iamUser: IAM_USER });
	}

	const listQueries = () =>
		cloud.requests.filter((r) => r.method === 'GET' && /\/digital-assets\?/.test(r.rawPath)).map((r) => new URL(r.rawPath, 'http://x').searchParams);

	async function search(methodName: string, extra: { filter?: string; paginationToken?: string; operation?: string; options?: IDataObject } = {}) {
		return await resourceLocatorResults({
			methodName,
			currentNodeParameters: {
				resource: 'metaStudioAsset',
				operation: extra.operation ?? 'get',
				authentication: 'akSk',
				assetId: { __rl: true, mode: 'list', value: '' },
				options: (extra.options ?? {}) as INodeParameters,
			},
			credentials: { huaweiCloudAkSkApi: cloud.akSkCredential() },
			filter: extra.filter,
			paginationToken: extra.paginationToken,
		});
	}

	it('should page through every asset with the pagination token, naming each by its name with type and state', async () => {
		await start(generateAssets(120, { each: (i) => ({ asset_type: i % 2 ? 'IMAGE' : 'VIDEO' }) }));

		const first = await search('searchAssets');
		expect(first.results).toHaveLength(50);
		expect(first.results[0]).toEqual({ name: 'Asset 00000', value: 'asset-00000', description: 'VIDEO · ACTIVED' });
		expect(first.results.every((entry) => entry.url === undefined)).toBe(true);
		expect(first.paginationToken).toBe('50');

		const second = await search('searchAssets', { paginationToken: first.paginationToken as string });
		expect(second.results[0].value).toBe('asset-00050');
		expect(second.paginationToken).toBe('100');

		const last = await search('searchAssets', { paginationToken: second.paginationToken as string });
		expect(last.results.map((entry) => entry.value)).toEqual(generateAssets(120).slice(100).map((seed) => seed.asset_id));
		expect(last.paginationToken).toBeUndefined();

		expect(listQueries().map((q) => [q.get('offset'), q.get('limit')])).toEqual([
			['0', '50'],
			['50', '50'],
			['100', '50'],
		]);
		// Signed with the credential's project, as every MetaStudio call of the node.
		expect(cloud.requests.every((r) => r.rawPath.startsWith(`/v1/${PROJECT}/digital-assets`))).toBe(true);
	});

	it("should search with MetaStudio's fuzzy name filter", async () => {
		await start(generateAssets(30, { each: (i) => ({ asset_name: i % 10 === 3 ? `Promo clip ${i}` : `asset ${i}` }) }));

		const found = await search('searchAssets', { filter: 'promo' });
		expect(found.results.map((entry) => entry.name)).toEqual(['Promo clip 3', 'Promo clip 13', 'Promo clip 23']);
		expect(found.paginationToken).toBeUndefined();
		expect(listQueries()[0].get('name')).toBe('promo');
	});

	it('should offer Restore only the assets in the recycle bin (state DELETING)', async () => {
		await start(generateAssets(6, { each: (i) => ({ asset_state: i % 2 ? 'DELETING' : 'ACTIVED' }) }));

		const found = await search('searchRecycleBinAssets', { operation: 'restore' });
		expect(found.results.map((entry) => entry.value)).toEqual(['asset-00001', 'asset-00003', 'asset-00005']);
		expect(found.results.every((entry) => entry.description === 'VIDEO · DELETING' || /· DELETING$/.test(String(entry.description)))).toBe(true);
		expect(listQueries()[0].get('asset_state')).toBe('DELETING');
	});

	it("should list the Project ID option's project when it is set", async () => {
		await start();
		await expect(search('searchAssets', { options: { projectId: 'ffffffffffffffffffffffffffffffff' } })).rejects.toThrow(/Could not list assets/);
		expect(cloud.requests[0].rawPath).toContain('/v1/ffffffffffffffffffffffffffffffff/digital-assets');
	});

	it('should work with an IAM token credential', async () => {
		await start(generateAssets(3));
		const found = await resourceLocatorResults({
			methodName: 'searchAssets',
			currentNodeParameters: { resource: 'metaStudioAsset', operation: 'delete', authentication: 'iamToken', options: {} },
			credentials: {
				huaweiCloudIamApi: {
					...IAM_USER,
					region: 'cn-north-4',
					projectId: PROJECT,
					endpoint: cloud.endpoint,
					iamEndpoint: cloud.iamEndpoint,
					token: '',
				},
			},
		});
		expect(found.results.map((entry) => entry.value)).toEqual(['asset-00000', 'asset-00001', 'asset-00002']);
	});

	it('should throw an error the editor can show, without the secret, when the credential is refused', async () => {
		await start();
		const refused = resourceLocatorResults({
			methodName: 'searchAssets',
			currentNodeParameters: { resource: 'metaStudioAsset', operation: 'get', authentication: 'akSk', options: {} },
			credentials: { huaweiCloudAkSkApi: { ...cloud.akSkCredential(), secretAccessKey: 'wrong-secret-key-0123456789abcdefghijkl' } },
		});
		await expect(refused).rejects.toThrow(/Could not list assets: the credential was rejected/);
		const error = (await refused.catch((e: Error) => e)) as Error;
		expect(JSON.stringify({ message: error.message, description: (error as { description?: string }).description })).not.toContain('wrong-secret');
	});
});
