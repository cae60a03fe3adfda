/**
 * `npm run bench`: this package inside a real n8n 2.41.1 (`n8n execute`, installed as a community
 * package from `npm pack` of the current tree), beside n8n's own HTTP Request node doing the same
 * deletes against the same server (tools/bench/kyyServer.ts, its own process), in one run.
 *
 *   npm run bench                                  the default run (see the README for its length)
 *   npm run bench -- --scenario headline           one scenario (names: see scenarios.ts, or groups
 *                                                  throughput, limits, memory, metastudio, downloads, uploads); repeatable flag
 *   npm run bench -- --scenario metastudio-batch --items 300   the MetaStudio batch scenario, scaled down
 *   npm run bench -- --scenario download [--items N] [--size-mb M]   downloads into n8n's filesystem binary
 *                                                  data: 200 files of 20 MB (download-100mb: 40 of 100 MB)
 *   npm run bench -- --scenario upload [--items N] [--size-mb M]   MetaStudio Create from n8n's filesystem binary
 *                                                  data: 50 files of 20 MB (upload-100mb: 10 of 100 MB)
 *   npm run bench -- --items 2000                  override the item count
 *   BENCH_SLOT=main npm run bench …                 its own n8n user folder in a `.bench` shared by worktrees (n8nInstall.ts)
 *   npm run bench -- --side "media assets"         only sides whose label contains this
 *   npm run bench -- --quick                       every scenario once, memory at 10,000 only
 *   npm run bench -- --profile                     also CPU-profile each n8n run, summarised per window
 *   npm run bench -- --reuse-build                 install the tarball of the previous run (no build + pack)
 *   npm run bench -- --experiment function-auth    measure a proposed change (experiments.ts) on the
 *                                                  installed copy only
 *   npm run bench -- --n8n-env KEY=VALUE           extra environment for n8n (e.g. N8N_EXPRESSION_ENGINE=legacy)
 *   npm run bench -- --executions 4 --shape b10-ra1  parallel scenario settings
 *   npm run bench -- --warmup 0                    no warm-up pass: measure a freshly started n8n (default: 2000
 *                                                  items, 300 under a limit; see workflows.ts)
 *   npm run bench -- --heap-snapshots              memory scenarios also write heap snapshots at the probes
 *   npm run bench -- --report .bench/runs/<time>/results.json   print an earlier run's tables again
 *   npm run bench -- --harness                     the older engine-harness bench (harnessBench.ts)
 *
 * The first run installs Node 24 and n8n into `.bench/` (minutes); later runs reuse them.
 * Results: printed table, `bench-results.json` (latest) and `.bench/runs/<time>/results.json`.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';

import type { HostedFile } from '../../test/emulators/fileHost';
import { generatedChunks } from '../../test/emulators/fileHost';
import type { FileHostProcess, MetaStudioEmulatorProcess } from './emulatorClient';
import { startFileHostProcess, startMetaStudioEmulator } from './emulatorClient';
import type { FileHostBenchStats } from './fileHostProcess';
import { applyExperiment } from './experiments';
import type { CreatedAssetReport, MetaStudioBenchStats, RequestSpans, UploadHostReport } from './metaStudioProcess';
import type { ServerStats } from './kyyServer';
import { emptyServerStats } from './serverStats';
import { importAll, runN8n } from './n8nCli';
import { CACHE, N8N_VERSION, prepareN8n, ROOT, UPLOAD_FILES_DIR, USER_FOLDER } from './n8nInstall';
import type { BinaryInspection, ProbeRecord } from './probePackage/BenchProbe.node';
import type { ProfileSummary } from './profileSummary';
import { summarizeProfile } from './profileSummary';
import { formatReport } from './report';
import type { Scenario, Side } from './scenarios';
import { allScenarios, selectScenarios } from './scenarios';
import type { BenchServer } from './serverProcess';
import { startServer } from './serverProcess';
import { API_KEY, buildWorkflow, credentialsFor, MEDIA_ASSETS_VERSION, WARMUP_PREFIX, workflowId, type WorkflowSpec } from './workflows';

export interface Args {
	scenarios: string[];
	items?: number;
	/** File size of the download and upload scenarios, MB. */
	sizeMb?: number;
	repeat?: number;
	quick: boolean;
	profile: boolean;
	reuseBuild: boolean;
	port: number;
	executions: number;
	shape: string;
	harness: boolean;
	/** Print the tables of an earlier run's results.json instead of running. */
	report?: string;
	/** Items of the warm-up pass before each measured node (0: measure a cold process). */
	warmup: number;
	/** Heap snapshots at the probes of memory scenarios (large files, in the run's folder). */
	heapSnapshots: boolean;
	/** Only sides whose label contains one of these (case-insensitive). */
	sides: string[];
	/** Edits to the installed copy of the package, see experiments.ts. */
	experiments: string[];
	/** Extra environment for every n8n process (`--n8n-env N8N_EXPRESSION_ENGINE=legacy`). */
	n8nEnv: Record<string, string>;
}

