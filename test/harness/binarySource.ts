import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { jsonParse, NodeConnectionTypes } from 'n8n-workflow';

export const BINARY_SOURCE_NODE_TYPE = 'test.binarySource';

/**
 * A head node that emits items with files: each element of its Files parameter, `{ fileName, base64,
 * json? }`, becomes an item whose `data` binary field n8n stores with its own prepareBinaryData, as a
 * node that read a file (Read/Write Files from Disk, an HTTP download) would hand it on.
 */
export class BinarySource implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Binary Source',
		name: 'binarySource',
		group: ['trigger'],
		version: 1,
		description: 'Emits items with binary data',
		defaults: { name: 'Binary Source' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Files', name: 'files', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const files = jsonParse<Array<{ fileName: string; base64: string; json?: Record<string, string> }>>(this.getNodeParameter('files', 0) as string);
		const items: INodeExecutionData[] = [];
		for (const file of files) {
			const data = await this.helpers.prepareBinaryData(Buffer.from(file.base64, 'base64'), file.fileName);
			items.push({ json: { fileName: file.fileName, ...file.json }, binary: { data } });
		}
		return [items];
	}
}
