/**
 * A KyyVideo2-like asset server for `npm run bench`, written apart from the project's emulator
 * (test/emulators) so that the benchmark does not measure the node against the code it was tested with.
 * Plain node:http, run as its own process (`node -r ts-node/register/transpile-only kyyServer.ts`):
 * the first line on stdout is `{"port":N}`.
 *
 * API (what the bench needs of the real one, see NOTES.md):
 * - `DELETE /kyyReactApiServer/kyyVideo2/asset/{id}` → 200 `{ code: "0", msg: "删除成功", data: null }`;
 *   an ID that is not there (never was, or already deleted) → 200 `{ code: "-1", msg: "资产不存在", data: null }`.
 * - `GET` on the same path → `{ code: 0, data: { assetId, status: "Active", … } }` or `{ code: -1, data: null }`.
 * - `Authorization: Bearer <key>` on every request, else 401 `{ code: 401 }`.
 *
 * Limits: a token bucket (rate, burst) in front of every API request; a request without a token is
 * answered at once (no latency, as a gateway does) in one of these shapes:
 * - `retry-after-1` / `retry-after-0`: 429 `{ code: "429" }` with `Retry-After: 1` / `0`;
 * - `no-retry-after`: 429 `{ code: "429" }` without Retry-After;
 * - `apigw`: 429 in Huawei API Gateway's form, `{ error_code: "APIGW.0308", error_msg, request_id }`, no Retry-After.
 *
 * Control (JSON, same port): `POST /__bench/reset` `{ apiKey, ids: [[prefix, count], …], latencyMs, limit,
 * warmupPrefix, faults }`, `GET /__bench/stats`. IDs that start with `warmupPrefix` always exist, are never
 * limited and are left out of the stats: they serve the warm-up pass that precedes a measured run.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ServerStats } from './serverStats';
import { emptyServerStats } from './serverStats';

export type LimitShape = 'retry-after-1' | 'retry-after-0' | 'no-retry-after' | 'apigw';

export interface LimitConfig {
	perSecond: number;
	burst: number;
	shape: LimitShape;
}

export interface ResetRequest {
	apiKey: string;
	/** Assets to create: `${prefix}${i}` for i < count. */
	ids: Array<[prefix: string, count: number]>;
	latencyMs?: number;
	limit?: LimitConfig;
	warmupPrefix?: string;
	/** Refuse the DELETE of these measured assets on every attempt (see FaultConfig). */
	faults?: FaultConfig;
}

/**
 * Deterministic refusals: the asset `${prefix}${i}` is refused when `i % 100 < percent`, on every
 * attempt, with HTTP 400 `{ code: "400", msg: "资产使用中，无法删除" }`. A 400 is neither retried by this
 * node nor passed as a success by the HTTP Request node, so both send these items to their Error output.
 */
export interface FaultConfig {
	percent: number;
}

export type { ServerStats };

const ASSET_PATH = /^\/kyyReactApiServer\/kyyVideo2\/asset\/([^/?]+)(?:\?.*)?$/;

const now = () => performance.timeOrigin + performance.now();

class TokenBucket {
	private tokens: number;
	private last = now();

	constructor(private readonly limit: LimitConfig) {
		this.tokens = limit.burst;
	}

	take(): boolean {
		const t = now();
		this.tokens = Math.min(this.limit.burst, this.tokens + ((t - this.last) / 1000) * this.limit.perSecond);
		this.last = t;
		if (this.tokens < 1) return false;
		this.tokens -= 1;
		return true;
	}
}

class BenchState {
	apiKey = '';
	latencyMs = 0;
	bucket?: TokenBucket;
	limit?: LimitConfig;
	warmupPrefix?: string;
	readonly present = new Set<string>();
	readonly deleted = new Set<string>();
	/** Assets whose DELETE is always refused (`faults`). */
	readonly refusing = new Set<string>();
	inFlight = 0;
	stats = emptyServerStats();
	private requestSeq = 0;


	reset(request: ResetRequest): void {
		this.apiKey = request.apiKey;
		this.latencyMs = request.latencyMs ?? 0;
		this.limit = request.limit;
		this.warmupPrefix = request.warmupPrefix || undefined;
		this.bucket = request.limit ? new TokenBucket(request.limit) : undefined;
		this.present.clear();
		this.deleted.clear();
		this.refusing.clear();
		const percent = request.faults?.percent ?? 0;
		for (const [prefix, count] of request.ids) {
			for (let i = 0; i < count; i++) {
				this.present.add(`${prefix}${i}`);
				if (i % 100 < percent) this.refusing.add(`${prefix}${i}`);
			}
		}
		this.stats = emptyServerStats();
	}

	nextRequestId(): string {
		return `bench-${process.pid}-${++this.requestSeq}`;
	}

	/** Adds one to the per-second series at the current second of the run. */
	tick(series: number[]): void {
		const second = Math.floor((now() - (this.stats.firstRequestAt ?? now())) / 1000);
		while (series.length <= second) series.push(0);
		series[second]++;
	}

	snapshot(): ServerStats {
		return { ...this.stats, remaining: this.present.size - this.refusing.size, refusedAssets: this.refusing.size };
	}
}

const state = new BenchState();

function reply(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json;charset=UTF-8',
		'content-length': Buffer.byteLength(text),
		...headers,
	});
	res.end(text);
}

