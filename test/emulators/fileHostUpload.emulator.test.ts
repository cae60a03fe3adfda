/**
 * Self-test of the file host's uploads (fileHost.ts: PUT to a signed upload URL) with plain Node HTTP
 * requests.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';

import type { FileHostOptions } from './fileHost';
import { FileHost, uploadContentTypeFor } from './fileHost';
import type { Reply } from './rawClient';
import { call } from './rawClient';

const md5Base64 = (bytes: Buffer) => createHash('md5').update(bytes).digest('base64');
const md5Hex = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');
const xmlCode = (text: string) => /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
const xmlMessage = (text: string) => /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
const DROPPED = /socket hang up|ECONNRESET|EPIPE/;

/** The path and query of a URL, as a raw request target. */
const target = (url: string) => {
	const parsed = new URL(url);
	return `${parsed.pathname}${parsed.search}`;
};

/** A GET whose body is kept as bytes. */
function getBytes(url: string): Promise<{ status: number; contentType?: string; body: Buffer }> {
	return new Promise((resolve, reject) => {
		http
			.get(url, { agent: false }, (res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body: Buffer.concat(chunks) }));
			})
			.on('error', reject);
	});
}

/** A chunked PUT (no Content-Length), which `call` cannot send. */
function putChunked(url: string, headers: Record<string, string>, body: Buffer): Promise<Reply> {
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method: 'PUT', headers: { ...headers, 'transfer-encoding': 'chunked' }, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: undefined });
			});
		});
		req.on('error', reject);
		req.write(body.subarray(0, 10));
		req.end(body.subarray(10));
	});
}

