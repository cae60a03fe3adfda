/**
 * Self-test of the emulators with plain Node HTTP requests (the n8n node is tested elsewhere).
 */
import http from 'node:http';

import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner';
import type { ICredential } from '@huaweicloud/huaweicloud-sdk-core/auth/ICredential';

import { formatSdkDate, signRequest } from '../../credentials/common/huaweiSigner';
import { waitUntil } from '../harness/waitUntil';
import { FaultInjector, FOREIGN_PAGE_HTML, mulberry32, TokenBucket } from './faults';
import { KyyVideo2Emulator } from './kyyVideo2';
import { MetaStudioEmulator, parseSdkDate, sdkSignature } from './metaStudio';
import { call, iamToken } from './rawClient';


describe('faults', () => {
	it('should make seeded random faults reproducible', () => {
		const config = { random: { probability: 0.3, kinds: ['http500', 'drop', 'throttle'] as const, seed: 7 } };
		const draw = (seed: number) => {
			const injector = new FaultInjector({ random: { ...config.random, kinds: [...config.random.kinds], seed } });
			return Array.from({ length: 200 }, (_, i) => injector.decide('DELETE', `id-${i}`).fault ?? '-');
		};
		expect(draw(7)).toEqual(draw(7));
		expect(draw(7)).not.toEqual(draw(8));
		const faulted = draw(7).filter((f) => f !== '-').length;
		expect(faulted).toBeGreaterThan(30);
		expect(faulted).toBeLessThan(90);
		expect(mulberry32(1)()).toBe(mulberry32(1)());
	});

	it('should play a script per ID, only for the affected methods, then answer normally', () => {
		const injector = new FaultInjector({ script: { a: ['http500', 'drop'] } });
		expect(injector.decide('GET', 'a').fault).toBeUndefined();
		expect(injector.decide('DELETE', 'b').fault).toBeUndefined();
		expect(injector.decide('DELETE', 'a').fault).toBe('http500');
		expect(injector.decide('DELETE', 'a').fault).toBe('drop');
		expect(injector.decide('DELETE', 'a').fault).toBeUndefined();
	});

	it('should refill a token bucket at its rate', () => {
		const bucket = new TokenBucket(10, 2, 0);
		expect([bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, false]);
		expect(bucket.take(50)).toBe(false);
		expect(bucket.take(100)).toBe(true);
	});

	it('should play faults queued for a next key first, whatever the method, then forget them on set', () => {
		const injector = new FaultInjector({ script: { a: ['http500'] } });
		injector.queueNext('CreateDigitalAsset', ['landedThenDrop', 'drop']);
		expect(injector.decide('POST', 'x', 'CreateDigitalAsset').fault).toBe('landedThenDrop');
		expect(injector.decide('DELETE', 'a', 'DeleteFile').fault).toBe('http500');
		expect(injector.nextRemaining('CreateDigitalAsset')).toEqual(['drop']);
		expect(injector.injected).toMatchObject({ landedThenDrop: 1, http500: 1 });
		injector.set({});
		expect(injector.decide('POST', 'x', 'CreateDigitalAsset').fault).toBeUndefined();
		expect(() => injector.queueNext('k', ['boom' as never])).toThrow(/Unknown fault kind/);
	});

	it('should refuse unknown fault kinds', () => {
		expect(() => new FaultInjector({ script: { a: ['boom' as never] } })).toThrow(/Unknown fault kind/);
	});
});

