/**
 * A file host (Huawei OBS, a CDN) serving assets' bytes over HTTP on 127.0.0.1 and a random port
 * (test-only code): where a download URL of MetaStudio (`files[].download_url`) or KyyVideo2
 * (`data.url`) points, as opposed to the API.
 *
 * - `GET` / `HEAD <path>?AccessKeyId=…&Expires=…&Signature=…` → 200, `Content-Type` as put (default by
 *   extension), `Content-Length`, `ETag` (the quoted hex MD5, as OBS gives it for a single-part object);
 *   the body in chunks of at most FILE_CHUNK_BYTES, with backpressure. No `Range`: always the whole file.
 * - The path is matched percent-decoded (`url()` encodes each segment); the query is only read for the
 *   signature.
 * - Signatures, as OBS's query authentication looks from outside: `url(path)` issues a fresh random
 *   `Signature` bound to that path, this host's AccessKeyId and `Expires` (the injected clock plus
 *   `urlTtlSeconds`, default 24 h). No signature → 403 `AccessDenied` "Access Denied" (unless
 *   `requireSignature` is false: then a request without one is served, one with one is still checked);
 *   a signature this host did not issue, issued for another path, or sent with another AccessKeyId or
 *   Expires → 403 `SignatureDoesNotMatch`; an issued one past its `Expires` or revoked by
 *   `expireIssued()` → 403 `AccessDenied` "Request has expired". Error bodies are OBS-style XML
 *   (`<Error><Code>…</Code><Message>…</Message><RequestId>…</RequestId><HostId>…</HostId></Error>`),
 *   every answer carries `x-obs-request-id`.
 * - Unknown path (with a valid signature) → 404 `NoSuchKey`; a method other than GET and HEAD → 405
 *   `MethodNotAllowed`.
 *
 * Order per request: record → method → a queued redirect for the path (302 `Location`, consumed; the
 * path need not be put, nothing else is checked) → signature → file known → a queued fault for the path
 * (consumed only here: a fault replaces what would have been a success) → the file.
 * Faults (`FileFault`): `drop` (socket destroyed before any header), `slow` (`slowMs` before the
 * headers, then served normally), `serverError` (503 `ServiceUnavailable`), `expired` (403 as an
 * expired signature), and three on the body: `truncate` (the whole Content-Length, half the body, the
 * socket destroyed once that half is flushed), `wrongBytes` (right length, the byte at `size / 2`
 * inverted), `shortBody` (Content-Length and body both one byte short). A HEAD consumes a fault like a
 * GET; of the body faults, only `shortBody` shows on it (its Content-Length). Files of at least two
 * bytes are assumed by the body faults.
 *
 * Memory: a put file's bytes are held as given (not copied); a generated file (`putGenerated`) is never
 * held: its bytes are AES-128-CTR keystream from the seed, made chunk by chunk for every request (and
 * once at put time, for its MD5). The host never allocates a buffer larger than FILE_CHUNK_BYTES;
 * `largestChunkSent` is the largest piece it wrote.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import type http from 'node:http';

import type { Exchange } from './http';
import { dropConnection, LocalServer, randomHex, send, splitTarget, tryDecode } from './http';

export type FileFault =
	| 'truncate'
	| 'wrongBytes'
	| 'shortBody'
	| 'expired'
	| 'drop'
	| 'slow'
	| 'serverError';

export interface HostedFile {
	path: string;
	size: number;
	/** Base64 of the MD5 digest (RFC 1864), as MetaStudio's `file_md5`. */
	md5Base64: string;
	md5Hex: string;
	contentType: string;
}

