/**
 * Bench-only node (never shipped): makes `count` items `{ assetId: prefix + i }`, the input that every
 * node under test gets, so that all sides start from identical items made in the same process. With
 * "URLs From BENCH_ITEM_URLS_FILE" (the download scenario), item i also gets `url`: the i-th entry of
 * the JSON array in that file, which the bench writes for each run (signed URLs change every run, the
 * workflow does not).
 */
import { readFileSync } from 'node:fs';

import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

export class BenchItems implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bench Items',
		name: 'benchItems',
		group: ['transform'],
		version: 1,
		description: 'Makes numbered asset IDs for the benchmark',
		defaults: { name: 'Bench Items' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{ displayName: 'Count', name: 'count', type: 'number', default: 600 },
			{ displayName: 'Prefix', name: 'prefix', type: 'string', default: 'asset-' },
			{ displayName: 'URLs From BENCH_ITEM_URLS_FILE', name: 'urls', type: 'boolean', default: false },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const count = this.getNodeParameter('count', 0) as number;
		const prefix = this.getNodeParameter('prefix', 0) as string;
		const file = this.getNodeParameter('urls', 0, false) ? process.env.BENCH_ITEM_URLS_FILE : undefined;
		const urls = file ? (JSON.parse(readFileSync(file, 'utf8')) as string[]) : undefined;
		return [
			Array.from({ length: count }, (_, i) => ({
				json: { assetId: `${prefix}${i}`, ...(urls ? { url: urls[i] } : {}) },
				pairedItem: { item: 0 },
			})),
		];
	}
}