function parseArgs(argv: string[]): Args {
	const args: Args = { scenarios: [], quick: false, profile: false, reuseBuild: false, port: 47311, executions: 4, shape: 'b10-ra1', harness: false, n8nEnv: {}, experiments: [], sides: [], heapSnapshots: false, warmup: 2000 };
	for (let i = 0; i < argv.length; i++) {
		const eq = argv[i].indexOf('=');
		const flag = eq < 0 ? argv[i] : argv[i].slice(0, eq);
		const inline = eq < 0 ? undefined : argv[i].slice(eq + 1);
		const value = () => inline ?? argv[++i];
		switch (flag) {
			case '--scenario':
				args.scenarios.push(...value().split(','));
				break;
			case '--items':
				args.items = Number(value());
				break;
			case '--size-mb':
				args.sizeMb = Number(value());
				break;
			case '--repeat':
				args.repeat = Number(value());
				break;
			case '--executions':
				args.executions = Number(value());
				break;
			case '--shape':
				args.shape = value();
				break;
			case '--port':
				args.port = Number(value());
				break;
			case '--quick':
				args.quick = true;
				break;
			case '--profile':
				args.profile = true;
				break;
			case '--reuse-build':
				args.reuseBuild = true;
				break;
			case '--side':
				args.sides.push(value().toLowerCase());
				break;
			case '--experiment':
				args.experiments.push(...value().split(','));
				break;
			case '--n8n-env': {
				const [key, ...rest] = value().split('=');
				args.n8nEnv[key] = rest.join('=');
				break;
			}
			case '--report':
				args.report = value();
				break;
			case '--warmup':
				args.warmup = Number(value());
				break;
			case '--heap-snapshots':
				args.heapSnapshots = true;
				break;
			case '--harness':
				args.harness = true;
				break;
			default:
				throw new Error(`unknown argument ${argv[i]} (see the header of tools/bench/runBench.ts)`);
		}
	}
	return args;
}

/** One `n8n execute` of one side, as seen by the probes and the server. */
export interface RunRecord {
	scenario: string;
	side: string;
	repeat: number;
	items: number;
	exitCode: number | null;
	processMs: number;
	/** Probe "before" → first probe after the node: the node's run inside n8n. */
	nodeMs?: number;
	itemsPerSecond?: number;
	/** CPU of the n8n process during the node's run, per item. */
	cpuMsPerItem?: number;
	succeeded: number;
	failed: number;
	/** From the node's start to the first request the server saw (reading and checking items). */
	beforeFirstRequestMs?: number;
	/** Successful deletes per second from the first request to the last delete. */
	goodputPerSecond?: number;
	/** Successful deletes per second over the node's whole run. */
	nodeGoodputPerSecond?: number;
	server: ServerStats;
	/** Created assets still there afterwards. */
	lost: number;
	heap?: {
		inputBytesPerItem: number;
		retainedBytesPerItem: number;
		afterMb: number;
		/**
		 * Peak of the used heap over the node's window (from the "before" probe, after its full GC, to the
		 * first probe after the node, before its GC; exact, from V8's GC profiler) less the used heap after
		 * the full GC at "before": what the node's run needed on top of what was already there.
		 */
		peakAboveStartBytes?: number;
		/** The peak itself: the n8n process's used heap at its highest in the window. */
		peakBytes?: number;
		/** Used heap after the full GC at "before" (the window's start). */
		startBytes?: number;
		/** Highest used heap right after any collection in the window, less startBytes (live data plus old garbage). */
		peakAfterGcAboveStartBytes?: number;
		/** Used heap after a full GC at the first probe after the node, less the same at "before". */
		retainedBytes?: number;
		collections?: number;
		/** Peak RSS of the n8n process in the same window (kernel high-water mark), and it less the RSS at its start. */
		peakRssBytes?: number;
		peakRssAboveStartBytes?: number;
		/** RSS at the window's start (after the full GC of the probe before the node). */
		startRssBytes?: number;
		/**
		 * RSS at the workflow's first probe (after its full GC), before the items (or the input files) were
		 * made, and the window's peak RSS less it: an upper bound of what the node needed when the node
		 * before it left memory resident that the node could reuse (the upload scenario's file reading).
		 */
		workflowStartRssBytes?: number;
		peakRssAboveWorkflowStartBytes?: number;
	};
	/** Load average of the machine (1, 5, 15 min) right before and right after the n8n process. */
	load?: { before: number[]; after: number[] };
	/** Download scenarios: the file host's and the stored files' view. */
	download?: DownloadRecord;
	/** Upload scenarios: the emulator's and its upload host's view. */
	upload?: UploadRecord;
	/** MetaStudio scenarios: the emulator's view after the run. */
	metaStudio?: MetaStudioBenchStats & {
		/** Assets not in the state the operation should have left them in. */
		notInTargetState: number;
	};
	profile?: ProfileSummary;
	stderrTail?: string;
}

export interface DownloadRecord {
	fileBytes: number;
	/** Bytes of all files ÷ the node's wall time, MB/s (10^6 bytes). */
	mbPerSecond?: number;
	host: FileHostBenchStats;
	/** What the items on the node's success output carry (the "ok" probe). */
	binary?: BinaryInspection;
	/** Stored files whose size and MD5 (computed by the bench after n8n exited) are the served file's. */
	intactFiles?: number;
	/** Stored files still on disk after n8n exited (n8n 2.41 leaves them after an unsaved `n8n execute`). */
	filesLeftOnDisk?: number;
	/** MetaStudio requests (ShowAsset) and 429s, for the Media Assets side. */
	metaStudioRequests?: Record<string, number>;
	throttled?: number;
}

