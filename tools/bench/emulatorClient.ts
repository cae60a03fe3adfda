/**
 * The parent side of emulatorProcess.ts (a KyyVideo2 emulator), metaStudioProcess.ts (the MetaStudio
 * emulator) and fileHostProcess.ts (the file host), each in its own process, so that the server does not share the event loop it is measured from.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import type { FaultConfig } from '../../test/emulators/faults';
import type { HostedFile } from '../../test/emulators/fileHost';
import type { FileHostBenchStats, FileHostCommand } from './fileHostProcess';
import type { CreatedAssetReport, MetaStudioBenchStats, MetaStudioFileSeed, RequestSpans, UploadHostReport } from './metaStudioProcess';

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
	/**
	 * Forgets everything and seeds `count` assets `${prefix}${i}` in `state` (DELETING ones restore to
	 * ACTIVED), without files, or with `files[i]` as asset i's MAIN file (the download scenario).
	 */
	reset(count: number, prefix: string, state: 'ACTIVED' | 'DELETING', files?: MetaStudioFileSeed[]): Promise<void>;
	stats(prefix: string): Promise<MetaStudioBenchStats>;
	/**
	 * Every asset CreateDigitalAsset made since the last reset, with its files and what the upload host
	 * received; when each API's requests arrived.
	 */
	uploads(): Promise<{ assets: CreatedAssetReport[]; host: UploadHostReport; spans: RequestSpans }>;
	stop(): Promise<void>;
}

/**
 * The MetaStudio emulator in its own process (metaStudioProcess.ts), the region's limits enforced.
 * `uploads`: its upload host keeps no bytes, only each upload's size and MD5 (the upload scenario).
 */
export async function startMetaStudioEmulator(region = 'cn-north-4', options: { uploads?: boolean } = {}): Promise<MetaStudioEmulatorProcess> {
	const child: ChildProcess = fork(join(__dirname, 'metaStudioProcess.ts'), [], {
		execArgv: ['-r', 'ts-node/register/transpile-only'],
		env: { ...process.env, BENCH_METASTUDIO_REGION: region, ...(options.uploads ? { BENCH_METASTUDIO_UPLOADS: '1' } : {}) },
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
		async reset(count, prefix, state, files) {
			const done = next('done');
			child.send({ type: 'reset', count, prefix, state, ...(files ? { files } : {}) });
			await done;
		},
		async stats(prefix) {
			const answer = next<{ stats: MetaStudioBenchStats }>('stats');
			child.send({ type: 'stats', prefix });
			return (await answer).stats;
		},
		async uploads() {
			const answer = next<{ assets: CreatedAssetReport[]; host: UploadHostReport; spans: RequestSpans }>('uploads');
			child.send({ type: 'uploads' });
			const { assets, host, spans } = await answer;
			return { assets, host, spans };
		},
		async stop() {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.send({ type: 'stop' });
			await exited;
		},
	};
}

export interface FileHostProcess {
	/** `http://127.0.0.1:<port>` */
	baseUrl: string;
	/** Serves generated files (replacing any put before); returns each one's size and MD5. */
	put(files: Array<{ path: string; size: number; seed: number }>): Promise<HostedFile[]>;
	/** A fresh signed URL (valid 24 h) for each path. */
	urls(paths: string[]): Promise<string[]>;
	/** Forgets the requests seen so far (the files stay). */
	resetStats(): Promise<void>;
	stats(): Promise<FileHostBenchStats>;
	stop(): Promise<void>;
}

/** The file host (test/emulators/fileHost.ts) in its own process (fileHostProcess.ts). */
export async function startFileHostProcess(): Promise<FileHostProcess> {
	const child: ChildProcess = fork(join(__dirname, 'fileHostProcess.ts'), [], {
		execArgv: ['-r', 'ts-node/register/transpile-only'],
		env: process.env,
	});
	const next = <T>(type: string) =>
		new Promise<T>((resolve, reject) => {
			const onExit = (code: number | null) => reject(new Error(`file host process exited with ${code}`));
			const onMessage = (message: { type: string } & T) => {
				if (message.type !== type) return;
				child.off('message', onMessage);
				child.off('exit', onExit);
				resolve(message);
			};
			child.on('message', onMessage);
			child.once('exit', onExit);
		});
	const ask = async <T>(command: FileHostCommand, answer: string): Promise<T> => {
		const reply = next<T>(answer);
		child.send(command);
		return await reply;
	};
	const { baseUrl } = await next<{ baseUrl: string }>('ready');
	return {
		baseUrl,
		put: async (files) => (await ask<{ files: HostedFile[] }>({ type: 'put', files }, 'put')).files,
		urls: async (paths) => (await ask<{ urls: string[] }>({ type: 'urls', paths }, 'urls')).urls,
		resetStats: async () => void (await ask({ type: 'resetStats' }, 'done')),
		stats: async () => (await ask<{ stats: FileHostBenchStats }>({ type: 'stats' }, 'stats')).stats,
		async stop() {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.send({ type: 'stop' });
			await exited;
		},
	};
}
