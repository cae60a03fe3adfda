/**
 * An emulator of the Seedance 2.0 / KyyVideo2 asset API (GlobalAiOpc), as documented in
 * shared/seeds/000 and 001 and NOTES.md (test-only code):
 *
 * - base path `/kyyReactApiServer`; `Authorization: Bearer <key>` is checked on every request;
 * - `DELETE /kyyReactApiServer/kyyVideo2/asset/{id}` → 200 `{ code: "0", msg: "删除成功", data: null }`
 *   (the number 0 when `numericSuccessCode` is true); unknown ID → 200 `{ code: "-1", msg: "资产不存在" }`;
 * - `GET /kyyReactApiServer/kyyVideo2/asset/{id}` → 200 `{ code: 0, msg: null, data: {...} }` (numeric code,
 *   as the real detail endpoint); unknown ID → 200 `{ code: -1, msg: "资产不存在", data: null }`;
 * - `POST /kyyReactApiServer/kyyVideo2/asset/upload`, JSON `{ assetType: "Image" | "Video" | "Audio" |
 *   "Document" (case-sensitive), url (http or https; the service would fetch it, the emulator does not),
 *   name? }` → 200 `{ code: 0, msg: "success", data: { assetId } }` (integer code), an ID such as
 *   `asset-20260330142158-q75m8` (the emulator's clock, UTC). The new asset's detail: `name` as given,
 *   else the URL's last path segment (decoded), else the ID; `assetType` as given; `url` a CDN address of
 *   the asset (not the source URL, which `upload(id)` keeps); `createTime` from the emulator's clock;
 *   `status` Processing for the first `processingReads` detail reads (default 2), then Active, or Failed
 *   when the source URL matches `failUrls`; with `processingMs` set, also final once that much time has
 *   passed on the emulator's clock (`now` option, `advanceClock`). The settings in force at the upload
 *   apply to that asset; `setStatus` decides at once.
 * - anything else → 404 JSON.
 *
 * Guesses, where the documents are silent:
 * - A missing or wrong key: HTTP 401 `{ code: 401, msg: "Unauthorized: invalid or missing API key", data: null }`.
 * - An unknown path or method: HTTP 404 with a Spring Boot style body `{ timestamp, status, error, path }`
 *   (the service looks like a Spring application); checked after the key, as a security filter would.
 * - Routing is done on the RAW request path, strictly: extra segments, a trailing slash, or any
 *   percent-escape in the ID segment (`%2F` and friends, in the spirit of Spring's StrictHttpFirewall)
 *   is a 404. A query string is ignored. Every request is recorded anyway.
 * - An upload the service refuses (its refusal is not published): HTTP 200 `{ code: -1 (KYY_UPLOAD_REFUSED_CODE),
 *   msg: <what is wrong, naming the field>, data: null }` for a body that is not a JSON object, an
 *   `assetType` not exactly one of the four, a `url` not an absolute http(s) URL, or a `name` not a
 *   string (null counts as absent). Nothing is created.
 * - HTTP 500 fault: `{ code: "500", msg: "服务器内部错误", data: null }`; 503: `{ code: "503", msg: "服务暂时不可用" }`;
 *   429 (rate limit or 'throttle'): `{ code: "429", msg: "请求过于频繁", data: null }` with `Retry-After`.
 *
 * Faults apply to the methods in `faults.methods` (DELETE by default; add 'POST' for uploads, 'GET' for
 * details); a script is keyed by the asset ID, an upload's by `kyyUploadFaultKey(url)` (its body's
 * `url`). `faultNext('upload' | 'detail' | 'delete', kind, times)` queues faults for the next requests of
 * that route, whatever the method configuration (`setFaults` forgets them); `landedThenDrop` on an
 * upload creates the asset and loses the answer.
 * Order per request: record → faults (latency, 429, 5xx, drop, foreignPage: a 200 HTML page, nothing
 * deleted; see faults.ts) → `htmlFor` (HTTP 502
 * HTML from a proxy: the backend is never reached, nothing is deleted) → 'slow' wait → key check →
 * routing → the operation → answer (or, for 'landedThenDrop', a destroyed socket).
 */