export interface UploadRecord {
	fileBytes: number;
	/** Bytes of all files ÷ the node's wall time, MB/s (10^6 bytes). */
	mbPerSecond?: number;
	/** CPU of the n8n process in the node's window per MB uploaded. */
	cpuMsPerMb?: number;
	/** The input items' binary data as the probe before the node saw it (storage mode, bytes). */
	input?: BinaryInspection;
	/** MetaStudio requests per API (429s included), the 429s per API and in all. */
	metaStudioRequests: Record<string, number>;
	/**
	 * CreateDigitalAsset, CreateFile and ConfirmFileUpload requests together per second, from the first to
	 * the last of them (each API has its own limit of 10/s in cn-north-4).
	 */
	changeRequestsPerSecond?: number;
	/** When each API's requests arrived. */
	spans: RequestSpans;
	limitedByApi: Record<string, number>;
	throttled: number;
	/** PUTs the upload host received. */
	host: UploadHostReport;
	/** Assets CreateDigitalAsset made. */
	createdAssets: number;
	/**
	 * Files for which exactly one asset of that name exists, ACTIVED, VIDEO, with exactly one MAIN file in
	 * files[] of the file's size and MD5, whose upload the host received with that size and MD5.
	 */
	verifiedAssets: number;
	/** File names with no asset, with more than one; assets whose name is no file's. */
	missing: number;
	duplicated: number;
	stray: number;
	/** Files made by CreateFile that were not CREATED in the end (FAILED, CANCELLED, still CREATING). */
	uploadsNotCreated: number;
	/** Up to 5 descriptions of what was wrong, for the log. */
	problems: string[];
}

export interface ParallelRecord {
	scenario: string;
	side: string;
	repeat: number;
	executions: number;
	items: number;
	runs: Array<Omit<RunRecord, 'server' | 'lost'>>;
	server: ServerStats;
	goodputPerSecond?: number;
	lost: number;
	/** Per-second deletes, to see how fast the executions converge. */
	deletesPerSecond: number[];
}

const log = (text: string) => process.stderr.write(`[bench] ${text}\n`);

/**
 * n8n's task runner broker port (default 5679) would clash between parallel executions and with any other
 * n8n on this machine (another worktree's bench included: n8n then exits with 1 at once, printing nothing):
 * each execution gets a port that is free when it starts.
 */
async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as AddressInfo;
			probe.close(() => resolve(port));
		});
	});
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

function specFor(scenario: Scenario, side: Side, execution?: number): WorkflowSpec {
	const count = scenario.executions ? Math.floor(scenario.items / scenario.executions) : scenario.items;
	const key = `${scenario.name}/${side.label}/${count}${execution === undefined ? '' : `/p${execution}`}`;
	return {
		key,
		items: count,
		prefix: `${workflowId(key)}-`,
		subject: side.subject,
		gc: scenario.gc,
		peak: scenario.peak,
		warmup: scenario.warmup,
		...(scenario.kind === 'download' ? { urls: true, inspectBinary: true } : {}),
		...(scenario.kind === 'upload' ? { readFiles: `${uploadFolder(scenario)}/*.mp4`, inspectInput: true } : {}),
	};
}

/**
 * The folder of an upload scenario's files, as n8n sees it: the real path (`.bench` may be a symlink, and
 * n8n refuses to read through one), one per slot, file count and size.
 */
function uploadFolder(scenario: Scenario): string {
	mkdirSync(UPLOAD_FILES_DIR, { recursive: true });
	return join(realpathSync(UPLOAD_FILES_DIR), `${scenario.name}-${scenario.items}x${scenario.fileBytes}`);
}

function readProbes(file: string): Map<string, ProbeRecord> {
	const probes = new Map<string, ProbeRecord>();
	if (!existsSync(file)) return probes;
	for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
		const record = JSON.parse(line) as ProbeRecord;
		probes.set(record.label, record);
	}
	return probes;
}

interface ExecuteOutcome {
	record: Omit<RunRecord, 'server' | 'lost'>;
	/** Epoch time of the "before" probe, to relate the node's start to the server's clock. */
	beforeAt?: number;
}

/** What every run of one bench invocation shares. */
interface RunContext {
	server: BenchServer;
	/** Started only when a metastudio or download scenario runs. */
	metaStudio?: MetaStudioEmulatorProcess;
	/** Started only when a download scenario runs. */
	fileHost?: FileHostProcess;
	/** The files the file host serves now, and for which scenario. */
	hosted?: { scenario: string; files: HostedFile[] };
	/** The files an upload scenario wrote for n8n to read: name (without .mp4), size, base64 MD5. */
	uploadFiles?: { scenario: string; folder: string; files: Array<{ name: string; size: number; md5Base64: string }> };
	runDir: string;
	profile: boolean;
	heapSnapshots: boolean;
	n8nEnv: Record<string, string>;
}