function throttled(res: http.ServerResponse, shape: LimitShape, limit: LimitConfig): void {
	if (shape === 'apigw') {
		reply(res, 429, {
			error_code: 'APIGW.0308',
			error_msg: `The throttling threshold has been reached: policy user over ratelimit,limit:${limit.perSecond},time:1 second`,
			request_id: state.nextRequestId(),
		});
		return;
	}
	const headers: Record<string, string> =
		shape === 'retry-after-1' ? { 'retry-after': '1' } : shape === 'retry-after-0' ? { 'retry-after': '0' } : {};
	reply(res, 429, { code: '429', msg: '请求过于频繁', data: null }, headers);
}

function answerAsset(method: string, id: string, res: http.ServerResponse): void {
	if (method === 'DELETE') {
		if (state.refusing.has(id)) {
			state.stats.refused++;
			reply(res, 400, { code: '400', msg: '资产使用中，无法删除', data: null });
			return;
		}
		if (state.present.delete(id)) {
			state.deleted.add(id);
			const t = now();
			state.stats.deletes++;
			state.stats.firstDeleteAt ??= t;
			state.stats.lastDeleteAt = t;
			state.tick(state.stats.deletesPerSecond);
			reply(res, 200, { code: '0', msg: '删除成功', data: null });
			return;
		}
		if (state.deleted.has(id)) state.stats.doubleDeletes++;
		else state.stats.unknownDeletes++;
		reply(res, 200, { code: '-1', msg: '资产不存在', data: null });
		return;
	}
	if (method === 'GET') {
		state.stats.gets++;
		if (state.present.has(id)) {
			reply(res, 200, {
				code: 0,
				msg: null,
				data: { assetId: id, name: id, status: 'Active', assetType: 'Image', url: '', createTime: '2026-01-01 00:00:00' },
			});
		} else {
			reply(res, 200, { code: -1, msg: '资产不存在', data: null });
		}
		return;
	}
	reply(res, 405, { code: '405', msg: 'Method Not Allowed', data: null });
}

/** Warm-up requests: answered as successes after the same latency, never limited, never counted. */
function handleWarmup(req: http.IncomingMessage, res: http.ServerResponse): void {
	if (req.headers.authorization !== `Bearer ${state.apiKey}`) {
		reply(res, 401, { code: 401, msg: 'Unauthorized', data: null });
		return;
	}
	const answer = () =>
		req.method === 'GET'
			? reply(res, 200, { code: 0, msg: null, data: { status: 'Active' } })
			: reply(res, 200, { code: '0', msg: '删除成功', data: null });
	if (state.latencyMs > 0) setTimeout(answer, state.latencyMs);
	else answer();
}

function handleApi(req: http.IncomingMessage, res: http.ServerResponse, id: string): void {
	if (state.warmupPrefix && decodeURIComponent(id).startsWith(state.warmupPrefix)) {
		handleWarmup(req, res);
		return;
	}
	const { stats } = state;
	stats.requests++;
	stats.firstRequestAt ??= now();
	state.inFlight++;
	stats.maxInFlight = Math.max(stats.maxInFlight, state.inFlight);
	res.on('finish', () => {
		state.inFlight--;
		stats.byStatus[res.statusCode] = (stats.byStatus[res.statusCode] ?? 0) + 1;
		stats.lastResponseAt = now();
	});
	res.on('close', () => {
		if (!res.writableFinished) state.inFlight--;
	});

	if (req.headers.authorization !== `Bearer ${state.apiKey}`) {
		reply(res, 401, { code: 401, msg: 'Unauthorized', data: null });
		return;
	}
	if (state.bucket && state.limit && !state.bucket.take()) {
		stats.throttled++;
		state.tick(stats.throttledPerSecond);
		throttled(res, state.limit.shape, state.limit);
		return;
	}
	const answer = () => answerAsset(req.method ?? 'GET', decodeURIComponent(id), res);
	if (state.latencyMs > 0) setTimeout(answer, state.latencyMs);
	else answer();
}

function readJson(req: http.IncomingMessage): Promise<unknown> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			try {
				resolve(chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {});
			} catch (error) {
				reject(error);
			}
		});
		req.on('error', reject);
	});
}

async function handleControl(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
	if (path === '/__bench/reset' && req.method === 'POST') {
		state.reset((await readJson(req)) as ResetRequest);
		reply(res, 200, { ok: true, assets: state.present.size });
	} else if (path === '/__bench/stats') {
		reply(res, 200, state.snapshot());
	} else {
		reply(res, 404, { error: 'unknown control path' });
	}
}

const server = http.createServer((req, res) => {
	const url = req.url ?? '/';
	if (url.startsWith('/__bench/')) {
		handleControl(req, res, url.split('?')[0]).catch((error: Error) => reply(res, 500, { error: error.message }));
		return;
	}
	// Drain any body so keep-alive connections stay usable.
	req.resume();
	const match = ASSET_PATH.exec(url);
	if (!match) {
		reply(res, 404, { timestamp: new Date().toISOString(), status: 404, error: 'Not Found', path: url });
		return;
	}
	handleApi(req, res, match[1]);
});

// Many clients (n8n builds a new agent for each request) open a connection per request.
server.maxConnections = 100_000;
server.listen(Number(process.env.KYY_BENCH_PORT ?? 0), '127.0.0.1', () => {
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	process.stdout.write(`${JSON.stringify({ port })}\n`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
