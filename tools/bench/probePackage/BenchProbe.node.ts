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
 */
import { appendFileSync } from 'node:fs';
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
	collected: boolean;
	/** On the probe that closed a peak window: what V8 reported over it. */
	peak?: PeakRecord;
}

export interface PeakRecord {
	/** Highest used heap in the window (before any collection, or at its end), bytes. */
	heapUsed: number;
	/** Highest used heap right after a collection in the window (0 when none ran), bytes. */
	afterGcHeapUsed: number;
	/** Collections in the window, and how many were full (mark-compact). */
	collections: number;
	fullCollections: number;
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
	return { heapUsed, afterGcHeapUsed, collections: statistics.length, fullCollections };
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
			collected: wantGc && collect !== undefined,
			...(peak ? { peak } : {}),
		};
		const file = process.env.BENCH_PROBE_FILE;
		if (file) appendFileSync(file, `${JSON.stringify(record)}\n`);
		if (peakWindow === 'start') {
			openWindow?.stop();
			openWindow = new GCProfiler();
			openWindow.start();
		}
		return [passThrough ? items : []];
	}
}