async function executeOnce(
	{ runDir, profile, heapSnapshots, n8nEnv }: RunContext,
	scenario: Scenario,
	side: Side,
	spec: WorkflowSpec,
	repeat: number,
	tag: string,
	/** Environment for this run only (on top of `--n8n-env`). */
	runEnv: Record<string, string> = {},
): Promise<ExecuteOutcome> {
	const probeFile = join(runDir, `${tag}.probes.jsonl`);
	const profileDir = join(runDir, `${tag}.cpuprofile.d`);
	const snapshotDir = join(runDir, `${tag}.heapsnapshots`);
	if (heapSnapshots && scenario.gc) mkdirSync(snapshotDir, { recursive: true });
	const nodeFlags = [...(scenario.gc ? ['--expose-gc'] : []), ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
	const result = await runN8n(['execute', `--id=${workflowId(spec.key)}`, '--rawOutput'], {
		nodeFlags,
		env: {
			...n8nEnv,
			...runEnv,
			...(heapSnapshots && scenario.gc ? { BENCH_HEAP_SNAPSHOT_DIR: snapshotDir } : {}),
			BENCH_PROBE_FILE: probeFile,
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		},
	});
	const probes = readProbes(probeFile);
	const before = probes.get('before');
	const start = probes.get('start');
	const after = [probes.get('ok'), probes.get('failed')].filter((p): p is ProbeRecord => p !== undefined).sort((a, b) => a.hrUs - b.hrUs)[0];
	const record: ExecuteOutcome['record'] = {
		scenario: scenario.name,
		side: side.label,
		repeat,
		items: spec.items,
		exitCode: result.code,
		processMs: result.ms,
		succeeded: probes.get('ok')?.items ?? 0,
		failed: probes.get('failed')?.items ?? 0,
	};
	if (result.code !== 0 || !before || !after) {
		record.stderrTail = `${result.signal ? `[ended by ${result.signal}]\n` : ''}${result.stdoutTail.slice(-1500)}\n${result.stderr.slice(-1500)}`;
	}
	if (before && after) {
		record.nodeMs = (after.hrUs - before.hrUs) / 1000;
		record.itemsPerSecond = spec.items / (record.nodeMs / 1000);
		record.cpuMsPerItem = (after.cpuUs - before.cpuUs) / 1000 / spec.items;
		record.nodeGoodputPerSecond = record.succeeded / (record.nodeMs / 1000);
		if (scenario.gc && start) {
			const closing = [probes.get('ok'), probes.get('failed')].find((p) => p?.peak);
			record.heap = {
				inputBytesPerItem: Math.round((before.heapUsed - start.heapUsed) / spec.items),
				retainedBytesPerItem: Math.round((after.heapUsed - before.heapUsed) / spec.items),
				afterMb: Math.round(after.heapUsed / 1048576),
				retainedBytes: after.heapUsed - before.heapUsed,
				...(closing?.peak
					? {
							peakAboveStartBytes: closing.peak.heapUsed - before.heapUsed,
							peakBytes: closing.peak.heapUsed,
							startBytes: before.heapUsed,
							...(closing.peak.collections > 0 ? { peakAfterGcAboveStartBytes: closing.peak.afterGcHeapUsed - before.heapUsed } : {}),
							collections: closing.peak.collections,
							...(closing.peak.rss !== undefined
								? {
										peakRssBytes: closing.peak.rss,
										peakRssAboveStartBytes: closing.peak.rss - before.rss,
										startRssBytes: before.rss,
										workflowStartRssBytes: start.rss,
										peakRssAboveWorkflowStartBytes: closing.peak.rss - start.rss,
									}
								: {}),
						}
					: {}),
			};
		}
		if (profile && existsSync(profileDir)) {
			const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
			if (file) record.profile = summarizeProfile(join(profileDir, file), before.hrUs, after.hrUs, spec.items);
		}
	}
	return { record, beforeAt: before?.at };
}

function withServer({ record, beforeAt }: ExecuteOutcome, stats: ServerStats): RunRecord {
	const full: RunRecord = { ...record, server: stats, lost: stats.remaining };
	if (stats.firstRequestAt !== undefined && stats.lastDeleteAt !== undefined && stats.deletes > 1) {
		full.goodputPerSecond = stats.deletes / ((stats.lastDeleteAt - stats.firstRequestAt) / 1000);
	}
	if (beforeAt !== undefined && stats.firstRequestAt !== undefined) full.beforeFirstRequestMs = stats.firstRequestAt - beforeAt;
	return full;
}

/** One side of a MetaStudio scenario: a freshly seeded emulator (full per-API buckets), then one execution. */
async function runMetaStudioSide(context: RunContext, scenario: Scenario, side: Side, repeat: number): Promise<RunRecord> {
	const emulator = context.metaStudio!;
	const setup = scenario.metaStudio![side.label];
	const spec = specFor(scenario, side);
	await emulator.reset(spec.items, spec.prefix, setup.seedState);
	const tag = `${scenario.name}-${slug(side.label)}-r${repeat}`;
	const { record } = await executeOnce(context, scenario, side, spec, repeat, tag);
	const stats = await emulator.stats(spec.prefix);
	const notInTargetState = spec.items - (stats.states[setup.targetState] ?? 0);
	return { ...record, server: { ...emptyServerStats(), requests: stats.requests, throttled: stats.throttled }, lost: notInTargetState, metaStudio: { ...stats, notInTargetState } };
}

/** Size and base64 MD5 of a file on disk. */
async function fileDigest(path: string): Promise<{ bytes: number; md5: string }> {
	const hash = createHash('md5');
	let bytes = 0;
	for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
		hash.update(chunk as Buffer);
		bytes += (chunk as Buffer).length;
	}
	return { bytes, md5: hash.digest('base64') };
}

const loadNow = () => loadavg().map((n) => Math.round(n * 100) / 100);

/**
 * One side of a download scenario. The file host (its own process) serves the scenario's files, put once
 * per scenario (the same files for both sides and every round); before each side its request log is
 * cleared, the MetaStudio emulator is reseeded with one asset per file (its MAIN file's download_url a
 * fresh signed URL) and the items get fresh signed URLs for the same files. n8n runs with the filesystem
 * binary data mode into a folder of this run, which the bench checks (size and MD5 of every stored file,
 * when n8n left them there) and then deletes.
 */
