/**
 * Small HTTP server utilities shared by the emulators (test-only code): a server on 127.0.0.1 and a
 * random port that tracks its sockets and timers so that `stop()` really ends everything (jest exits),
 * request recording, body reading and JSON answers. No global state: everything lives on an instance.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
	method: string;
	/** The request target exactly as it arrived (path and query), before any decoding. */
	rawPath: string;
	/** Request headers as Node parsed them (lower-case names). */
	headers: http.IncomingHttpHeaders;
	/** The body as UTF-8 text ('' when none). */
	body: string;
	/** Date.now() when the request arrived (before any injected latency). */
	time: number;
}

/** One request being handled. */
export interface Exchange {
	req: http.IncomingMessage;
	res: http.ServerResponse;
	/** The body as UTF-8 text ('' when none). */
	body: string;
	/** The body's bytes exactly as received (what a signature's payload hash covers). */
	bodyBytes: Buffer;
	/** Date.now() when the request's headers arrived. */
	arrivedAt: number;
}

export type Handler = (exchange: Exchange) => void | Promise<void>;

export interface LocalServerOptions {
	/**
	 * Requests for which the handler gets the request unread (`body` '' and `bodyBytes` empty): it reads
	 * `req` itself, e.g. to hash a large upload while it streams in. Default: none (every body is read
	 * whole, up to 1 MiB, before the handler runs).
	 */
	streamBody?: (req: http.IncomingMessage) => boolean;
}

/** An answer to send: a JSON value (`json`), or raw text (`text`), or nothing (empty body). */
export interface Answer {
	status: number;
	headers?: Record<string, string>;
	json?: unknown;
	text?: string;
	contentType?: string;
}

export const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

/** Most a request body may be; beyond it the request is answered 413. */
const MAX_BODY_BYTES = 1024 * 1024;

/** A server on 127.0.0.1 and a random port. */
export class LocalServer {
	private readonly sockets = new Set<Socket>();

	private readonly timers = new Set<NodeJS.Timeout>();

	private stopped = false;

	/** Requests being handled right now (from arrival until the answer is sent or the socket closes). */
	inFlight = 0;

	/** Most requests handled at the same moment since start (or since `resetCounters`). */
	maxInFlight = 0;

	/** Requests received since start (or since `resetCounters`). */
	received = 0;

	private constructor(
		readonly server: http.Server,
		/** `http://127.0.0.1:<port>` */
		readonly origin: string,
	) {}

	static async start(handler: Handler, options: LocalServerOptions = {}): Promise<LocalServer> {
		const server = http.createServer();
		server.keepAliveTimeout = 5000;
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(0, '127.0.0.1', () => {
				server.off('error', reject);
				resolve();
			});
		});
		const { port } = server.address() as AddressInfo;
		const self = new LocalServer(server, `http://127.0.0.1:${port}`);
		server.on('connection', (socket) => {
			self.sockets.add(socket);
			socket.on('close', () => self.sockets.delete(socket));
			if (self.stopped) socket.destroy();
		});
		server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) =>
			self.onRequest(req, res, handler, options.streamBody?.(req) ?? false),
		);
		return self;
	}

	get stopping(): boolean {
		return this.stopped;
	}

	resetCounters(): void {
		this.maxInFlight = this.inFlight;
		this.received = 0;
	}

	/**
	 * Waits `ms`. The timer is cleared by `stop()`, and the promise then never settles: the handler
	 * waiting on it is simply abandoned (its socket is destroyed anyway).
	 */
	delay(ms: number): Promise<void> {
		if (this.stopped) return new Promise<void>(() => undefined);
		if (!(ms > 0)) return Promise.resolve();
		return new Promise<void>((resolve) => {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				resolve();
			}, ms);
			this.timers.add(timer);
		});
	}

	/** Closes the listener, every socket (kept-alive ones included) and every pending timer. */
	async stop(): Promise<void> {
		if (this.stopped) return;
		this.stopped = true;
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
		for (const socket of this.sockets) socket.destroy();
		this.server.closeAllConnections?.();
		await closed;
	}

	private onRequest(req: http.IncomingMessage, res: http.ServerResponse, handler: Handler, streamBody: boolean): void {
		const arrivedAt = Date.now();
		this.received++;
		this.inFlight++;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		let finished = false;
		res.on('close', () => {
			if (finished) return;
			finished = true;
			this.inFlight--;
		});
		const body = streamBody ? Promise.resolve(Buffer.alloc(0)) : readBodyBytes(req, MAX_BODY_BYTES);
		body.then(
			async (bodyBytes) => {
				if (this.stopped) return dropConnection(req);
				try {
					await handler({ req, res, body: bodyBytes.toString('utf8'), bodyBytes, arrivedAt });
				} catch (error) {
					if (!res.headersSent && !res.destroyed) {
						send(res, { status: 500, json: { emulatorError: String((error as Error)?.message ?? error) } });
					} else {
						dropConnection(req);
					}
				}
			},
			(error: Error & { status?: number }) => {
				if (error.status === 413) send(res, { status: 413, json: { error: 'Request body too large' } });
				else dropConnection(req);
			},
		);
	}
}

