import type { INodeProperties } from 'n8n-workflow';

import * as del from './delete.operation';

export { del as delete };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['mediaFile'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description: 'Permanently delete a file from the MetaStudio media asset library',
				action: 'Delete media file',
			},
		],
		default: 'delete',
	},
	...del.description,
];
