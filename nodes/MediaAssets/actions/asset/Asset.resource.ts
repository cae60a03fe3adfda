import type { INodeProperties } from 'n8n-workflow';

import * as del from './delete.operation';

export { del as delete };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['asset'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description: 'Permanently delete a Seedance 2.0 / KyyVideo2 asset',
				action: 'Delete asset',
			},
		],
		default: 'delete',
	},
	...del.description,
];
