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
 * - Unknown path (with a valid signature) → 404 `NoSuchKey`; a method other than GET, HEAD and PUT → 405
 *   `MethodNotAllowed`, and so is a request whose signature was issued for the other direction (a
 *   `url()` signature on a PUT, an `uploadUrl()` one on a GET or HEAD).
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
 * Uploads, as OBS takes a PUT to a pre-signed URL (MetaStudio's CreateFile `upload_url`):
 * - `PUT <path>?AccessKeyId=…&Expires=…&Signature=…` with the raw bytes; `uploadUrl(path, { expiresAt,
 *   contentType })` issues the signature (fresh on every call, bound to the path and to PUT). Checked in
 *   this order, every refusal OBS-style XML, the body read (and thrown away) before any answer:
 *   signature (as for GET: 403 `AccessDenied` / `SignatureDoesNotMatch`, "Request has expired" on the
 *   injected clock) → `Content-Length` present (411 `MissingContentLength`; chunked uploads are refused
 *   unless `requireUploadContentLength` is false) → `Content-MD5` present and 24 characters of base64
 *   (400 `InvalidDigest`) → `Content-Type` equal (case-insensitive, the whole value) to the one the URL
 *   was issued for, by default `uploadContentTypeFor(path)`: gif image/gif, jpg/jpeg image/jpeg, png
 *   image/png, mp4 video/mp4, mp3 audio/mp3, wav audio/wav, else application/octet-stream (400
 *   `InvalidArgument`, the expected type in the message) → a queued upload fault → the body, hashed
 *   while it streams in → `Content-MD5` equal to the base64 MD5 of the bytes received (else 400
 *   `BadDigest`, nothing stored) → stored, 200 with `ETag` (quoted hex MD5 of what was stored) and
 *   no body. A later PUT to the same path replaces the object (as OBS does).
 * - Stored: `uploaded(path)` → `{ path, size, md5Base64, md5Hex, contentType (as sent), bytesKept, time }`
 *   (what the MetaStudio emulator's ConfirmFileUpload asks). Bodies up to `keepUploadBytesUpTo` (default
 *   16 MiB) are kept and then served by GET at the same path like a put file; larger ones keep only size,
 *   MD5 and type (a GET of them: 404 `NoSuchKey`), so that a benchmark's uploads cost no memory.
 * - Upload faults (`faultUpload(kind, { path?, times? })`, for the next PUTs that passed the header
 *   checks, any path unless one is given): `refuseUpload` (403 `AccessDenied`, after reading the body;
 *   nothing stored), `dropUpload` (the socket destroyed once about half the declared body has arrived, no
 *   answer; nothing stored), `corruptUpload` (the Content-MD5 check passes, then the byte at `size / 2`
 *   is stored inverted: 200 with the ETag of the altered bytes, and `uploaded(path).md5Base64` differs
 *   from what was sent; an empty body's stored MD5 is altered instead).
 * - Every PUT is recorded in `requests` like a GET (its credential headers included, see
 *   `credentialHeaders()`), with `bytesReceived`.
 *
 * Memory: a put file's bytes are held as given (not copied); a generated file (`putGenerated`) is never
 * held: its bytes are AES-128-CTR keystream from the seed, made chunk by chunk for every request (and
 * once at put time, for its MD5). Serving, the host never allocates a buffer larger than FILE_CHUNK_BYTES;
 * `largestChunkSent` is the largest piece it wrote. An upload is hashed as it streams in and held only up
 * to `keepUploadBytesUpTo`.
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

export type UploadFault = 'refuseUpload' | 'dropUpload' | 'corruptUpload';

export const UPLOAD_FAULTS: readonly UploadFault[] = ['refuseUpload', 'dropUpload', 'corruptUpload'];

/** What a PUT stored at a path. */
export interface UploadedObject {
	path: string;
	size: number;
	/** Base64 of the MD5 digest of what was stored (altered by `corruptUpload`). */
	md5Base64: string;
	md5Hex: string;
	/** The Content-Type the upload was sent with. */
	contentType: string;
	/** Whether the bytes were kept (and are served by GET); false above `keepUploadBytesUpTo`. */
	bytesKept: boolean;
	/** When it was stored, on the host's clock (ms). */
	time: number;
}

export interface UploadUrlOptions {
	/** When the URL stops working, epoch ms on the host's clock (default: now + `urlTtlSeconds`). */
	expiresAt?: number;
	/** The Content-Type the PUT must carry (default `uploadContentTypeFor(path)`). */
	contentType?: string;
}

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
	/** Uploads up to this many bytes are kept (and served by GET); larger ones only measured. Default 16 MiB. */
	keepUploadBytesUpTo?: number;
	/** Refuse a PUT without Content-Length (411), as OBS does. Default true. */
	requireUploadContentLength?: boolean;
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
	/** PUT only: body bytes received. */
	bytesReceived?: number;
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
export const DEFAULT_KEEP_UPLOAD_BYTES_UP_TO = 16 * 1024 * 1024;

/** The Content-Type MetaStudio documents for an upload, by the file's extension. */
const UPLOAD_CONTENT_TYPES: Record<string, string> = {
	gif: 'image/gif',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	png: 'image/png',
	mp4: 'video/mp4',
	mp3: 'audio/mp3',
	wav: 'audio/wav',
};

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

/**
 * The Content-Type an upload of this name (a path, a file name, or a bare extension such as `mp4`)
 * must carry: by its extension, case-insensitive, else application/octet-stream.
 */
export function uploadContentTypeFor(name: string): string {
	const base = name.slice(name.lastIndexOf('/') + 1);
	const extension = base.slice(base.lastIndexOf('.') + 1).toLowerCase();
	return UPLOAD_CONTENT_TYPES[extension] ?? 'application/octet-stream';
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
	/** What the URL was issued for: reading (GET, HEAD) or uploading (PUT, with its Content-Type). */
	direction: 'read' | 'upload';
	contentType?: string;
}

type SignatureCheck = 'ok' | 'missing' | 'mismatch' | 'expired' | 'otherDirection';

interface QueuedUploadFault {
	kind: UploadFault;
	path?: string | RegExp;
	remaining: number;
}

const MD5_BASE64 = /^[A-Za-z0-9+/]{22}==$/;

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

	private readonly keepUploadBytesUpTo: number;

	private readonly requireUploadContentLength: boolean;

	private readonly uploadsByPath = new Map<string, UploadedObject>();

	private readonly uploadFaults: QueuedUploadFault[] = [];

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
		this.keepUploadBytesUpTo = options.keepUploadBytesUpTo ?? DEFAULT_KEEP_UPLOAD_BYTES_UP_TO;
		this.requireUploadContentLength = options.requireUploadContentLength ?? true;
	}

	static async start(options: FileHostOptions = {}): Promise<FileHost> {
		const ref: { host?: FileHost } = {};
		const server = await LocalServer.start((exchange) => ref.host!.handle(exchange), {
			streamBody: (req) => req.method === 'PUT',
		});
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

	/** What the last accepted PUT stored at `path`, if any (`remove` does not forget it). */
	uploaded(path: string): UploadedObject | undefined {
		const stored = this.uploadsByPath.get(path);
		return stored && { ...stored };
	}

	/** Every path uploaded to, with what is stored there, in order of first upload. */
	uploads(): UploadedObject[] {
		return [...this.uploadsByPath.values()].map((stored) => ({ ...stored }));
	}

	/** Stops serving `path` (later requests: 404); false when nothing was there. */
	remove(path: string): boolean {
		return this.files.delete(path);
	}

	// ---- URLs ----

	/** A signed URL to read the path (GET, HEAD), with a fresh signature on every call. */
	url(path: string): string {
		return this.sign(path, { direction: 'read', expires: Math.floor(this.now() / 1000) + this.urlTtlSeconds });
	}

	/** A signed URL to upload to the path (PUT), with a fresh signature on every call. */
	uploadUrl(path: string, options: UploadUrlOptions = {}): string {
		const expiresAt = options.expiresAt ?? this.now() + this.urlTtlSeconds * 1000;
		return this.sign(path, {
			direction: 'upload',
			expires: Math.floor(expiresAt / 1000),
			contentType: options.contentType ?? uploadContentTypeFor(path),
		});
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

	/**
	 * The next `times` (default 1) PUTs that pass the header checks, to `path` when given (the decoded
	 * path, exact or a RegExp), get `kind` instead of a plain success. Queued faults are used in order.
	 */
	faultUpload(kind: UploadFault, options: { path?: string | RegExp; times?: number } = {}): void {
		if (!UPLOAD_FAULTS.includes(kind)) throw new Error(`Unknown upload fault "${String(kind)}"`);
		const times = options.times ?? 1;
		if (times > 0) this.uploadFaults.push({ kind, path: options.path, remaining: times });
	}

	/** Upload faults still queued, each with its count. */
	uploadFaultsQueued(): Array<{ kind: UploadFault; path?: string | RegExp; remaining: number }> {
		return this.uploadFaults.map((queued) => ({ ...queued }));
	}

	/**
	 * Forgets files, uploads, signatures, faults, redirects and recorded requests (for an emulator that
	 * owns this host and is reset).
	 */
	reset(): void {
		this.files.clear();
		this.uploadsByPath.clear();
		this.signatures.clear();
		this.faults.clear();
		this.uploadFaults.length = 0;
		this.redirects.clear();
		this.requests.length = 0;
		this.largestChunkSent = 0;
		this.server.resetCounters();
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
		if (request.method === 'PUT') return await this.receive(req, res, request);
		if (request.method !== 'GET' && request.method !== 'HEAD') return this.refuse(res, 'otherDirection');
		const target = this.redirects.get(path)?.shift();
		if (target !== undefined) return send(res, { status: 302, headers: { location: target, ...this.obsHeaders() } });
		const check = this.checkSignature(path, new URLSearchParams(query), 'read').check;
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

	private checkSignature(
		path: string,
		params: URLSearchParams,
		direction: IssuedSignature['direction'],
	): { check: SignatureCheck; issued?: IssuedSignature } {
		const signature = params.get('Signature');
		if (signature === null) return { check: this.requireSignature ? 'missing' : 'ok' };
		const issued = this.signatures.get(signature);
		if (
			!issued ||
			issued.path !== path ||
			params.get('AccessKeyId') !== this.accessKeyId ||
			params.get('Expires') !== String(issued.expires)
		) {
			return { check: 'mismatch' };
		}
		if (issued.direction !== direction) return { check: 'otherDirection' };
		if (issued.revoked || issued.expires * 1000 <= this.now()) return { check: 'expired' };
		return { check: 'ok', issued };
	}

	private sign(path: string, issued: Omit<IssuedSignature, 'path' | 'revoked'>): string {
		checkPath(path);
		const signature = randomBytes(20).toString('base64');
		this.signatures.set(signature, { ...issued, path, revoked: false });
		const query = `AccessKeyId=${this.accessKeyId}&Expires=${issued.expires}&Signature=${encodeURIComponent(signature)}`;
		return `${this.baseUrl}${encodePath(path)}?${query}`;
	}

	// ---- uploads ----

	/** A PUT (see the file header for the order of the checks). */
	private async receive(req: http.IncomingMessage, res: http.ServerResponse, request: FileHostRequest): Promise<void> {
		request.bytesReceived = 0;
		const refusal = this.checkUpload(req, res, request);
		if (refusal) {
			await drain(req, request);
			return refusal();
		}
		const fault = this.takeUploadFault(request.path);
		if (fault === 'refuseUpload') {
			await drain(req, request);
			return this.sendError(res, 403, 'AccessDenied', 'Access Denied');
		}
		const declared = Number(headerOf(req, 'content-length') || Number.NaN);
		const body = await this.readUpload(req, request, { declared, fault });
		if (!body) return;
		if (body.receivedMd5 !== headerOf(req, 'content-md5')) {
			return this.sendError(res, 400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
		}
		const stored = this.storeUpload(request.path, body, headerOf(req, 'content-type'));
		send(res, { status: 200, headers: { etag: `"${stored.md5Hex}"`, ...this.obsHeaders() } });
	}

	/** The refusal to send instead of taking the upload, or undefined when its headers are acceptable. */
	private checkUpload(
		req: http.IncomingMessage,
		res: http.ServerResponse,
		request: FileHostRequest,
	): (() => void) | undefined {
		const answer = (status: number, code: string, message: string) => () => this.sendError(res, status, code, message);
		const { check, issued } = this.checkSignature(request.path, new URLSearchParams(request.query), 'upload');
		if (check !== 'ok') return () => this.refuse(res, check);
		if (this.requireUploadContentLength && headerOf(req, 'content-length') === '') {
			return answer(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.');
		}
		if (!MD5_BASE64.test(headerOf(req, 'content-md5'))) {
			return answer(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.');
		}
		const expected = issued?.contentType ?? uploadContentTypeFor(request.path);
		const sent = headerOf(req, 'content-type');
		if (sent.toLowerCase() !== expected.toLowerCase()) {
			return answer(400, 'InvalidArgument', `Content-Type "${sent}" does not match "${expected}", which this upload URL requires.`);
		}
		return undefined;
	}

	/** Uses the first queued upload fault that applies to `path`. */
	private takeUploadFault(path: string): UploadFault | undefined {
		const at = this.uploadFaults.findIndex(
			(queued) =>
				queued.path === undefined || (typeof queued.path === 'string' ? queued.path === path : queued.path.test(path)),
		);
		if (at < 0) return undefined;
		const queued = this.uploadFaults[at];
		if (--queued.remaining <= 0) this.uploadFaults.splice(at, 1);
		return queued.kind;
	}

	/**
	 * Reads the body, hashing it as it arrives and keeping it while it is small enough. undefined when the
	 * connection ended early or was dropped (`dropUpload`).
	 */
	private readUpload(
		req: http.IncomingMessage,
		request: FileHostRequest,
		{ declared, fault }: { declared: number; fault?: UploadFault },
	): Promise<ReceivedUpload | undefined> {
		const dropAt = fault === 'dropUpload' ? Math.max(1, Math.floor((Number.isFinite(declared) ? declared : 2) / 2)) : -1;
		if (dropAt > 0 && declared === 0) {
			dropConnection(req);
			return Promise.resolve(undefined);
		}
		const alterAt = fault === 'corruptUpload' ? Math.floor((Number.isFinite(declared) ? declared : 0) / 2) : -1;
		const received = createHash('md5');
		const stored = createHash('md5');
		const kept: Buffer[] = [];
		let size = 0;
		let keep = true;
		return new Promise((resolve) => {
			req.on('data', (chunk: Buffer) => {
				received.update(chunk);
				let piece = chunk;
				if (alterAt >= size && alterAt < size + chunk.length) {
					piece = Buffer.from(chunk);
					piece[alterAt - size] ^= 0xff;
				}
				stored.update(piece);
				size += chunk.length;
				request.bytesReceived = size;
				keep = keep && size <= this.keepUploadBytesUpTo;
				if (keep) kept.push(piece);
				else kept.length = 0;
				if (dropAt > 0 && size >= dropAt) {
					dropConnection(req);
					resolve(undefined);
				}
			});
			req.on('end', () => {
				const storedMd5 = stored.digest();
				if (fault === 'corruptUpload' && size === 0) storedMd5[0] ^= 0xff;
				resolve({ receivedMd5: received.digest('base64'), storedMd5, size, bytes: keep ? Buffer.concat(kept) : undefined });
			});
			req.on('close', () => resolve(undefined));
		});
	}

	private storeUpload(path: string, body: ReceivedUpload, contentType: string): UploadedObject {
		const uploaded: UploadedObject = {
			path,
			size: body.size,
			md5Base64: body.storedMd5.toString('base64'),
			md5Hex: body.storedMd5.toString('hex'),
			contentType,
			bytesKept: body.bytes !== undefined,
			time: this.now(),
		};
		this.uploadsByPath.set(path, uploaded);
		if (body.bytes) this.store(path, body.size, body.storedMd5, { bytes: body.bytes }, contentType);
		else this.files.delete(path);
		return { ...uploaded };
	}

	private refuse(res: http.ServerResponse, check: Exclude<SignatureCheck, 'ok'>): void {
		if (check === 'otherDirection') {
			return this.sendError(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
		}
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

interface ReceivedUpload {
	/** Base64 MD5 of the bytes as received (what Content-MD5 is checked against). */
	receivedMd5: string;
	/** MD5 of the bytes as stored. */
	storedMd5: Buffer;
	size: number;
	/** The stored bytes, when small enough to keep. */
	bytes?: Buffer;
}

/** The first value of a request header, trimmed ('' when absent). */
function headerOf(req: http.IncomingMessage, name: string): string {
	const value = req.headers[name];
	return (Array.isArray(value) ? value[0] : (value ?? '')).trim();
}

/** Reads and throws away the rest of a request body (counted in `bytesReceived`). */
function drain(req: http.IncomingMessage, request: FileHostRequest): Promise<void> {
	return new Promise((resolve) => {
		if (req.readableEnded || req.destroyed) return resolve();
		req.on('data', (chunk: Buffer) => (request.bytesReceived = (request.bytesReceived ?? 0) + chunk.length));
		req.on('end', () => resolve());
		req.on('close', () => resolve());
		req.resume();
	});
}

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
