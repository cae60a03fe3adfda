/**
 * The MetaStudio emulator (test/emulators/metaStudio.ts) in its own process for `npm run bench`, with the
 * documented per-tenant limits of one region enforced (`enforceApiLimits`, default cn-north-4: ListAssets
 * and ShowAsset 20/s, DeleteAsset and RestoreAsset 10/s, and batch-action 1/s once the emulator serves
 * it), so that the server's CPU and memory are not counted against the n8n process measured. Controlled
 * over IPC by emulatorClient.ts. For the download scenario, each asset is seeded with a MAIN file whose
 * download_url is a signed URL of the file host (another process, fileHostProcess.ts), issued for the
 * run as MetaStudio's are (valid 24 h).
 */
import type { AssetSeed, MetaStudioRegion } from '../../test/emulators/metaStudio';
import { MetaStudioEmulator } from '../../test/emulators/metaStudio';

export const BENCH_AK = 'BENCHAKMETASTUDIO000';
export const BENCH_SK = 'bench-sk-not-a-secret-0123456789abcdef';
export const BENCH_PROJECT = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';

/** A MAIN file of a seeded asset, served by the file host (fileHostProcess.ts) at a signed URL. */
export interface MetaStudioFileSeed {
	file_name: string;
	file_size: number;
	/** Base64 of the MD5 digest, as MetaStudio's file_md5. */
	file_md5: string;
	download_url: string;
}

export type MetaStudioCommand =
	| { type: 'reset'; count: number; prefix: string; state: 'ACTIVED' | 'DELETING'; files?: MetaStudioFileSeed[] }
	| { type: 'stats'; prefix: string }
	| { type: 'stop' };

export interface MetaStudioBenchStats {
	/** Requests received per API (429s included), `unmatched` for those no API matched. */
	requestsByApi: Record<string, number>;
	/** 429s from the per-API limits, per API. */
	limitedByApi: Record<string, number>;
	requests: number;
	throttled: number;
	maxInFlight: number;
	/** Assets with the bench prefix, per state. */
	states: Record<string, number>;
	recycleBinDeletesLanded: number;
	restoresLanded: number;
	/** The limits in force (requests per second per API). */
	limits: Record<string, number>;
}

async function main() {
	const region = (process.env.BENCH_METASTUDIO_REGION ?? 'cn-north-4') as MetaStudioRegion;
	const emulator = await MetaStudioEmulator.start({
		accessKeyId: BENCH_AK,
		secretAccessKey: BENCH_SK,
		projectId: BENCH_PROJECT,
		region,
		enforceApiLimits: true,
	});
	process.send!({ type: 'ready', credential: emulator.akSkCredential(region) });
	process.on('message', async (command: MetaStudioCommand) => {
		if (command.type === 'reset') {
			// Also refills the per-API buckets: each side starts with the tenant's full allowance.
			emulator.reset();
			const seeds: AssetSeed[] = Array.from({ length: command.count }, (_, i) => ({
				asset_id: `${command.prefix}${i}`,
				asset_state: command.state,
				...(command.state === 'DELETING' ? { stateBeforeDelete: 'ACTIVED' as const } : {}),
				// The download scenario: one MAIN file at the file host; the other scenarios: none.
				files: command.files?.[i] ? [{ ...command.files[i], asset_file_category: 'MAIN' }] : [],
			}));
			emulator.addAssets(seeds);
			process.send!({ type: 'done' });
		} else if (command.type === 'stats') {
			const requestsByApi: Record<string, number> = {};
			for (const request of emulator.requests) {
				const api = request.api ?? 'unmatched';
				requestsByApi[api] = (requestsByApi[api] ?? 0) + 1;
			}
			const states: Record<string, number> = {};
			for (const asset of emulator.assets()) {
				if (!asset.asset_id.startsWith(command.prefix)) continue;
				states[asset.asset_state] = (states[asset.asset_state] ?? 0) + 1;
			}
			const raw = emulator.stats();
			const stats: MetaStudioBenchStats = {
				requestsByApi,
				limitedByApi: { ...emulator.apiLimited },
				requests: raw.requests,
				throttled: raw.throttled,
				maxInFlight: raw.maxInFlight,
				states,
				recycleBinDeletesLanded: raw.recycleBinDeletesLanded,
				restoresLanded: raw.restoresLanded,
				limits: { ...(emulator.apiLimits ?? {}) },
			};
			process.send!({ type: 'stats', stats });
		} else if (command.type === 'stop') {
			await emulator.stop();
			process.exit(0);
		}
	});
}

void main();