export interface FileHostOptions {
	/** How late a `slow` fault's headers come (default 2000 ms; also the `slowMs` property). */
	slowMs?: number;
	/** The clock signatures' `Expires` is issued and checked on (default Date.now). */
	now?: () => number;
	/** How long an issued URL lives (default 24 h, as MetaStudio's download URLs). */
	urlTtlSeconds?: number;
	/** The AccessKeyId the signed URLs name (default `FILEHOSTEMULATORAK01`). */
	accessKeyId?: string;
	/** Refuse requests without a signature (default true, as a private OBS bucket); false: a public CDN. */
	requireSignature?: boolean;
}

export interface FileHostRequest {
	method: string;
	/** The path percent-decoded (as put), without the query. */
	path: string;
	/** The raw query (without '?'), '' when none. */
	query: string;
	/** Lower-case names; a repeated header's values joined with ', '. */
	headers: Record<string, string>;
	/** The status answered; 0 while none was (still waiting, or dropped). */
	status: number;
	/** Body bytes written. */
	bytesSent: number;
}

/** The request headers that carry a credential: none may ever reach a file host. */
export const CREDENTIAL_HEADERS = [
	'authorization',
	'x-auth-token',
	'x-security-token',
	'x-sdk-date',
	'x-project-id',
	'cookie',
] as const;

/** The largest piece of a body the host writes (and allocates) at once. */
export const FILE_CHUNK_BYTES = 64 * 1024;
export const DEFAULT_FILE_SLOW_MS = 2000;
export const DEFAULT_URL_TTL_SECONDS = 24 * 3600;

const CONTENT_TYPES: Record<string, string> = {
	mp4: 'video/mp4',
	png: 'image/png',
	jpg: 'image/jpeg',
	mp3: 'audio/mpeg',
	wav: 'audio/wav',
};

/** The Content-Type served by default: by the path's extension, else application/octet-stream. */
export function contentTypeFor(path: string): string {
	const name = path.slice(path.lastIndexOf('/') + 1);
	const dot = name.lastIndexOf('.');
	return (dot >= 0 && CONTENT_TYPES[name.slice(dot + 1).toLowerCase()]) || 'application/octet-stream';
}

/**
 * The bytes of a generated file, `size` of them, in pieces of `chunkSize` (the last one shorter):
 * AES-128-CTR keystream under a key derived from `seed`, so the same seed always gives the same bytes.
 */
export function* generatedChunks(seed: number, size: number, chunkSize = FILE_CHUNK_BYTES): Generator<Buffer> {
	const key = createHash('sha256').update(`file-host-seed:${seed}`).digest().subarray(0, 16);
	const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
	const zeros = Buffer.alloc(Math.min(chunkSize, size));
	for (let offset = 0; offset < size; offset += chunkSize) {
		yield cipher.update(zeros.subarray(0, Math.min(chunkSize, size - offset)));
	}
}

/** A path as a URL path: each segment percent-encoded. */
export function encodePath(path: string): string {
	return path.split('/').map(encodeURIComponent).join('/');
}

type FileSource = { bytes: Buffer } | { seed: number };

interface StoredFile extends HostedFile {
	source: FileSource;
}

interface IssuedSignature {
	path: string;
	expires: number;
	revoked: boolean;
}

type SignatureCheck = 'ok' | 'missing' | 'mismatch' | 'expired';

const BODY_FAULTS: readonly FileFault[] = ['truncate', 'wrongBytes', 'shortBody'];

export class FileHost {
	/** `http://127.0.0.1:<port>` */
	readonly baseUrl: string;

	readonly accessKeyId: string;

	/** How late a `slow` fault's headers come. */
	slowMs: number;

	/** Every request, in arrival order, updated as it is answered. */
	readonly requests: FileHostRequest[] = [];

	/** The largest piece of a body written at once (never above FILE_CHUNK_BYTES). */
	largestChunkSent = 0;

	private readonly files = new Map<string, StoredFile>();

	private readonly signatures = new Map<string, IssuedSignature>();

	private readonly faults = new Map<string, FileFault[]>();

	private readonly redirects = new Map<string, string[]>();

	private readonly now: () => number;

