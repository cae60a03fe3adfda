/**
 * Bench-only node (never shipped): records when it ran, how many items reached it and, when asked,
 * the heap after a full GC (n8n must run with --expose-gc), as one JSON line appended to the file
 * named by BENCH_PROBE_FILE. Placed right before and right after the node under test, its
 * timestamps bracket that node's run inside n8n, start-up excluded. With BENCH_HEAP_SNAPSHOT_DIR set,
 * a collecting probe also writes a heap snapshot named after its label.
 *
 * Peak heap (option "Peak Window"): a probe with `start` (after its own full GC) starts V8's GC profiler,
 * and the first probe with `stop` after it (before its own GC) stops it. V8 reports the heap before and
 * after every collection in between, so the highest `usedHeapSize` before any collection, or at the
 * stop, is the exact peak of `heapUsed` over that window, not a sample: between collections the used
 * heap only grows.
 *
 * Peak RSS over the same window, also exact: the `start` probe resets the kernel's high-water mark of the
 * process's resident set (writing 5 to /proc/self/clear_refs, Linux), the `stop` probe reads it
 * (VmHWM in /proc/self/status) before its GC. Unlike the heap, RSS counts what lives outside V8's heap:
 * Buffers, stream chunks, sockets. Where /proc cannot be written the probe records no peak RSS.
 *
 * "Inspect Binary Data" (the download scenario): the probe also records what the items carry: binary
 * properties, their storage mode (the part of `id` before ':', `filesystem-v2` when n8n wrote them to
 * disk), bytes, the size of the stored file on disk, distinct asset IDs, and items whose `files[]` are all
 * `verified: true`; and writes each stored file's asset ID, path and size to `<BENCH_PROBE_FILE>.<label>.binary.json`.
 */
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GCProfiler, writeHeapSnapshot } from 'node:v8';

import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

export interface ProbeRecord {
	label: string;
	pid: number;
	/** Epoch milliseconds. */
	at: number;
	/** process.hrtime in microseconds: the clock of V8's CPU profiles, to cut a profile to a window. */
	hrUs: number;
	items: number;
	/** CPU time of the whole n8n process so far (user + system), microseconds. */
	cpuUs: number;
	heapUsed: number;
	rss: number;
	/** Memory of ArrayBuffers (Buffers included) outside the heap, bytes. */
	arrayBuffers: number;
	collected: boolean;
	/** On the probe that closed a peak window: what V8 reported over it. */
	peak?: PeakRecord;
	/** With "Inspect Binary Data": what the items carry. */
	binary?: BinaryInspection;
}

export interface BinaryInspection {
	/** Binary properties over all items. */
	properties: number;
	/** Binary properties per storage mode (`filesystem-v2`, …; `memory` when there is no id). */
	byMode: Record<string, number>;
	/** Sum of the properties' `bytes`. */
	bytes: number;
	/** Sum of the stored files' sizes on disk (filesystem mode), and how many could be found there. */
	bytesOnDisk: number;
	filesOnDisk: number;
	/** Distinct asset IDs among the items (`asset_id` or `assetId`). */
	distinctAssets: number;
	/** Items whose `files[]` is non-empty and every entry has `verified: true`. */
	verifiedItems: number;
}

export interface PeakRecord {
	/** Highest used heap in the window (before any collection, or at its end), bytes. */
	heapUsed: number;
	/** Highest used heap right after a collection in the window (0 when none ran), bytes. */
	afterGcHeapUsed: number;
	/** Collections in the window, and how many were full (mark-compact). */
	collections: number;
	fullCollections: number;
	/** Highest resident set size of the process in the window (kernel high-water mark), bytes. */
	rss?: number;
}

interface GcStatistics {
	gcType: string;
	beforeGC: { heapStatistics: { usedHeapSize: number } };
	afterGC: { heapStatistics: { usedHeapSize: number } };
}

/** One window at a time per process: the workflow has one node under test. */
let openWindow: GCProfiler | undefined;

function closeWindow(heapUsedNow: number): PeakRecord | undefined {
	const profiler = openWindow;
	if (!profiler) return undefined;
	openWindow = undefined;
	const statistics = (profiler.stop()?.statistics ?? []) as GcStatistics[];
	let heapUsed = heapUsedNow;
	let afterGcHeapUsed = 0;
	let fullCollections = 0;
	for (const gc of statistics) {
		heapUsed = Math.max(heapUsed, gc.beforeGC.heapStatistics.usedHeapSize);
		afterGcHeapUsed = Math.max(afterGcHeapUsed, gc.afterGC.heapStatistics.usedHeapSize);
		if (gc.gcType === 'MarkSweepCompact') fullCollections++;
	}
	const rss = peakRss();
	return { heapUsed, afterGcHeapUsed, collections: statistics.length, fullCollections, ...(rss !== undefined ? { rss } : {}) };
}

/** Whether the kernel's RSS high-water mark was reset when the window opened. */
let rssMarkReset = false;

