/**
 * What `npm run bench` measures. Each scenario runs its sides one after the other on a freshly reset
 * server, `repeat` times, rotating the order of the sides between repeats so that a slow spell on this
 * shared machine does not always land on the same side.
 */
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from '../../nodes/MediaAssets/helpers/constants';
import type { FaultConfig, LimitConfig, LimitShape } from './kyyServer';
import type { Subject } from './workflows';

export interface Side {
	label: string;
	subject: Subject;
	/** Requests this side may have in flight (C of C/L), when it has such a bound. */
	concurrency?: number;
	/** The side the other sides' ratios are taken against. */
	baseline?: boolean;
	/** How this side is configured, in words, for the report. */
	config?: string;
}

/**
 * A ratio the report states for a scenario: `side` ÷ `against`, paired by repeat (both ran in the same
 * round), then the median. `against: FASTEST_HTTP` is the HTTP Request side with the highest median
 * items/s in this run. Metrics: `speed` items/s (higher is better), `time` the node's wall time,
 * `peak` the peak used heap of the n8n process during the node's window, `peakAboveStart` the same less
 * the heap (after a full GC) at the window's start, `retained` the heap kept after GC, `peakRssAboveStart`
 * the peak RSS of the process in the window less its RSS at the window's start.
 */
export interface Comparison {
	title: string;
	side: string;
	against: string;
	metric: 'speed' | 'time' | 'peak' | 'peakAboveStart' | 'retained' | 'peakRssAboveStart';
}

export const FASTEST_HTTP = 'fastest HTTP Request side';

/** The MetaStudio emulator's set-up for a `metastudio` scenario side. */
export interface MetaStudioSetup {
	/** What the assets are before the run: ACTIVED (to delete) or DELETING (in the recycle bin, to restore). */
	seedState: 'ACTIVED' | 'DELETING';
	/** The state every asset must be in afterwards; any other is a lost item. */
	targetState: 'DELETING' | 'ACTIVED';
}

export interface Scenario {
	name: string;
	title: string;
	kind: 'throughput' | 'limit' | 'parallel' | 'memory' | 'peak' | 'metastudio' | 'download' | 'upload';
	/** Groups `--scenario` accepts for this scenario besides its name and kind. */
	groups?: string[];
	/** Left out of a run without `--scenario` (still runs by name or group). */
	notInDefaultRun?: boolean;
	/** Ratios the report states (`headline`). */
	comparisons?: Comparison[];
	/** Server refusals (kyyServer FaultConfig). */
	faults?: FaultConfig;
	/** Peak heap over the node's window (BenchProbe's peak window). */
	peak?: boolean;
	/** Per side label: the emulator set-up (metastudio scenarios). */
	metaStudio?: Record<string, MetaStudioSetup>;
	/**
	 * Download scenarios: the size of every file (the file host serves `items` files of this size). Upload
	 * scenarios: the size of every file the bench writes for n8n to read and the node to upload.
	 */
	fileBytes?: number;
	items: number;
	latencyMs: number;
	limit?: LimitConfig;
	sides: Side[];
	repeat: number;
	/** Separate `n8n execute` processes started together, each with items / executions of the items. */
	executions?: number;
	/** Heap after a full GC at the probes (n8n runs with --expose-gc). */
	gc?: boolean;
	/** Items of the warm-up pass before the measured node (see workflows.ts). */
	warmup: number;
}

const mediaAssets = (label: string, options: Record<string, unknown>, concurrency?: number, config?: string): Side => ({
	label,
	subject: { kind: 'mediaAssets', options },
	concurrency: concurrency ?? (options.concurrency as number | undefined) ?? DEFAULT_CONCURRENCY,
	config,
});
const httpHeader = (label: string, batchSize?: number, config?: string): Side => ({
	label,
	subject: { kind: 'httpHeader', batchSize },
	baseline: true,
	config,
});
const httpPredefined = (label: string, batchSize?: number, config?: string): Side => ({
	label,
	subject: { kind: 'httpPredefined', batchSize },
	config,
});

/** What the HTTP Request node does with Batching at a 0 ms interval, or without Batching. */
const AT_ONCE = 'every request started at once';

const MEDIA_DEFAULTS = `Media Assets, defaults (concurrency ${DEFAULT_CONCURRENCY})`;
const SET_2 = 'n8n Set node, 2 fixed fields per item';

