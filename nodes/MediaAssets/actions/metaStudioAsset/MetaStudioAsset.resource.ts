import type { INodeProperties } from 'n8n-workflow';

import * as del from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as restore from './restore.operation';

export { del as delete, get, getAll, restore };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['metaStudioAsset'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description: 'Move an asset to the recycle bin, or delete it permanently',
				action: 'Delete an asset',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get an asset, with its files',
				action: 'Get an asset',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List assets by state, type, name, tag and creation time',
				action: 'Get many assets',
			},
			{
				name: 'Restore',
				value: 'restore',
				description: 'Take an asset out of the recycle bin',
				action: 'Restore an asset',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
	...get.description,
	...del.description,
	...restore.description,
];
