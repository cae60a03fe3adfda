/**
 * The MetaStudio emulator (test/emulators/metaStudio.ts) in its own process for `npm run bench`, with the
 * documented per-tenant limits of one region enforced (`enforceApiLimits`, default cn-north-4: ListAssets
 * and ShowAsset 20/s, DeleteAsset and RestoreAsset 10/s, and batch-action 1/s once the emulator serves
 * it), so that the server's CPU and memory are not counted against the n8n process measured. Controlled
 * over IPC by emulatorClient.ts. For the download scenario, each asset is seeded with a MAIN file whose
 * download_url is a signed URL of the file host (another process, fileHostProcess.ts), issued for the
 * run as MetaStudio's are (valid 24 h).
 *
 * For the upload scenario (`BENCH_METASTUDIO_UPLOADS=1`, `startMetaStudioEmulator({ uploads: true })`) the
 * emulator gets an upload host of this process (test/emulators/fileHost.ts, on the emulator's clock) that
 * keeps no uploaded bytes, only each body's size and MD5 (`keepUploadBytesUpTo: 0`), so that 1 GB of
 * uploads costs this process no memory; CreateDigitalAsset, CreateFile and ConfirmFileUpload are the
 * emulator's (their cn-north-4 limits, 10/s each, enforced). `reset` also resets that host, and `uploads`
 * reports every created asset with its files and what the host received for them.
 */
import { FileHost } from '../../test/emulators/fileHost';
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
	| { type: 'uploads' }
	| { type: 'stop' };

/** An asset CreateDigitalAsset made, as the bench checks it after an upload run. */
export interface CreatedAssetReport {
	asset_id: string;
	asset_name: string;
	asset_type: string;
	/** Its state now (ACTIVED once its MAIN file was confirmed); 'gone' when it was force-deleted since. */
	asset_state: string;
	/** Its files[] as ShowAsset shows them (confirmed files only): category, declared size and MD5. */
	files: Array<{ category: string; file_name: string; file_size: number; file_md5: string; state: string }>;
	/** Every CreateFile made for it, with what the upload host holds at its upload path (size, MD5 of the bytes received). */
	uploads: Array<{ file_id: string; state: string; category: string; declaredSize: number; declaredMd5: string; received?: { size: number; md5Base64: string } }>;
}

/** The upload host's view since the last reset (PUTs only). */
export interface UploadHostReport {
	puts: number;
	/** PUTs answered 200. */
	accepted: number;
	/** Answers other than 200, by status (0: no answer, the connection ended). */
	refusals: Record<string, number>;
	bytesReceived: number;
	/** Upload paths that received more than one PUT (a retried upload). */
	pathsMoreThanOnce: number;
	credentialHeaders: number;
	maxInFlight: number;
}

/** When the requests of each API arrived since the last reset (epoch ms), 429s included. */
export type RequestSpans = Record<string, { count: number; firstAt: number; lastAt: number }>;

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
	const clock: { emulator?: MetaStudioEmulator } = {};
	const uploadHost =
		process.env.BENCH_METASTUDIO_UPLOADS === '1'
			? await FileHost.start({ now: () => clock.emulator?.now() ?? Date.now(), keepUploadBytesUpTo: 0 })
			: undefined;
	const emulator = await MetaStudioEmulator.start({
		accessKeyId: BENCH_AK,
		secretAccessKey: BENCH_SK,
		projectId: BENCH_PROJECT,
		region,
		enforceApiLimits: true,
		...(uploadHost ? { uploadHost } : {}),
	});
	clock.emulator = emulator;
	process.send!({ type: 'ready', credential: emulator.akSkCredential(region) });
	process.on('message', async (command: MetaStudioCommand) => {
		if (command.type === 'reset') {
			// Also refills the per-API buckets: each side starts with the tenant's full allowance.
			emulator.reset();
			// An upload host passed in is not the emulator's own: its reset is ours.
			uploadHost?.reset();
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
		} else if (command.type === 'uploads') {
			const assets: CreatedAssetReport[] = emulator.createdAssetIds().map((id) => {
				const asset = emulator.asset(id);
				return {
					asset_id: id,
					asset_name: asset?.asset_name ?? '',
					asset_type: asset?.asset_type ?? '',
					asset_state: asset?.asset_state ?? 'gone',
					files: (asset?.files ?? []).map((file) => ({ category: file.asset_file_category, file_name: file.file_name, file_size: file.file_size, file_md5: file.file_md5, state: file.state })),
					uploads: emulator.fileUploads(id).map((upload) => ({
						file_id: upload.file_id,
						state: upload.state,
						category: upload.asset_file_category,
						declaredSize: upload.file_size,
						declaredMd5: upload.file_md5,
						...(upload.uploaded ? { received: { size: upload.uploaded.size, md5Base64: upload.uploaded.md5Base64 } } : {}),
					})),
				};
			});
			const host = emulator.uploadHost;
			const puts = host.requests.filter((request) => request.method === 'PUT');
			const perPath = new Map<string, number>();
			const refusals: Record<string, number> = {};
			for (const put of puts) {
				perPath.set(put.path, (perPath.get(put.path) ?? 0) + 1);
				if (put.status !== 200) refusals[String(put.status)] = (refusals[String(put.status)] ?? 0) + 1;
			}
			const hostReport: UploadHostReport = {
				puts: puts.length,
				accepted: puts.filter((put) => put.status === 200).length,
				refusals,
				bytesReceived: puts.reduce((sum, put) => sum + (put.bytesReceived ?? 0), 0),
				pathsMoreThanOnce: [...perPath.values()].filter((n) => n > 1).length,
				credentialHeaders: host.credentialHeaders().length,
				maxInFlight: host.maxInFlight,
			};
			const spans: RequestSpans = {};
			for (const request of emulator.requests) {
				const api = request.api ?? 'unmatched';
				const span = (spans[api] ??= { count: 0, firstAt: request.time, lastAt: request.time });
				span.count++;
				span.firstAt = Math.min(span.firstAt, request.time);
				span.lastAt = Math.max(span.lastAt, request.time);
			}
			process.send!({ type: 'uploads', assets, host: hostReport, spans });
		} else if (command.type === 'stop') {
			await emulator.stop();
			await uploadHost?.stop();
			process.exit(0);
		}
	});
}

void main();