/** How the HTTP Request node sends at its defaults (n8n-nodes-base 2.41.1, HttpRequestV3, version 4.x). */
const HTTP_DEFAULTS_TEXT =
	'Method DELETE, URL expression per item, no Options set: no batching, so every request is started at once, ' +
	'with no cap on requests in flight; On Error: Continue (using error output)';
const HEADER_AUTH_TEXT = 'Authentication: Generic Credential Type → Header Auth (Name Authorization, Value "Bearer <key>")';

/** The headline comparison: 3,000 deletes, 20 ms latency, each node at its defaults and at its fastest. */
export const HEADLINE = {
	items: 3000,
	latencyMs: 20,
	mediaDefaults: MEDIA_DEFAULTS,
	mediaFastest: `Media Assets, concurrency ${MAX_CONCURRENCY} (its maximum)`,
	httpDefaults: 'HTTP Request, defaults, Header Auth credential',
	httpBatched: 'HTTP Request, Batching 16 items / 0 ms interval, Header Auth',
	httpHeaderParameter: 'HTTP Request, defaults, Bearer typed into Send Headers (no credential)',
	httpPredefined: 'HTTP Request, defaults, this package\'s kyyVideo2Api credential',
} as const;

const SHAPES: Array<{ key: string; burst: number; shape: LimitShape; text: string }> = [
	{ key: 'b1-ra1', burst: 1, shape: 'retry-after-1', text: 'burst 1, 429 + Retry-After: 1' },
	{ key: 'b10-ra1', burst: 10, shape: 'retry-after-1', text: 'burst 10, 429 + Retry-After: 1' },
	{ key: 'b50-ra1', burst: 50, shape: 'retry-after-1', text: 'burst 50, 429 + Retry-After: 1' },
	{ key: 'b10-ra0', burst: 10, shape: 'retry-after-0', text: 'burst 10, 429 + Retry-After: 0' },
	{ key: 'b10-none', burst: 10, shape: 'no-retry-after', text: 'burst 10, 429 without Retry-After' },
	{ key: 'b10-apigw', burst: 10, shape: 'apigw', text: 'burst 10, 429 APIGW.0308 (MetaStudio form)' },
];

export const LIMIT_PER_SECOND = 50;

/** The download scenario's two sides. */
export const DOWNLOAD = {
	media: 'Media Assets, MetaStudio Download (Main File), defaults',
	http: 'HTTP Request, GET, Response Format File',
} as const;

/** MB as the download scenarios count file sizes (decimal, as a file host or MetaStudio's file_size shows them). */
export const MB_BYTES = 1_000_000;

function downloadScenario(name: string, files: number, sizeMb: number, repeat: number, notInDefaultRun: boolean): Scenario {
	return {
		name,
		title: `${files} files of ${sizeMb} MB downloaded into n8n's binary data, filesystem mode`,
		kind: 'download',
		groups: ['downloads'],
		notInDefaultRun,
		items: files,
		fileBytes: Math.round(sizeMb * MB_BYTES),
		latencyMs: 0,
		gc: true,
		peak: true,
		repeat,
		// I/O-bound: a warm-up would mean gigabytes more per side. Each side is a freshly started n8n.
		warmup: 0,
		sides: [
			{
				label: DOWNLOAD.media,
				subject: { kind: 'metaStudioDownload' },
				config:
					`Huawei Cloud MetaStudio asset → Download, Asset ID {{ $json.assetId }}, Files: Main File, no Options set (concurrency ${DEFAULT_CONCURRENCY}, ` +
					'3 retries, 30 s timeout, ShowAsset paced at the query limit); AK/SK credential; On Error: Continue (using error output). ' +
					'Reads ShowAsset (limit enforced: 20/s in cn-north-4), streams the MAIN file into the binary data, counting and hashing (MD5) the body as n8n\'s binary store reads it, and checks both against the asset\'s file_size and file_md5',
			},
			{
				label: DOWNLOAD.http,
				subject: { kind: 'httpDownload' },
				baseline: true,
				config:
					'Method GET, URL {{ $json.url }} (the same files, signed URLs issued for the run and put on the items, so no ShowAsset in its window), ' +
					'Authentication None, Options → Response → Response Format File, Put Output in Field data; no batching (every request started at once); ' +
					'On Error: Continue (using error output). It checks nothing',
			},
		],
		comparisons: [
			{ title: 'throughput: Media Assets ÷ HTTP Request (goal ≥ 1.0)', side: DOWNLOAD.media, against: DOWNLOAD.http, metric: 'speed' },
			{ title: 'peak RSS above idle: Media Assets ÷ HTTP Request', side: DOWNLOAD.media, against: DOWNLOAD.http, metric: 'peakRssAboveStart' },
		],
	};
}

