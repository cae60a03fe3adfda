/**
 * The workflows the benchmark imports into n8n. Every one has the same frame, so that only the node
 * under test differs:
 *
 *   Manual Trigger → Probe "start" → Bench Items (N items { assetId }) → Probe "before" → node under test
 *     → output 0 → Probe "ok";  Error output → Probe "failed"
 *
 * (The upload scenario has n8n's Read/Write Files from Disk in Bench Items' place: one item per file the
 * bench wrote, its bytes in the binary field `data`.)
 *
 * The probes' timestamps bracket the node under test; with `gc`, they also record the heap after a
 * full collection, so "ok − before" is what n8n retains for that node's output and "before − start"
 * what it retains for the input items.
 *
 * With `warmup`, a copy of the node under test first handles that many other items (IDs the server
 * answers without limit and leaves out of its stats), so that the measured node runs on code that V8
 * has already optimised, as in an n8n that has been running for a while. Each `n8n execute` is a new
 * process, and the CPU per item of both nodes keeps falling for the first few thousand items
 * (0 ms latency, 600 measured items: Media Assets 2.5 ms cold → 1.1–1.3 ms after 3000 warm-up items,
 * the HTTP Request node 9.5 ms → 4.6–6.5 ms).
 */
import { createHash } from 'node:crypto';

import { MediaAssets } from '../../nodes/MediaAssets/MediaAssets.node';

export const API_KEY = 'bench-key-0123456789';
export const KYY_CREDENTIAL = { id: 'benchKyyCred0001', name: 'KyyVideo2 (bench)' };
export const HEADER_CREDENTIAL = { id: 'benchHdrCred0001', name: 'Bearer header (bench)' };
export const METASTUDIO_CREDENTIAL = { id: 'benchMssCred0001', name: 'MetaStudio AK/SK (bench emulator)' };

const PROBE_TYPE = 'n8n-nodes-bench-probe.benchProbe';
const ITEMS_TYPE = 'n8n-nodes-bench-probe.benchItems';
const MEDIA_ASSETS_TYPE = 'n8n-nodes-media-assets.mediaAssets';
/** The HTTP Request node's current version in n8n-nodes-base 2.41.1 (what a node added today gets). */
const HTTP_REQUEST_VERSION = 4.5;

/** This package's node at its newest version (what a node added today gets), read from its description. */
export const MEDIA_ASSETS_VERSION: number = (() => {
	const { version, defaultVersion } = new MediaAssets().description as { version?: number | number[]; defaultVersion?: number };
	return defaultVersion ?? (Array.isArray(version) ? Math.max(...version) : (version ?? 1));
})();

export type Subject =
	| { kind: 'mediaAssets'; options: Record<string, unknown> }
	/** The MetaStudio asset library (AK/SK credential on the MetaStudio emulator), recycle-bin delete or restore. */
	| { kind: 'metaStudio'; operation: 'delete' | 'restore'; options: Record<string, unknown> }
	/** n8n's HTTP Request node with `Authorization: Bearer …` in a Header Auth credential. */
	| { kind: 'httpHeader'; batchSize?: number; batchInterval?: number }
	/** n8n's HTTP Request node with this package's `kyyVideo2Api` as a predefined credential type. */
	| { kind: 'httpPredefined'; batchSize?: number; batchInterval?: number }
	/**
	 * n8n's HTTP Request node without a credential, `Authorization: Bearer …` typed into Send Headers as a
	 * fixed value (the key then sits in the workflow in plain text: not what a careful user does).
	 */
	| { kind: 'httpHeaderParameter'; batchSize?: number; batchInterval?: number }
	/** The MetaStudio asset library → Download (ShowAsset, then the MAIN file from the file host), no options. */
	| { kind: 'metaStudioDownload' }
	/**
	 * n8n's HTTP Request node fetching each item's `url` (signed file host URLs: no credential), Response
	 * Format File into `data`.
	 */
	| { kind: 'httpDownload' }
	/** The MetaStudio asset library → Create from the input item's binary field `data`, no options. */
	| { kind: 'metaStudioCreate' }
	/** Floors: what n8n keeps when a node passes items on (NoOp) or writes new ones (Set). */
	| { kind: 'noOp' }
	/** Set writing `fields` fixed fields to each item, keeping the others: 4 (a success item's) or 2. */
	| { kind: 'set'; fields?: 2 | 4 };

export interface WorkflowSpec {
	key: string;
	items: number;
	prefix: string;
	subject: Subject;
	gc?: boolean;
	/** Bracket the node under test with a peak-heap window (see BenchProbe). */
	peak?: boolean;
	warmup?: number;
	/** Items carry `url` from BENCH_ITEM_URLS_FILE (see BenchItems). */
	urls?: boolean;
	/** The probes after the node record the items' binary data (see BenchProbe). */
	inspectBinary?: boolean;
	/**
	 * The items come from n8n's Read/Write Files from Disk reading this File(s) Selector (a glob of files
	 * the bench wrote) instead of Bench Items: one item per file, its bytes in the binary field `data`.
	 */
	readFiles?: string;
	/** The probe before the node records the input items' binary data (see BenchProbe). */
	inspectInput?: boolean;
}

