/**
 * An emulator of the Seedance 2.0 / KyyVideo2 asset API (GlobalAiOpc), as documented in
 * shared/seeds/000 and 001 and NOTES.md: Bearer key on every call; DELETE answers the string code
 * "0", the detail GET the number 0; a missing asset is a non-zero code with data null.
 */
import type http from 'node:http';

import type { FaultConfig } from './faults';
import { FaultInjector } from './faults';
import type { RecordedRequest } from './http';
import { delay, LocalServer, record, sendJson } from './http';

export interface KyyAsset {
	assetId: string;
	name: string;
	status: 'Processing' | 'Active' | 'Failed';
	assetType: 'Image' | 'Video' | 'Audio' | 'Document';
	url: string;
	createTime: string;
}

const BASE_PATH = '/kyyReactApiServer';
const ASSET_PATH = /^\/kyyReactApiServer\/kyyVideo2\/asset\/([A-Za-z0-9._~:@+=,-]+)$/;

export interface KyyVideo2Options {
	apiKey?: string;
	assets?: Array<string | Partial<KyyAsset>>;
	faults?: FaultConfig;
	/** Keep a log of every request (off for long benchmarks). Default true. */
	record?: boolean;
}

export class KyyVideo2Emulator {
	readonly apiKey: string;
	readonly baseUrl: string;
	/** When true, DELETE answers the number 0 instead of the string "0". */
	numericSuccessCode = false;
	readonly requests: RecordedRequest[] = [];
	/** IDs whose DELETE answers with an HTML page (a proxy error) instead of the API's JSON. */
	readonly htmlFor = new Set<string>();
	/** IDs whose DELETE answers success but leaves the asset in place (for verifyDeletion). */
	readonly ghostDeletes = new Set<string>();
	private readonly assets = new Map<string, KyyAsset>();
	private readonly landed = new Map<string, number>();
	private readonly faults = new FaultInjector();
	private readonly recording: boolean;

	private constructor(
		private readonly server: LocalServer,
		options: KyyVideo2Options,
	) {
		this.apiKey = options.apiKey ?? 'test-api-key';
		this.baseUrl = `${server.origin}${BASE_PATH}`;
		this.recording = options.record ?? true;
		for (const asset of options.assets ?? []) this.addAsset(asset);
		this.faults.set(options.faults ?? {});
	}

	static async start(options: KyyVideo2Options = {}): Promise<KyyVideo2Emulator> {
		let emulator: KyyVideo2Emulator | undefined;
		const server = await LocalServer.start((req, res, body) => emulator!.handle(req, res, body));
		emulator = new KyyVideo2Emulator(server, options);
		return emulator;
	}

	addAsset(asset: string | Partial<KyyAsset>): void {
		const given = typeof asset === 'string' ? { assetId: asset } : asset;
		const assetId = given.assetId ?? `asset-${this.assets.size}`;
		this.assets.set(assetId, {
			assetId,
			name: given.name ?? `${assetId}.mp4`,
			status: given.status ?? 'Active',
			assetType: given.assetType ?? 'Video',
			url: given.url ?? `https://cdn.example.invalid/${assetId}`,
			createTime: given.createTime ?? '2026-03-30 14:21:58',
		});
	}

	hasAsset(id: string): boolean {
		return this.assets.has(id);
	}

	deletesLanded(id: string): number {
		return this.landed.get(id) ?? 0;
	}

	setFaults(faults: FaultConfig): void {
		this.faults.set(faults);
	}

	/** Most requests that were being answered at the same moment. */
	get maxInFlight(): number {
		return this.server.maxInFlight;
	}

	/** Forgets assets, counters and requests (the benchmark reuses one emulator). */
	reset(): void {
		this.assets.clear();
		this.landed.clear();
		this.requests.length = 0;
		this.server.maxInFlight = 0;
		this.faults.set({});
	}

	stats(): { deletesLanded: number; throttled: number } {
		let deletes = 0;
		for (const count of this.landed.values()) deletes += count;
		return { deletesLanded: deletes, throttled: this.faults.throttled };
	}

	async stop(): Promise<void> {
		await this.server.stop();
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
		if (this.recording) this.requests.push(record(req, body));
		const method = req.method ?? '';
		const match = ASSET_PATH.exec(req.url ?? '');
		const id = match?.[1];

		const fault = this.faults.next(method, id);
		const latency = this.faults.latency();
		if (latency > 0) await delay(latency);

		if (fault === 'drop') {
			req.socket.destroy();
			return;
		}
		if (fault === 'throttle') {
			sendJson(res, 429, { code: '429', msg: '请求过于频繁', data: null }, { 'retry-after': String(this.faults.retryAfterSeconds) });
			return;
		}
		if (fault === 'http500' || fault === 'http503') {
			sendJson(res, fault === 'http500' ? 500 : 503, { code: fault === 'http500' ? '500' : '503', msg: '服务器内部错误', data: null });
			return;
		}

		// The real service's answer to a bad key is not documented; HTTP 401 with a code is our best guess.
		if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
			sendJson(res, 401, { code: 401, msg: 'Unauthorized: invalid or missing API key', data: null });
			return;
		}
		if (!match || (method !== 'DELETE' && method !== 'GET')) {
			sendJson(res, 404, { code: 404, msg: 'Not Found', data: null });
			return;
		}
		const assetId = decodeURIComponent(id!);

		if (method === 'GET') {
			const asset = this.assets.get(assetId);
			sendJson(res, 200, asset ? { code: 0, msg: null, data: asset } : { code: -1, msg: '资产不存在', data: null });
			return;
		}

		if (this.htmlFor.has(assetId)) {
			res.writeHead(502, { 'content-type': 'text/html' });
			res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
			return;
		}
		if (fault === 'slow') await delay(this.faults.slowMs);
		const existed = this.assets.has(assetId);
		if (existed && !this.ghostDeletes.has(assetId)) {
			this.assets.delete(assetId);
			this.landed.set(assetId, (this.landed.get(assetId) ?? 0) + 1);
		}
		if (fault === 'landedThenDrop') {
			req.socket.destroy();
			return;
		}
		if (!existed) {
			sendJson(res, 200, { code: '-1', msg: '资产不存在', data: null });
			return;
		}
		sendJson(res, 200, { code: this.numericSuccessCode ? 0 : '0', msg: '删除成功', data: null });
	}
}