async function runDownloadSide(context: RunContext, scenario: Scenario, side: Side, repeat: number): Promise<RunRecord> {
	const host = context.fileHost!;
	const emulator = context.metaStudio!;
	const spec = specFor(scenario, side);
	const fileBytes = scenario.fileBytes!;
	if (context.hosted?.scenario !== scenario.name) {
		log(`  file host: generating ${scenario.items} files of ${fileBytes.toLocaleString('en')} bytes (MD5 computed once) …`);
		const files = Array.from({ length: scenario.items }, (_, i) => ({ path: `/bench/${scenario.name}/file-${i}.mp4`, size: fileBytes, seed: i + 1 }));
		context.hosted = { scenario: scenario.name, files: await host.put(files) };
	}
	const files = context.hosted.files.slice(0, spec.items);
	const paths = files.map((f) => f.path);
	const [assetUrls, itemUrls] = [await host.urls(paths), await host.urls(paths)];
	await emulator.reset(
		spec.items,
		spec.prefix,
		'ACTIVED',
		files.map((file, i) => ({ file_name: `file-${i}.mp4`, file_size: file.size, file_md5: file.md5Base64, download_url: assetUrls[i] })),
	);
	await host.resetStats();
	const tag = `${scenario.name}-${slug(side.label)}-r${repeat}`;
	const urlsFile = join(context.runDir, `${tag}.urls.json`);
	writeFileSync(urlsFile, JSON.stringify(itemUrls));
	const storage = join(context.runDir, `${tag}.binary-data`);
	mkdirSync(storage, { recursive: true });
	const before = loadNow();
	const { record } = await executeOnce(context, scenario, side, spec, repeat, tag, {
		N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
		N8N_BINARY_DATA_STORAGE_PATH: storage,
		BENCH_ITEM_URLS_FILE: urlsFile,
	});
	const after = loadNow();
	const hostStats = await host.stats();
	const msStats = await emulator.stats(spec.prefix);
	const probes = readProbes(join(context.runDir, `${tag}.probes.jsonl`));
	const binary = probes.get('ok')?.binary;
	const download: DownloadRecord = {
		fileBytes,
		...(record.nodeMs ? { mbPerSecond: (spec.items * fileBytes) / 1e6 / (record.nodeMs / 1000) } : {}),
		host: hostStats,
		...(binary ? { binary } : {}),
		...(side.subject.kind === 'metaStudioDownload' ? { metaStudioRequests: msStats.requestsByApi, throttled: msStats.throttled } : {}),
	};
	const listFile = join(context.runDir, `${tag}.probes.jsonl.ok.binary.json`);
	if (existsSync(listFile)) {
		const stored = JSON.parse(readFileSync(listFile, 'utf8')) as Array<{ assetId: string; path: string; bytes: number }>;
		const left = stored.filter((entry) => existsSync(entry.path));
		download.filesLeftOnDisk = left.length;
		if (left.length > 0) {
			log(`  checking the ${left.length} stored files (size and MD5) …`);
			let intact = 0;
			const seen = new Set<number>();
			for (const entry of left) {
				const index = Number(String(entry.assetId).slice(spec.prefix.length));
				const expected = files[index];
				if (!expected || seen.has(index)) continue;
				const digest = await fileDigest(entry.path);
				if (digest.bytes === expected.size && digest.md5 === expected.md5Base64) {
					intact++;
					seen.add(index);
				}
			}
			download.intactFiles = intact;
		}
	}
	rmSync(storage, { recursive: true, force: true });
	// Lost: items without a whole, correct file stored (by MD5 when the files could be checked, else by size).
	const whole = download.intactFiles ?? (binary && binary.bytesOnDisk === spec.items * fileBytes ? binary.filesOnDisk : 0);
	return {
		...record,
		server: { ...emptyServerStats(), requests: hostStats.gets },
		lost: spec.items - Math.min(whole, record.succeeded),
		load: { before, after },
		download,
	};
}

/**
 * Writes `count` generated files of `size` bytes (the file host's generator: AES-CTR keystream from a
 * seed) as `file-<i>.mp4` into a fresh folder, hashing them as they are written.
 */
function writeUploadFiles(folder: string, count: number, size: number): Array<{ name: string; size: number; md5Base64: string }> {
	rmSync(folder, { recursive: true, force: true });
	mkdirSync(folder, { recursive: true });
	return Array.from({ length: count }, (_, i) => {
		const hash = createHash('md5');
		const fd = openSync(join(folder, `file-${i}.mp4`), 'w');
		try {
			for (const chunk of generatedChunks(i + 1, size, 1 << 20)) {
				hash.update(chunk);
				writeSync(fd, chunk);
			}
		} finally {
			closeSync(fd);
		}
		return { name: `file-${i}`, size, md5Base64: hash.digest('base64') };
	});
}

/** The emulator's created assets against the files: see UploadRecord.verifiedAssets. */
function checkUploads(files: Array<{ name: string; size: number; md5Base64: string }>, assets: CreatedAssetReport[]) {
	const byName = new Map<string, CreatedAssetReport[]>();
	for (const asset of assets) byName.set(asset.asset_name, [...(byName.get(asset.asset_name) ?? []), asset]);
	const problems: string[] = [];
	let verified = 0;
	let missing = 0;
	let duplicated = 0;
	for (const file of files) {
		const found = byName.get(file.name) ?? [];
		if (found.length === 0) missing++;
		if (found.length > 1) duplicated++;
		if (found.length !== 1) {
			problems.push(`${file.name}: ${found.length} assets`);
			continue;
		}
		const [asset] = found;
		const main = asset.files.filter((f) => f.category === 'MAIN');
		const upload = asset.uploads.filter((u) => u.category === 'MAIN' && u.state === 'CREATED');
		const wrong = [
			asset.asset_state !== 'ACTIVED' ? `state ${asset.asset_state}` : '',
			asset.asset_type !== 'VIDEO' ? `type ${asset.asset_type}` : '',
			main.length !== 1 ? `${main.length} MAIN files` : '',
			main.length === 1 && (main[0].file_size !== file.size || main[0].file_md5 !== file.md5Base64) ? `MAIN file declared ${main[0].file_size} B, MD5 ${main[0].file_md5}` : '',
			upload.length !== 1 ? `${upload.length} CREATED MAIN uploads` : '',
			upload.length === 1 && (upload[0].received?.size !== file.size || upload[0].received?.md5Base64 !== file.md5Base64)
				? `upload host received ${upload[0].received?.size ?? 'nothing'} B, MD5 ${upload[0].received?.md5Base64 ?? '–'}`
				: '',
		].filter(Boolean);
		if (wrong.length === 0) verified++;
		else problems.push(`${file.name}: ${wrong.join(', ')} (expected ${file.size} B, MD5 ${file.md5Base64})`);
	}
	const names = new Set(files.map((f) => f.name));
	const stray = assets.filter((a) => !names.has(a.asset_name)).length;
	const uploadsNotCreated = assets.reduce((n, a) => n + a.uploads.filter((u) => u.state !== 'CREATED').length, 0);
	return { verified, missing, duplicated, stray, uploadsNotCreated, problems: problems.slice(0, 5) };
}