	private readonly urlTtlSeconds: number;

	private readonly requireSignature: boolean;

	private constructor(
		private readonly server: LocalServer,
		options: FileHostOptions,
	) {
		this.baseUrl = server.origin;
		this.slowMs = options.slowMs ?? DEFAULT_FILE_SLOW_MS;
		this.now = options.now ?? Date.now;
		this.urlTtlSeconds = options.urlTtlSeconds ?? DEFAULT_URL_TTL_SECONDS;
		this.accessKeyId = options.accessKeyId ?? 'FILEHOSTEMULATORAK01';
		this.requireSignature = options.requireSignature ?? true;
	}

	static async start(options: FileHostOptions = {}): Promise<FileHost> {
		const ref: { host?: FileHost } = {};
		const server = await LocalServer.start((exchange) => ref.host!.handle(exchange));
		ref.host = new FileHost(server, options);
		return ref.host;
	}

	// ---- the files ----

	/** Serves these bytes at `path` (held as given, not copied); replaces any file there. */
	put(path: string, bytes: Buffer, contentType?: string): HostedFile {
		const md5 = createHash('md5').update(bytes).digest();
		return this.store(path, bytes.length, md5, { bytes }, contentType);
	}

	/** Serves `size` bytes generated from `seed` (see `generatedChunks`), never held whole. */
	putGenerated(path: string, size: number, seed: number, contentType?: string): HostedFile {
		if (!Number.isSafeInteger(size) || size < 0) throw new Error(`size must be a whole number ≥ 0, got ${size}`);
		const hash = createHash('md5');
		for (const chunk of generatedChunks(seed, size)) hash.update(chunk);
		return this.store(path, size, hash.digest(), { seed }, contentType);
	}

	/** The file at `path`, if any. */
	file(path: string): HostedFile | undefined {
		const stored = this.files.get(path);
		return stored && hostedFile(stored);
	}

	/** Stops serving `path` (later requests: 404); false when nothing was there. */
	remove(path: string): boolean {
		return this.files.delete(path);
	}

	// ---- URLs ----

	/** A signed URL for the path, with a fresh signature on every call. */
	url(path: string): string {
		checkPath(path);
		const signature = randomBytes(20).toString('base64');
		const expires = Math.floor(this.now() / 1000) + this.urlTtlSeconds;
		this.signatures.set(signature, { path, expires, revoked: false });
		const query = `AccessKeyId=${this.accessKeyId}&Expires=${expires}&Signature=${encodeURIComponent(signature)}`;
		return `${this.baseUrl}${encodePath(path)}?${query}`;
	}

	/** The path's URL without a signature (served only when `requireSignature` is false). */
	publicUrl(path: string): string {
		checkPath(path);
		return `${this.baseUrl}${encodePath(path)}`;
	}

	/** Every signature issued so far answers 403 "Request has expired"; later `url()` calls work. */
	expireIssued(): void {
		for (const issued of this.signatures.values()) issued.revoked = true;
	}

	// ---- control ----

	/** The next `times` requests for `path` that would have succeeded get `fault` instead. */
	fault(path: string, fault: FileFault, times = 1): void {
		const queue = this.faults.get(path) ?? [];
		for (let i = 0; i < times; i++) queue.push(fault);
		this.faults.set(path, queue);
	}

	/** The next `times` requests for `path` are answered 302 to `target` (a full URL). */
	redirect(path: string, target: string, times = 1): void {
		const queue = this.redirects.get(path) ?? [];
		for (let i = 0; i < times; i++) queue.push(target);
		this.redirects.set(path, queue);
	}

	/** Faults still queued for `path`. */
	faultsQueued(path: string): FileFault[] {
		return [...(this.faults.get(path) ?? [])];
	}

	// ---- observation ----

