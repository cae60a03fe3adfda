/**
 * Self-test of the KyyVideo2 emulator's upload (`POST /kyyVideo2/asset/upload`) and of how an uploaded
 * asset moves from Processing to Active or Failed, with plain Node HTTP requests.
 */
import type { KyyVideo2Options } from './kyyVideo2';
import { KYY_UPLOAD_REFUSED_CODE, kyyUploadFaultKey, KyyVideo2Emulator } from './kyyVideo2';
import { call } from './rawClient';

const KEY = 'sk-upload-self-test';
const AUTH = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const UPLOAD = '/kyyReactApiServer/kyyVideo2/asset/upload';
const detailPath = (id: string) => `/kyyReactApiServer/kyyVideo2/asset/${id}`;
const DROPPED = /socket hang up|ECONNRESET/;
const SOURCE = 'https://files.example.com/media/Launch%20video.mp4?sig=abc';

describe('KyyVideo2 emulator: upload', () => {
	let api: KyyVideo2Emulator;

	async function start(options: KyyVideo2Options = {}): Promise<void> {
		await api?.stop();
		api = await KyyVideo2Emulator.start({ apiKey: KEY, ...options });
	}

	beforeEach(async () => {
		await start();
	});

	afterEach(async () => {
		await api.stop();
	});

	const upload = async (body: unknown, headers: Record<string, string> = AUTH) =>
		await call(api.origin, 'POST', UPLOAD, headers, typeof body === 'string' ? body : JSON.stringify(body));
	const detail = async (id: string) => await call(api.origin, 'GET', detailPath(id), AUTH);
	const statusOf = async (id: string) => (await detail(id)).json.data.status as string;

	it('should answer a new asset ID with the integer code 0, and show the asset Processing, then Active', async () => {
		const reply = await upload({ assetType: 'Video', url: SOURCE, name: 'launch.mp4' });
		expect(reply.status).toBe(200);
		expect(reply.json).toEqual({ code: 0, msg: 'success', data: { assetId: expect.stringMatching(/^asset-\d{14}-[a-z0-9]{5}$/) } });
		const { assetId } = reply.json.data;
		const first = await detail(assetId);
		expect(first.json).toEqual({
			code: 0,
			msg: null,
			data: {
				assetId,
				name: 'launch.mp4',
				status: 'Processing',
				assetType: 'Video',
				url: expect.stringMatching(/^https:\/\//),
				createTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
			},
		});
		expect(first.json.data.url).not.toBe(SOURCE);
		expect(await statusOf(assetId)).toBe('Processing');
		expect(await statusOf(assetId)).toBe('Active');
		expect(await statusOf(assetId)).toBe('Active');
		expect(api.upload(assetId)).toEqual({
			assetId,
			assetType: 'Video',
			url: SOURCE,
			name: 'launch.mp4',
			uploadedAt: expect.any(Number),
			finalStatus: 'Active',
			reads: 4,
		});
		expect([api.uploadsLanded(), api.uploads().map((u) => u.assetId)]).toEqual([1, [assetId]]);
	});

	it('should end Failed for a URL matching failUrls, and name an asset after the URL when no name is given', async () => {
		await start({ failUrls: /refused/, processingReads: 1 });
		const failing = (await upload({ assetType: 'Image', url: 'http://files.example.com/refused/logo.png' })).json.data.assetId;
		const passing = (await upload({ assetType: 'Audio', url: SOURCE, name: null })).json.data.assetId;
		const bare = (await upload({ assetType: 'Document', url: 'https://files.example.com' })).json.data.assetId;
		expect([await statusOf(failing), await statusOf(failing), await statusOf(failing)]).toEqual(['Processing', 'Failed', 'Failed']);
		expect([await statusOf(passing), await statusOf(passing)]).toEqual(['Processing', 'Active']);
		expect((await detail(passing)).json.data.name).toBe('Launch video.mp4');
		expect((await detail(bare)).json.data.name).toBe(bare);
		expect(api.upload(failing)?.finalStatus).toBe('Failed');
	});

	it('should be Active at the first read with processingReads 0, and after processingMs on its clock', async () => {
		let now = Date.UTC(2026, 2, 30, 14, 21, 58);
		await start({ processingReads: 0, now: () => now });
		const quick = (await upload({ assetType: 'Video', url: SOURCE })).json.data.assetId as string;
		expect(quick).toMatch(/^asset-20260330142158-[a-z0-9]{5}$/);
		expect((await detail(quick)).json.data).toMatchObject({ status: 'Active', createTime: '2026-03-30 14:21:58' });

		api.processingReads = Number.POSITIVE_INFINITY;
		api.processingMs = 60_000;
		const timed = (await upload({ assetType: 'Video', url: SOURCE })).json.data.assetId;
		expect(await statusOf(timed)).toBe('Processing');
		now += 59_000;
		expect(await statusOf(timed)).toBe('Processing');
		api.advanceClock(1_000);
		expect(api.getAsset(timed)?.status).toBe('Active');
		expect(await statusOf(timed)).toBe('Active');
	});

	it('should stop processing once setStatus decides', async () => {
		const id = (await upload({ assetType: 'Video', url: SOURCE })).json.data.assetId;
		api.setStatus(id, 'Failed');
		expect([await statusOf(id), await statusOf(id), await statusOf(id)]).toEqual(['Failed', 'Failed', 'Failed']);
	});

	it('should refuse a bad body with a non-zero integer code and a message naming the field, creating nothing', async () => {
		const cases: Array<[unknown, RegExp]> = [
			['not json', /JSON object/],
			[[{ assetType: 'Video', url: SOURCE }], /JSON object/],
			[{ url: SOURCE }, /^assetType must be one of Image, Video, Audio, Document$/],
			[{ assetType: 'video', url: SOURCE }, /^assetType/],
			[{ assetType: 'VIDEO', url: SOURCE }, /^assetType/],
			[{ assetType: 'Video' }, /^url must be an http or https URL$/],
			[{ assetType: 'Video', url: 'ftp://files.example.com/a.mp4' }, /^url/],
			[{ assetType: 'Video', url: 'files.example.com/a.mp4' }, /^url/],
			[{ assetType: 'Video', url: 42 }, /^url/],
			[{ assetType: 'Video', url: SOURCE, name: 7 }, /^name must be a string$/],
		];
		for (const [body, message] of cases) {
			const reply = await upload(body);
			expect([body, reply.status, reply.json.code, reply.json.data]).toEqual([body, 200, KYY_UPLOAD_REFUSED_CODE, null]);
			expect(reply.json.msg).toMatch(message);
		}
		expect([api.uploadsLanded(), api.assetIds()]).toEqual([0, []]);
	});

	it('should check the bearer key, and leave other methods on the upload path as before', async () => {
		for (const headers of [{}, { authorization: 'Bearer wrong' }] as Array<Record<string, string>>) {
			const reply = await upload({ assetType: 'Video', url: SOURCE }, headers);
			expect([reply.status, reply.json.code]).toEqual([401, 401]);
		}
		expect((await call(api.origin, 'POST', `${UPLOAD}/`, AUTH, '{}')).status).toBe(404);
		expect((await call(api.origin, 'PUT', UPLOAD, AUTH, '{}')).status).toBe(404);
		expect((await call(api.origin, 'GET', UPLOAD, AUTH)).json).toEqual({ code: -1, msg: '资产不存在', data: null });
		expect(api.uploadsLanded()).toBe(0);
	});

	it('should create the asset and lose the answer on faultNext landedThenDrop, once', async () => {
		api.faultNext('upload', 'landedThenDrop');
		await expect(upload({ assetType: 'Video', url: SOURCE })).rejects.toThrow(DROPPED);
		expect(api.uploadsLanded()).toBe(1);
		expect((await upload({ assetType: 'Video', url: SOURCE })).json.code).toBe(0);
		expect(api.uploadsLanded()).toBe(2);
		expect(api.faultsInjected.landedThenDrop).toBe(1);
	});

	it("should fault an upload by its URL's script on POST, and details on GET, without creating on a 500", async () => {
		api.setFaults({ methods: ['POST', 'GET'], script: { [kyyUploadFaultKey(SOURCE)]: ['http500', 'throttle'] } });
		expect((await upload({ assetType: 'Video', url: SOURCE })).status).toBe(500);
		const throttled = await upload({ assetType: 'Video', url: SOURCE });
		expect([throttled.status, throttled.headers['retry-after']]).toEqual([429, '1']);
		expect(api.uploadsLanded()).toBe(0);
		const id = (await upload({ assetType: 'Video', url: SOURCE })).json.data.assetId;
		api.faultNext('detail', 'http503');
		expect((await detail(id)).status).toBe(503);
		expect(api.upload(id)?.reads).toBe(0);
		expect(await statusOf(id)).toBe('Processing');
	});

	it('should forget uploads on reset and take the options back', async () => {
		await start({ processingReads: 5 });
		await upload({ assetType: 'Video', url: SOURCE });
		api.processingReads = 0;
		api.reset();
		expect([api.uploads(), api.assetIds(), api.processingReads]).toEqual([[], [], 5]);
		expect(api.stats()).toEqual({ deletesLanded: 0, throttled: 0, requests: 0, maxInFlight: 0 });
	});
});