/**
 * One round of an upload scenario. The files are written once per scenario (the same for every round);
 * each round the emulator is reset (no assets, full per-API buckets, its upload host emptied) and n8n
 * runs with the filesystem binary data mode into a folder of this run (deleted afterwards), allowed to
 * read the files' folder (N8N_RESTRICT_FILE_ACCESS_TO). Afterwards every file must be one asset with a
 * MAIN file of its size and MD5, received whole by the upload host.
 */
async function runUploadSide(context: RunContext, scenario: Scenario, side: Side, repeat: number): Promise<RunRecord> {
	const emulator = context.metaStudio!;
	const spec = specFor(scenario, side);
	const fileBytes = scenario.fileBytes!;
	const folder = uploadFolder(scenario);
	if (context.uploadFiles?.scenario !== scenario.name) {
		if (context.uploadFiles) rmSync(context.uploadFiles.folder, { recursive: true, force: true });
		log(`  writing ${scenario.items} files of ${fileBytes.toLocaleString('en')} bytes to ${folder} …`);
		context.uploadFiles = { scenario: scenario.name, folder, files: writeUploadFiles(folder, scenario.items, fileBytes) };
	}
	const { files } = context.uploadFiles;
	await emulator.reset(0, spec.prefix, 'ACTIVED');
	const tag = `${scenario.name}-${slug(side.label)}-r${repeat}`;
	const storage = join(context.runDir, `${tag}.binary-data`);
	mkdirSync(storage, { recursive: true });
	const before = loadNow();
	const { record } = await executeOnce(context, scenario, side, spec, repeat, tag, {
		N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
		N8N_BINARY_DATA_STORAGE_PATH: storage,
		N8N_RESTRICT_FILE_ACCESS_TO: folder,
	});
	const after = loadNow();
	rmSync(storage, { recursive: true, force: true });
	const msStats = await emulator.stats(spec.prefix);
	const { assets, host, spans } = await emulator.uploads();
	const change = ['CreateDigitalAsset', 'CreateFile', 'ConfirmFileUpload'].flatMap((api) => (spans[api] ? [spans[api]] : []));
	const changeCount = change.reduce((n, span) => n + span.count, 0);
	const changeMs = change.length ? Math.max(...change.map((span) => span.lastAt)) - Math.min(...change.map((span) => span.firstAt)) : 0;
	const check = checkUploads(files, assets);
	const megabytes = (spec.items * fileBytes) / 1e6;
	const input = readProbes(join(context.runDir, `${tag}.probes.jsonl`)).get('before')?.binary;
	const upload: UploadRecord = {
		fileBytes,
		...(record.nodeMs ? { mbPerSecond: megabytes / (record.nodeMs / 1000) } : {}),
		...(record.cpuMsPerItem !== undefined ? { cpuMsPerMb: (record.cpuMsPerItem * spec.items) / megabytes } : {}),
		...(input ? { input } : {}),
		metaStudioRequests: msStats.requestsByApi,
		...(changeMs > 0 ? { changeRequestsPerSecond: (changeCount - 1) / (changeMs / 1000) } : {}),
		spans,
		limitedByApi: msStats.limitedByApi,
		throttled: msStats.throttled,
		host,
		createdAssets: assets.length,
		verifiedAssets: check.verified,
		missing: check.missing,
		duplicated: check.duplicated,
		stray: check.stray,
		uploadsNotCreated: check.uploadsNotCreated,
		problems: check.problems,
	};
	return {
		...record,
		server: { ...emptyServerStats(), requests: msStats.requests, throttled: msStats.throttled },
		lost: spec.items - check.verified,
		load: { before, after },
		upload,
	};
}

async function runSide(context: RunContext, scenario: Scenario, side: Side, repeat: number): Promise<RunRecord> {
	if (scenario.kind === 'metastudio') return await runMetaStudioSide(context, scenario, side, repeat);
	if (scenario.kind === 'download') return await runDownloadSide(context, scenario, side, repeat);
	if (scenario.kind === 'upload') return await runUploadSide(context, scenario, side, repeat);
	const { server } = context;
	const spec = specFor(scenario, side);
	const deletes = side.subject.kind !== 'noOp' && side.subject.kind !== 'set';
	await server.reset({
		apiKey: API_KEY,
		ids: deletes ? [[spec.prefix, spec.items]] : [],
		latencyMs: scenario.latencyMs,
		limit: scenario.limit,
		warmupPrefix: WARMUP_PREFIX,
		faults: scenario.faults,
	});
	const tag = `${scenario.name}-${slug(side.label)}-r${repeat}`;
	const outcome = await executeOnce(context, scenario, side, spec, repeat, tag);
	return withServer(outcome, await server.stats());
}

