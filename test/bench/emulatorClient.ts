/**
 * The parent side of emulatorProcess.ts: a KyyVideo2 emulator in its own process, so that the server
 * does not share the event loop it is measured from.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import type { FaultConfig } from '../emulators/faults';

export const KYY_KEY = 'pacing-bench-key-0123456789';

export interface KyyEmulatorProcess {
	baseUrl: string;
	reset(assets: number, prefix: string, faults?: FaultConfig): Promise<void>;
	stats(): Promise<{ deletesLanded: number; throttled: number; requests: number; maxInFlight: number }>;
	stop(): Promise<void>;
}

export async function startKyyEmulator(): Promise<KyyEmulatorProcess> {
	const child: ChildProcess = fork(join(__dirname, 'emulatorProcess.ts'), [], {
		execArgv: ['-r', 'ts-node/register/transpile-only'],
		env: { ...process.env, BENCH_API_KEY: KYY_KEY },
	});
	const next = <T>(type: string) =>
		new Promise<T>((resolve) => {
			const onMessage = (message: { type: string } & T) => {
				if (message.type !== type) return;
				child.off('message', onMessage);
				resolve(message);
			};
			child.on('message', onMessage);
		});
	const { baseUrl } = await next<{ baseUrl: string }>('ready');
	return {
		baseUrl,
		async reset(assets, prefix, faults = {}) {
			child.send({ type: 'reset', assets, prefix, faults });
			await next('done');
		},
		async stats() {
			child.send({ type: 'stats' });
			return (await next<{ stats: Awaited<ReturnType<KyyEmulatorProcess['stats']>> }>('stats')).stats;
		},
		async stop() {
			child.send({ type: 'stop' });
			await new Promise((resolve) => child.once('exit', resolve));
		},
	};
}

