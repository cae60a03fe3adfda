/**
 * Self-test of the MetaStudio emulator's BatchExecuteAssetAction and foreign page, with plain Node HTTP
 * requests signed by Huawei's own SDK signer or the package's signer (the n8n node is tested elsewhere).
 */

import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner';
import type { ICredential } from '@huaweicloud/huaweicloud-sdk-core/auth/ICredential';

import { signRequest } from '../../credentials/common/huaweiSigner';
import { waitUntil } from '../harness/waitUntil';
import type { AssetState, MetaStudioOptions } from './metaStudio';
import { ASSET_STATES, batchActionFaultKey, FOREIGN_PAGE_HTML, listAssetsFaultKey, MetaStudioEmulator } from './metaStudio';
import type { Reply } from './rawClient';
import { call, iamToken } from './rawClient';

const AK = 'HPUAXLPZQ7EMULATOR03';
const SK = 'batchSelfTestSecretKey0123456789abcdefgh';
const PROJECT = '6a6a1f8354f64dd9b9a614def7b59d83';
const OTHER_PROJECT = 'ffffffffffffffffffffffffffffffff';
const IAM_USER = { domainName: 'acme', userName: 'bot', password: 'P@ss-word' };
const CREDENTIAL = { getAk: () => AK, getSk: () => SK } as unknown as ICredential;
const BATCH = `/v1/${PROJECT}/digital-assets/batch-action`;
const DROPPED = /socket hang up|ECONNRESET/;