/** The upload scenario's side. */
export const UPLOAD = {
	media: 'Media Assets, MetaStudio Create (upload from input binary), defaults',
} as const;

/**
 * MetaStudio asset → Create from input items that carry the files as binary data, in n8n's filesystem
 * mode: the bench writes `files` generated files to a folder, n8n's Read/Write Files from Disk reads them
 * into the binary data store before the measured window, and the node uploads them to the emulator's
 * upload host (CreateDigitalAsset, CreateFile, PUT, ConfirmFileUpload). One side: there is no n8n node
 * that does the same three API calls around a signed upload.
 */
function uploadScenario(name: string, files: number, sizeMb: number, repeat: number, notInDefaultRun: boolean): Scenario {
	return {
		name,
		title: `${files} files of ${sizeMb} MB uploaded from n8n's binary data (filesystem mode) as new MetaStudio assets`,
		kind: 'upload',
		groups: ['uploads'],
		notInDefaultRun,
		items: files,
		fileBytes: Math.round(sizeMb * MB_BYTES),
		latencyMs: 0,
		gc: true,
		peak: true,
		repeat,
		// I/O-bound, as the downloads: each round is a freshly started n8n.
		warmup: 0,
		sides: [
			{
				label: UPLOAD.media,
				subject: { kind: 'metaStudioCreate' },
				config:
					`Huawei Cloud MetaStudio asset → Create, Input Binary Field data, Asset Type From File Extension (VIDEO for .mp4), Name empty (the file's name), ` +
					`no Options set (concurrency ${DEFAULT_CONCURRENCY}, 3 retries, 30 s timeout, requests paced at the change limits); AK/SK credential; On Error: Continue (using error output). ` +
					'Reads each input file once for its size and MD5, then CreateDigitalAsset, CreateFile, PUT of the file to the signed upload URL (streamed from the binary store), ConfirmFileUpload ' +
					'(cn-north-4 limits enforced: 10/s each). Its input: n8n\'s Read/Write Files from Disk (version 1.1, Read, File(s) Selector <folder>/*.mp4) reading the files the bench wrote',
			},
		],
	};
}

/** Under a limit the CPU is not what limits: a short warm-up is enough there. */
const PACED_WARMUP = 300;

export interface ScenarioOptions {
	items?: number;
	/** File size of the download and upload scenarios, MB (10^6 bytes). */
	sizeMb?: number;
	repeat?: number;
	quick: boolean;
	/** Shape key for the parallel scenario. */
	shape: string;
	executions: number;
	warmup: number;
}