async function runParallel(context: RunContext, scenario: Scenario, side: Side, repeat: number): Promise<ParallelRecord> {
	const { server } = context;
	const executions = scenario.executions ?? 1;
	const specs = Array.from({ length: executions }, (_, k) => specFor(scenario, side, k));
	await server.reset({
		apiKey: API_KEY,
		ids: specs.map((spec) => [spec.prefix, spec.items]),
		latencyMs: scenario.latencyMs,
		limit: scenario.limit,
		warmupPrefix: WARMUP_PREFIX,
	});
	const outcomes = await Promise.all(
		specs.map((spec, k) => executeOnce(context, scenario, side, spec, repeat, `${scenario.name}-r${repeat}-p${k}`)),
	);
	const stats = await server.stats();
	const record: ParallelRecord = {
		scenario: scenario.name,
		side: side.label,
		repeat,
		executions,
		items: specs.reduce((sum, spec) => sum + spec.items, 0),
		runs: outcomes.map((o) => o.record),
		server: stats,
		lost: stats.remaining,
		deletesPerSecond: stats.deletesPerSecond,
	};
	if (stats.firstRequestAt !== undefined && stats.lastDeleteAt !== undefined && stats.deletes > 1) {
		record.goodputPerSecond = stats.deletes / ((stats.lastDeleteAt - stats.firstRequestAt) / 1000);
	}
	return record;
}

const KEEP_RUNS = 30;

/** Run folders can hold CPU profiles and heap snapshots: only the newest few are kept. */
function pruneOldRuns(dir: string, keep: number): void {
	const runs = readdirSync(dir).sort();
	for (const old of runs.slice(0, Math.max(0, runs.length - keep))) rmSync(join(dir, old), { recursive: true, force: true });
}

function scenariosFor(args: Args): Scenario[] {
	return selectScenarios(
		allScenarios({ items: args.items, sizeMb: args.sizeMb, repeat: args.repeat, quick: args.quick, shape: args.shape, executions: args.executions, warmup: args.warmup }),
		args.scenarios,
	)
		.map((scenario) => ({
			...scenario,
			sides: args.sides.length === 0 ? scenario.sides : scenario.sides.filter((side) => args.sides.some((s) => side.label.toLowerCase().includes(s))),
		}))
		.filter((scenario) => scenario.sides.length > 0);
}

/** Re-prints an earlier run's tables (with the scenario definitions of the current code). */
function printEarlierReport(file: string): void {
	const earlier = JSON.parse(readFileSync(file, 'utf8')) as { args: Args; records: RunRecord[]; parallel: ParallelRecord[] };
	console.log(formatReport(scenariosFor({ ...earlier.args, report: undefined }), earlier.records, earlier.parallel));
}

