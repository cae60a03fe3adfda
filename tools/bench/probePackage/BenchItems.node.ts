/**
 * Bench-only node (never shipped): makes `count` items `{ assetId: prefix + i }`, the input that every
 * node under test gets, so that all sides start from identical items made in the same process.
 */
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
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const count = this.getNodeParameter('count', 0) as number;
		const prefix = this.getNodeParameter('prefix', 0) as string;
		return [Array.from({ length: count }, (_, i) => ({ json: { assetId: `${prefix}${i}` }, pairedItem: { item: 0 } }))];
	}
}