/** Reads the whole body as UTF-8; rejects with `status: 413` beyond `limit` bytes. */
export async function readBody(req: http.IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
	return (await readBodyBytes(req, limit)).toString('utf8');
}

/** Reads the whole body's bytes; rejects with `status: 413` beyond `limit` bytes. */
export function readBodyBytes(req: http.IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let failed = false;
		req.on('data', (chunk: Buffer) => {
			if (failed) return;
			size += chunk.length;
			if (size > limit) {
				failed = true;
				reject(Object.assign(new Error('Request body too large'), { status: 413 }));
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => {
			if (!failed) resolve(Buffer.concat(chunks));
		});
		req.on('error', (error) => {
			if (!failed) {
				failed = true;
				reject(error);
			}
		});
	});
}

/** Sends an answer (no-op when the socket is gone). */
export function send(res: http.ServerResponse, answer: Answer): void {
	if (res.destroyed || res.headersSent) return;
	const headers: Record<string, string> = { ...(answer.headers ?? {}) };
	let payload = '';
	if (answer.json !== undefined) {
		payload = JSON.stringify(answer.json);
		headers['content-type'] = answer.contentType ?? JSON_CONTENT_TYPE;
	} else if (answer.text !== undefined) {
		payload = answer.text;
		headers['content-type'] = answer.contentType ?? 'text/plain;charset=UTF-8';
	}
	headers['content-length'] = String(Buffer.byteLength(payload));
	res.writeHead(answer.status, headers);
	res.end(payload);
}

export function sendJson(
	res: http.ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	send(res, { status, json: body, headers });
}

/** Destroys the connection without an answer (the client sees a reset / "socket hang up"). */
export function dropConnection(req: http.IncomingMessage): void {
	req.socket.destroy();
}

/** The request target split at the first '?': the raw path and the raw query (without '?'). */
export function splitTarget(target: string): { path: string; query: string } {
	const at = target.indexOf('?');
	return at < 0 ? { path: target, query: '' } : { path: target.slice(0, at), query: target.slice(at + 1) };
}

/** `decodeURIComponent`, or undefined for a malformed escape. */
export function tryDecode(segment: string): string | undefined {
	try {
		return decodeURIComponent(segment);
	} catch {
		return undefined;
	}
}

export function recordOf(exchange: Exchange): RecordedRequest {
	const { req, body, arrivedAt } = exchange;
	return { method: req.method ?? '', rawPath: req.url ?? '', headers: { ...req.headers }, body, time: arrivedAt };
}

/** Kept for older callers: a record of a request, timed now. */
export function record(req: http.IncomingMessage, body: string): RecordedRequest {
	return { method: req.method ?? '', rawPath: req.url ?? '', headers: { ...req.headers }, body, time: Date.now() };
}

/** A timer-based wait that is not tied to a server (prefer `LocalServer.delay` inside handlers). */
export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function randomHex(bytes: number): string {
	return randomBytes(bytes).toString('hex');
}

/** The first value of a header ('' when absent). */
export function headerText(headers: http.IncomingHttpHeaders, name: string): string {
	const value = headers[name.toLowerCase()];
	if (value === undefined) return '';
	return Array.isArray(value) ? value.join(', ') : value;
}
