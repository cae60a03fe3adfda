/**
 * An emulator of the Seedance 2.0 / KyyVideo2 asset API (GlobalAiOpc), as documented in
 * shared/seeds/000 and 001 and NOTES.md (test-only code):
 *
 * - base path `/kyyReactApiServer`; `Authorization: Bearer <key>` is checked on every request;
 * - `DELETE /kyyReactApiServer/kyyVideo2/asset/{id}` → 200 `{ code: "0", msg: "删除成功", data: null }`
 *   (the number 0 when `numericSuccessCode` is true); unknown ID → 200 `{ code: "-1", msg: "资产不存在" }`;
 * - `GET /kyyReactApiServer/kyyVideo2/asset/{id}` → 200 `{ code: 0, msg: null, data: {...} }` (numeric code,
 *   as the real detail endpoint); unknown ID → 200 `{ code: -1, msg: "资产不存在", data: null }`;
 * - anything else → 404 JSON.
 *
 * Guesses, where the documents are silent:
 * - A missing or wrong key: HTTP 401 `{ code: 401, msg: "Unauthorized: invalid or missing API key", data: null }`.
 * - An unknown path or method: HTTP 404 with a Spring Boot style body `{ timestamp, status, error, path }`
 *   (the service looks like a Spring application); checked after the key, as a security filter would.
 * - Routing is done on the RAW request path, strictly: extra segments, a trailing slash, or any
 *   percent-escape in the ID segment (`%2F` and friends, in the spirit of Spring's StrictHttpFirewall)
 *   is a 404. A query string is ignored. Every request is recorded anyway.
 * - HTTP 500 fault: `{ code: "500", msg: "服务器内部错误", data: null }`; 503: `{ code: "503", msg: "服务暂时不可用" }`;
 *   429 (rate limit or 'throttle'): `{ code: "429", msg: "请求过于频繁", data: null }` with `Retry-After`.
 *
 * Order per request: record → faults (latency, 429, 5xx, drop, foreignPage: a 200 HTML page, nothing
 * deleted; see faults.ts) → `htmlFor` (HTTP 502
 * HTML from a proxy: the backend is never reached, nothing is deleted) → 'slow' wait → key check →
 * routing → the operation → answer (or, for 'landedThenDrop', a destroyed socket).
 */
import type { FaultConfig } from './faults';
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

	private constructor(
		private readonly server: LocalServer,
		options: KyyVideo2Options,
	) {
		this.origin = server.origin;
		this.baseUrl = `${server.origin}${KYY_BASE_PATH}`;
		this.apiKey = options.apiKey ?? 'kyy-emulator-key';
		this.numericSuccessCode = options.numericSuccessCode ?? false;
		this.initialNumericSuccessCode = this.numericSuccessCode;
		this.record = options.record ?? true;
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

	getAsset(id: string): KyyAsset | undefined {
		const asset = this.assets.get(id);
		return asset && { ...asset };
	}

	assetIds(): string[] {
		return [...this.assets.keys()];
	}

	/** Changes an asset's status (e.g. Processing → Active). */
	setStatus(id: string, status: KyyAssetStatus): void {
		const asset = this.assets.get(id);
		if (!asset) throw new Error(`No asset ${id}`);
		asset.status = status;
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

	/** Forgets assets, counters, recorded requests, faults and special IDs (the benchmark reuses one emulator). */
	reset(): void {
		this.assets.clear();
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

	private async handle(exchange: Exchange): Promise<void> {
		const { req, res } = exchange;
		if (this.record) this.requests.push(recordOf(exchange));
		const method = (req.method ?? '').toUpperCase();
		const { path } = splitTarget(req.url ?? '');
		const id = ASSET_PATH.exec(path)?.[1];
		if (id !== undefined && method === 'DELETE') this.deleteRequestCounts.set(id, this.deleteRequests(id) + 1);

		const decision = this.faults.decide(method, id);
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

		const answer = this.answer(method, path, headerText(req.headers, 'authorization'), id);
		if (decision.fault === 'landedThenDrop') return dropConnection(req);
		send(res, answer);
	}

	/** Computes the answer and performs the operation (the delete happens here). */
	private answer(method: string, path: string, authorization: string, id: string | undefined): Answer {
		const bearer = /^Bearer\s+(\S.*)$/i.exec(authorization.trim());
		if (!bearer || bearer[1].trim() !== this.apiKey) return { status: 401, json: KYY_UNAUTHORIZED };

		if (id === undefined || (method !== 'DELETE' && method !== 'GET')) {
			return {
				status: 404,
				json: { timestamp: new Date().toISOString(), status: 404, error: 'Not Found', path },
			};
		}

		if (method === 'GET') {
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
