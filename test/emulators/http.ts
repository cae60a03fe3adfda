import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
	method: string;
	/** The path and query exactly as they arrived, before any decoding. */
	rawPath: string;
	headers: http.IncomingHttpHeaders;
	body: string;
	/** Date.now() when the request arrived. */
	time: number;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void | Promise<void>;

/** A server on 127.0.0.1 and a random port that tracks its sockets, so stop() really ends everything. */
export class LocalServer {
	private readonly sockets = new Set<Socket>();
	inFlight = 0;
	maxInFlight = 0;

	private constructor(readonly server: http.Server, readonly origin: string) {
		server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
	}

	static async start(handler: Handler): Promise<LocalServer> {
		let self: LocalServer | undefined;
		const server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				self!.inFlight++;
				self!.maxInFlight = Math.max(self!.maxInFlight, self!.inFlight);
				let done = false;
				const finish = () => {
					if (done) return;
					done = true;
					self!.inFlight--;
				};
				res.on('close', finish);
				Promise.resolve(handler(req, res, Buffer.concat(chunks).toString('utf8'))).catch((error: Error) => {
					if (!res.headersSent) sendJson(res, 500, { error: String(error?.message ?? error) });
				});
			});
		});
		server.keepAliveTimeout = 5000;
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		self = new LocalServer(server, `http://127.0.0.1:${port}`);
		return self;
	}

	async stop(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}

export function sendJson(
	res: http.ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	if (res.destroyed) return;
	const text = body === undefined ? '' : JSON.stringify(body);
	res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
	res.end(text);
}

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function record(req: http.IncomingMessage, body: string): RecordedRequest {
	return { method: req.method ?? '', rawPath: req.url ?? '', headers: { ...req.headers }, body, time: Date.now() };
}
