/**
 * Bench-only node (never shipped): records when it ran, how many items reached it and, when asked,
 * the heap after a full GC (n8n must run with --expose-gc), as one JSON line appended to the file
 * named by BENCH_PROBE_FILE. Placed right before and right after the node under test, its
 * timestamps bracket that node's run inside n8n, start-up excluded. With BENCH_HEAP_SNAPSHOT_DIR set,
 * a collecting probe also writes a heap snapshot named after its label.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';

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
		};
		const file = process.env.BENCH_PROBE_FILE;
		if (file) appendFileSync(file, `${JSON.stringify(record)}\n`);
		return [passThrough ? items : []];
	}
}