/** Measured IDs start with `bench…-`, so these never collide with them. */
export const WARMUP_PREFIX = 'warm-';

/** `metaStudio`: the emulator's `akSkCredential()`, when a MetaStudio scenario runs. */
export function credentialsFor(baseUrl: string, metaStudio?: Record<string, string>) {
	return [
		{ ...KYY_CREDENTIAL, type: 'kyyVideo2Api', data: { apiKey: API_KEY, baseUrl } },
		{ ...HEADER_CREDENTIAL, type: 'httpHeaderAuth', data: { name: 'Authorization', value: `Bearer ${API_KEY}` } },
		...(metaStudio ? [{ ...METASTUDIO_CREDENTIAL, type: 'huaweiCloudAkSkApi', data: metaStudio }] : []),
	];
}

export function workflowId(key: string): string {
	return `bench${createHash('sha256').update(key).digest('hex').slice(0, 11)}`;
}

interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	onError?: string;
}

function httpRequestNode(subject: { batchSize?: number; batchInterval?: number }, baseUrl: string) {
	const options: Record<string, unknown> = {};
	if (subject.batchSize !== undefined) {
		options.batching = { batch: { batchSize: subject.batchSize, batchInterval: subject.batchInterval ?? 0 } };
	}
	return {
		method: 'DELETE',
		url: `=${baseUrl}/kyyVideo2/asset/{{ $json.assetId }}`,
		options,
	};
}

