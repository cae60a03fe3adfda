/**
 * The file host (test/emulators/fileHost.ts: OBS-style signed URLs, generated files never held whole) in
 * its own process for `npm run bench -- --scenario download`, so that serving the bytes (generating them,
 * writing them to sockets) is not counted in the n8n process measured. Controlled over IPC by
 * emulatorClient.ts (`startFileHostProcess`).
 *
 * Commands: `put` (generated files, replacing any put before; each file's MD5 is computed once, here, at put time), `urls` (fresh
 * signed URLs for paths), `resetStats` (forget the requests seen, keep the files), `stats` (per path:
 * GETs, complete bodies; credential headers seen; most requests in flight), `stop`.
 */
import type { HostedFile } from '../../test/emulators/fileHost';
import { FileHost } from '../../test/emulators/fileHost';

export type FileHostCommand =
	| { type: 'put'; files: Array<{ path: string; size: number; seed: number }> }
	| { type: 'urls'; paths: string[] }
	| { type: 'resetStats' }
	| { type: 'stats' }
	| { type: 'stop' };

export interface FileHostBenchStats {
	/** GET requests received (any outcome). */
	gets: number;
	/** GETs answered 200 whose whole body was written. */
	completeGets: number;
	/** Body bytes written. */
	bytesSent: number;
	/** Paths with exactly one complete GET, with none, with more than one. */
	pathsOnce: number;
	pathsNever: number;
	pathsMoreThanOnce: number;
	/** Answers other than 200, by status. */
	refusals: Record<string, number>;
	/** Requests that carried a credential header (there must be none). */
	credentialHeaders: number;
	/** Most requests in flight at once since the last resetStats. */
	maxInFlight: number;
}

async function main() {
	const host = await FileHost.start();
	const files = new Map<string, HostedFile>();
	process.send!({ type: 'ready', baseUrl: host.baseUrl });
	process.on('message', async (command: FileHostCommand) => {
		switch (command.type) {
			case 'put': {
				// The files of one scenario at a time: the stats count paths against these.
				for (const path of files.keys()) host.remove(path);
				files.clear();
				const put = command.files.map((file) => host.putGenerated(file.path, file.size, file.seed));
				for (const file of put) files.set(file.path, file);
				process.send!({ type: 'put', files: put });
				break;
			}
			case 'urls':
				process.send!({ type: 'urls', urls: command.paths.map((path) => host.url(path)) });
				break;
			case 'resetStats':
				host.requests.length = 0;
				// The in-flight counter is the host's server's; bench code reaches in to restart its maximum.
				(host as unknown as { server: { resetCounters(): void } }).server.resetCounters();
				process.send!({ type: 'done' });
				break;
			case 'stats': {
				const complete = new Map<string, number>();
				const refusals: Record<string, number> = {};
				let gets = 0;
				let completeGets = 0;
				let bytesSent = 0;
				for (const request of host.requests) {
					if (request.method !== 'GET') continue;
					gets++;
					bytesSent += request.bytesSent;
					const file = files.get(request.path);
					if (request.status === 200 && file && request.bytesSent === file.size) {
						completeGets++;
						complete.set(request.path, (complete.get(request.path) ?? 0) + 1);
					} else if (request.status !== 200) {
						refusals[String(request.status)] = (refusals[String(request.status)] ?? 0) + 1;
					}
				}
				const counts = [...files.keys()].map((path) => complete.get(path) ?? 0);
				const stats: FileHostBenchStats = {
					gets,
					completeGets,
					bytesSent,
					pathsOnce: counts.filter((n) => n === 1).length,
					pathsNever: counts.filter((n) => n === 0).length,
					pathsMoreThanOnce: counts.filter((n) => n > 1).length,
					refusals,
					credentialHeaders: host.credentialHeaders().length,
					maxInFlight: host.maxInFlight,
				};
				process.send!({ type: 'stats', stats });
				break;
			}
			case 'stop':
				await host.stop();
				process.exit(0);
		}
	});
}

void main();
