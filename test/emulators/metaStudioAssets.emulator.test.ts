/**
 * Self-test of the MetaStudio emulator's asset library with plain Node HTTP requests, signed by Huawei's
 * own SDK signer or sent with an IAM token (the n8n node is tested elsewhere).
 */

import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner';
import type { ICredential } from '@huaweicloud/huaweicloud-sdk-core/auth/ICredential';

import type { AssetSeed, MetaStudioOptions } from './metaStudio';
import { generateAssets, listAssetsFaultKey, MetaStudioEmulator } from './metaStudio';
import type { Reply } from './rawClient';
import { call, iamToken } from './rawClient';

const AK = 'HPUAXLPZQ7EMULATOR02';
const SK = 'assetSelfTestSecretKey0123456789abcdefg';
const PROJECT = '6a6a1f8354f64dd9b9a614def7b59d83';
const OTHER_PROJECT = 'ffffffffffffffffffffffffffffffff';
const IAM_USER = { domainName: 'acme', userName: 'bot', password: 'P@ss-word' };
const CREDENTIAL = { getAk: () => AK, getSk: () => SK } as unknown as ICredential;

type Query = Record<string, string | number>;


function sdkDate(date = new Date()): string {
	return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

function withQuery(path: string, query: Query = {}): string {
	const text = Object.entries(query)
		.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
		.join('&');
	return text === '' ? path : `${path}?${text}`;
}

describe('MetaStudio emulator: the asset library', () => {
	let cloud: MetaStudioEmulator;

	async function start(options: Partial<MetaStudioOptions> = {}): Promise<void> {
		cloud = await MetaStudioEmulator.start({ accessKeyId: AK, secretAccessKey: SK, projectId: PROJECT, iamUser: IAM_USER, ...options });
	}

	afterEach(async () => {
		await cloud?.stop();
	});

	const assetsPath = (project = PROJECT) => `/v1/${project}/digital-assets`;
	const assetPath = (id: string, project = PROJECT) => `${assetsPath(project)}/${encodeURIComponent(id)}`;

	/** A request signed by Huawei's SDK signer; a `body` object is sent as its JSON text. */
	async function signed(method: string, path: string, query: Query = {}, body?: unknown, extra: Record<string, string> = {}) {
		const queryParams = Object.fromEntries(Object.entries(query).map(([key, value]) => [key, String(value)]));
		const headers = AKSKSigner.sign(
			{
				method,
				endpoint: `${cloud.endpoint}${path}`,
				queryParams: Object.keys(queryParams).length > 0 ? queryParams : undefined,
				headers: { ...extra, ...(body === undefined ? {} : { 'content-type': 'application/json' }), 'X-Sdk-Date': sdkDate() },
				...(body === undefined ? {} : { data: body }),
			},
			CREDENTIAL,
		) as Record<string, string>;
		return await call(cloud.endpoint, method, withQuery(path, query), headers, body === undefined ? undefined : JSON.stringify(body));
	}

	async function token(): Promise<string> {
		const reply = await iamToken(cloud.iamEndpoint, IAM_USER, PROJECT);
		expect(reply.status).toBe(201);
		return reply.headers['x-subject-token'] as string;
	}

	const list = async (query: Query = {}) => await signed('GET', assetsPath(), query);
	const ids = (reply: Reply) => (reply.json.assets as Array<{ asset_id: string }>).map((asset) => asset.asset_id);

	describe('ListAssets', () => {
		it('should page by offset and limit with the total count, default limit 10, in create_time order', async () => {
			await start({ assets: generateAssets(25) });
			const pages: string[] = [];
			for (let offset = 0; offset < 25; offset += 10) {
				const reply = await list({ offset, limit: 10 });
				expect(reply.status).toBe(200);
				expect(reply.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
				expect(reply.json.count).toBe(25);
				pages.push(...ids(reply));
			}
			expect(pages).toEqual(generateAssets(25).map((seed) => seed.asset_id));

			const defaults = await list();
			expect([defaults.json.count, ids(defaults)]).toEqual([25, pages.slice(0, 10)]);
			const last = await list({ offset: 20, limit: 100 });
			expect(ids(last)).toEqual(pages.slice(20));
			const beyond = await list({ offset: 30, limit: 5 });
			expect(beyond.json).toEqual({ count: 25, assets: [] });
			const desc = await list({ sort_key: 'create_time', sort_dir: 'desc', limit: 3 });
			expect(ids(desc)).toEqual(['asset-00024', 'asset-00023', 'asset-00022']);
		});

		it('should serve DigitalAssetInfo with its files', async () => {
			await start({
				assets: [
					{ asset_id: 'a1', asset_name: 'Launch video', tags: ['launch'], files: [{}, { file_id: 'cover-1' }], create_time: '2026-02-03T04:05:06Z' },
				],
			});
			const reply = await list();
			expect(reply.json.assets[0]).toEqual({
				asset_id: 'a1',
				asset_name: 'Launch video',
				asset_description: '',
				project_id: PROJECT,
				create_time: '2026-02-03T04:05:06Z',
				update_time: '2026-02-03T04:05:06Z',
				asset_type: 'VIDEO',
				asset_state: 'ACTIVED',
				tags: ['launch'],
				files: [
					{
						file_id: 'a1-f0',
						file_name: 'Launch video.mp4',
						file_md5: expect.stringMatching(/^[A-Za-z0-9+/]{22}==$/),
						file_size: expect.any(Number),
						file_type: 'mp4',
						asset_file_category: 'MAIN',
						download_url: expect.stringMatching(/^https:\/\/.+a1\/Launch%20video\.mp4\?Expires=\d+$/),
						state: 'CREATED',
					},
					expect.objectContaining({ file_id: 'cover-1', asset_file_category: 'COVER', file_type: 'png' }),
				],
				system_properties: [],
				asset_extra_meta: {},
			});
		});

		it('should filter by name, tag, times, types, states and source', async () => {
			const seeds: AssetSeed[] = [
				{ asset_id: 'v-old-failed', asset_name: 'Promo Clip', asset_type: 'VIDEO', asset_state: 'FAILED', create_time: '2026-01-01T00:00:00Z', tags: ['promo'] },
				{ asset_id: 'i-mid', asset_name: 'promo banner', asset_type: 'IMAGE', asset_state: 'ACTIVED', create_time: '2026-01-15T00:00:00Z', tags: ['promo', 'web'] },
				{ asset_id: 'a-new', asset_name: 'Jingle', asset_type: 'AUDIO', asset_state: 'UNACTIVED', create_time: '2026-02-01T00:00:00Z' },
				{ asset_id: 'v-bin', asset_name: 'Old clip', asset_type: 'VIDEO', asset_state: 'DELETING', create_time: '2026-02-10T00:00:00Z' },
				{ asset_id: 'sys-1', asset_name: 'System promo', asset_type: 'HUMAN_MODEL_2D', source: 'SYSTEM', create_time: '2026-01-20T00:00:00Z' },
			];
			await start({ assets: seeds });
			const cases: Array<[Query, string[]]> = [
				[{}, ['v-old-failed', 'i-mid', 'a-new', 'v-bin']],
				[{ name: 'PROMO' }, ['v-old-failed', 'i-mid']],
				[{ name: 'clip' }, ['v-old-failed', 'v-bin']],
				[{ tag: 'web' }, ['i-mid']],
				[{ tag: 'promo' }, ['v-old-failed', 'i-mid']],
				[{ start_time: '2026-01-15T00:00:00Z' }, ['i-mid', 'a-new', 'v-bin']],
				[{ end_time: '2026-01-15T00:00:00Z' }, ['v-old-failed', 'i-mid']],
				[{ start_time: '2026-01-02T00:00:00Z', end_time: '2026-02-01T00:00:00.000Z' }, ['i-mid', 'a-new']],
				[{ asset_type: 'VIDEO' }, ['v-old-failed', 'v-bin']],
				[{ asset_type: 'IMAGE,AUDIO' }, ['i-mid', 'a-new']],
				[{ asset_state: 'FAILED' }, ['v-old-failed']],
				[{ asset_state: 'DELETING,UNACTIVED' }, ['a-new', 'v-bin']],
				[{ asset_state: 'FAILED', asset_type: 'VIDEO', end_time: '2026-01-31T00:00:00Z' }, ['v-old-failed']],
				[{ asset_source: 'SYSTEM' }, ['sys-1']],
				[{ asset_source: 'ALL', name: 'promo' }, ['v-old-failed', 'i-mid', 'sys-1']],
				[{ asset_source: 'CUSTOMIZATION', asset_state: '' }, ['v-old-failed', 'i-mid', 'a-new', 'v-bin']],
			];
			for (const [query, expected] of cases) {
				const reply = await list(query);
				expect([query, reply.status, reply.json.count, ids(reply)]).toEqual([query, 200, expected.length, expected]);
			}
			const failed = await list({ asset_state: 'FAILED' });
			expect(failed.json.assets[0]).toMatchObject({ fail_type: 'AUTOMATIC_REVIEW_REJECT', reason: expect.any(String) });
		});

		it('should refuse invalid parameters with 400 MSS.00000003', async () => {
			await start({ assets: generateAssets(3) });
			const invalid: Query[] = [
				{ limit: 0 },
				{ limit: 101 },
				{ limit: 'ten' },
				{ limit: '1.5' },
				{ offset: -1 },
				{ start_time: '2026-01-01T00:00:00+08:00' },
				{ end_time: '2026-13-01T00:00:00Z' },
				{ start_time: '2026-01-01' },
				{ asset_type: 'VIDEO,FILM' },
				{ asset_state: 'deleting' },
				{ sort_key: 'asset_name' },
				{ sort_dir: 'up' },
				{ asset_source: 'MINE' },
			];
			for (const query of invalid) {
				const reply = await list(query);
				const name = Object.keys(query)[0];
				expect([query, reply.status, reply.json]).toEqual([query, 400, { error_code: 'MSS.00000003', error_msg: `Invalid parameter: ${name}` }]);
			}
			const repeated = await call(cloud.endpoint, 'GET', `${assetsPath()}?limit=1&limit=2`, { 'X-Auth-Token': await token() });
			expect([repeated.status, repeated.json.error_code]).toEqual([400, 'MSS.00000003']);
			const unknownParameter = await list({ limit: 1, colour: 'blue' });
			expect([unknownParameter.status, unknownParameter.json.count]).toEqual([200, 3]);
		});

		it('should sort by create_time, update_time or asset_order, ties in seeding order', async () => {
			await start({
				assets: [
					{ asset_id: 'b', create_time: '2026-01-02T00:00:00Z', update_time: '2026-03-01T00:00:00Z' },
					{ asset_id: 'a', create_time: '2026-01-01T00:00:00Z', update_time: '2026-03-01T00:00:00Z' },
					{ asset_id: 'c', create_time: '2026-01-01T00:00:00Z', update_time: '2026-02-01T00:00:00Z' },
				],
			});
			const cases: Array<[Query, string[]]> = [
				[{}, ['a', 'c', 'b']],
				[{ sort_key: 'create_time', sort_dir: 'desc' }, ['b', 'c', 'a']],
				[{ sort_key: 'update_time' }, ['c', 'b', 'a']],
				[{ sort_key: 'update_time', sort_dir: 'desc' }, ['a', 'b', 'c']],
				[{ sort_key: 'asset_order' }, ['b', 'a', 'c']],
				[{ sort_key: 'asset_order', sort_dir: 'desc' }, ['c', 'a', 'b']],
			];
			for (const [query, expected] of cases) expect([query, ids(await list(query))]).toEqual([query, expected]);
		});

		it('should combine several tags with tag_combination_type, and keep one exact tag without it', async () => {
			await start({
				assets: [
					{ asset_id: 'ab', tags: ['a', 'b'] },
					{ asset_id: 'a', tags: ['a'] },
					{ asset_id: 'bc', tags: ['b', 'c'] },
					{ asset_id: 'comma', tags: ['a,b'] },
					{ asset_id: 'none' },
				],
			});
			const cases: Array<[Query, string[]]> = [
				[{ tag: 'a' }, ['ab', 'a']],
				[{ tag: 'a,b' }, ['comma']],
				[{ tag: 'a,b', tag_combination_type: 'INTERSECTION' }, ['ab']],
				[{ tag: 'a,b', tag_combination_type: 'UNION_SET' }, ['ab', 'a', 'bc']],
				[{ tag: 'c,zzz', tag_combination_type: 'UNION_SET' }, ['bc']],
				[{ tag: 'b', tag_combination_type: 'INTERSECTION' }, ['ab', 'bc']],
				[{ tag_combination_type: 'UNION_SET' }, ['ab', 'a', 'bc', 'comma', 'none']],
			];
			for (const [query, expected] of cases) expect([query, ids(await list(query))]).toEqual([query, expected]);
			const invalid = await list({ tag: 'a', tag_combination_type: 'union_set' });
			expect([invalid.status, invalid.json.error_msg]).toEqual([400, 'Invalid parameter: tag_combination_type']);
		});

		it('should filter by exact asset_id, repeated (as Huawei SDK arrays) or comma-separated', async () => {
			await start({
				assets: [{ asset_id: 'a1' }, { asset_id: 'a2' }, { asset_id: 'a3' }, { asset_id: 'a10' }, { asset_id: 'sys', source: 'SYSTEM' }],
			});
			// Huawei's SDK signer, given an array, signs it as repeated keys, which is how its client sends it.
			const path = assetsPath();
			const headers = AKSKSigner.sign(
				{ method: 'GET', endpoint: `${cloud.endpoint}${path}`, queryParams: { asset_id: ['a3', 'a1', 'sys'] }, headers: { 'X-Sdk-Date': sdkDate() } },
				CREDENTIAL,
			) as Record<string, string>;
			const repeated = await call(cloud.endpoint, 'GET', `${path}?asset_id=a3&asset_id=a1&asset_id=sys`, headers);
			expect([repeated.status, repeated.json.count, ids(repeated)]).toEqual([200, 2, ['a1', 'a3']]);

			const subject = await token();
			const cases: Array<[string, string[]]> = [
				['asset_id=a1,a2', ['a1', 'a2']],
				['asset_id=a1&asset_id=a2,a10', ['a1', 'a2', 'a10']],
				['asset_id=a1', ['a1']],
				['asset_id=a', []],
				['asset_id=a1,,&asset_id=', ['a1']],
				['asset_id=&limit=2', ['a1', 'a2']],
				['asset_id=sys,a2&asset_source=ALL', ['a2', 'sys']],
			];
			for (const [query, expected] of cases) {
				const reply = await call(cloud.endpoint, 'GET', `${path}?${query}`, { 'X-Auth-Token': subject });
				expect([query, reply.status, ids(reply)]).toEqual([query, 200, expected]);
			}
			const sortTwice = await call(cloud.endpoint, 'GET', `${path}?sort_key=update_time&sort_key=create_time`, { 'X-Auth-Token': subject });
			expect([sortTwice.status, sortTwice.json.error_msg]).toEqual([400, 'Invalid parameter: sort_key']);
		});

		it('should stamp update_time on every change with the emulator clock, in whole seconds', async () => {
			const t0 = Date.UTC(2026, 3, 1, 12, 0, 0);
			let machine = t0 + 200;
			// The clock is injected (far from the machine's: requests use an IAM token, no X-Sdk-Date to check).
			await start({
				now: () => machine,
				files: ['loose'],
				assets: [{ asset_id: 'a1', asset_state: 'UNACTIVED', files: [{}, {}], create_time: '2026-01-01T00:00:00Z' }, { asset_id: 'a2' }],
			});
			const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
			expect(cloud.asset('a2')!.create_time).toBe(at(t0));
			const subject = await token();
			const send = async (method: string, path: string, body?: unknown) =>
				await call(cloud.endpoint, method, path, { 'X-Auth-Token': subject }, body === undefined ? undefined : JSON.stringify(body));
			const updated = () => cloud.asset('a1')!.update_time;

			// A poll and a change in the same second: the change's update_time equals the poll's second.
			const poll = await send('GET', `${assetsPath()}?sort_key=update_time`);
			machine = t0 + 900;
			expect((await send('DELETE', `/v1/${PROJECT}/files/a1-f1`)).status).toBe(200);
			expect(updated()).toBe(at(t0));
			expect(poll.json.assets[0].update_time).toBe('2026-01-01T00:00:00Z');

			const steps: Array<[number, () => Promise<Reply>]> = [
				[1_500, async () => await send('POST', `/v1/${PROJECT}/digital-assets/batch-action`, { action: 'ACTIVE', asset_ids: ['a1'] })],
				[1_000, async () => await send('POST', `/v1/${PROJECT}/digital-assets/batch-action`, { action: 'UNACTIVE', asset_ids: ['a1'] })],
				[1_000, async () => await send('DELETE', assetPath('a1'))],
				[1_000, async () => await send('POST', `${assetPath('a1')}/restore`)],
			];
			let expected = t0;
			for (const [step, act] of steps) {
				cloud.advanceClock(step);
				expected = Math.floor((machine + cloud.clockOffsetMs) / 1000) * 1000;
				expect((await act()).status).toBe(200);
				expect(updated()).toBe(at(expected));
			}
			// A request that changes nothing leaves update_time alone; so does a loose file.
			cloud.advanceClock(5_000);
			expect((await send('POST', `/v1/${PROJECT}/digital-assets/batch-action`, { action: 'UNACTIVE', asset_ids: ['a1'] })).status).toBe(200);
			expect((await send('DELETE', `/v1/${PROJECT}/files/loose`)).status).toBe(200);
			expect(updated()).toBe(at(expected));

			cloud.freezeClock('2026-04-01T13:00:00.750Z');
			expect(cloud.now()).toBe(Date.parse('2026-04-01T13:00:00.750Z'));
			const changed = cloud.setAssetState('a1', 'BLOCK');
			expect(changed).toMatchObject({ asset_state: 'BLOCK', update_time: '2026-04-01T13:00:00Z' });
			const newest = await send('GET', `${assetsPath()}?sort_key=update_time&sort_dir=desc&limit=1`);
			expect(ids(newest)).toEqual(['a1']);
			// a1's changes: file f1, ACTIVE, UNACTIVE, delete, restore; setAssetState is not counted.
			expect(cloud.changesLandedOn('a1')).toBe(5);
			cloud.unfreezeClock();
			const before = Date.now();
			const now = cloud.now();
			expect(now).toBeGreaterThanOrEqual(before);
			expect(now).toBeLessThanOrEqual(Date.now());
		});

		it('should record each request with its API, raw path, query and headers', async () => {
			await start({ assets: generateAssets(2) });
			await list({ limit: 1, name: 'Asset 0' });
			await call(cloud.endpoint, 'GET', `/v1/${PROJECT}/files?limit=1`);
			expect(cloud.requests[0]).toMatchObject({
				method: 'GET',
				api: 'ListAssets',
				rawPath: `${assetsPath()}?limit=1&name=Asset%200`,
				path: assetsPath(),
				rawQuery: 'limit=1&name=Asset%200',
				query: { limit: '1', name: 'Asset 0' },
				headers: expect.objectContaining({ authorization: expect.stringMatching(/^SDK-HMAC-SHA256 /), 'x-sdk-date': expect.any(String) }),
			});
			expect(cloud.requests[1]).toMatchObject({ method: 'GET', api: undefined, path: `/v1/${PROJECT}/files` });
			expect(cloud.requestsTo('ListAssets')).toHaveLength(1);
		});
	});

	describe('ShowAsset', () => {
		it('should show an asset in any state and answer an unknown one with 400 MSS.10001001', async () => {
			await start({ assets: [{ asset_id: 'a1', asset_state: 'DELETING' }] });
			const shown = await signed('GET', assetPath('a1'));
			expect(shown.status).toBe(200);
			expect(shown.json).toEqual(cloud.asset('a1'));
			expect(shown.json.asset_state).toBe('DELETING');

			const missing = await signed('GET', assetPath('nope'));
			expect(missing.status).toBe(400);
			expect(missing.json).toEqual({ error_code: 'MSS.10001001', error_msg: 'Asset not found' });
			expect(missing.headers['x-request-id']).toEqual(expect.any(String));
		});
	});

	describe('DeleteAsset and RestoreAsset', () => {
		it('should move an asset to the recycle bin and restore it to its former state', async () => {
			await start({ assets: [{ asset_id: 'a1', asset_state: 'FAILED', create_time: '2026-01-01T00:00:00Z' }] });
			const deleted = await signed('DELETE', assetPath('a1'));
			expect([deleted.status, deleted.text]).toEqual([200, '']);
			expect(deleted.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
			expect(cloud.assetState('a1')).toBe('DELETING');
			expect(cloud.asset('a1')!.update_time).not.toBe('2026-01-01T00:00:00Z');
			expect(ids(await list({ asset_state: 'DELETING' }))).toEqual(['a1']);

			// A second recycle-bin delete changes nothing and is not counted.
			expect((await signed('DELETE', assetPath('a1'))).status).toBe(200);
			expect(cloud.assetDeletesLanded('a1', 'recycleBin')).toBe(1);

			const restored = await signed('POST', `${assetPath('a1')}/restore`);
			expect([restored.status, restored.text]).toEqual([200, '']);
			expect(cloud.assetState('a1')).toBe('FAILED');
			expect(cloud.restoresLanded('a1')).toBe(1);
			expect(cloud.landedCounts()).toEqual({ deleteFile: 0, recycleBin: 1, force: 0, restore: 1, activate: 0, deactivate: 0 });
		});

		it('should accept a restore with a signed JSON body, and refuse a body that does not match its signature', async () => {
			await start({ assets: [{ asset_id: 'a1', asset_state: 'DELETING', stateBeforeDelete: 'ACTIVED' }] });
			const path = `${assetPath('a1')}/restore`;
			const headers = AKSKSigner.sign(
				{ method: 'POST', endpoint: `${cloud.endpoint}${path}`, headers: { 'content-type': 'application/json', 'X-Sdk-Date': sdkDate() }, data: { note: 'x' } },
				CREDENTIAL,
			) as Record<string, string>;
			const tampered = await call(cloud.endpoint, 'POST', path, headers, JSON.stringify({ note: 'y' }));
			expect([tampered.status, tampered.json.error_code]).toEqual([401, 'APIGW.0301']);
			expect(cloud.authFailures.map((failure) => failure.reason)).toEqual(['signature mismatch']);
			expect(cloud.assetState('a1')).toBe('DELETING');

			const reply = await call(cloud.endpoint, 'POST', path, headers, JSON.stringify({ note: 'x' }));
			expect(reply.status).toBe(200);
			expect(cloud.assetState('a1')).toBe('ACTIVED');
			expect(cloud.requests[1].body).toBe('{"note":"x"}');
		});

		it('should refuse a restore of an asset not in the recycle bin, and of an unknown one', async () => {
			await start({ assets: [{ asset_id: 'live' }, { asset_id: 'gone', asset_state: 'DELETING' }] });
			const live = await signed('POST', `${assetPath('live')}/restore`, {}, {});
			expect([live.status, live.json]).toEqual([400, { error_code: 'MSS.00000003', error_msg: 'Invalid parameter: the asset is not in the recycle bin' }]);
			expect(cloud.assetState('live')).toBe('ACTIVED');

			expect(cloud.expireRecycleBin()).toEqual(['gone']);
			const expired = await signed('POST', `${assetPath('gone')}/restore`);
			expect([expired.status, cloud.assetState('gone')]).toEqual([400, 'DELETED']);

			const unknown = await signed('POST', `${assetPath('nope')}/restore`);
			expect([unknown.status, unknown.json.error_code]).toEqual([400, 'MSS.10001001']);
			expect(cloud.landedCounts().restore).toBe(0);
		});

		it('should delete for good with mode=force, from the recycle bin too, files included', async () => {
			await start({ assets: [{ asset_id: 'a1' }, { asset_id: 'a2', asset_state: 'DELETING' }] });
			expect(cloud.hasFile('a1-f0')).toBe(true);
			const forced = await signed('DELETE', assetPath('a1'), { mode: 'force' });
			expect([forced.status, forced.text]).toEqual([200, '']);
			expect(cloud.hasAsset('a1')).toBe(false);
			expect(cloud.asset('a1')).toBeUndefined();
			expect(cloud.hasFile('a1-f0')).toBe(false);
			expect((await signed('DELETE', assetPath('a2'), { mode: 'force' })).status).toBe(200);
			expect(cloud.assets()).toEqual([]);

			for (const [method, path, query] of [
				['GET', assetPath('a1'), {}],
				['DELETE', assetPath('a1'), {}],
				['DELETE', assetPath('a1'), { mode: 'force' }],
				['POST', `${assetPath('a2')}/restore`, {}],
			] as const) {
				const reply = await signed(method, path, query);
				expect([method, reply.status, reply.json]).toEqual([method, 400, { error_code: 'MSS.10001001', error_msg: 'Asset not found' }]);
			}
			const file = await signed('DELETE', `/v1/${PROJECT}/files/a1-f0`);
			expect(file.json.error_code).toBe('MSS.10001004');
			expect(cloud.assetDeletesLanded('a1', 'force')).toBe(1);
			expect(cloud.assetDeletesLanded('a2')).toBe(1);
			expect(cloud.stats()).toMatchObject({ forceDeletesLanded: 2, recycleBinDeletesLanded: 0 });
		});

		it('should refuse any other mode with 400 MSS.00000003 and change nothing', async () => {
			await start({ assets: [{ asset_id: 'a1' }] });
			for (const mode of ['FORCE', 'soft', '', 'true']) {
				const reply = await signed('DELETE', assetPath('a1'), { mode });
				expect([mode, reply.status, reply.json]).toEqual([mode, 400, { error_code: 'MSS.00000003', error_msg: 'Invalid parameter: mode' }]);
			}
			const twice = await call(cloud.endpoint, 'DELETE', `${assetPath('a1')}?mode=force&mode=force`, { 'X-Auth-Token': await token() });
			expect(twice.status).toBe(400);
			// The mode is checked before the asset is looked up.
			expect((await signed('DELETE', assetPath('nope'), { mode: 'soft' })).json.error_code).toBe('MSS.00000003');
			expect(cloud.assetState('a1')).toBe('ACTIVED');
		});

		it('should not delete a SYSTEM asset', async () => {
			await start({ assets: [{ asset_id: 'sys', source: 'SYSTEM' }] });
			for (const query of [{}, { mode: 'force' }] as Query[]) {
				const reply = await signed('DELETE', assetPath('sys'), query);
				expect([reply.status, reply.json.error_code]).toEqual([400, 'MSS.00000003']);
			}
			expect(cloud.assetState('sys')).toBe('ACTIVED');
		});
	});

	describe('DeleteFile', () => {
		it("should delete a file of an asset's files[] and a loose file", async () => {
			await start({ files: ['loose'], assets: [{ asset_id: 'a1', files: [{}, {}, {}] }] });
			expect(cloud.fileIds()).toEqual(['loose', 'a1-f0', 'a1-f1', 'a1-f2']);
			expect((await signed('DELETE', '/v1/' + PROJECT + '/files/a1-f1')).status).toBe(200);
			expect(cloud.asset('a1')!.files.map((file) => file.file_id)).toEqual(['a1-f0', 'a1-f2']);
			const shown = await signed('GET', assetPath('a1'));
			expect(shown.json.files.map((file: { file_id: string }) => file.file_id)).toEqual(['a1-f0', 'a1-f2']);
			expect((await signed('DELETE', `/v1/${PROJECT}/files/loose`)).status).toBe(200);
			expect((await signed('DELETE', `/v1/${PROJECT}/files/a1-f1`)).json.error_code).toBe('MSS.10001004');
			expect([cloud.deletesLanded('a1-f1'), cloud.deleteRequests('a1-f1'), cloud.landedCounts().deleteFile]).toEqual([1, 2, 2]);
		});
	});

	describe('the gateway', () => {
		it('should answer 404 APIGW.0101 for every undocumented path or method, before authenticating', async () => {
			await start({ files: ['f1'], assets: [{ asset_id: 'a1' }] });
			const cases: Array<[string, string]> = [
				['GET', `/v1/${PROJECT}/files`],
				['GET', `/v1/${PROJECT}/files?offset=0&limit=1`],
				['GET', `/v1/${PROJECT}/files/f1`],
				['PATCH', `/v1/${PROJECT}/digital-assets`],
				['DELETE', `/v1/${PROJECT}/digital-assets`],
				['PATCH', `/v1/${PROJECT}/digital-assets/a1`],
				['PUT', `/v1/${PROJECT}/files/f1`],
				['GET', `/v1/${PROJECT}/files/f1/complete`],
				['POST', `/v1/${PROJECT}/files/f1/complete/`],
				['GET', `/v1/${PROJECT}/digital-assets/a1/restore`],
				['POST', `/v1/${PROJECT}/digital-assets/a1/restore/`],
				['GET', `/v1/${PROJECT}/digital-assets/`],
				['GET', `/v1//digital-assets`],
				['GET', `/v2/${PROJECT}/digital-assets`],
				['POST', `/v1/${PROJECT}/digital-assets/summarys`],
			];
			for (const [method, path] of cases) {
				for (const headers of [{}, { 'X-Auth-Token': await token() }] as Array<Record<string, string>>) {
					const reply = await call(cloud.endpoint, method, path, headers);
					expect([method, path, reply.status, reply.json?.error_code]).toEqual([method, path, 404, 'APIGW.0101']);
				}
			}
			expect(cloud.hasAsset('a1') && cloud.hasFile('f1')).toBe(true);
			expect(cloud.authFailures).toEqual([]);
		});

		it('should authenticate every asset API as it does DeleteFile', async () => {
			await start({ assets: [{ asset_id: 'a1' }] });
			const routes: Array<[string, string]> = [
				['GET', assetsPath()],
				['GET', assetPath('a1')],
				['DELETE', assetPath('a1')],
				['POST', `${assetPath('a1')}/restore`],
			];
			for (const [method, path] of routes) {
				const none = await call(cloud.endpoint, method, path);
				expect([method, none.status, none.json.error_code]).toEqual([method, 401, 'APIGW.0301']);
				const otherProject = path.replace(PROJECT, OTHER_PROJECT);
				const mismatch = await signed(method, otherProject);
				expect([method, mismatch.status, mismatch.json.error_code]).toEqual([method, 400, 'MSS.00010009']);
				const headers = AKSKSigner.sign(
					{ method, endpoint: `${cloud.endpoint}${path}`, headers: { 'X-Sdk-Date': sdkDate() } },
					CREDENTIAL,
				) as Record<string, string>;
				const unsignedUser = await call(cloud.endpoint, method, path, { ...headers, 'X-App-UserId': 'tenant-1' });
				expect([method, unsignedUser.status, unsignedUser.json.error_code]).toEqual([method, 401, 'APIGW.0301']);
				const badToken = await call(cloud.endpoint, method, path, { 'X-Auth-Token': 'MIInot-a-token' });
				expect([method, badToken.status, badToken.json.error_code]).toEqual([method, 401, 'APIGW.0307']);
			}
			const subject = await token();
			expect((await call(cloud.endpoint, 'GET', `${assetsPath()}?limit=1`, { 'X-Auth-Token': subject })).json.count).toBe(1);
			expect((await call(cloud.endpoint, 'DELETE', assetPath('a1'), { 'X-Auth-Token': subject })).status).toBe(200);
			expect((await call(cloud.endpoint, 'POST', `${assetPath('a1')}/restore`, { 'X-Auth-Token': subject })).status).toBe(200);
			cloud.expireAllTokens();
			const expired = await call(cloud.endpoint, 'GET', assetPath('a1'), { 'X-Auth-Token': subject });
			expect([expired.status, expired.json.error_code]).toEqual([401, 'APIGW.0307']);
			expect(cloud.landedCounts()).toEqual({ deleteFile: 0, recycleBin: 1, force: 0, restore: 1, activate: 0, deactivate: 0 });
		});

		it('should inject faults per asset ID and per ListAssets page', async () => {
			await start({ assets: generateAssets(15) });
			cloud.setFaults({
				methods: ['GET', 'DELETE', 'POST'],
				script: { [listAssetsFaultKey(10)]: ['throttle'], 'asset-00001': ['http500', 'landedThenDrop'] },
			});
			expect((await list({ offset: 0, limit: 10 })).status).toBe(200);
			const page2 = await list({ offset: 10, limit: 10 });
			expect([page2.status, page2.json.error_code, page2.headers['retry-after']]).toEqual([429, 'APIGW.0308', undefined]);
			expect((await list({ offset: 10, limit: 10 })).json.assets).toHaveLength(5);

			expect((await signed('GET', assetPath('asset-00001'))).status).toBe(500);
			await expect(signed('DELETE', assetPath('asset-00001'))).rejects.toThrow(/socket hang up|ECONNRESET/);
			expect(cloud.assetState('asset-00001')).toBe('DELETING');
			expect(cloud.assetDeletesLanded('asset-00001')).toBe(1);
		});

		it('should expire tokens after landed asset deletes too', async () => {
			await start({ assets: generateAssets(2) });
			const subject = await token();
			cloud.expireTokensAfterDeletes(1);
			expect((await call(cloud.endpoint, 'DELETE', assetPath('asset-00000'), { 'X-Auth-Token': subject })).status).toBe(200);
			expect((await call(cloud.endpoint, 'DELETE', assetPath('asset-00001'), { 'X-Auth-Token': subject })).status).toBe(401);
		});
	});

	describe('per-API limits', () => {
		it('should not limit unless asked', async () => {
			await start({ assets: generateAssets(1), region: 'ap-southeast-3' });
			const replies = await Promise.all(Array.from({ length: 30 }, () => signed('GET', assetPath('asset-00000'))));
			expect(replies.every((reply) => reply.status === 200)).toBe(true);
			expect(cloud.apiLimits).toBeUndefined();
		});

		it("should enforce the region's documented limits per API with 429 APIGW.0308 and no Retry-After", async () => {
			// The buckets' clock stands still: however long the requests take, none is refilled.
			await start({ assets: generateAssets(20), region: 'ap-southeast-3', enforceApiLimits: true, limitsClock: () => 0 });
			expect(cloud.apiLimits).toEqual({
				ListAssets: 10,
				ShowAsset: 10,
				DeleteAsset: 5,
				RestoreAsset: 5,
				DeleteFile: 5,
				BatchExecuteAssetAction: 1,
				CreateDigitalAsset: 5,
				CreateFile: 5,
				ConfirmFileUpload: 5,
				UpdateDigitalAsset: 5,
			});

			const shows = await Promise.all(Array.from({ length: 20 }, () => signed('GET', assetPath('asset-00000'))));
			const throttled = shows.filter((reply) => reply.status === 429);
			// At least the burst passes, and more are refused.
			expect(shows.filter((reply) => reply.status === 200).length).toBeGreaterThanOrEqual(10);
			expect(throttled.length).toBeGreaterThanOrEqual(1);
			expect(throttled[0].json).toEqual({
				error_code: 'APIGW.0308',
				error_msg: 'The throttling threshold has been reached: policy user over ratelimit, limit:10, time:1 second',
				request_id: throttled[0].headers['x-request-id'],
			});
			expect(throttled[0].headers['retry-after']).toBeUndefined();

			// Each API has its own bucket.
			expect((await list({ limit: 1 })).status).toBe(200);

			const deletes = await Promise.all(generateAssets(15).map((seed) => signed('DELETE', assetPath(seed.asset_id!))));
			const refused = deletes.filter((reply) => reply.status === 429);
			expect(refused.length).toBeGreaterThanOrEqual(1);
			expect(refused[0].json.error_msg).toMatch(/limit:5,/);
			expect(cloud.landedCounts().recycleBin).toBe(15 - refused.length);
			expect(cloud.apiLimited).toMatchObject({ ShowAsset: throttled.length, DeleteAsset: refused.length, ListAssets: 0 });
			expect(cloud.throttled).toBe(throttled.length + refused.length);
		});

		it('should take the documented cn-north-4 limits by default, accept overrides, and refill', async () => {
			let limitsTime = 0;
			await start({ assets: generateAssets(1), enforceApiLimits: true, apiLimits: { ShowAsset: 2 }, limitsClock: () => limitsTime });
			expect(cloud.apiLimits).toMatchObject({ ListAssets: 20, ShowAsset: 2, DeleteAsset: 10, RestoreAsset: 10, DeleteFile: 10 });
			const statuses = [];
			for (let i = 0; i < 3; i++) statuses.push((await signed('GET', assetPath('asset-00000'))).status);
			expect(statuses).toEqual([200, 200, 429]);
			limitsTime += 600;
			expect((await signed('GET', assetPath('asset-00000'))).status).toBe(200);

			cloud.setApiLimits(false);
			expect(cloud.apiLimits).toBeUndefined();
		});

		it('should not spend the limit on requests that fail authentication', async () => {
			await start({ assets: generateAssets(1), enforceApiLimits: true, apiLimits: { ShowAsset: 1 } });
			for (let i = 0; i < 3; i++) expect((await call(cloud.endpoint, 'GET', assetPath('asset-00000'))).status).toBe(401);
			expect((await signed('GET', assetPath('asset-00000'))).status).toBe(200);
		});
	});

	describe('seeding', () => {
		it('should fill defaults, generate many, and refuse duplicate IDs', async () => {
			await start();
			const before = Date.now();
			const asset = cloud.addAsset();
			expect(asset.asset_id).toMatch(/^[0-9a-f]{32}$/);
			expect(asset).toMatchObject({ asset_type: 'VIDEO', asset_state: 'ACTIVED', project_id: PROJECT, tags: [] });
			expect(Date.parse(asset.create_time)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
			expect(asset.files).toHaveLength(1);
			expect(asset.fail_type).toBeUndefined();
			expect(cloud.addAsset({ files: [] }).files).toEqual([]);

			const many = generateAssets(3, { idPrefix: 'img-', asset_type: 'IMAGE', start: '2025-12-01T00:00:00Z', stepMs: 86_400_000, filesPerAsset: 2, each: (i) => ({ tags: [`n${i}`] }) });
			cloud.addAssets(many);
			expect(cloud.asset('img-00002')).toMatchObject({ create_time: '2025-12-03T00:00:00Z', tags: ['n2'], asset_type: 'IMAGE' });
			expect(cloud.asset('img-00002')!.files.map((file) => file.asset_file_category)).toEqual(['MAIN', 'COVER']);
			expect(cloud.assets()).toHaveLength(5);
			expect(() => cloud.addAsset({ asset_id: 'img-00000' })).toThrow(/already seeded/);
			expect(() => cloud.addAsset({ files: [{ file_id: 'img-00000-f0' }] })).toThrow(/already seeded/);

			cloud.reset();
			expect(cloud.assets()).toEqual([]);
			expect(cloud.fileIds()).toEqual([]);
		});

		it("should change an asset's state at run time with setAssetState, restorable from DELETING", async () => {
			await start({ assets: [{ asset_id: 'a1', asset_state: 'FAILED', create_time: '2026-01-01T00:00:00Z' }] });
			const before = Math.floor(Date.now() / 1000) * 1000;
			const asset = cloud.setAssetState('a1', 'DELETING');
			expect(asset.asset_state).toBe('DELETING');
			expect(Date.parse(asset.update_time)).toBeGreaterThanOrEqual(before);
			expect((await signed('POST', `${assetPath('a1')}/restore`)).status).toBe(200);
			expect(cloud.assetState('a1')).toBe('FAILED');
			expect(() => cloud.setAssetState('nope', 'ACTIVED')).toThrow(/not seeded/);
			expect(() => cloud.setAssetState('a1', 'GONE' as never)).toThrow(/Unknown asset_state/);
			const added = cloud.addAsset({ asset_id: 'a2', asset_state: 'CREATING' });
			expect(ids(await list({ asset_state: 'CREATING' }))).toEqual([added.asset_id]);
		});

		it('should refuse to start with duplicate seeds', async () => {
			await expect(
				MetaStudioEmulator.start({ accessKeyId: AK, secretAccessKey: SK, projectId: PROJECT, assets: [{ asset_id: 'x' }, { asset_id: 'x' }] }),
			).rejects.toThrow(/already seeded/);
		});
	});
});