import { randomBytes } from 'node:crypto';

import type { FaultConfig, FaultKind } from './faults';
import { FaultInjector, FOREIGN_PAGE_HTML } from './faults';
import type { Answer, Exchange, RecordedRequest } from './http';
import { dropConnection, headerText, LocalServer, recordOf, send, splitTarget } from './http';

export type KyyAssetStatus = 'Processing' | 'Active' | 'Failed';
export type KyyAssetType = 'Image' | 'Video' | 'Audio' | 'Document';

export interface KyyAsset {
	assetId: string;
	name: string;
	status: KyyAssetStatus;
	assetType: KyyAssetType;
	url: string;
	createTime: string;
}

export const KYY_BASE_PATH = '/kyyReactApiServer';

/** The one route shape; the ID segment must be plain URL characters, no percent-escapes. */
const ASSET_PATH = /^\/kyyReactApiServer\/kyyVideo2\/asset\/([A-Za-z0-9\-._~!$&'()*+,;=:@]+)$/;

export const KYY_UNAUTHORIZED = { code: 401, msg: 'Unauthorized: invalid or missing API key', data: null } as const;
export const KYY_NOT_FOUND_MSG = '资产不存在';
export const KYY_DELETED_MSG = '删除成功';
export const KYY_UPLOAD_PATH = `${KYY_BASE_PATH}/kyyVideo2/asset/upload`;
export const KYY_ASSET_TYPES: readonly KyyAssetType[] = ['Image', 'Video', 'Audio', 'Document'];
/** The code of a refused upload (an assumption: the refusal's shape is not published). */
export const KYY_UPLOAD_REFUSED_CODE = -1;
export const DEFAULT_PROCESSING_READS = 2;

/** The fault-script key of an upload: its body's `url` as sent ('' when none). */
export function kyyUploadFaultKey(url: string): string {
	return `upload:${url}`;
}

export type KyyRoute = 'upload' | 'detail' | 'delete';

/** An upload as the emulator follows it. */
export interface KyyUpload {
	assetId: string;
	assetType: KyyAssetType;
	/** The source URL as sent. */
	url: string;
	/** The name as sent (undefined when none). */
	name?: string;
	/** The emulator's clock at the upload (ms). */
	uploadedAt: number;
	/** Where it ends: Failed when the URL matched `failUrls`, else Active. */
	finalStatus: 'Active' | 'Failed';
	/** Detail reads of it so far. */
	reads: number;
}

export interface KyyVideo2Options {
	/** The key the emulator accepts (default 'kyy-emulator-key'). */
	apiKey?: string;
	/** Initial assets: an ID (defaults for the rest) or a partial asset. */
	assets?: Array<string | Partial<KyyAsset>>;
	faults?: FaultConfig;
	/** DELETE answers the number 0 instead of the string "0" (default false). */
	numericSuccessCode?: boolean;
	/** Keep a log of every request in `requests` (off for long benchmarks). Default true. */
	record?: boolean;
	/** Detail reads of an uploaded asset that answer Processing before its final status (default 2). */
	processingReads?: number;
	/** With it, an uploaded asset is also final once this long has passed on the emulator's clock. */
	processingMs?: number;
	/** Uploads whose source URL matches end Failed (default: none). */
	failUrls?: RegExp;
	/** The emulator's clock (default Date.now): upload times, IDs and `processingMs`. */
	now?: () => number;
}


export interface KyyVideo2Stats {
	/** Deletes that removed an asset, all IDs together. */
	deletesLanded: number;
	/** 429 answers (rate limit and 'throttle' faults). */
	throttled: number;
	/** Requests received. */
	requests: number;
	maxInFlight: number;
}

export class KyyVideo2Emulator {
	/** `http://127.0.0.1:<port>/kyyReactApiServer` */
	readonly baseUrl: string;

	/** `http://127.0.0.1:<port>` */
	readonly origin: string;

	readonly apiKey: string;

	/** When true, DELETE answers the number 0 instead of the string "0". */
	numericSuccessCode: boolean;

	/** Whether requests are recorded in `requests`. */
	record: boolean;

	/** Every request, in arrival order: { method, rawPath, headers, body, time }. */
	readonly requests: RecordedRequest[] = [];

	/** IDs whose requests (any method) get HTTP 502 with an HTML page from a "proxy"; nothing is deleted. */
	readonly htmlFor = new Set<string>();

	/** IDs whose DELETE answers success but leaves the asset in place (for verifyDeletion tests). */
	readonly ghostDeletes = new Set<string>();

	private readonly assets = new Map<string, KyyAsset>();

	private readonly landed = new Map<string, number>();

	private readonly deleteRequestCounts = new Map<string, number>();

	private readonly faults = new FaultInjector();

	private readonly initialNumericSuccessCode: boolean;

	/** Detail reads of a new upload answering Processing (applies to later uploads). */
	processingReads: number;

	/** See the option (applies to later uploads). */
	processingMs: number | undefined;

	/** See the option (applies to later uploads). */
	failUrls: RegExp | undefined;

	/** The emulator's clock is `clock() + clockOffsetMs`. */
	clock: () => number;

	clockOffsetMs = 0;

	private readonly uploadsById = new Map<string, TrackedUpload>();

	private constructor(
		private readonly server: LocalServer,
		private readonly options: KyyVideo2Options,
	) {
		this.origin = server.origin;
		this.baseUrl = `${server.origin}${KYY_BASE_PATH}`;
		this.apiKey = options.apiKey ?? 'kyy-emulator-key';
		this.numericSuccessCode = options.numericSuccessCode ?? false;
		this.initialNumericSuccessCode = this.numericSuccessCode;
		this.record = options.record ?? true;
		this.processingReads = options.processingReads ?? DEFAULT_PROCESSING_READS;
		this.processingMs = options.processingMs;
		this.failUrls = options.failUrls;
		this.clock = options.now ?? Date.now;
		for (const asset of options.assets ?? []) this.addAsset(asset);
		this.faults.set(options.faults ?? {});
	}

	static async start(options: KyyVideo2Options = {}): Promise<KyyVideo2Emulator> {
		const ref: { emulator?: KyyVideo2Emulator } = {};
		const server = await LocalServer.start((exchange) => ref.emulator!.handle(exchange));
		ref.emulator = new KyyVideo2Emulator(server, options);
		return ref.emulator;
	}

	// ---- the asset store ----

	/** Adds (or replaces) an asset; a bare ID gets an Active video. */
	addAsset(asset: string | Partial<KyyAsset>): KyyAsset {
		const given = typeof asset === 'string' ? { assetId: asset } : asset;
		const assetId = given.assetId ?? `asset-${formatTime(new Date()).replace(/\D/g, '')}-${this.assets.size}`;
		const stored: KyyAsset = {
			assetId,
			name: given.name ?? `${assetId}.mp4`,
			status: given.status ?? 'Active',
			assetType: given.assetType ?? 'Video',
			url: given.url ?? `https://cdn.example.invalid/kyyVideo2/${assetId}`,
			createTime: given.createTime ?? '2026-03-30 14:21:58',
		};
		this.assets.set(assetId, stored);
		return { ...stored };
	}

	hasAsset(id: string): boolean {
		return this.assets.has(id);
	}

	/** The asset as the next detail read would find it (Processing ends here once its time is up). */
	getAsset(id: string): KyyAsset | undefined {
		this.progress(id, false);
		const asset = this.assets.get(id);
		return asset && { ...asset };
	}

	assetIds(): string[] {
		return [...this.assets.keys()];
	}

	/** Changes an asset's status (e.g. Processing → Active); an upload's processing ends with it. */
	setStatus(id: string, status: KyyAssetStatus): void {
		const asset = this.assets.get(id);
		if (!asset) throw new Error(`No asset ${id}`);
		asset.status = status;
		const upload = this.uploadsById.get(id);
		if (upload) upload.settled = true;
	}

	// ---- uploads ----

	/** The emulator's clock (ms). */
	now(): number {
		return this.clock() + this.clockOffsetMs;
	}

	/** Moves the emulator's clock on (for `processingMs`). */
	advanceClock(ms: number): void {
		this.clockOffsetMs += ms;
	}

	/** An upload by the asset ID it created. */
	upload(id: string): KyyUpload | undefined {
		const upload = this.uploadsById.get(id);
		return upload && publicUpload(upload);
	}

	/** Every upload that created an asset, in order. */
	uploads(): KyyUpload[] {
		return [...this.uploadsById.values()].map(publicUpload);
	}

	/** Uploads that created an asset (whether or not their answer arrived). */
	uploadsLanded(): number {
		return this.uploadsById.size;
	}

	/** Queues `kind` for the next `times` requests of a route, whatever `faults.methods` says. */
	faultNext(route: KyyRoute, kind: FaultKind, times = 1): void {
		this.faults.queueNext(route, Array.from({ length: times }, () => kind));
	}

	// ---- counters ----

	/** Deletes of this ID that really removed the asset (never more than 1 unless it was re-added). */
	deletesLanded(id: string): number {
		return this.landed.get(id) ?? 0;
	}

	/** DELETE requests that reached the route for this ID, whatever their outcome (faults included). */
	deleteRequests(id: string): number {
		return this.deleteRequestCounts.get(id) ?? 0;
	}

	totalDeletesLanded(): number {
		let total = 0;
		for (const count of this.landed.values()) total += count;
		return total;
	}

	/** Most requests that were being answered at the same moment. */
	get maxInFlight(): number {
		return this.server.maxInFlight;
	}

	get inFlight(): number {
		return this.server.inFlight;
	}

	/** 429 answers so far (rate limit and 'throttle' faults). */
	get throttled(): number {
		return this.faults.throttled;
	}

	/** How often each fault kind was injected since the last `setFaults`. */
	get faultsInjected(): Readonly<Record<string, number>> {
		return { ...this.faults.injected };
	}

	stats(): KyyVideo2Stats {
		return {
			deletesLanded: this.totalDeletesLanded(),
			throttled: this.faults.throttled,
			requests: this.server.received,
			maxInFlight: this.server.maxInFlight,
		};
	}

	// ---- control ----

	/** Replaces the fault configuration (PRNG, bucket and script queues start afresh). */
	setFaults(faults: FaultConfig): void {
		this.faults.set(faults);
	}

	/**
	 * Forgets assets, uploads, counters, recorded requests, faults and special IDs (the benchmark reuses
	 * one emulator); the upload settings go back to the options'. The clock stays.
	 */
	reset(): void {
		this.assets.clear();
		this.uploadsById.clear();
		this.processingReads = this.options.processingReads ?? DEFAULT_PROCESSING_READS;
		this.processingMs = this.options.processingMs;
		this.failUrls = this.options.failUrls;
		this.landed.clear();
		this.deleteRequestCounts.clear();
		this.requests.length = 0;
		this.htmlFor.clear();
		this.ghostDeletes.clear();
		this.numericSuccessCode = this.initialNumericSuccessCode;
		this.server.resetCounters();
		this.faults.set({});
	}

	async stop(): Promise<void> {
		await this.server.stop();
	}

	// ---- the server ----

	private uploadAsset(body: string): Answer {
		const request = parseUpload(body);
		if (!request.ok) return request.answer;
		const uploadedAt = this.now();
		let assetId: string;
		do {
			assetId = `asset-${formatTime(new Date(uploadedAt)).replace(/\D/g, '')}-${randomSuffix()}`;
		} while (this.assets.has(assetId));
		const fallbackName = lastSegment(request.url);
		this.addAsset({
			assetId,
			name: request.name ?? (fallbackName || assetId),
			status: 'Processing',
			assetType: request.assetType,
			createTime: formatTime(new Date(uploadedAt)),
		});
		this.uploadsById.set(assetId, {
			assetId,
			assetType: request.assetType,
			url: request.url,
			...(request.name === undefined ? {} : { name: request.name }),
			uploadedAt,
			finalStatus: this.failUrls?.test(request.url) ? 'Failed' : 'Active',
			reads: 0,
			processingReads: this.processingReads,
			processingMs: this.processingMs,
			settled: false,
		});
		return { status: 200, json: { code: 0, msg: 'success', data: { assetId } } };
	}

	/**
	 * Moves an uploaded asset on: final once its reads are spent or its time is up; `read` counts a
	 * detail read (after the check, so the first `processingReads` reads see Processing).
	 */
	private progress(id: string, read: boolean): void {
		const upload = this.uploadsById.get(id);
		const asset = this.assets.get(id);
		if (!upload || !asset) return;
		if (read) upload.reads++;
		if (upload.settled) return;
		const timeUp = upload.processingMs !== undefined && this.now() - upload.uploadedAt >= upload.processingMs;
		if (timeUp || upload.reads > upload.processingReads) {
			asset.status = upload.finalStatus;
			upload.settled = true;
		}
	}

	private async handle(exchange: Exchange): Promise<void> {
		const { req, res, body } = exchange;
		if (this.record) this.requests.push(recordOf(exchange));
		const method = (req.method ?? '').toUpperCase();
		const { path } = splitTarget(req.url ?? '');
		const isUpload = method === 'POST' && path === KYY_UPLOAD_PATH;
		const id = isUpload ? undefined : ASSET_PATH.exec(path)?.[1];
		if (id !== undefined && method === 'DELETE') this.deleteRequestCounts.set(id, this.deleteRequests(id) + 1);

		const route: KyyRoute | undefined = isUpload
			? 'upload'
			: id === undefined
				? undefined
				: ({ GET: 'detail', DELETE: 'delete' } as Record<string, KyyRoute>)[method];
		const decision = this.faults.decide(method, isUpload ? kyyUploadFaultKey(jsonText(body, 'url')) : id, route);
		if (decision.latencyMs > 0) await this.server.delay(decision.latencyMs);
		switch (decision.fault) {
			case 'drop':
				return dropConnection(req);
			case 'throttle':
				return send(res, {
					status: 429,
					headers: { 'retry-after': String(this.faults.retryAfterSeconds) },
					json: { code: '429', msg: '请求过于频繁', data: null },
				});
			case 'http500':
				return send(res, { status: 500, json: { code: '500', msg: '服务器内部错误', data: null } });
			case 'http503':
				return send(res, { status: 503, json: { code: '503', msg: '服务暂时不可用', data: null } });
			case 'foreignPage':
				return send(res, { status: 200, text: FOREIGN_PAGE_HTML, contentType: 'text/html;charset=UTF-8' });
			default:
				break;
		}
		if (id !== undefined && this.htmlFor.has(id)) {
			return send(res, { status: 502, text: BAD_GATEWAY_PAGE, contentType: 'text/html' });
		}
		if (decision.fault === 'slow') await this.server.delay(this.faults.slowMs);

		const answer = this.answer(method, path, headerText(req.headers, 'authorization'), id, body);
		if (decision.fault === 'landedThenDrop') return dropConnection(req);
		send(res, answer);
	}

	/** Computes the answer and performs the operation (the delete happens here). */
	private answer(method: string, path: string, authorization: string, id: string | undefined, body: string): Answer {
		const bearer = /^Bearer\s+(\S.*)$/i.exec(authorization.trim());
		if (!bearer || bearer[1].trim() !== this.apiKey) return { status: 401, json: KYY_UNAUTHORIZED };
		if (method === 'POST' && path === KYY_UPLOAD_PATH) return this.uploadAsset(body);

		if (id === undefined || (method !== 'DELETE' && method !== 'GET')) {
			return {
				status: 404,
				json: { timestamp: new Date().toISOString(), status: 404, error: 'Not Found', path },
			};
		}

		if (method === 'GET') {
			this.progress(id, true);
			const asset = this.assets.get(id);
			return {
				status: 200,
				json: asset
					? { code: 0, msg: null, data: { ...asset } }
					: { code: -1, msg: KYY_NOT_FOUND_MSG, data: null },
			};
		}

		if (!this.assets.has(id)) return { status: 200, json: { code: '-1', msg: KYY_NOT_FOUND_MSG, data: null } };
		if (!this.ghostDeletes.has(id)) {
			this.assets.delete(id);
			this.landed.set(id, this.deletesLanded(id) + 1);
		}
		return { status: 200, json: { code: this.numericSuccessCode ? 0 : '0', msg: KYY_DELETED_MSG, data: null } };
	}
}

const uploadRefused = (msg: string): Answer => ({ status: 200, json: { code: KYY_UPLOAD_REFUSED_CODE, msg, data: null } });

/** Why an upload body is refused (see the file header), or its fields. */
function parseUpload(body: string): { ok: true; assetType: KyyAssetType; url: string; name?: string } | { ok: false; answer: Answer } {
	let parsed: unknown;
	try {
		parsed = JSON.parse(body);
	} catch {
		parsed = undefined;
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		return { ok: false, answer: uploadRefused('Invalid request body: a JSON object is required') };
	}
	const { assetType, url, name } = parsed as Record<string, unknown>;
	if (typeof assetType !== 'string' || !(KYY_ASSET_TYPES as readonly string[]).includes(assetType)) {
		return { ok: false, answer: uploadRefused(`assetType must be one of ${KYY_ASSET_TYPES.join(', ')}`) };
	}
	if (typeof url !== 'string' || !isHttpUrl(url)) return { ok: false, answer: uploadRefused('url must be an http or https URL') };
	if (name !== undefined && name !== null && typeof name !== 'string') {
		return { ok: false, answer: uploadRefused('name must be a string') };
	}
	return { ok: true, assetType: assetType as KyyAssetType, url, ...(typeof name === 'string' ? { name } : {}) };
}

function isHttpUrl(text: string): boolean {
	try {
		const { protocol, hostname } = new URL(text);
		return (protocol === 'http:' || protocol === 'https:') && hostname !== '';
	} catch {
		return false;
	}
}

/** The URL's last path segment, decoded ('' when none). */
function lastSegment(url: string): string {
	const segment = new URL(url).pathname.split('/').pop() ?? '';
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

/** A string field of a JSON object body ('' when the body or the field is not one). */
function jsonText(body: string, field: string): string {
	try {
		const value = (JSON.parse(body) as Record<string, unknown>)?.[field];
		return typeof value === 'string' ? value : '';
	} catch {
		return '';
	}
}

interface TrackedUpload extends KyyUpload {
	processingReads: number;
	processingMs?: number;
	/** Its final status was reached (or set by `setStatus`): no more changes. */
	settled: boolean;
}

function randomSuffix(): string {
	return [...randomBytes(5)].map((byte) => 'abcdefghijklmnopqrstuvwxyz0123456789'[byte % 36]).join('');
}

function publicUpload(upload: KyyUpload): KyyUpload {
	const { assetId, assetType, url, name, uploadedAt, finalStatus, reads } = upload;
	return { assetId, assetType, url, ...(name === undefined ? {} : { name }), uploadedAt, finalStatus, reads };
}

const BAD_GATEWAY_PAGE = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
`;

function formatTime(date: Date): string {
	return date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
}
