/**
 * The parent side of emulatorProcess.ts (a KyyVideo2 emulator) and metaStudioProcess.ts (the MetaStudio
 * emulator), each in its own process, so that the server does not share the event loop it is measured from.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import type { FaultConfig } from '../../test/emulators/faults';
import type { MetaStudioBenchStats } from './metaStudioProcess';

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


export interface MetaStudioEmulatorProcess {
	/** What the `huaweiCloudAkSkApi` credential holds to reach it (endpoint included). */
	credential: Record<string, string>;
	/** Forgets everything and seeds `count` assets `${prefix}${i}` in `state` (DELETING ones restore to ACTIVED). */
	reset(count: number, prefix: string, state: 'ACTIVED' | 'DELETING'): Promise<void>;
	stats(prefix: string): Promise<MetaStudioBenchStats>;
	stop(): Promise<void>;
}

/** The MetaStudio emulator in its own process (metaStudioProcess.ts), the region's limits enforced. */
export async function startMetaStudioEmulator(region = 'cn-north-4'): Promise<MetaStudioEmulatorProcess> {
	const child: ChildProcess = fork(join(__dirname, 'metaStudioProcess.ts'), [], {
		execArgv: ['-r', 'ts-node/register/transpile-only'],
		env: { ...process.env, BENCH_METASTUDIO_REGION: region },
	});
	const next = <T>(type: string) =>
		new Promise<T>((resolve, reject) => {
			const onExit = (code: number | null) => reject(new Error(`MetaStudio emulator process exited with ${code}`));
			const onMessage = (message: { type: string } & T) => {
				if (message.type !== type) return;
				child.off('message', onMessage);
				child.off('exit', onExit);
				resolve(message);
			};
			child.on('message', onMessage);
			child.once('exit', onExit);
		});
	const { credential } = await next<{ credential: Record<string, string> }>('ready');
	return {
		credential,
		async reset(count, prefix, state) {
			const done = next('done');
			child.send({ type: 'reset', count, prefix, state });
			await done;
		},
		async stats(prefix) {
			const answer = next<{ stats: MetaStudioBenchStats }>('stats');
			child.send({ type: 'stats', prefix });
			return (await answer).stats;
		},
		async stop() {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.send({ type: 'stop' });
			await exited;
		},
	};
}
