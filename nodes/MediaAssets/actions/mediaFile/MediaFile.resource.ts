import type { INodeProperties } from 'n8n-workflow';

import { RESOURCE_NOUNS } from '../node.descriptions';

import * as del from './delete.operation';

export { del as delete };

const { one } = RESOURCE_NOUNS.mediaFile;

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
				action: `Delete a ${one}`,
			},
		],
		default: 'delete',
	},
	...del.description,
];