export function allScenarios(options: ScenarioOptions): Scenario[] {
	const items = (n: number) => options.items ?? n;
	const repeat = (n: number) => options.repeat ?? (options.quick ? 1 : n);
	const scenarios: Scenario[] = [
		{
			name: 'headline',
			title: `${items(HEADLINE.items).toLocaleString('en')} deletes, ${HEADLINE.latencyMs} ms latency, defaults and fastest`,
			kind: 'throughput',
			items: items(HEADLINE.items),
			latencyMs: HEADLINE.latencyMs,
			repeat: repeat(3),
			warmup: options.warmup,
			sides: [
				mediaAssets(HEADLINE.mediaDefaults, {}, undefined, `Delete, Asset ID {{ $json.assetId }}, no Options set (concurrency ${DEFAULT_CONCURRENCY}, 3 retries, 30 s timeout, unpaced); On Error: Continue (using error output)`),
				mediaAssets(HEADLINE.mediaFastest, { concurrency: MAX_CONCURRENCY }, undefined, `as the defaults, Options → Concurrency ${MAX_CONCURRENCY}`),
				httpHeader(HEADLINE.httpDefaults, undefined, `${HTTP_DEFAULTS_TEXT}; ${HEADER_AUTH_TEXT}`),
				{
					label: HEADLINE.httpBatched,
					subject: { kind: 'httpHeader', batchSize: 16, batchInterval: 0 },
					config: `as the defaults, Options → Batching: Items per Batch 16, Batch Interval 0 ms (the node sleeps between batches only when the interval is above 0, so this also starts every request at once)`,
				},
				{
					label: HEADLINE.httpHeaderParameter,
					subject: { kind: 'httpHeaderParameter' },
					config: `${HTTP_DEFAULTS_TEXT}; Authentication None, Send Headers → Authorization: Bearer <key> as a fixed value (no credential to read per item; the key sits in the workflow in plain text)`,
				},
				httpPredefined(HEADLINE.httpPredefined, undefined, `${HTTP_DEFAULTS_TEXT}; Authentication: Predefined Credential Type → KyyVideo2 API (this package's credential)`),
			],
			comparisons: [
				{ title: 'both at their defaults', side: HEADLINE.mediaDefaults, against: HEADLINE.httpDefaults, metric: 'speed' },
				{ title: 'both at their fastest', side: HEADLINE.mediaFastest, against: FASTEST_HTTP, metric: 'speed' },
				{ title: "defaults, HTTP Request with this package's credential", side: HEADLINE.mediaDefaults, against: HEADLINE.httpPredefined, metric: 'speed' },
			],
		},
		{
			name: 'memory-peak',
			title: `${items(20_000).toLocaleString('en')} deletes in one execution, 3 % refused (400), 20 ms latency: peak heap`,
			kind: 'peak',
			groups: ['memory'],
			items: items(20_000),
			latencyMs: 20,
			faults: { percent: 3 },
			gc: true,
			peak: true,
			// 2 rounds: the HTTP Request side alone takes minutes at 20,000 items; the heap varies less than speed.
			repeat: repeat(2),
			warmup: options.warmup,
			sides: [
				mediaAssets(MEDIA_DEFAULTS, {}),
				{ label: SET_2, subject: { kind: 'set', fields: 2 }, baseline: true, config: 'Mode Manual Mapping, Include Other Input Fields on, deleted = true, httpStatus = 200 (fixed values)' },
				{ ...httpHeader(HEADLINE.httpDefaults), baseline: false },
			],
			comparisons: [
				{ title: 'peak heap of the process: Media Assets ÷ Set (goal ≤ 1.2)', side: MEDIA_DEFAULTS, against: SET_2, metric: 'peak' },
				{ title: 'peak heap of the process: Media Assets ÷ HTTP Request', side: MEDIA_DEFAULTS, against: HEADLINE.httpDefaults, metric: 'peak' },
				{ title: 'peak above the start: Media Assets ÷ Set', side: MEDIA_DEFAULTS, against: SET_2, metric: 'peakAboveStart' },
				{ title: 'peak above the start: Media Assets ÷ HTTP Request', side: MEDIA_DEFAULTS, against: HEADLINE.httpDefaults, metric: 'peakAboveStart' },
				{ title: 'retained after GC: Media Assets ÷ Set', side: MEDIA_DEFAULTS, against: SET_2, metric: 'retained' },
			],
		},
		{
			name: 'metastudio-batch',
			title: `MetaStudio recycle-bin deletes and restores, cn-north-4 limits enforced`,
			kind: 'metastudio',
			items: options.items ?? (options.quick ? 1000 : 10_000),
			latencyMs: 0,
			gc: true,
			repeat: repeat(1),
			// Rate-bound, not CPU-bound: a warm-up would only spend the tenant's requests.
			warmup: 0,
			sides: [
				{ label: 'Delete, defaults', subject: { kind: 'metaStudio', operation: 'delete', options: {} }, config: 'Recycle Bin, no Options set' },
				{ label: 'Delete, Batch Size 1', subject: { kind: 'metaStudio', operation: 'delete', options: { batchSize: 1 } }, config: 'Recycle Bin, Options → Batch Size 1 (one DeleteAsset per asset)' },
				// Automatic chosen explicitly: the defaults are automatic only from node version 2 on.
				{ label: 'Delete, Batch Size 0', subject: { kind: 'metaStudio', operation: 'delete', options: { batchSize: 0 } }, config: 'Recycle Bin, Options → Batch Size 0 (automatic)' },
				{ label: 'Restore, defaults', subject: { kind: 'metaStudio', operation: 'restore', options: {} }, config: 'no Options set' },
				{ label: 'Restore, Batch Size 1', subject: { kind: 'metaStudio', operation: 'restore', options: { batchSize: 1 } }, config: 'Options → Batch Size 1 (one RestoreAsset per asset)' },
				{ label: 'Restore, Batch Size 0', subject: { kind: 'metaStudio', operation: 'restore', options: { batchSize: 0 } }, config: 'Options → Batch Size 0 (automatic)' },
			],
			metaStudio: {
				'Delete, defaults': { seedState: 'ACTIVED', targetState: 'DELETING' },
				'Delete, Batch Size 1': { seedState: 'ACTIVED', targetState: 'DELETING' },
				'Restore, defaults': { seedState: 'DELETING', targetState: 'ACTIVED' },
				'Restore, Batch Size 1': { seedState: 'DELETING', targetState: 'ACTIVED' },
				'Delete, Batch Size 0': { seedState: 'ACTIVED', targetState: 'DELETING' },
				'Restore, Batch Size 0': { seedState: 'DELETING', targetState: 'ACTIVED' },
			},
			comparisons: [
				{ title: 'Delete: time, defaults ÷ Batch Size 1 (goal ≤ 0.20)', side: 'Delete, defaults', against: 'Delete, Batch Size 1', metric: 'time' },
				{ title: 'Restore: time, defaults ÷ Batch Size 1 (goal ≤ 0.20)', side: 'Restore, defaults', against: 'Restore, Batch Size 1', metric: 'time' },
				{ title: 'Delete: time, Batch Size 0 ÷ Batch Size 1', side: 'Delete, Batch Size 0', against: 'Delete, Batch Size 1', metric: 'time' },
				{ title: 'Restore: time, Batch Size 0 ÷ Batch Size 1', side: 'Restore, Batch Size 0', against: 'Restore, Batch Size 1', metric: 'time' },
			],
		},
		// 200 × 20 MB (4 GB per side), and the same 4 GB as 40 × 100 MB to see whether memory follows the
		// file size; at 200 × 100 MB a side would move 20 GB (minutes per side on this machine).
		downloadScenario('download', items(200), options.sizeMb ?? 20, repeat(2), false),
		downloadScenario('download-100mb', items(40), options.sizeMb ?? 100, repeat(1), true),
		// 1 GB per round in both: 50 × 20 MB, and 10 × 100 MB to see whether memory follows the file size.
		uploadScenario('upload', items(50), options.sizeMb ?? 20, repeat(2), false),
		uploadScenario('upload-100mb', items(10), options.sizeMb ?? 100, repeat(1), true),
		{
			name: 'c16',
			// Superseded in the default run by the headline; by name or with the group throughput.
			notInDefaultRun: true,
			title: '20 ms latency, Media Assets concurrency 16, HTTP Request Batching 16 / 0 ms',
			kind: 'throughput',
			items: items(600),
			latencyMs: 20,
			repeat: repeat(3),
			warmup: options.warmup,
			sides: [
				mediaAssets('Media Assets, concurrency 16', { concurrency: 16 }),
				httpHeader(`HTTP Request, Batching 16 / 0 ms (${AT_ONCE}), Header Auth`, 16),
				httpPredefined(`HTTP Request, Batching 16 / 0 ms (${AT_ONCE}), kyyVideo2Api predefined credential`, 16),
			],
		},
		{
			// Each `n8n execute` a freshly started process, no warm-up.
			name: 'c16-cold',
			// Superseded in the default run by the headline; by name or with the group throughput.
			notInDefaultRun: true,
			title: '20 ms latency, Media Assets concurrency 16, HTTP Request Batching 16 / 0 ms, cold process',
			kind: 'throughput',
			items: items(600),
			latencyMs: 20,
			repeat: repeat(3),
			warmup: 0,
			sides: [
				mediaAssets('Media Assets, concurrency 16', { concurrency: 16 }),
				httpHeader(`HTTP Request, Batching 16 / 0 ms (${AT_ONCE}), Header Auth`, 16),
			],
		},
		{
			name: 'defaults',
			title: '20 ms latency, defaults',
			// The headline scenario compares the defaults on 3,000 items.
			notInDefaultRun: true,
			kind: 'throughput',
			items: items(600),
			latencyMs: 20,
			repeat: repeat(3),
			warmup: options.warmup,
			sides: [
				mediaAssets(`Media Assets, defaults (concurrency ${DEFAULT_CONCURRENCY})`, {}),
				httpHeader(`HTTP Request, defaults (${AT_ONCE}), Header Auth`),
			],
		},
		{
			name: 'zero',
			// Superseded in the default run by the headline; by name or with the group throughput.
			notInDefaultRun: true,
			title: '0 ms latency, Media Assets concurrency 16, HTTP Request Batching 16 / 0 ms',
			kind: 'throughput',
			items: items(600),
			latencyMs: 0,
			repeat: repeat(3),
			warmup: options.warmup,
			sides: [
				mediaAssets('Media Assets, concurrency 16', { concurrency: 16 }),
				httpHeader(`HTTP Request, Batching 16 / 0 ms (${AT_ONCE}), Header Auth`, 16),
			],
		},
		...SHAPES.map(
			(shape): Scenario => ({
				name: `limit-${shape.key}`,
				title: `server limit ${LIMIT_PER_SECOND}/s, ${shape.text}`,
				kind: 'limit',
				items: items(600),
				latencyMs: 20,
				limit: { perSecond: LIMIT_PER_SECOND, burst: shape.burst, shape: shape.shape },
				repeat: repeat(1),
				warmup: Math.min(options.warmup, PACED_WARMUP),
				sides: [
					mediaAssets('Media Assets, defaults (unpaced)', {}),
					mediaAssets(`Media Assets, Requests per Second ${LIMIT_PER_SECOND}`, { requestsPerSecond: LIMIT_PER_SECOND }),
					// The HTTP Request node has no answer to a 429 but its own retry: shown once, for this shape.
					...(shape.key === 'b10-ra1' ? [httpHeader('HTTP Request, defaults, Header Auth')] : []),
				],
			}),
		),
		{
			name: 'parallel',
			title: `${options.executions} executions in parallel on one ${LIMIT_PER_SECOND}/s limit (${SHAPES.find((s) => s.key === options.shape)?.text ?? options.shape})`,
			kind: 'parallel',
			items: items(600),
			latencyMs: 20,
			limit: limitOf(options.shape),
			executions: options.executions,
			repeat: repeat(1),
			warmup: Math.min(options.warmup, PACED_WARMUP),
			sides: [mediaAssets('Media Assets, defaults (unpaced), each execution', {})],
		},
		...(options.quick && options.items === undefined ? [10_000] : options.items !== undefined ? [options.items] : [10_000, 50_000]).map(
			(count): Scenario => ({
				name: `memory-${count}`,
				title: `retained heap after GC, ${count} items, 0 ms latency`,
				kind: 'memory',
				notInDefaultRun: count > 10_000,
				items: count,
				latencyMs: 0,
				gc: true,
				repeat: 1,
				warmup: options.warmup,
				sides: [
					mediaAssets('Media Assets, concurrency 16', { concurrency: 16 }),
					{ label: 'n8n floor: NoOp (passes items on)', subject: { kind: 'noOp' } },
					{ label: 'n8n floor: Set (adds the same fields to each item)', subject: { kind: 'set' } },
				],
			}),
		),
	];
	return scenarios;
}