function sdkDate(date = new Date()): string {
	return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

describe('MetaStudio emulator: BatchExecuteAssetAction', () => {
	let cloud: MetaStudioEmulator;

	async function start(options: Partial<MetaStudioOptions> = {}): Promise<void> {
		cloud = await MetaStudioEmulator.start({ accessKeyId: AK, secretAccessKey: SK, projectId: PROJECT, iamUser: IAM_USER, ...options });
	}

	afterEach(async () => {
		await cloud?.stop();
	});

	/** A request signed by Huawei's SDK signer; a `body` object is sent as its JSON text. */
	async function sdkSigned(method: string, path: string, body?: unknown): Promise<Reply> {
		const headers = AKSKSigner.sign(
			{
				method,
				endpoint: `${cloud.endpoint}${path}`,
				headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), 'X-Sdk-Date': sdkDate() },
				...(body === undefined ? {} : { data: body }),
			},
			CREDENTIAL,
		) as Record<string, string>;
		return await call(cloud.endpoint, method, path, headers, body === undefined ? undefined : JSON.stringify(body));
	}

	/** A batch request signed by Huawei's SDK signer. */
	const batch = async (body: unknown) => await sdkSigned('POST', BATCH, body);

	/** The exact bytes, signed by the package's signer (which hashes the bytes it is given). */
	async function signedBytes(bytes: string | Buffer, path = BATCH): Promise<Reply> {
		const signed = signRequest(
			{ method: 'POST', url: `${cloud.endpoint}${path}`, headers: { 'content-type': 'application/json' }, body: bytes },
			{ accessKeyId: AK, secretAccessKey: SK },
			new Date(),
		);
		return await call(cloud.endpoint, 'POST', path, signed.headers, bytes);
	}

	async function token(): Promise<string> {
		const reply = await iamToken(cloud.iamEndpoint, IAM_USER, PROJECT);
		expect(reply.status).toBe(201);
		return reply.headers['x-subject-token'] as string;
	}

	const NOT_FOUND = { error_code: 'MSS.10001001', error_msg: 'Asset not found' };
	const SYSTEM = { error_code: 'MSS.00000003', error_msg: 'Invalid parameter: asset_ids (a system asset cannot be changed)' };
	const OLD = '2026-01-01T00:00:00Z';

	describe('the actions', () => {
		it('should DELETE to the recycle bin, grouping the IDs by outcome, each repeated ID once', async () => {
			await start({
				assets: [
					{ asset_id: 'a1', asset_state: 'FAILED', create_time: OLD },
					{ asset_id: 'a2', asset_state: 'DELETING', create_time: OLD },
					{ asset_id: 'sys', source: 'SYSTEM', create_time: OLD },
				],
			});
			const reply = await batch({ action: 'DELETE', asset_ids: ['a1', 'nope', 'a2', 'sys', 'a1', 'nope'] });
			expect(reply.status).toBe(200);
			expect(reply.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
			expect(reply.headers['content-type']).toMatch(/^application\/json/);
			expect(reply.json).toEqual({
				results: [
					{ ret_status: 'SUCCESS', asset_ids: ['a1', 'a2'] },
					{ ret_status: 'FAILED', asset_ids: ['nope'], error_info: NOT_FOUND },
					{ ret_status: 'FAILED', asset_ids: ['sys'], error_info: SYSTEM },
				],
			});
			expect([cloud.assetState('a1'), cloud.assetState('a2'), cloud.assetState('sys')]).toEqual(['DELETING', 'DELETING', 'ACTIVED']);
			expect(cloud.asset('a1')!.update_time).not.toBe(OLD);
			// a2 was already in the bin: success, no change.
			expect(cloud.asset('a2')!.update_time).toBe(OLD);
			expect([cloud.changesLandedOn('a1'), cloud.changesLandedOn('a2'), cloud.changesLandedOn('sys')]).toEqual([1, 0, 0]);
			expect(cloud.assetDeletesLanded('a1', 'recycleBin')).toBe(1);
			expect(cloud.changesLanded()).toEqual(new Map([['a1', 1]]));
			expect(cloud.stats()).toMatchObject({ batchRequests: 1, recycleBinDeletesLanded: 1, forceDeletesLanded: 0 });
			expect(cloud.requestsTo('BatchExecuteAssetAction')).toHaveLength(1);

			// The same batch again: a1 is in the bin now, nothing more lands.
			expect((await batch({ action: 'DELETE', asset_ids: ['a1'] })).json.results).toEqual([{ ret_status: 'SUCCESS', asset_ids: ['a1'] }]);
			expect([cloud.changesLandedOn('a1'), cloud.batchRequests]).toEqual([1, 2]);
		});

		it('should DELETE_FORCE for good and RESTORE from the bin only, as the single-asset APIs do', async () => {
			await start({
				assets: [
					{ asset_id: 'live' },
					{ asset_id: 'bin', asset_state: 'DELETING', stateBeforeDelete: 'UNACTIVED' },
					{ asset_id: 'bin2', asset_state: 'DELETING', stateBeforeDelete: 'ACTIVED' },
				],
			});
			const restored = await batch({ action: 'RESTORE', asset_ids: ['bin', 'live', 'gone', 'bin2'] });
			expect(restored.json.results).toEqual([
				{ ret_status: 'SUCCESS', asset_ids: ['bin', 'bin2'] },
				{
					ret_status: 'FAILED',
					asset_ids: ['live'],
					error_info: { error_code: 'MSS.00000003', error_msg: 'Invalid parameter: the asset is not in the recycle bin' },
				},
				{ ret_status: 'FAILED', asset_ids: ['gone'], error_info: NOT_FOUND },
			]);
			expect([cloud.assetState('bin'), cloud.assetState('bin2'), cloud.restoresLanded('bin')]).toEqual(['UNACTIVED', 'ACTIVED', 1]);

			const forced = await batch({ action: 'DELETE_FORCE', asset_ids: ['live', 'bin'] });
			expect(forced.json.results).toEqual([{ ret_status: 'SUCCESS', asset_ids: ['live', 'bin'] }]);
			expect([cloud.hasAsset('live'), cloud.hasAsset('bin'), cloud.hasFile('live-f0')]).toEqual([false, false, false]);
			const again = await batch({ action: 'DELETE_FORCE', asset_ids: ['live'] });
			expect(again.json.results).toEqual([{ ret_status: 'FAILED', asset_ids: ['live'], error_info: NOT_FOUND }]);
			expect(cloud.landedCounts()).toEqual({ deleteFile: 0, recycleBin: 0, force: 2, restore: 2, activate: 0, deactivate: 0 });
			expect([cloud.changesLandedOn('bin'), cloud.changesLandedOn('live')]).toEqual([2, 1]);
		});

		it('should ACTIVE and UNACTIVE only assets in UNACTIVED or ACTIVED, and refuse every other state', async () => {
			await start({ assets: ASSET_STATES.map((state) => ({ asset_id: state, asset_state: state, create_time: OLD })) });
			const others = ASSET_STATES.filter((state) => state !== 'ACTIVED' && state !== 'UNACTIVED');
			const refusal = (action: string) => (state: AssetState) =>
				`Invalid parameter: asset_ids (the asset state ${state} does not allow ${action})`;

			const activated = await batch({ action: 'ACTIVE', asset_ids: [...ASSET_STATES] });
			expect(activated.status).toBe(200);
			expect(activated.json.results).toEqual([
				{ ret_status: 'SUCCESS', asset_ids: ['UNACTIVED', 'ACTIVED'] },
				// One FAILED group per error code; it carries the first ID's message.
				{
					ret_status: 'FAILED',
					asset_ids: others,
					error_info: { error_code: 'MSS.00000003', error_msg: refusal('ACTIVE')('CREATING') },
				},
			]);
			expect(cloud.assetState('UNACTIVED')).toBe('ACTIVED');
			for (const state of others) expect([state, cloud.assetState(state)]).toEqual([state, state]);
			expect(cloud.asset('UNACTIVED')!.update_time).not.toBe(OLD);
			expect(cloud.asset('ACTIVED')!.update_time).toBe(OLD);
			expect(cloud.stats()).toMatchObject({ activatesLanded: 1, deactivatesLanded: 0 });

			const deactivated = await batch({ action: 'UNACTIVE', asset_ids: ['ACTIVED', 'UNACTIVED', 'BLOCK'] });
			expect(deactivated.json.results).toEqual([
				{ ret_status: 'SUCCESS', asset_ids: ['ACTIVED', 'UNACTIVED'] },
				{ ret_status: 'FAILED', asset_ids: ['BLOCK'], error_info: { error_code: 'MSS.00000003', error_msg: refusal('UNACTIVE')('BLOCK') } },
			]);
			expect([cloud.assetState('ACTIVED'), cloud.assetState('UNACTIVED')]).toEqual(['UNACTIVED', 'UNACTIVED']);
			expect([cloud.activationsLanded('UNACTIVED', true), cloud.activationsLanded('UNACTIVED', false)]).toEqual([1, 1]);
			expect([cloud.activationsLanded('ACTIVED'), cloud.changesLandedOn('UNACTIVED'), cloud.changesLandedOn('BLOCK')]).toEqual([1, 2, 0]);
			expect(cloud.landedCounts()).toMatchObject({ activate: 1, deactivate: 2 });
		});

		it('should SHARE and UNSHARE without changing anything, a SYSTEM or unknown asset failing', async () => {
			await start({ assets: [{ asset_id: 'a1', create_time: OLD }, { asset_id: 'sys', source: 'SYSTEM', create_time: OLD }] });
			for (const action of ['SHARE', 'UNSHARE']) {
				const reply = await batch({ action, asset_ids: ['a1', 'sys', 'nope'], params: '{"sharee":"other-tenant"}' });
				expect([action, reply.status, reply.json.results]).toEqual([
					action,
					200,
					[
						{ ret_status: 'SUCCESS', asset_ids: ['a1'] },
						{ ret_status: 'FAILED', asset_ids: ['sys'], error_info: SYSTEM },
						{ ret_status: 'FAILED', asset_ids: ['nope'], error_info: NOT_FOUND },
					],
				]);
			}
			expect(cloud.asset('a1')).toMatchObject({ asset_state: 'ACTIVED', update_time: OLD });
			expect([cloud.changesLanded().size, cloud.batchRequests]).toEqual([0, 2]);
			const sysOnly = await batch({ action: 'RESTORE', asset_ids: ['sys'] });
			expect(sysOnly.json.results).toEqual([{ ret_status: 'FAILED', asset_ids: ['sys'], error_info: SYSTEM }]);
		});

		it('should count batch deletes towards expireTokensAfterDeletes, per asset', async () => {
			await start({ assets: [{ asset_id: 'a1' }, { asset_id: 'a2' }, { asset_id: 'a3' }] });
			const subject = await token();
			cloud.expireTokensAfterDeletes(2);
			const body = JSON.stringify({ action: 'DELETE', asset_ids: ['a1', 'a2'] });
			expect((await call(cloud.endpoint, 'POST', BATCH, { 'X-Auth-Token': subject }, body)).status).toBe(200);
			const after = await call(cloud.endpoint, 'POST', BATCH, { 'X-Auth-Token': subject }, JSON.stringify({ action: 'DELETE', asset_ids: ['a3'] }));
			expect([after.status, after.json.error_code]).toEqual([401, 'APIGW.0307']);
			expect(cloud.assetState('a3')).toBe('ACTIVED');
		});
	});

	describe('the request checks', () => {
		it('should refuse a malformed body with 400 MSS.00000003 and do nothing', async () => {
			await start({ assets: [{ asset_id: 'a1' }] });
			const cases: Array<[unknown, string]> = [
				['not json', 'body'],
				[[], 'body'],
				[null, 'body'],
				['"DELETE"', 'body'],
				[{ asset_ids: ['a1'] }, 'action'],
				[{ action: 'delete', asset_ids: ['a1'] }, 'action'],
				[{ action: 'ARCHIVE', asset_ids: ['a1'] }, 'action'],
				[{ action: 42, asset_ids: ['a1'] }, 'action'],
				[{ action: 'DELETE' }, 'asset_ids'],
				[{ action: 'DELETE', asset_ids: [] }, 'asset_ids'],
				[{ action: 'DELETE', asset_ids: 'a1' }, 'asset_ids'],
				[{ action: 'DELETE', asset_ids: ['a1', ''] }, 'asset_ids'],
				[{ action: 'DELETE', asset_ids: ['a1', 7] }, 'asset_ids'],
				[{ action: 'DELETE', asset_ids: ['a1', null] }, 'asset_ids'],
				[{ action: 'SHARE', asset_ids: ['a1'], params: { sharee: 'x' } }, 'params'],
			];
			for (const [body, parameter] of cases) {
				const text = typeof body === 'string' ? body : JSON.stringify(body);
				const reply = await signedBytes(text);
				expect([text, reply.status, reply.json]).toEqual([
					text,
					400,
					{ error_code: 'MSS.00000003', error_msg: `Invalid parameter: ${parameter}` },
				]);
				expect(reply.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
			}
			const empty = await signedBytes('');
			expect([empty.status, empty.json.error_msg]).toEqual([400, 'Invalid parameter: body']);
			expect(cloud.assetState('a1')).toBe('ACTIVED');
			expect([cloud.batchRequests, cloud.authFailures]).toEqual([0, []]);
			// Unknown fields are ignored; params may be any string or null.
			const extra = await batch({ action: 'UNACTIVE', asset_ids: ['a1'], params: null, note: 'x' });
			expect([extra.status, cloud.assetState('a1')]).toEqual([200, 'UNACTIVED']);
		});

		it('should take at most batchMaxAssetIds IDs (100 by default, adjustable)', async () => {
			await start({ assets: Array.from({ length: 101 }, (_, i) => ({ asset_id: `id-${i}` })) });
			const ids = cloud.assets().map((asset) => asset.asset_id);
			expect(cloud.batchMaxAssetIds).toBe(100);
			const over = await batch({ action: 'UNACTIVE', asset_ids: ids });
			expect([over.status, over.json]).toEqual([400, { error_code: 'MSS.00000003', error_msg: 'Invalid parameter: asset_ids' }]);
			expect(cloud.assetState('id-0')).toBe('ACTIVED');
			expect((await batch({ action: 'UNACTIVE', asset_ids: ids.slice(0, 100) })).json.results[0].asset_ids).toHaveLength(100);

			cloud.batchMaxAssetIds = 3;
			// The maximum counts the IDs as sent, repeats included.
			expect((await batch({ action: 'ACTIVE', asset_ids: ['id-0', 'id-0', 'id-1', 'id-1'] })).status).toBe(400);
			expect((await batch({ action: 'ACTIVE', asset_ids: ['id-0', 'id-1', 'id-2'] })).status).toBe(200);
			await cloud.stop();
			await start({ assets: [{ asset_id: 'a' }, { asset_id: 'b' }], batchMaxAssetIds: 1 });
			expect((await batch({ action: 'DELETE', asset_ids: ['a', 'b'] })).status).toBe(400);
			expect([cloud.assetState('a'), cloud.assetState('b')]).toEqual(['ACTIVED', 'ACTIVED']);
		});

		it('should check the AK/SK signature over the exact body bytes', async () => {
			await start({ assets: [{ asset_id: 'a1' }, { asset_id: 'a2' }] });
			const text = '{"action":"DELETE","asset_ids":["a1"]}';
			const headers = AKSKSigner.sign(
				{ method: 'POST', endpoint: `${cloud.endpoint}${BATCH}`, headers: { 'content-type': 'application/json', 'X-Sdk-Date': sdkDate() }, data: JSON.parse(text) },
				CREDENTIAL,
			) as Record<string, string>;
			// One byte changed after signing: "a1" becomes "a2".
			const tampered = await call(cloud.endpoint, 'POST', BATCH, headers, text.replace('a1', 'a2'));
			expect([tampered.status, tampered.json]).toEqual([
				401,
				{ error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication information: verify aksk signature fail', request_id: expect.any(String) },
			]);
			expect(tampered.headers['x-request-id']).toBe(tampered.json.request_id);
			// A byte added (whitespace keeps the JSON's meaning) is refused too.
			expect((await call(cloud.endpoint, 'POST', BATCH, headers, `${text} `)).status).toBe(401);
			expect(cloud.authFailures.map((failure) => failure.reason)).toEqual(['signature mismatch', 'signature mismatch']);
			expect([cloud.assetState('a1'), cloud.assetState('a2'), cloud.batchRequests]).toEqual(['ACTIVED', 'ACTIVED', 0]);

			const good = await call(cloud.endpoint, 'POST', BATCH, headers, text);
			expect([good.status, cloud.assetState('a1')]).toEqual([200, 'DELETING']);
			expect(cloud.requests[2].body).toBe(text);

			// Bytes the SDK would not produce (spaces, non-ASCII, invalid UTF-8) are hashed as received.
			const spaced = await signedBytes('{ "action" : "RESTORE", "asset_ids" : [ "a1" ], "params": "é" }');
			expect([spaced.status, cloud.assetState('a1')]).toEqual([200, 'ACTIVED']);
			const invalidUtf8 = Buffer.concat([Buffer.from('{"action":"DELETE","asset_ids":["a2'), Buffer.from([0xff]), Buffer.from('"]}')]);
			const raw = await signedBytes(invalidUtf8);
			expect(raw.status).toBe(200);
			expect(raw.json.results[0]).toMatchObject({ ret_status: 'FAILED', error_info: NOT_FOUND });
			const flipped = Buffer.from(invalidUtf8);
			flipped[flipped.indexOf(0xff)] = 0xfe;
			const signedForOther = signRequest(
				{ method: 'POST', url: `${cloud.endpoint}${BATCH}`, body: invalidUtf8 },
				{ accessKeyId: AK, secretAccessKey: SK },
				new Date(),
			);
			// 0xff and 0xfe both decode to U+FFFD: only the bytes tell them apart.
			expect((await call(cloud.endpoint, 'POST', BATCH, signedForOther.headers, flipped)).status).toBe(401);
		});

		it('should route, authenticate and check the project as every other API', async () => {
			await start({ assets: [{ asset_id: 'a1' }] });
			const none = await call(cloud.endpoint, 'POST', BATCH, {}, JSON.stringify({ action: 'DELETE', asset_ids: ['a1'] }));
			expect([none.status, none.json.error_code]).toEqual([401, 'APIGW.0301']);
			const other = await sdkSigned('POST', BATCH.replace(PROJECT, OTHER_PROJECT), { action: 'DELETE', asset_ids: ['a1'] });
			expect([other.status, other.json.error_code]).toEqual([400, 'MSS.00010009']);
			const subject = await token();
			for (const [method, path] of [
				['PATCH', BATCH],
				['POST', `${BATCH}/`],
				['POST', `/v1/${PROJECT}/digital-assets/batch-actions`],
				['POST', `/v1/${PROJECT}/digital-assets/a1/batch-action`],
			]) {
				const reply = await call(cloud.endpoint, method, path, { 'X-Auth-Token': subject }, '{}');
				expect([method, path, reply.status, reply.json.error_code]).toEqual([method, path, 404, 'APIGW.0101']);
			}
			// GET, DELETE and PUT of that path are ShowAsset, DeleteAsset and UpdateDigitalAsset of an asset named batch-action.
			const shown = await call(cloud.endpoint, 'GET', BATCH, { 'X-Auth-Token': subject });
			expect([shown.status, shown.json.error_code, cloud.requests.at(-1)!.api]).toEqual([400, 'MSS.10001001', 'ShowAsset']);
			const byToken = await call(cloud.endpoint, 'POST', BATCH, { 'X-Auth-Token': subject }, JSON.stringify({ action: 'DELETE', asset_ids: ['a1'] }));
			expect([byToken.status, cloud.assetState('a1')]).toEqual([200, 'DELETING']);
		});

		it('should limit BatchExecuteAssetAction to 1 request/s (burst 1) in every region when enforced', async () => {
			for (const region of ['cn-north-4', 'cn-east-3', 'ap-southeast-3'] as const) {
				await start({ region, enforceApiLimits: true, assets: [{ asset_id: 'a1' }] });
				expect([region, cloud.apiLimits!.BatchExecuteAssetAction]).toEqual([region, 1]);
				await cloud.stop();
			}
			let limitsTime = 0;
			await start({ enforceApiLimits: true, assets: [{ asset_id: 'a1' }, { asset_id: 'a2' }], limitsClock: () => limitsTime });
			const first = await batch({ action: 'DELETE', asset_ids: ['a1'] });
			const second = await batch({ action: 'DELETE', asset_ids: ['a2'] });
			expect([first.status, second.status]).toEqual([200, 429]);
			expect(second.json).toEqual({
				error_code: 'APIGW.0308',
				error_msg: 'The throttling threshold has been reached: policy user over ratelimit, limit:1, time:1 second',
				request_id: second.headers['x-request-id'],
			});
			expect(second.headers['retry-after']).toBeUndefined();
			expect(cloud.assetState('a2')).toBe('ACTIVED');
			// Another API's bucket is its own.
			expect((await sdkSigned('GET', `/v1/${PROJECT}/digital-assets/a2`)).status).toBe(200);
			limitsTime += 1050;
			expect((await batch({ action: 'DELETE', asset_ids: ['a2'] })).status).toBe(200);
			expect(cloud.apiLimited.BatchExecuteAssetAction).toBe(1);
			expect(cloud.stats()).toMatchObject({ batchRequests: 2, apiLimited: 1 });
		});
	});

	describe('faults', () => {
		it('should play a script keyed batch-action#<n> on batch requests, once POST is an affected method', async () => {
			await start({ assets: [{ asset_id: 'a1' }, { asset_id: 'a2' }, { asset_id: 'a3' }] });
			const body = { action: 'DELETE', asset_ids: ['a1', 'a2'] };
			cloud.setFaults({ script: { [batchActionFaultKey(1)]: ['http500'] } });
			// DELETE only, by default: the batch is not faulted.
			expect((await batch({ action: 'ACTIVE', asset_ids: ['a3'] })).status).toBe(200);

			cloud.setFaults({
				methods: ['POST'],
				script: {
					'batch-action#1': ['http500'],
					'batch-action#2': ['http503'],
					'batch-action#3': ['throttle'],
					'batch-action#4': ['drop'],
					'batch-action#5': ['foreignPage'],
					'batch-action#6': ['landedThenDrop'],
				},
			});
			const r500 = await batch(body);
			expect([r500.status, r500.json]).toEqual([500, { error_code: 'MSS.00000004', error_msg: 'Internal Error' }]);
			expect((await batch(body)).status).toBe(503);
			const r429 = await batch(body);
			expect([r429.status, r429.json.error_code, r429.headers['retry-after']]).toEqual([429, 'APIGW.0308', undefined]);
			await expect(batch(body)).rejects.toThrow(DROPPED);
			const foreign = await batch(body);
			expect([foreign.status, foreign.headers['content-type'], foreign.text]).toEqual([200, 'text/html;charset=UTF-8', FOREIGN_PAGE_HTML]);
			expect(foreign.headers['x-request-id']).toBeUndefined();
			expect([cloud.assetState('a1'), cloud.assetState('a2'), cloud.batchRequests]).toEqual(['ACTIVED', 'ACTIVED', 1]);

			// The whole batch is processed, then the answer is lost.
			await expect(batch(body)).rejects.toThrow(DROPPED);
			expect([cloud.assetState('a1'), cloud.assetState('a2')]).toEqual(['DELETING', 'DELETING']);
			// The retry finds them in the bin: success, and nothing was changed twice.
			expect((await batch(body)).json.results).toEqual([{ ret_status: 'SUCCESS', asset_ids: ['a1', 'a2'] }]);
			expect([cloud.changesLandedOn('a1'), cloud.changesLandedOn('a2'), cloud.landedCounts().recycleBin]).toEqual([1, 1, 2]);
			expect(cloud.faultsInjected).toMatchObject({ http500: 1, http503: 1, throttle: 1, drop: 1, foreignPage: 1, landedThenDrop: 1 });
			expect(cloud.stats()).toMatchObject({ batchRequests: 3, foreignPages: 1 });
		});

		it('should process a slow batch late, only then answering', async () => {
			await start({ assets: [{ asset_id: 'a1' }] });
			cloud.setFaults({ methods: ['POST'], slowMs: 300, script: { [batchActionFaultKey(1)]: ['slow'] } });
			const pending = batch({ action: 'DELETE_FORCE', asset_ids: ['a1'] });
			await waitUntil(() => cloud.requestsTo('BatchExecuteAssetAction').length === 1);
			expect(cloud.hasAsset('a1')).toBe(true);
			const reply = await pending;
			expect([reply.status, reply.json.results, cloud.hasAsset('a1')]).toEqual([200, [{ ret_status: 'SUCCESS', asset_ids: ['a1'] }], false]);
		});

		it('should count the batch ordinal from the last setFaults', async () => {
			await start({ assets: [{ asset_id: 'a1' }] });
			cloud.setFaults({ methods: ['POST'], script: { [batchActionFaultKey(2)]: ['http500'] } });
			expect((await batch({ action: 'SHARE', asset_ids: ['a1'] })).status).toBe(200);
			expect((await batch({ action: 'SHARE', asset_ids: ['a1'] })).status).toBe(500);
			cloud.setFaults({ methods: ['POST'], script: { [batchActionFaultKey(2)]: ['http500'] } });
			expect((await batch({ action: 'SHARE', asset_ids: ['a1'] })).status).toBe(200);
			expect((await batch({ action: 'SHARE', asset_ids: ['a1'] })).status).toBe(500);
		});
	});

	describe('the foreign page', () => {
		it('should answer every MetaStudio request with a 200 HTML page while switched on, doing nothing', async () => {
			await start({ files: ['f1'], assets: [{ asset_id: 'a1' }], foreignPage: true });
			const subject = await token();
			const requests: Array<[string, string, string | undefined]> = [
				['GET', `/v1/${PROJECT}/digital-assets`, undefined],
				['GET', `/v1/${PROJECT}/digital-assets/a1`, undefined],
				['DELETE', `/v1/${PROJECT}/digital-assets/a1?mode=force`, undefined],
				['POST', `/v1/${PROJECT}/digital-assets/a1/restore`, '{}'],
				['DELETE', `/v1/${PROJECT}/files/f1`, undefined],
				['POST', BATCH, JSON.stringify({ action: 'DELETE_FORCE', asset_ids: ['a1'] })],
				['GET', '/nowhere', undefined],
			];
			for (const [method, path, body] of requests) {
				const reply = await call(cloud.endpoint, method, path, { 'X-Auth-Token': subject }, body);
				expect([method, path, reply.status, reply.headers['content-type'], reply.headers['x-request-id'], reply.json]).toEqual([
					method,
					path,
					200,
					'text/html;charset=UTF-8',
					undefined,
					undefined,
				]);
				expect(reply.text).toMatch(/^<!DOCTYPE html>/);
			}
			// A signed request is not even authenticated; nothing is done.
			expect((await batch({ action: 'DELETE_FORCE', asset_ids: ['a1'] })).status).toBe(200);
			expect([cloud.hasAsset('a1'), cloud.hasFile('f1'), cloud.batchRequests, cloud.changesLanded().size]).toEqual([true, true, 0, 0]);
			expect(cloud.stats().foreignPages).toBe(8);
			expect(cloud.requests).toHaveLength(8);

			cloud.foreignPage = false;
			const real = await call(cloud.endpoint, 'POST', BATCH, { 'X-Auth-Token': subject }, JSON.stringify({ action: 'DELETE_FORCE', asset_ids: ['a1'] }));
			expect([real.status, real.headers['x-request-id'], cloud.hasAsset('a1')]).toEqual([200, expect.any(String), false]);
		});

		it('should be a fault kind for any API, scripted or random', async () => {
			await start({ assets: [{ asset_id: 'a1' }] });
			cloud.setFaults({ methods: ['GET'], script: { [listAssetsFaultKey(0)]: ['foreignPage'], a1: ['foreignPage'] } });
			const page = await sdkSigned('GET', `/v1/${PROJECT}/digital-assets`);
			expect([page.status, page.headers['content-type'], page.headers['x-request-id']]).toEqual([200, 'text/html;charset=UTF-8', undefined]);
			expect((await sdkSigned('GET', `/v1/${PROJECT}/digital-assets/a1`)).text).toBe(FOREIGN_PAGE_HTML);
			expect((await sdkSigned('GET', `/v1/${PROJECT}/digital-assets/a1`)).json.asset_id).toBe('a1');

			cloud.setFaults({ methods: ['DELETE'], random: { probability: 1, kinds: ['foreignPage'] } });
			const deleted = await sdkSigned('DELETE', `/v1/${PROJECT}/digital-assets/a1`);
			expect([deleted.status, deleted.text, cloud.assetState('a1')]).toEqual([200, FOREIGN_PAGE_HTML, 'ACTIVED']);
			expect(cloud.faultsInjected.foreignPage).toBe(1);
		});
	});
});
