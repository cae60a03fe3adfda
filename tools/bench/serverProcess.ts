/** Starts tools/bench/kyyServer.ts in its own process and talks to its control endpoints. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import type { ResetRequest, ServerStats } from './kyyServer';

export interface BenchServer {
	port: number;
	/** The KyyVideo2 base URL, as the credential holds it. */
	baseUrl: string;
	reset(request: ResetRequest): Promise<void>;
	stats(): Promise<ServerStats>;
	stop(): Promise<void>;
}

export async function startServer(port: number): Promise<BenchServer> {
	const child: ChildProcess = spawn(
		process.execPath,
		['-r', 'ts-node/register/transpile-only', join(__dirname, 'kyyServer.ts')],
		{ env: { ...process.env, KYY_BENCH_PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] },
	);
	const actualPort = await new Promise<number>((resolve, reject) => {
		let buffered = '';
		child.stdout!.on('data', (chunk: Buffer) => {
			buffered += chunk.toString('utf8');
			const line = buffered.split('\n')[0];
			if (buffered.includes('\n')) resolve((JSON.parse(line) as { port: number }).port);
		});
		child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
	});
	const control = `http://127.0.0.1:${actualPort}/__bench`;
	return {
		port: actualPort,
		baseUrl: `http://127.0.0.1:${actualPort}/kyyReactApiServer`,
		async reset(request) {
			const res = await fetch(`${control}/reset`, { method: 'POST', body: JSON.stringify(request) });
			if (!res.ok) throw new Error(`reset failed: ${res.status} ${await res.text()}`);
		},
		async stats() {
			return (await (await fetch(`${control}/stats`)).json()) as ServerStats;
		},
		async stop() {
			child.kill('SIGTERM');
			await new Promise((resolve) => child.once('exit', resolve));
		},
	};
}