function limitOf(key: string): LimitConfig {
	const shape = SHAPES.find((s) => s.key === key);
	if (!shape) throw new Error(`unknown limit shape "${key}"; one of ${SHAPES.map((s) => s.key).join(', ')}`);
	return { perSecond: LIMIT_PER_SECOND, burst: shape.burst, shape: shape.shape };
}

const GROUPS = ['throughput', 'limits', 'memory', 'metastudio', 'downloads', 'uploads'];

/**
 * `--scenario` accepts names, and the groups `throughput`, `limits` (every limit shape), `memory` (peak and
 * retained), `metastudio`, `downloads` (download and download-100mb) and `uploads` (upload and upload-100mb). Without it, every
 * scenario but those marked `notInDefaultRun`.
 */
export function selectScenarios(all: Scenario[], wanted: string[]): Scenario[] {
	if (wanted.length === 0) return all.filter((s) => !s.notInDefaultRun);
	const inGroup = (s: Scenario, group: string) =>
		s.groups?.includes(group) ||
		(group === 'throughput' && s.kind === 'throughput') ||
		(group === 'limits' && s.kind === 'limit') ||
		(group === 'memory' && s.kind === 'memory') ||
		(group === 'metastudio' && s.kind === 'metastudio');
	const picked = all.filter((s) => wanted.includes(s.name) || wanted.some((group) => inGroup(s, group)));
	const unknown = wanted.filter((w) => !GROUPS.includes(w) && !all.some((s) => s.name === w));
	if (unknown.length > 0) {
		throw new Error(`unknown scenario ${unknown.join(', ')}; one of: ${all.map((s) => s.name).join(', ')}, ${GROUPS.join(', ')}`);
	}
	return picked;
}