function subjectNode(subject: Subject, baseUrl: string): Omit<WorkflowNode, 'id' | 'name' | 'position'> {
	switch (subject.kind) {
		case 'mediaAssets':
			return {
				type: MEDIA_ASSETS_TYPE,
				typeVersion: MEDIA_ASSETS_VERSION,
				parameters: { resource: 'asset', operation: 'delete', assetId: '={{ $json.assetId }}', options: subject.options },
				credentials: { kyyVideo2Api: KYY_CREDENTIAL },
				onError: 'continueErrorOutput',
			};
		case 'httpHeader':
			return {
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: HTTP_REQUEST_VERSION,
				parameters: { ...httpRequestNode(subject, baseUrl), authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth' },
				credentials: { httpHeaderAuth: HEADER_CREDENTIAL },
				onError: 'continueErrorOutput',
			};
		case 'httpPredefined':
			return {
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: HTTP_REQUEST_VERSION,
				parameters: { ...httpRequestNode(subject, baseUrl), authentication: 'predefinedCredentialType', nodeCredentialType: 'kyyVideo2Api' },
				credentials: { kyyVideo2Api: KYY_CREDENTIAL },
				onError: 'continueErrorOutput',
			};
		case 'httpHeaderParameter':
			return {
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: HTTP_REQUEST_VERSION,
				parameters: {
					...httpRequestNode(subject, baseUrl),
					authentication: 'none',
					sendHeaders: true,
					specifyHeaders: 'keypair',
					headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${API_KEY}` }] },
				},
				onError: 'continueErrorOutput',
			};
		case 'metaStudio':
			return {
				type: MEDIA_ASSETS_TYPE,
				typeVersion: MEDIA_ASSETS_VERSION,
				parameters: {
					resource: 'metaStudioAsset',
					authentication: 'akSk',
					operation: subject.operation,
					assetId: '={{ $json.assetId }}',
					...(subject.operation === 'delete' ? { deleteMode: 'recycleBin' } : {}),
					options: subject.options,
				},
				credentials: { huaweiCloudAkSkApi: METASTUDIO_CREDENTIAL },
				onError: 'continueErrorOutput',
			};
		case 'metaStudioDownload':
			return {
				type: MEDIA_ASSETS_TYPE,
				typeVersion: MEDIA_ASSETS_VERSION,
				parameters: { resource: 'metaStudioAsset', authentication: 'akSk', operation: 'download', assetId: '={{ $json.assetId }}', files: 'main', options: {} },
				credentials: { huaweiCloudAkSkApi: METASTUDIO_CREDENTIAL },
				onError: 'continueErrorOutput',
			};
		case 'httpDownload':
			// As a careful user sets it for a signed download URL: GET, no authentication (the signature is
			// in the URL; a credential must not go to a file host), Response Format File into `data`.
			return {
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: HTTP_REQUEST_VERSION,
				parameters: {
					method: 'GET',
					url: '={{ $json.url }}',
					authentication: 'none',
					options: { response: { response: { responseFormat: 'file', outputPropertyName: 'data' } } },
				},
				onError: 'continueErrorOutput',
			};
		case 'metaStudioCreate':
			return {
				type: MEDIA_ASSETS_TYPE,
				typeVersion: MEDIA_ASSETS_VERSION,
				parameters: { resource: 'metaStudioAsset', authentication: 'akSk', operation: 'create', binaryPropertyName: 'data', assetType: 'auto', assetName: '', additionalFields: {}, options: {} },
				credentials: { huaweiCloudAkSkApi: METASTUDIO_CREDENTIAL },
				onError: 'continueErrorOutput',
			};
		case 'noOp':
			return { type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} };
		case 'set':
			if (subject.fields === 2) {
				// Two fixed fields per item (the floor for the peak): as small as a node's output gets.
				return {
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					parameters: {
						mode: 'manual',
						includeOtherFields: true,
						assignments: {
							assignments: [
								{ id: 'a1', name: 'deleted', value: true, type: 'boolean' },
								{ id: 'a2', name: 'httpStatus', value: 200, type: 'number' },
							],
						},
						options: {},
					},
				};
			}
			// The fields of a Media Assets success item added by n8n's own node to each input item. Fixed
			// values: a per-item expression would add the expression engine's own retention, which comes and
			// goes in steps (0.5–1.5 kB per item at 10,000 items, less at 50,000) and hides the floor.
			return {
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				parameters: {
					mode: 'manual',
					includeOtherFields: true,
					assignments: {
						assignments: [
							{ id: 'a1', name: 'deleted', value: true, type: 'boolean' },
							{ id: 'a2', name: 'code', value: '0', type: 'string' },
							{ id: 'a3', name: 'message', value: '删除成功', type: 'string' },
							{ id: 'a4', name: 'attempts', value: 1, type: 'number' },
						],
					},
					options: {},
				},
			};
	}
}

export function buildWorkflow(spec: WorkflowSpec, baseUrl: string) {
	const probe = (name: string, label: string, x: number, y: number, passThrough: boolean, peak = 'none'): WorkflowNode => ({
		id: `probe-${label}`,
		name,
		type: PROBE_TYPE,
		typeVersion: 1,
		position: [x, y],
		parameters: {
			label,
			gc: spec.gc === true,
			passThrough,
			...(spec.peak ? { peak } : {}),
			...((spec.inspectBinary && peak === 'stop') || (spec.inspectInput && peak === 'start') ? { inspectBinary: true } : {}),
		},
	});
	const subject: WorkflowNode = { id: 'subject', name: 'Subject', position: [660, 0], ...subjectNode(spec.subject, baseUrl) };
	const hasErrorOutput = subject.onError === 'continueErrorOutput';
	const warm = (spec.warmup ?? 0) > 0;
	const warmupNodes: WorkflowNode[] = warm
		? [
				{ id: 'warm-items', name: 'Warm-up Items', type: ITEMS_TYPE, typeVersion: 1, position: [0, -200], parameters: { count: spec.warmup, prefix: WARMUP_PREFIX } },
				// Every item on output 0 whatever happens, so that the measured part always runs next.
				{ ...subject, id: 'warm-subject', name: 'Warm-up', position: [220, -200], ...(subject.onError ? { onError: 'continueRegularOutput' } : {}) },
			]
		: [];
	const nodes: WorkflowNode[] = [
		{ id: 'trigger', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [-220, 0], parameters: {} },
		...warmupNodes,
		probe('Baseline', 'start', 0, 0, true),
		spec.readFiles
			? // n8n's own node, as a user reads files: into the binary data store (a copy, in filesystem mode).
				{ id: 'items', name: 'Items', type: 'n8n-nodes-base.readWriteFile', typeVersion: 1.1, position: [220, 0], parameters: { operation: 'read', fileSelector: spec.readFiles, options: {} } }
			: { id: 'items', name: 'Items', type: ITEMS_TYPE, typeVersion: 1, position: [220, 0], parameters: { count: spec.items, prefix: spec.prefix, ...(spec.urls ? { urls: true } : {}) } },
		probe('Before', 'before', 440, 0, true, 'start'),
		subject,
		probe('Ok', 'ok', 880, -100, false, 'stop'),
		...(hasErrorOutput ? [probe('Failed', 'failed', 880, 100, false, 'stop')] : []),
	];
	const link = (node: string) => ({ node, type: 'main', index: 0 });
	return {
		id: workflowId(spec.key),
		name: `bench ${spec.key}`,
		active: false,
		nodes,
		connections: {
			...(warm
				? {
						Start: { main: [[link('Warm-up Items')]] },
						'Warm-up Items': { main: [[link('Warm-up')]] },
						'Warm-up': { main: [[link('Baseline')]] },
					}
				: { Start: { main: [[link('Baseline')]] } }),
			Baseline: { main: [[link('Items')]] },
			Items: { main: [[link('Before')]] },
			Before: { main: [[link('Subject')]] },
			Subject: { main: hasErrorOutput ? [[link('Ok')], [link('Failed')]] : [[link('Ok')]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}