describe('FileHost: uploads', () => {
	const hosts: FileHost[] = [];
	let host: FileHost;

	async function start(options?: FileHostOptions): Promise<FileHost> {
		const started = await FileHost.start(options);
		hosts.push(started);
		return started;
	}

	beforeEach(async () => {
		host = await start();
	});

	afterEach(async () => {
		await Promise.all(hosts.splice(0).map((started) => started.stop()));
	});

	const PATH = '/upload/p1/a1/f1/Launch video.mp4';
	const BYTES = randomBytes(300_000);

	/** A PUT of `body` to `url` with the headers an uploader should send, `headers` replacing them. */
	async function put(url: string, body: Buffer, headers: Record<string, string> = {}): Promise<Reply> {
		return await call(host.baseUrl, 'PUT', target(url), { 'content-md5': md5Base64(body), 'content-type': 'video/mp4', ...headers }, body);
	}

	describe('accepted uploads', () => {
		it('should store a PUT to an upload URL, answer 200 with its ETag, and serve it by GET', async () => {
			const url = host.uploadUrl(PATH);
			expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/upload\/p1\/a1\/f1\/Launch%20video\.mp4\?AccessKeyId=.+&Expires=\d+&Signature=.+$/);
			const reply = await put(url, BYTES);
			expect([reply.status, reply.text, reply.headers.etag]).toEqual([200, '', `"${md5Hex(BYTES)}"`]);
			expect(reply.headers['x-obs-request-id']).toMatch(/^[0-9A-F]{32}$/);
			expect(host.uploaded(PATH)).toEqual({
				path: PATH,
				size: BYTES.length,
				md5Base64: md5Base64(BYTES),
				md5Hex: md5Hex(BYTES),
				contentType: 'video/mp4',
				bytesKept: true,
				time: expect.any(Number),
			});
			expect(host.requests).toEqual([
				expect.objectContaining({ method: 'PUT', path: PATH, status: 200, bytesSent: 0, bytesReceived: BYTES.length }),
			]);
			const got = await getBytes(host.url(PATH));
			expect([got.status, got.contentType, md5Base64(got.body)]).toEqual([200, 'video/mp4', md5Base64(BYTES)]);
			expect(host.file(PATH)).toEqual(expect.objectContaining({ size: BYTES.length, md5Base64: md5Base64(BYTES) }));
		});

		it('should take a body larger than the 1 MiB other requests are limited to, and replace an object on a second PUT', async () => {
			const large = randomBytes(3 * 1024 * 1024 + 7);
			const url = host.uploadUrl(PATH);
			expect((await put(url, large)).status).toBe(200);
			expect(host.uploaded(PATH)).toEqual(expect.objectContaining({ size: large.length, md5Base64: md5Base64(large), bytesKept: true }));
			expect((await put(url, BYTES)).status).toBe(200);
			expect(host.uploaded(PATH)).toEqual(expect.objectContaining({ size: BYTES.length, md5Base64: md5Base64(BYTES) }));
			expect(host.uploads().map((upload) => upload.path)).toEqual([PATH]);
		});

		it('should keep only size, MD5 and type above keepUploadBytesUpTo, and not serve those bytes', async () => {
			const small = await start({ keepUploadBytesUpTo: 100_000 });
			const body = randomBytes(250_000);
			const reply = await call(small.baseUrl, 'PUT', target(small.uploadUrl(PATH)), { 'content-md5': md5Base64(body), 'content-type': 'video/mp4' }, body);
			expect(reply.status).toBe(200);
			expect(small.uploaded(PATH)).toEqual(expect.objectContaining({ size: body.length, md5Base64: md5Base64(body), bytesKept: false }));
			const got = await call(small.baseUrl, 'GET', target(small.url(PATH)));
			expect([got.status, xmlCode(got.text)]).toEqual([404, 'NoSuchKey']);
		});

		it('should accept an empty body and a chunked one when Content-Length is not required', async () => {
			const empty = Buffer.alloc(0);
			expect((await put(host.uploadUrl(PATH), empty)).status).toBe(200);
			expect(host.uploaded(PATH)).toEqual(expect.objectContaining({ size: 0, md5Base64: md5Base64(empty) }));
			const lenient = await start({ requireUploadContentLength: false });
			const reply = await putChunked(lenient.uploadUrl(PATH), { 'content-md5': md5Base64(BYTES), 'content-type': 'video/mp4' }, BYTES);
			expect(reply.status).toBe(200);
			expect(lenient.uploaded(PATH)?.md5Base64).toBe(md5Base64(BYTES));
		});

		it('should record every credential header a PUT carries, by name', async () => {
			await put(host.uploadUrl(PATH), BYTES, { Authorization: 'SDK-HMAC-SHA256 Access=x', 'X-Sdk-Date': '20260101T000000Z' });
			await put(host.uploadUrl(PATH), BYTES, { 'X-Auth-Token': 't', 'X-Security-Token': 's' });
			await put(host.uploadUrl(PATH), BYTES);
			expect(host.credentialHeaders()).toEqual([
				{ path: PATH, headers: ['authorization', 'x-sdk-date'] },
				{ path: PATH, headers: ['x-auth-token', 'x-security-token'] },
			]);
		});
	});

	describe('header checks', () => {
		it('should expect the documented Content-Type by extension', () => {
			const names = ['a.gif', 'a.JPG', 'a.jpeg', 'a.png', 'a.mp4', 'a.mp3', 'a.wav', 'a.mov', 'a.pdf', 'noextension', 'mp4', '/b/c.Png'];
			expect(names.map(uploadContentTypeFor)).toEqual([
				'image/gif',
				'image/jpeg',
				'image/jpeg',
				'image/png',
				'video/mp4',
				'audio/mp3',
				'audio/wav',
				'application/octet-stream',
				'application/octet-stream',
				'application/octet-stream',
				'video/mp4',
				'image/png',
			]);
		});

		it('should refuse another Content-Type with 400 and an OBS-style XML error, storing nothing', async () => {
			for (const contentType of ['audio/mpeg', 'application/octet-stream', 'video/mp4; charset=binary']) {
				const reply = await put(host.uploadUrl(PATH), BYTES, { 'content-type': contentType });
				expect([reply.status, reply.headers['content-type'], xmlCode(reply.text)]).toEqual([400, 'application/xml', 'InvalidArgument']);
				expect(xmlMessage(reply.text)).toContain('"video/mp4"');
				expect(reply.text).toMatch(/^<\?xml[^>]*>\s*<Error><Code>InvalidArgument<\/Code><Message>.*<\/Message><RequestId>[0-9A-F]{32}<\/RequestId><HostId>/);
			}
			const missing = await call(host.baseUrl, 'PUT', target(host.uploadUrl(PATH)), { 'content-md5': md5Base64(BYTES) }, BYTES);
			expect([missing.status, xmlCode(missing.text)]).toEqual([400, 'InvalidArgument']);
			expect((await put(host.uploadUrl(PATH), BYTES, { 'content-type': 'VIDEO/MP4' })).status).toBe(200);
		});

		it('should require the Content-Type the URL was issued for', async () => {
			const url = host.uploadUrl('/upload/blob', { contentType: 'image/png' });
			expect((await put(url, BYTES, { 'content-type': 'application/octet-stream' })).status).toBe(400);
			expect((await put(url, BYTES, { 'content-type': 'image/png' })).status).toBe(200);
			expect(host.uploaded('/upload/blob')?.contentType).toBe('image/png');
		});

		it('should refuse a missing or malformed Content-MD5 (InvalidDigest) and a wrong one (BadDigest), storing nothing', async () => {
			const url = host.uploadUrl(PATH);
			const cases: Array<[Record<string, string>, number, string]> = [
				[{ 'content-md5': '' }, 400, 'InvalidDigest'],
				[{ 'content-md5': md5Hex(BYTES) }, 400, 'InvalidDigest'],
				[{ 'content-md5': md5Base64(BYTES).slice(0, 20) }, 400, 'InvalidDigest'],
				[{ 'content-md5': md5Base64(Buffer.from('other bytes')) }, 400, 'BadDigest'],
			];
			for (const [headers, status, code] of cases) {
				const reply = await put(url, BYTES, headers);
				expect([headers, reply.status, xmlCode(reply.text)]).toEqual([headers, status, code]);
			}
			expect(host.uploaded(PATH)).toBeUndefined();
			expect(host.file(PATH)).toBeUndefined();
			expect(host.requests.at(-1)).toEqual(expect.objectContaining({ status: 400, bytesReceived: BYTES.length }));
		});

		it('should refuse an upload without Content-Length with 411 MissingContentLength', async () => {
			const reply = await putChunked(host.uploadUrl(PATH), { 'content-md5': md5Base64(BYTES), 'content-type': 'video/mp4' }, BYTES);
			expect([reply.status, xmlCode(reply.text)]).toEqual([411, 'MissingContentLength']);
			expect(host.uploaded(PATH)).toBeUndefined();
		});
	});

	describe('signatures', () => {
		it('should refuse a PUT without a signature, with a forged one, or one issued for another path', async () => {
			const unsigned = await put(host.publicUrl(PATH), BYTES);
			expect([unsigned.status, xmlCode(unsigned.text)]).toEqual([403, 'AccessDenied']);
			const forged = new URL(host.uploadUrl(PATH));
			forged.searchParams.set('Signature', 'forged');
			expect(xmlCode((await put(forged.toString(), BYTES)).text)).toBe('SignatureDoesNotMatch');
			const other = new URL(host.uploadUrl('/upload/other.mp4'));
			expect(xmlCode((await put(`${host.baseUrl}${new URL(host.uploadUrl(PATH)).pathname}${other.search}`, BYTES)).text)).toBe(
				'SignatureDoesNotMatch',
			);
			expect(host.uploads()).toEqual([]);
		});

		it('should answer 405 to a read URL used for a PUT and to an upload URL used for a GET', async () => {
			host.put(PATH, BYTES);
			const putWithReadUrl = await put(host.url(PATH), BYTES);
			expect([putWithReadUrl.status, xmlCode(putWithReadUrl.text)]).toEqual([405, 'MethodNotAllowed']);
			const getWithUploadUrl = await call(host.baseUrl, 'GET', target(host.uploadUrl(PATH)));
			expect([getWithUploadUrl.status, xmlCode(getWithUploadUrl.text)]).toEqual([405, 'MethodNotAllowed']);
			expect((await call(host.baseUrl, 'DELETE', target(host.url(PATH)))).status).toBe(405);
		});

		it('should expire an upload URL at its expiresAt on the injected clock, and on expireIssued', async () => {
			let now = Date.UTC(2026, 0, 1);
			const clocked = await start({ now: () => now });
			const url = clocked.uploadUrl(PATH, { expiresAt: now + 24 * 3600_000 });
			expect(new URL(url).searchParams.get('Expires')).toBe(String(Date.UTC(2026, 0, 2) / 1000));
			const send = async (to: string) =>
				await call(clocked.baseUrl, 'PUT', target(to), { 'content-md5': md5Base64(BYTES), 'content-type': 'video/mp4' }, BYTES);
			now += 24 * 3600_000 - 1000;
			expect((await send(url)).status).toBe(200);
			now += 1000;
			const expired = await send(url);
			expect([expired.status, xmlMessage(expired.text)]).toEqual([403, 'Request has expired']);
			const fresh = clocked.uploadUrl(PATH);
			clocked.expireIssued();
			expect((await send(fresh)).status).toBe(403);
		});
	});

	describe('upload faults', () => {
		it('refuseUpload: should answer 403 after reading the body, store nothing, then accept', async () => {
			host.faultUpload('refuseUpload');
			const url = host.uploadUrl(PATH);
			const refused = await put(url, BYTES);
			expect([refused.status, xmlCode(refused.text)]).toEqual([403, 'AccessDenied']);
			expect(host.uploaded(PATH)).toBeUndefined();
			expect((await put(url, BYTES)).status).toBe(200);
		});

		it('dropUpload: should destroy the socket part-way through the body, store nothing, then accept', async () => {
			const body = randomBytes(4 * 1024 * 1024);
			host.faultUpload('dropUpload');
			const url = host.uploadUrl(PATH);
			await expect(put(url, body)).rejects.toThrow(DROPPED);
			expect(host.uploaded(PATH)).toBeUndefined();
			expect(host.requests[0].status).toBe(0);
			expect(host.requests[0].bytesReceived).toBeGreaterThan(0);
			expect(host.requests[0].bytesReceived).toBeLessThan(body.length);
			expect((await put(url, body)).status).toBe(200);
		});

		it('corruptUpload: should accept, then hold (and answer the ETag of) bytes with an altered MD5', async () => {
			host.faultUpload('corruptUpload');
			const url = host.uploadUrl(PATH);
			const reply = await put(url, BYTES);
			const stored = host.uploaded(PATH)!;
			expect(reply.status).toBe(200);
			expect(stored.size).toBe(BYTES.length);
			expect(stored.md5Base64).not.toBe(md5Base64(BYTES));
			expect(reply.headers.etag).toBe(`"${stored.md5Hex}"`);
			const altered = Buffer.from(BYTES);
			altered[BYTES.length / 2] ^= 0xff;
			expect(stored.md5Base64).toBe(md5Base64(altered));
			expect((await put(url, BYTES)).status).toBe(200);
			expect(host.uploaded(PATH)!.md5Base64).toBe(md5Base64(BYTES));
		});

		it('should spend faults only on uploads that pass the header checks, by path when given, the given number of times', async () => {
			host.faultUpload('refuseUpload', { path: /\/a2\//, times: 2 });
			host.faultUpload('corruptUpload', { path: PATH });
			expect(host.uploadFaultsQueued()).toEqual([
				{ kind: 'refuseUpload', path: /\/a2\//, remaining: 2 },
				{ kind: 'corruptUpload', path: PATH, remaining: 1 },
			]);
			const other = '/upload/p1/a2/f9/x.mp4';
			expect((await put(host.uploadUrl(other), BYTES, { 'content-type': 'image/png' })).status).toBe(400);
			expect((await put(host.uploadUrl(other), BYTES)).status).toBe(403);
			expect((await put(host.uploadUrl(PATH), BYTES)).status).toBe(200);
			expect(host.uploaded(PATH)!.md5Base64).not.toBe(md5Base64(BYTES));
			expect((await put(host.uploadUrl(other), BYTES)).status).toBe(403);
			expect((await put(host.uploadUrl(other), BYTES)).status).toBe(200);
			expect(host.uploadFaultsQueued()).toEqual([]);
			expect(() => host.faultUpload('boom' as never)).toThrow(/Unknown upload fault/);
		});
	});

	it('should forget uploads, files, signatures and faults on reset', async () => {
		const url = host.uploadUrl(PATH);
		await put(url, BYTES);
		host.faultUpload('dropUpload');
		host.reset();
		expect([host.uploads(), host.file(PATH), host.requests, host.uploadFaultsQueued()]).toEqual([[], undefined, [], []]);
		expect(xmlCode((await put(url, BYTES)).text)).toBe('SignatureDoesNotMatch');
	});
});
