import type { INodeProperties } from 'n8n-workflow';

import * as del from './delete.operation';
import * as get from './get.operation';

export { del as delete, get };

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
			{
				name: 'Get',
				value: 'get',
				description: 'Get a Seedance 2.0 / KyyVideo2 asset: name, status, type, URL, creation time',
				action: 'Get an asset',
			},
		],
		default: 'delete',
	},
	...del.description,
	...get.description,
];
