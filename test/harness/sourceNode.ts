import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { jsonParse, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

export const SOURCE_NODE_TYPE = 'test.itemsSource';

/**
 * Stands in for a trigger at the head of a workflow: no inputs, one main output carrying the items of
 * its `items` parameter. The items travel as node data, the way a real trigger feeds the next node,
 * so that node sees them through n8n's own input handling (`getInputData`, pairedItem lineage).
 */
export class ItemsSource implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Items Source',
		name: 'itemsSource',
		group: ['trigger'],
		version: 1,
		description: 'Emits the items of its Items parameter',
		defaults: { name: 'Items Source' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Items',
				name: 'items',
				type: 'json',
				default: '[]',
				description: 'JSON array; each element becomes the json of one output item',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as unknown;
		const items = typeof raw === 'string' ? jsonParse<unknown>(raw) : raw;
		if (!Array.isArray(items)) {
			throw new NodeOperationError(this.getNode(), 'The Items parameter must be a JSON array');
		}
		return [
			items.map((json, index) => {
				if (typeof json !== 'object' || json === null || Array.isArray(json)) {
					throw new NodeOperationError(this.getNode(), `Item ${index} is not a JSON object`);
				}
				return { json: json as IDataObject };
			}),
		];
	}
}

/**
 * The source node's parameters for these items. They are passed as a JSON string, as the editor
 * stores a JSON field: n8n evaluates any string that starts with "=" inside an object parameter as an
 * expression, which would rewrite item values such as "=abc"; inside one JSON string it does not.
 */
export function itemsSourceParameters(items: IDataObject[]): INodeParameters {
	return { items: JSON.stringify(items) };
}