describe('KyyVideo2 emulator', () => {
	const KEY = 'sk-emulator-self-test';
	let api: KyyVideo2Emulator;
	const auth = { authorization: `Bearer ${KEY}` };
	const assetPath = (id: string) => `/kyyReactApiServer/kyyVideo2/asset/${id}`;

	beforeEach(async () => {
		api = await KyyVideo2Emulator.start({
			apiKey: KEY,
			assets: ['asset-1', { assetId: 'asset-2', status: 'Failed', assetType: 'Image', name: 'logo.png' }],
		});
	});

	afterEach(async () => {
		await api.stop();
	});

	it('should listen on 127.0.0.1 under the base path', () => {
		expect(api.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/kyyReactApiServer$/);
	});

	it('should check the bearer key on every request', async () => {
		const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer wrong' }, { authorization: KEY }];
		for (const headers of attempts) {
			const reply = await call(api.origin, 'DELETE', assetPath('asset-1'), headers);
			expect(reply.status).toBe(401);
			expect(reply.json).toEqual({ code: 401, msg: 'Unauthorized: invalid or missing API key', data: null });
		}
		expect((await call(api.origin, 'GET', '/nowhere', {})).status).toBe(401);
		expect(api.hasAsset('asset-1')).toBe(true);
		expect(api.deletesLanded('asset-1')).toBe(0);
	});

	it('should delete an asset once, then report it missing on DELETE and GET', async () => {
		const detail = await call(api.origin, 'GET', assetPath('asset-2'), auth);
		expect(detail.status).toBe(200);
		expect(detail.json).toEqual({
			code: 0,
			msg: null,
			data: {
				assetId: 'asset-2',
				name: 'logo.png',
				status: 'Failed',
				assetType: 'Image',
				url: expect.any(String),
				createTime: expect.any(String),
			},
		});

		const deleted = await call(api.origin, 'DELETE', assetPath('asset-2'), auth);
		expect(deleted.status).toBe(200);
		expect(deleted.json).toEqual({ code: '0', msg: '删除成功', data: null });
		expect(api.hasAsset('asset-2')).toBe(false);

		const again = await call(api.origin, 'DELETE', assetPath('asset-2'), auth);
		expect(again.status).toBe(200);
		expect(again.json).toEqual({ code: '-1', msg: '资产不存在', data: null });
		const gone = await call(api.origin, 'GET', assetPath('asset-2'), auth);
		expect(gone.json).toEqual({ code: -1, msg: '资产不存在', data: null });

		expect(api.deletesLanded('asset-2')).toBe(1);
		expect(api.deleteRequests('asset-2')).toBe(2);
		expect(api.stats()).toMatchObject({ deletesLanded: 1, throttled: 0, requests: 4 });
	});

	it('should answer the numeric 0 when switched', async () => {
		api.numericSuccessCode = true;
		const reply = await call(api.origin, 'DELETE', assetPath('asset-1'), auth);
		expect(reply.json).toEqual({ code: 0, msg: '删除成功', data: null });
	});

	it('should route on the raw path and record every request as it arrived', async () => {
		const paths = [
			assetPath('asset-1%2Fx'),
			assetPath('asset-1/extra'),
			assetPath('asset-1/'),
			assetPath('%61sset-1'),
			'/kyyVideo2/asset/asset-1',
		];
		for (const path of paths) {
			const reply = await call(api.origin, 'DELETE', path, auth);
			expect(reply.status).toBe(404);
			expect(reply.json).toMatchObject({ status: 404, error: 'Not Found' });
		}
		expect((await call(api.origin, 'PUT', assetPath('asset-1'), auth)).status).toBe(404);
		expect(api.hasAsset('asset-1')).toBe(true);

		const before = Date.now();
		await call(api.origin, 'DELETE', `${assetPath('asset-1')}?x=1`, { ...auth, 'x-extra': 'yes' }, 'hello');
		const after = Date.now();
		expect(api.requests.map((r) => r.rawPath)).toEqual([...paths, assetPath('asset-1'), `${assetPath('asset-1')}?x=1`]);
		const last = api.requests[api.requests.length - 1];
		expect(last).toEqual({
			method: 'DELETE',
			rawPath: `${assetPath('asset-1')}?x=1`,
			headers: expect.objectContaining({ authorization: `Bearer ${KEY}`, 'x-extra': 'yes' }),
			body: 'hello',
			time: expect.any(Number),
		});
		expect(last.time).toBeGreaterThanOrEqual(before);
		expect(last.time).toBeLessThanOrEqual(after);
		expect(api.hasAsset('asset-1')).toBe(false);
	});

	it('should answer an HTML page for an ID in htmlFor, without deleting', async () => {
		api.htmlFor.add('asset-1');
		const reply = await call(api.origin, 'DELETE', assetPath('asset-1'), auth);
		expect(reply.status).toBe(502);
		expect(reply.headers['content-type']).toMatch(/text\/html/);
		expect(reply.text).toContain('<html>');
		expect(api.hasAsset('asset-1')).toBe(true);
	});

	it('should answer the foreignPage fault with a 200 HTML page, without deleting', async () => {
		api.setFaults({ script: { 'asset-1': ['foreignPage'] } });
		const reply = await call(api.origin, 'DELETE', assetPath('asset-1'), auth);
		expect([reply.status, reply.headers['content-type'], reply.json]).toEqual([200, 'text/html;charset=UTF-8', undefined]);
		expect(reply.text).toBe(FOREIGN_PAGE_HTML);
		expect([api.hasAsset('asset-1'), api.deletesLanded('asset-1'), api.faultsInjected.foreignPage]).toEqual([true, 0, 1]);
	});

	it('should answer success but keep an asset in ghostDeletes', async () => {
		api.ghostDeletes.add('asset-1');
		expect((await call(api.origin, 'DELETE', assetPath('asset-1'), auth)).json.code).toBe('0');
		expect(api.hasAsset('asset-1')).toBe(true);
		expect(api.deletesLanded('asset-1')).toBe(0);
	});

	it('should throttle beyond the rate limit with Retry-After', async () => {
		api.setFaults({ rateLimit: { perSecond: 1, burst: 2 }, retryAfterSeconds: 3 });
		for (const id of ['a', 'b', 'c', 'd']) api.addAsset(id);
		const replies = [];
		for (const id of ['a', 'b', 'c']) replies.push(await call(api.origin, 'DELETE', assetPath(id), auth));
		expect(replies.map((r) => r.status)).toEqual([200, 200, 429]);
		expect(replies[2].json).toEqual({ code: '429', msg: '请求过于频繁', data: null });
		expect(replies[2].headers['retry-after']).toBe('3');
		expect(api.hasAsset('c')).toBe(true);
		// GET is not an affected method by default.
		expect((await call(api.origin, 'GET', assetPath('d'), auth)).status).toBe(200);
		expect(api.throttled).toBe(1);
	});

	it('should answer 500 and 503 without deleting', async () => {
		api.setFaults({ script: { 'asset-1': ['http500', 'http503'] } });
		const first = await call(api.origin, 'DELETE', assetPath('asset-1'), auth);
		expect(first.status).toBe(500);
		expect(first.json).toEqual({ code: '500', msg: '服务器内部错误', data: null });
		expect((await call(api.origin, 'DELETE', assetPath('asset-1'), auth)).status).toBe(503);
		expect(api.hasAsset('asset-1')).toBe(true);
		expect((await call(api.origin, 'DELETE', assetPath('asset-1'), auth)).status).toBe(200);
		expect(api.deletesLanded('asset-1')).toBe(1);
	});

	it('should drop a connection without deleting, and count a landed delete whose answer was dropped', async () => {
		api.setFaults({ script: { 'asset-1': ['drop'], 'asset-2': ['landedThenDrop'] } });
		await expect(call(api.origin, 'DELETE', assetPath('asset-1'), auth)).rejects.toThrow(/socket hang up|ECONNRESET/);
		expect(api.hasAsset('asset-1')).toBe(true);

		await expect(call(api.origin, 'DELETE', assetPath('asset-2'), auth)).rejects.toThrow(/socket hang up|ECONNRESET/);
		expect(api.hasAsset('asset-2')).toBe(false);
		expect(api.deletesLanded('asset-2')).toBe(1);
		expect((await call(api.origin, 'DELETE', assetPath('asset-2'), auth)).json.code).toBe('-1');
		expect(api.deletesLanded('asset-2')).toBe(1);
	});

	it('should answer a slow request late and delete only then', async () => {
		api.setFaults({ script: { 'asset-1': ['slow'] }, slowMs: 300 });
		const pending = call(api.origin, 'DELETE', assetPath('asset-1'), auth);
		await waitUntil(() => api.requests.length === 1);
		expect(api.hasAsset('asset-1')).toBe(true);
		// Late by order, not by a clock: a request sent after the slow one is answered while it still waits.
		expect((await call(api.origin, 'DELETE', assetPath('asset-2'), auth)).json.code).toBe('0');
		expect(api.hasAsset('asset-1')).toBe(true);
		const reply = await pending;
		expect(reply.json.code).toBe('0');
		expect(api.hasAsset('asset-1')).toBe(false);
	});

	it('should add latency and measure requests in flight', async () => {
		for (let i = 0; i < 6; i++) api.addAsset(`lat-${i}`);
		api.setFaults({ latencyMs: [40, 60], random: { probability: 0, kinds: [] } });
		// The delay each request gets is the injector's decision, checked without a clock.
		const injector = new FaultInjector({ latencyMs: [40, 60] });
		for (let i = 0; i < 20; i++) expect(injector.decide('DELETE', `x-${i}`).latencyMs).toBeGreaterThanOrEqual(40);
		await Promise.all([0, 1, 2, 3, 4, 5].map((i) => call(api.origin, 'DELETE', assetPath(`lat-${i}`), auth)));
		expect(api.maxInFlight).toBeGreaterThanOrEqual(2);
		expect(api.maxInFlight).toBeLessThanOrEqual(6);
	});

	it('should reproduce the same faults for the same seed', async () => {
		const run = async () => {
			api.reset();
			const ids = Array.from({ length: 40 }, (_, i) => `chaos-${i}`);
			ids.forEach((id) => api.addAsset(id));
			api.setFaults({ random: { probability: 0.4, kinds: ['http500', 'http503', 'throttle'], seed: 99 } });
			const statuses: number[] = [];
			for (const id of ids) statuses.push((await call(api.origin, 'DELETE', assetPath(id), auth)).status);
			return statuses;
		};
		const first = await run();
		expect(first.some((s) => s !== 200)).toBe(true);
		expect(await run()).toEqual(first);
	});

	it('should not record with record: false, and reset its state', async () => {
		api.record = false;
		await call(api.origin, 'DELETE', assetPath('asset-1'), auth);
		expect(api.requests).toHaveLength(0);
		expect(api.stats().deletesLanded).toBe(1);
		api.reset();
		expect(api.stats()).toEqual({ deletesLanded: 0, throttled: 0, requests: 0, maxInFlight: 0 });
		expect(api.hasAsset('asset-2')).toBe(false);
	});

	it('should close kept-alive sockets on stop, one with a request still being answered included', async () => {
		const agent = new http.Agent({ keepAlive: true });
		await call(api.origin, 'GET', assetPath('asset-1'), auth, undefined, agent);
		// An answer an hour away keeps the kept-alive socket busy: only stop() closing it lets stop() end.
		api.setFaults({ script: { 'asset-2': ['slow'] }, slowMs: 3_600_000 });
		const pending = call(api.origin, 'DELETE', assetPath('asset-2'), auth, undefined, agent);
		const ended = expect(pending).rejects.toThrow(/socket hang up|ECONNRESET/);
		await waitUntil(() => api.requests.length === 2);
		await api.stop();
		await ended;
		expect(api.hasAsset('asset-2')).toBe(true);
		agent.destroy();
	});
});