/** Whether the installed copy of the package declares a node option of this name (read from its dist). */
function installedNodeHasOption(name: string): boolean {
	const dist = join(USER_FOLDER, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-media-assets', 'dist', 'nodes');
	const files = existsSync(dist) ? (readdirSync(dist, { recursive: true }) as string[]).filter((f) => f.endsWith('.js')) : [];
	const pattern = new RegExp(`name:\\s*['"]${name}['"]`);
	return files.some((file) => pattern.test(readFileSync(join(dist, file), 'utf8')));
}

async function startServerOn(port: number): Promise<BenchServer> {
	try {
		return await startServer(port);
	} catch {
		log(`port ${port} is taken; using a random port (credentials and workflows will be re-imported)`);
		return await startServer(0);
	}
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.harness) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when asked: it sets up n8n-core on import
		const { runHarnessBench } = require('./harnessBench') as typeof import('./harnessBench');
		await runHarnessBench();
		return;
	}
	if (args.report) {
		printEarlierReport(args.report);
		return;
	}
	const scenarios = scenariosFor(args);
	const installed = prepareN8n({ reuseBuild: args.reuseBuild });
	for (const experiment of args.experiments) log(`experiment ${experiment}: ${applyExperiment(experiment)}`);
	const runDir = join(CACHE, 'runs', new Date().toISOString().replace(/[:.]/g, '-'));
	mkdirSync(runDir, { recursive: true });
	pruneOldRuns(join(CACHE, 'runs'), KEEP_RUNS);
	const server = await startServerOn(args.port);
	const uploads = scenarios.some((s) => s.kind === 'upload');
	const metaStudio = scenarios.some((s) => s.kind === 'metastudio' || s.kind === 'download' || uploads) ? await startMetaStudioEmulator('cn-north-4', { uploads }) : undefined;
	const fileHost = scenarios.some((s) => s.kind === 'download') ? await startFileHostProcess() : undefined;
	const batchOption = scenarios.some((s) => s.kind === 'metastudio') ? installedNodeHasOption('batchSize') : undefined;
	if (batchOption === false) {
		log('the installed node has no batchSize option: both MetaStudio sides send one request per asset until it has');
	}
	const context: RunContext = { server, metaStudio, fileHost, runDir, profile: args.profile, heapSnapshots: args.heapSnapshots, n8nEnv: args.n8nEnv };
	const records: RunRecord[] = [];
	const parallel: ParallelRecord[] = [];
	const started = Date.now();
	try {
		const workflows = scenarios.flatMap((scenario) =>
			scenario.sides.flatMap((side) =>
				scenario.executions
					? Array.from({ length: scenario.executions }, (_, k) => buildWorkflow(specFor(scenario, side, k), server.baseUrl))
					: [buildWorkflow(specFor(scenario, side), server.baseUrl)],
			),
		);
		log(`importing credentials and ${workflows.length} workflows (only what changed) …`);
		await importAll(credentialsFor(server.baseUrl, metaStudio?.credential), workflows);

		for (const scenario of scenarios) {
			for (let repeat = 0; repeat < scenario.repeat; repeat++) {
				if (scenario.kind === 'parallel') {
					log(`${scenario.name} (${scenario.title}), run ${repeat + 1}/${scenario.repeat}`);
					parallel.push(await runParallel(context, scenario, scenario.sides[0], repeat));
					continue;
				}
				// Rotate the order of the sides from one repeat to the next.
				const order = scenario.sides.map((_, i) => (i + repeat) % scenario.sides.length);
				for (const sideIndex of order) {
					const side = scenario.sides[sideIndex];
					log(`${scenario.name}: ${side.label}, run ${repeat + 1}/${scenario.repeat}`);
					const record = await runSide(context, scenario, side, repeat);
					records.push(record);
					if (record.stderrTail) log(`  n8n exited with ${record.exitCode}:\n${record.stderrTail}`);
					else {
						const extra = [
							record.heap?.peakAboveStartBytes !== undefined ? `peak +${(record.heap.peakAboveStartBytes / 1048576).toFixed(1)} MB, retained +${((record.heap.retainedBytes ?? 0) / 1048576).toFixed(1)} MB` : '',
							record.metaStudio ? `${((record.nodeMs ?? 0) / 1000).toFixed(1)} s, requests ${JSON.stringify(record.metaStudio.requestsByApi)}, ${record.metaStudio.throttled} × 429` : '',
							record.download
								? `${((record.nodeMs ?? 0) / 1000).toFixed(1)} s, ${record.download.mbPerSecond?.toFixed(0)} MB/s, peak RSS +${((record.heap?.peakRssAboveStartBytes ?? NaN) / 1048576).toFixed(0)} MiB, ` +
									`host: ${record.download.host.completeGets} whole GETs (${record.download.host.pathsOnce} files once, ${record.download.host.pathsNever} never, ${record.download.host.pathsMoreThanOnce} more than once), ` +
									`stored ${JSON.stringify(record.download.binary?.byMode ?? {})}, intact ${record.download.intactFiles ?? '–'}, verified items ${record.download.binary?.verifiedItems ?? '–'}, load ${record.load?.before.join('/')} → ${record.load?.after.join('/')}`
								: '',
							record.upload
								? `${((record.nodeMs ?? 0) / 1000).toFixed(1)} s, ${record.upload.mbPerSecond?.toFixed(0)} MB/s, ${record.upload.cpuMsPerMb?.toFixed(1)} ms CPU/MB, ` +
									`peak RSS +${((record.heap?.peakRssAboveStartBytes ?? NaN) / 1048576).toFixed(0)} MiB (+${((record.heap?.peakRssAboveWorkflowStartBytes ?? NaN) / 1048576).toFixed(0)} above the process before the input), ` +
									`input ${JSON.stringify(record.upload.input?.byMode ?? {})}, requests ${JSON.stringify(record.upload.metaStudioRequests)} at ${record.upload.changeRequestsPerSecond?.toFixed(1)}/s, ${record.upload.throttled} × 429, ` +
									`PUTs ${record.upload.host.accepted}/${record.upload.host.puts} accepted (${record.upload.host.pathsMoreThanOnce} paths more than once), ` +
									`assets created ${record.upload.createdAssets}, verified ${record.upload.verifiedAssets}${record.upload.problems.length ? ` (${record.upload.problems.join('; ')})` : ''}, load ${record.load?.before.join('/')} → ${record.load?.after.join('/')}`
								: '',
						].filter(Boolean);
						log(`  ${record.itemsPerSecond?.toFixed(1)} items/s, ${record.cpuMsPerItem?.toFixed(2)} ms CPU/item, ${record.succeeded} ok, ${record.failed} failed, ${record.lost} lost${extra.length ? `; ${extra.join('; ')}` : ''}`);
					}
				}
			}
		}
	} finally {
		await server.stop();
		await metaStudio?.stop();
		await fileHost?.stop();
		// The upload scenarios' files (a gigabyte or more each) do not outlive the run.
		if (context.uploadFiles) rmSync(context.uploadFiles.folder, { recursive: true, force: true });
	}

	const meta = {
		date: new Date().toISOString(),
		n8n: N8N_VERSION,
		tarball: installed.tarballHash,
		args,
		minutes: Math.round((Date.now() - started) / 6000) / 10,
		batchSizeOption: batchOption,
	};
	const report = [
		`n8n ${N8N_VERSION} on Node 24 (\`n8n execute\`), package tarball ${installed.tarballHash}; ` +
			`warm-up before each measured node: ${args.warmup} items (${Math.min(args.warmup, 300)} under a limit; "cold" rows, MetaStudio, downloads and uploads: none). ` +
			`Media Assets node version ${MEDIA_ASSETS_VERSION}. Measuring took ${meta.minutes} minutes.` +
			(batchOption === false ? ' The installed node has **no batchSize option**: both MetaStudio sides sent one request per asset.' : ''),
		formatReport(scenarios, records, parallel),
	].join('\n\n');
	console.log(report);
	const results = { ...meta, records, parallel, report };
	writeFileSync(join(runDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
	writeFileSync(join(ROOT, 'bench-results.json'), `${JSON.stringify(results, null, 2)}\n`);
	log(`written to bench-results.json and ${join(runDir, 'results.json')}`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