	/** Requests that carried any credential header, with the names of those headers. */
	credentialHeaders(): Array<{ path: string; headers: string[] }> {
		return this.requests
			.map((request) => ({ path: request.path, headers: CREDENTIAL_HEADERS.filter((name) => name in request.headers) }))
			.filter((entry) => entry.headers.length > 0);
	}

	/** Largest number of requests in flight at once. */
	get maxInFlight(): number {
		return this.server.maxInFlight;
	}

	get inFlight(): number {
		return this.server.inFlight;
	}

	async stop(): Promise<void> {
		await this.server.stop();
	}

	// ---- the server ----

	private async handle({ req, res }: Exchange): Promise<void> {
		const { path: rawPath, query } = splitTarget(req.url ?? '');
		const request: FileHostRequest = {
			method: req.method ?? '',
			path: tryDecode(rawPath) ?? rawPath,
			query,
			headers: flatHeaders(req.headers),
			status: 0,
			bytesSent: 0,
		};
		this.requests.push(request);
		await this.route(req, res, request);
		if (res.headersSent) request.status = res.statusCode;
	}

	private async route(req: http.IncomingMessage, res: http.ServerResponse, request: FileHostRequest): Promise<void> {
		const { path, query } = request;
		if (request.method !== 'GET' && request.method !== 'HEAD') {
			return this.sendError(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
		}
		const target = this.redirects.get(path)?.shift();
		if (target !== undefined) return send(res, { status: 302, headers: { location: target, ...this.obsHeaders() } });
		const check = this.checkSignature(path, new URLSearchParams(query));
		if (check !== 'ok') return this.refuse(res, check);
		const file = this.files.get(path);
		if (!file) {
			return this.sendError(res, 404, 'NoSuchKey', 'The specified key does not exist.', `<Key>${xml(path.slice(1))}</Key>`);
		}

		const fault = this.faults.get(path)?.shift();
		switch (fault) {
			case 'drop':
				return dropConnection(req);
			case 'serverError':
				return this.sendError(res, 503, 'ServiceUnavailable', 'Service is unavailable, please retry later.');
			case 'expired':
				return this.refuse(res, 'expired');
			case 'slow':
				await this.server.delay(this.slowMs);
				break;
			default:
				break;
		}
		await this.serve(req, res, request, { file, fault: fault && BODY_FAULTS.includes(fault) ? fault : undefined });
	}

	private async serve(
		req: http.IncomingMessage,
		res: http.ServerResponse,
		request: FileHostRequest,
		{ file, fault }: { file: StoredFile; fault?: FileFault },
	): Promise<void> {
		if (res.destroyed) return;
		const length = fault === 'shortBody' ? Math.max(0, file.size - 1) : file.size;
		res.writeHead(200, {
			'content-type': file.contentType,
			'content-length': String(length),
			etag: `"${file.md5Hex}"`,
			...this.obsHeaders(),
		});
		request.status = 200;
		if (request.method === 'HEAD') {
			res.end();
			return;
		}

		const sent = fault === 'truncate' ? Math.floor(file.size / 2) : length;
		const alterAt = fault === 'wrongBytes' ? Math.floor(file.size / 2) : -1;
		let offset = 0;
		for (const chunk of this.chunks(file)) {
			if (offset >= sent) break;
			let piece = chunk.length > sent - offset ? chunk.subarray(0, sent - offset) : chunk;
			if (alterAt >= offset && alterAt < offset + piece.length) {
				piece = Buffer.from(piece);
				piece[alterAt - offset] ^= 0xff;
			}
			this.largestChunkSent = Math.max(this.largestChunkSent, piece.length);
			const last = offset + piece.length >= sent;
			const flowing = fault === 'truncate' && last ? await writeFlushed(res, piece) : res.write(piece) || (await drained(res));
			request.bytesSent += piece.length;
			offset += piece.length;
			if (!flowing) return;
		}
		if (fault === 'truncate') return dropConnection(req);
		res.end();
	}

	private *chunks(file: StoredFile): Generator<Buffer> {
		const { source } = file;
		if ('seed' in source) {
			yield* generatedChunks(source.seed, file.size);
			return;
		}
		for (let offset = 0; offset < file.size; offset += FILE_CHUNK_BYTES) {
			yield source.bytes.subarray(offset, offset + FILE_CHUNK_BYTES);
		}
	}

	private checkSignature(path: string, params: URLSearchParams): SignatureCheck {
		const signature = params.get('Signature');
		if (signature === null) return this.requireSignature ? 'missing' : 'ok';
		const issued = this.signatures.get(signature);
		if (
			!issued ||
			issued.path !== path ||
			params.get('AccessKeyId') !== this.accessKeyId ||
			params.get('Expires') !== String(issued.expires)
		) {
			return 'mismatch';
		}
		if (issued.revoked || issued.expires * 1000 <= this.now()) return 'expired';
		return 'ok';
	}

	private refuse(res: http.ServerResponse, check: Exclude<SignatureCheck, 'ok'>): void {
		if (check === 'missing') return this.sendError(res, 403, 'AccessDenied', 'Access Denied');
		if (check === 'expired') return this.sendError(res, 403, 'AccessDenied', 'Request has expired');
		return this.sendError(
			res,
			403,
			'SignatureDoesNotMatch',
			'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
		);
	}

	private sendError(res: http.ServerResponse, status: number, code: string, message: string, extra = ''): void {
		const headers = this.obsHeaders();
		const text =
			'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
			`<Error><Code>${code}</Code><Message>${xml(message)}</Message>${extra}` +
			`<RequestId>${headers['x-obs-request-id']}</RequestId><HostId>${headers['x-obs-id-2']}</HostId></Error>`;
		send(res, { status, headers, text, contentType: 'application/xml' });
	}

	private obsHeaders(): Record<string, string> {
		return { 'x-obs-request-id': randomHex(16).toUpperCase(), 'x-obs-id-2': randomBytes(24).toString('base64') };
	}

	private store(path: string, size: number, md5: Buffer, source: FileSource, contentType?: string): HostedFile {
		checkPath(path);
		const stored: StoredFile = {
			path,
			size,
			md5Base64: md5.toString('base64'),
			md5Hex: md5.toString('hex'),
			contentType: contentType ?? contentTypeFor(path),
			source,
		};
		this.files.set(path, stored);
		return hostedFile(stored);
	}
}

// ---- helpers ----

function hostedFile({ path, size, md5Base64, md5Hex, contentType }: StoredFile): HostedFile {
	return { path, size, md5Base64, md5Hex, contentType };
}

function checkPath(path: string): void {
	if (!path.startsWith('/')) throw new Error(`A file host path starts with '/', got ${JSON.stringify(path)}`);
}

function flatHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
	const flat: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return flat;
}

/** True once the response can take more ('drain'); false when it closed first. */
function drained(res: http.ServerResponse): Promise<boolean> {
	if (res.destroyed) return Promise.resolve(false);
	return new Promise((resolve) => {
		const done = (flowing: boolean) => {
			res.off('drain', onDrain);
			res.off('close', onClose);
			resolve(flowing);
		};
		const onDrain = () => done(true);
		const onClose = () => done(false);
		res.on('drain', onDrain);
		res.on('close', onClose);
	});
}

/** Writes `piece` and waits until it has been handed to the socket; false when the response closed first. */
function writeFlushed(res: http.ServerResponse, piece: Buffer): Promise<boolean> {
	if (res.destroyed) return Promise.resolve(false);
	return new Promise((resolve) => {
		let settled = false;
		const done = (flushed: boolean) => {
			if (settled) return;
			settled = true;
			res.off('close', onClose);
			resolve(flushed);
		};
		const onClose = () => done(false);
		res.on('close', onClose);
		res.write(piece, (error) => done(!error));
	});
}

function xml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