/** Resets the kernel's high-water mark of this process's RSS to the current RSS (Linux). */
function resetPeakRss(): void {
	try {
		writeFileSync('/proc/self/clear_refs', '5');
		rssMarkReset = true;
	} catch {
		rssMarkReset = false;
	}
}

function peakRss(): number | undefined {
	if (!rssMarkReset) return undefined;
	rssMarkReset = false;
	try {
		const kb = /VmHWM:\s+(\d+)\s*kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
		return kb === undefined ? undefined : Number(kb) * 1024;
	} catch {
		return undefined;
	}
}

function inspectBinary(fn: IExecuteFunctions, items: INodeExecutionData[], listFile: string | undefined): BinaryInspection {
	const inspection: BinaryInspection = { properties: 0, byMode: {}, bytes: 0, bytesOnDisk: 0, filesOnDisk: 0, distinctAssets: 0, verifiedItems: 0 };
	const assets = new Set<unknown>();
	const stored: Array<{ assetId: unknown; path: string; bytes: number }> = [];
	for (const item of items) {
		const assetId = item.json.asset_id ?? item.json.assetId;
		if (assetId !== undefined) assets.add(assetId);
		const files = item.json.files;
		if (Array.isArray(files) && files.length > 0 && files.every((f) => (f as { verified?: unknown })?.verified === true)) inspection.verifiedItems++;
		for (const binary of Object.values(item.binary ?? {})) {
			inspection.properties++;
			const mode = binary.id ? binary.id.slice(0, binary.id.indexOf(':')) : 'memory';
			inspection.byMode[mode] = (inspection.byMode[mode] ?? 0) + 1;
			inspection.bytes += binary.bytes ?? 0;
			if (!binary.id) continue;
			try {
				const path = fn.helpers.getBinaryPath(binary.id);
				const size = statSync(path).size;
				inspection.bytesOnDisk += size;
				inspection.filesOnDisk++;
				stored.push({ assetId, path, bytes: size });
			} catch {
				// Not on this disk (another mode): counted by mode only.
			}
		}
	}
	inspection.distinctAssets = assets.size;
	if (listFile) writeFileSync(listFile, JSON.stringify(stored));
	return inspection;
}

const collect = (globalThis as { gc?: () => void }).gc;

export class BenchProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bench Probe',
		name: 'benchProbe',
		group: ['transform'],
		version: 1,
		description: 'Records time, item count and heap for the benchmark',
		defaults: { name: 'Bench Probe' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{ displayName: 'Label', name: 'label', type: 'string', default: '' },
			{ displayName: 'Collect Garbage First', name: 'gc', type: 'boolean', default: false },
			{ displayName: 'Pass Items Through', name: 'passThrough', type: 'boolean', default: true },
			{
				displayName: 'Peak Window',
				name: 'peak',
				type: 'options',
				options: [
					{ name: 'None', value: 'none' },
					{ name: 'Start (after this probe\'s GC)', value: 'start' },
					{ name: 'Stop (before this probe\'s GC)', value: 'stop' },
				],
				default: 'none',
			},
			{ displayName: 'Inspect Binary Data', name: 'inspectBinary', type: 'boolean', default: false },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const at = Date.now();
		const hrUs = Number(process.hrtime.bigint() / 1000n);
		const cpu = process.cpuUsage();
		const items = this.getInputData();
		const label = this.getNodeParameter('label', 0) as string;
		const wantGc = this.getNodeParameter('gc', 0) as boolean;
		const passThrough = this.getNodeParameter('passThrough', 0) as boolean;
		const peakWindow = this.getNodeParameter('peak', 0, 'none') as string;
		const peak = peakWindow === 'stop' ? closeWindow(process.memoryUsage().heapUsed) : undefined;
		const file = process.env.BENCH_PROBE_FILE;
		const binary = this.getNodeParameter('inspectBinary', 0, false)
			? inspectBinary(this, items, file ? `${file}.${label}.binary.json` : undefined)
			: undefined;
		if (wantGc && collect) {
			// Twice: the first pass can leave objects that only become unreachable after finalizers ran.
			collect();
			collect();
		}
		const memory = process.memoryUsage();
		const snapshotDir = process.env.BENCH_HEAP_SNAPSHOT_DIR;
		if (wantGc && snapshotDir) writeHeapSnapshot(join(snapshotDir, `${label}.heapsnapshot`));
		const record: ProbeRecord = {
			label,
			pid: process.pid,
			at,
			hrUs,
			items: items.length,
			cpuUs: cpu.user + cpu.system,
			heapUsed: memory.heapUsed,
			rss: memory.rss,
			arrayBuffers: memory.arrayBuffers,
			collected: wantGc && collect !== undefined,
			...(peak ? { peak } : {}),
			...(binary ? { binary } : {}),
		};
		if (file) appendFileSync(file, `${JSON.stringify(record)}\n`);
		if (peakWindow === 'start') {
			openWindow?.stop();
			openWindow = new GCProfiler();
			openWindow.start();
			resetPeakRss();
		}
		return [passThrough ? items : []];
	}
}