describe('MetaStudio + IAM emulator', () => {
	const AK = 'HPUAXLPZQ7EMULATOR01';
	const SK = 'emulatorSelfTestSecretKey0123456789abcd';
	const PROJECT = '6a6a1f8354f64dd9b9a614def7b59d83';
	const FILE = '24bad716-87b1-45e5-8912-6102f7693265';
	const IAM_USER = { domainName: 'acme', userName: 'bot', password: 'P@ss-word' };
	const CREDENTIAL = { getAk: () => AK, getSk: () => SK } as unknown as ICredential;
	let cloud: MetaStudioEmulator;

	beforeEach(async () => {
		cloud = await MetaStudioEmulator.start({
			accessKeyId: AK,
			secretAccessKey: SK,
			projectId: PROJECT,
			files: [FILE, 'file-2', 'file-3'],
			iamUser: IAM_USER,
		});
	});

	afterEach(async () => {
		await cloud.stop();
	});

	const filePath = (id: string, project = PROJECT) => `/v1/${project}/files/${id}`;

	/** Headers signed by Huawei's SDK signer (a client the emulator does not share code with). */
	function sdkHeaders(method: string, path: string, extra: Record<string, string> = {}, date = new Date()) {
		const signed = AKSKSigner.sign(
			{ method, endpoint: `${cloud.endpoint}${path}`, headers: { ...extra, 'X-Sdk-Date': formatSdkDate(date) } },
			CREDENTIAL,
		) as Record<string, string>;
		return signed;
	}

	async function token(): Promise<string> {
		const reply = await iamToken(cloud.iamEndpoint, IAM_USER, PROJECT);
		expect(reply.status).toBe(201);
		return reply.headers['x-subject-token'] as string;
	}

	it('should accept a request signed by the SDK signer and delete the file', async () => {
		const reply = await call(cloud.endpoint, 'DELETE', filePath(FILE), sdkHeaders('DELETE', filePath(FILE)));
		expect(reply.status).toBe(200);
		expect(reply.text).toBe('');
		expect(reply.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
		expect(cloud.hasFile(FILE)).toBe(false);
		expect(cloud.deletesLanded(FILE)).toBe(1);
		expect(cloud.requests[0]).toMatchObject({ method: 'DELETE', rawPath: filePath(FILE) });
	});

	it('should reject a tampered signature, a wrong key or an unsigned date with APIGW.0301', async () => {
		const good = sdkHeaders('DELETE', filePath(FILE));
		const tampered = { ...good, Authorization: good.Authorization.replace(/.$/, (c) => (c === '0' ? '1' : '0')) };
		const wrongSk = AKSKSigner.sign(
			{ method: 'DELETE', endpoint: `${cloud.endpoint}${filePath(FILE)}`, headers: { 'X-Sdk-Date': good['X-Sdk-Date'] } },
			{ getAk: () => AK, getSk: () => 'not-the-secret' } as unknown as ICredential,
		) as Record<string, string>;
		const wrongAk = { ...good, Authorization: good.Authorization.replace(AK, 'AKWRONG0000000000000') };
		const otherPath = sdkHeaders('DELETE', filePath('file-2'));
		const cases = [tampered, wrongSk, wrongAk, otherPath, { host: good.host, Authorization: good.Authorization }, {}];
		for (const headers of cases) {
			const reply = await call(cloud.endpoint, 'DELETE', filePath(FILE), headers);
			expect(reply.status).toBe(401);
			expect(reply.json).toMatchObject({ error_code: 'APIGW.0301', request_id: expect.any(String) });
			expect(reply.headers['x-request-id']).toBe(reply.json.request_id);
		}
		expect(tampered.Authorization).not.toBe(good.Authorization);
		expect(cloud.hasFile(FILE)).toBe(true);
		expect(cloud.hasFile('file-2')).toBe(true);
		expect(cloud.authFailures.map((f) => f.reason)).toEqual([
			'signature mismatch',
			'signature mismatch',
			'unknown access key',
			'signature mismatch',
			'signed header x-sdk-date is missing',
			'no credentials',
		]);
		expect((await call(cloud.endpoint, 'DELETE', filePath(FILE), good)).status).toBe(200);
	});

	it('should require host and x-sdk-date to be signed, and X-App-UserId when sent', async () => {
		// Signed by hand without host: the canonical request is right, the list is not.
		const date = formatSdkDate(new Date());
		const withoutHost = await call(cloud.endpoint, 'DELETE', filePath(FILE), {
			'X-Sdk-Date': date,
			Authorization: `SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=x-sdk-date, Signature=${'0'.repeat(64)}`,
		});
		expect(withoutHost.status).toBe(401);
		expect(cloud.authFailures[0].reason).toBe('host is not signed');

		const unsigned = { ...sdkHeaders('DELETE', filePath(FILE)), 'X-App-UserId': 'tenant-1' };
		expect((await call(cloud.endpoint, 'DELETE', filePath(FILE), unsigned)).status).toBe(401);
		const signed = sdkHeaders('DELETE', filePath(FILE), { 'x-app-userid': 'tenant-1' });
		expect((await call(cloud.endpoint, 'DELETE', filePath(FILE), signed)).status).toBe(200);
		expect(cloud.requests[2].headers['x-app-userid']).toBe('tenant-1');
	});

	it('should verify signatures of IDs that need encoding, with a query, as the package signer makes them', async () => {
		const odd = ["clip one's.mp4", 'a/b', 'tilde~and%25', '视频-1'];
		for (const id of odd) cloud.addFile(id);
		for (const id of odd) {
			const url = `${cloud.endpoint}/v1/${PROJECT}/files/${encodeURIComponent(id)}`;
			const signed = signRequest({ method: 'DELETE', url, qs: { force: 'true' } }, { accessKeyId: AK, secretAccessKey: SK }, new Date());
			const { pathname, search } = new URL(signed.url);
			const reply = await call(cloud.endpoint, 'DELETE', `${pathname}${search}`, signed.headers);
			expect([id, reply.status, cloud.authFailures.map((f) => f.reason)]).toEqual([id, 200, []]);
			expect(cloud.hasFile(id)).toBe(false);
		}
	});

	it('should compute the published signature vector with its oracle', () => {
		const signature = sdkSignature(
			{
				method: 'GET',
				rawPath: '/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0',
				headers: { host: 'service.region.example.com', 'content-type': 'application/json', 'x-sdk-date': '20191115T033655Z' },
				body: '',
				signedHeaders: ['content-type', 'host', 'x-sdk-date'],
			},
			{ accessKeyId: 'QTWAOYTTINDUT2QVKYUC', secretAccessKey: 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc' },
		);
		expect(signature).toBe('7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe');
		expect(parseSdkDate('20191115T033655Z')).toBe(Date.UTC(2019, 10, 15, 3, 36, 55));
		expect(parseSdkDate('20191132T033655Z')).toBeUndefined();
	});

	it('should reject an X-Sdk-Date more than 15 minutes from its clock', async () => {
		const minute = 60_000;
		const skewed = await call(cloud.endpoint, 'DELETE', filePath(FILE), sdkHeaders('DELETE', filePath(FILE), {}, new Date(Date.now() - 16 * minute)));
		expect(skewed.status).toBe(401);
		expect(skewed.json).toMatchObject({ error_code: 'APIGW.0301', error_msg: expect.stringMatching(/15 minutes/) });

		cloud.clockOffsetMs = 20 * minute;
		expect((await call(cloud.endpoint, 'DELETE', filePath(FILE), sdkHeaders('DELETE', filePath(FILE)))).status).toBe(401);
		const withinWindow = sdkHeaders('DELETE', filePath(FILE), {}, new Date(Date.now() + 14 * minute));
		expect((await call(cloud.endpoint, 'DELETE', filePath(FILE), withinWindow)).status).toBe(200);
	});

	it('should require a configured security token to be sent and signed', async () => {
		await cloud.stop();
		cloud = await MetaStudioEmulator.start({ accessKeyId: AK, secretAccessKey: SK, securityToken: 'sts-token', projectId: PROJECT, files: [FILE] });
		expect((await call(cloud.endpoint, 'DELETE', filePath(FILE), sdkHeaders('DELETE', filePath(FILE)))).status).toBe(401);
		const wrong = sdkHeaders('DELETE', filePath(FILE), { 'x-security-token': 'other' });
		expect((await call(cloud.endpoint, 'DELETE', filePath(FILE), wrong)).status).toBe(401);
		const right = sdkHeaders('DELETE', filePath(FILE), { 'x-security-token': 'sts-token' });
		expect((await call(cloud.endpoint, 'DELETE', filePath(FILE), right)).status).toBe(200);
	});

	it('should answer an unknown file with 400 MSS.10001004 and another project with 400 MSS.00010009', async () => {
		const missing = await call(cloud.endpoint, 'DELETE', filePath('nope'), sdkHeaders('DELETE', filePath('nope')));
		expect(missing.status).toBe(400);
		expect(missing.json).toEqual({ error_code: 'MSS.10001004', error_msg: 'The file not found' });
		expect(missing.headers['x-request-id']).toEqual(expect.any(String));

		const other = filePath(FILE, 'ffffffffffffffffffffffffffffffff');
		const mismatch = await call(cloud.endpoint, 'DELETE', other, sdkHeaders('DELETE', other));
		expect(mismatch.status).toBe(400);
		expect(mismatch.json.error_code).toBe('MSS.00010009');

		const unknown = await call(cloud.endpoint, 'DELETE', `/v2/${PROJECT}/files/${FILE}`, sdkHeaders('DELETE', `/v2/${PROJECT}/files/${FILE}`));
		expect(unknown.status).toBe(404);
		expect(unknown.json.error_code).toBe('APIGW.0101');
		expect(cloud.hasFile(FILE)).toBe(true);
	});

	it('should issue IAM tokens, accept them, and refuse them once expired', async () => {
		const issued = await call(
			cloud.iamEndpoint,
			'POST',
			'/v3/auth/tokens?nocatalog=true',
			{ 'content-type': 'application/json' },
			JSON.stringify({
				auth: {
					identity: { methods: ['password'], password: { user: { name: 'bot', password: 'P@ss-word', domain: { name: 'acme' } } } },
					scope: { project: { id: PROJECT } },
				},
			}),
		);
		expect(issued.status).toBe(201);
		const subject = issued.headers['x-subject-token'] as string;
		expect(subject).toMatch(/^MII/);
		expect(Date.parse(issued.json.token.expires_at) - Date.parse(issued.json.token.issued_at)).toBe(24 * 3600_000);
		expect(cloud.tokensIssued).toBe(1);
		expect(cloud.iamRequests).toHaveLength(1);
		expect(cloud.requests).toHaveLength(0);

		expect((await call(cloud.endpoint, 'DELETE', filePath(FILE), { 'X-Auth-Token': subject })).status).toBe(200);
		const other = filePath('file-2', 'ffffffffffffffffffffffffffffffff');
		expect((await call(cloud.endpoint, 'DELETE', other, { 'X-Auth-Token': subject })).json.error_code).toBe('MSS.00010009');

		cloud.expireAllTokens();
		const expired = await call(cloud.endpoint, 'DELETE', filePath('file-2'), { 'X-Auth-Token': subject });
		expect(expired.status).toBe(401);
		expect(expired.json).toEqual({ error_code: 'APIGW.0307', error_msg: 'The token must be updated.', request_id: expect.any(String) });
		expect((await call(cloud.endpoint, 'DELETE', filePath('file-2'), { 'X-Auth-Token': 'MIInot-a-token' })).status).toBe(401);

		const fresh = await token();
		expect((await call(cloud.endpoint, 'DELETE', filePath('file-2'), { 'X-Auth-Token': fresh })).status).toBe(200);
		expect(cloud.tokensIssued).toBe(2);
	});

	it('should expire tokens after a number of landed deletes', async () => {
		const subject = await token();
		cloud.expireTokensAfterDeletes(1);
		expect((await call(cloud.endpoint, 'DELETE', filePath(FILE), { 'X-Auth-Token': subject })).status).toBe(200);
		expect((await call(cloud.endpoint, 'DELETE', filePath('file-2'), { 'X-Auth-Token': subject })).status).toBe(401);
		expect((await call(cloud.endpoint, 'DELETE', filePath('file-2'), { 'X-Auth-Token': await token() })).status).toBe(200);
	});

	it('should refuse wrong IAM credentials with 401 and an unknown project with 400', async () => {
		const body = (password: string, project: string) =>
			JSON.stringify({
				auth: {
					identity: { methods: ['password'], password: { user: { name: 'bot', password, domain: { name: 'acme' } } } },
					scope: { project: { id: project } },
				},
			});
		const wrong = await call(cloud.iamEndpoint, 'POST', '/v3/auth/tokens?nocatalog=true', {}, body('nope', PROJECT));
		expect(wrong.status).toBe(401);
		expect(wrong.json).toEqual({ error: { code: 401, message: 'The username or password is wrong.', title: 'Unauthorized' } });
		expect(wrong.headers['x-subject-token']).toBeUndefined();

		const project = await call(cloud.iamEndpoint, 'POST', '/v3/auth/tokens?nocatalog=true', {}, body('P@ss-word', 'unknown'));
		expect(project.status).toBe(400);
		expect(project.json.error).toMatchObject({ code: 400, message: expect.stringMatching(/project/i) });
		expect(cloud.tokensIssued).toBe(0);
	});

	it('should throttle with APIGW.0308 and no Retry-After', async () => {
		cloud.setFaults({ script: { [FILE]: ['throttle'] } });
		const reply = await call(cloud.endpoint, 'DELETE', filePath(FILE), sdkHeaders('DELETE', filePath(FILE)));
		expect(reply.status).toBe(429);
		expect(reply.json).toEqual({
			error_code: 'APIGW.0308',
			error_msg: 'The throttling threshold has been reached: policy user over ratelimit, limit:5, time:1 second',
			request_id: expect.any(String),
		});
		expect(reply.headers['retry-after']).toBeUndefined();
		expect(cloud.hasFile(FILE)).toBe(true);
		expect(cloud.throttled).toBe(1);
	});

	it('should answer 500 MSS.00000004 and 503 from the gateway', async () => {
		cloud.setFaults({ script: { [FILE]: ['http500', 'http503'] } });
		const first = await call(cloud.endpoint, 'DELETE', filePath(FILE), sdkHeaders('DELETE', filePath(FILE)));
		expect([first.status, first.json]).toEqual([500, { error_code: 'MSS.00000004', error_msg: 'Internal Error' }]);
		const second = await call(cloud.endpoint, 'DELETE', filePath(FILE), sdkHeaders('DELETE', filePath(FILE)));
		expect(second.status).toBe(503);
		expect(second.json.error_code).toMatch(/^APIGW\./);
		expect(cloud.hasFile(FILE)).toBe(true);
	});

	it('should count a delete that landed before the connection dropped', async () => {
		cloud.setFaults({ script: { [FILE]: ['landedThenDrop'] } });
		await expect(call(cloud.endpoint, 'DELETE', filePath(FILE), sdkHeaders('DELETE', filePath(FILE)))).rejects.toThrow(
			/socket hang up|ECONNRESET/,
		);
		expect(cloud.deletesLanded(FILE)).toBe(1);
		const again = await call(cloud.endpoint, 'DELETE', filePath(FILE), sdkHeaders('DELETE', filePath(FILE)));
		expect(again.json.error_code).toBe('MSS.10001004');
		expect(cloud.deletesLanded(FILE)).toBe(1);
		expect(cloud.deleteRequests(FILE)).toBe(2);
	});
});
