import type { INodeProperties } from 'n8n-workflow';

import { RESOURCE_NOUNS } from '../node.descriptions';

import * as create from './create.operation';
import * as del from './delete.operation';
import * as download from './download.operation';
import * as get from './get.operation';

export { create, del as delete, download, get };

const { one } = RESOURCE_NOUNS.asset;

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['asset'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a Seedance 2.0 / KyyVideo2 asset from a file URL, and optionally wait until it is Active',
				action: `Create a ${one}`,
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Permanently delete a Seedance 2.0 / KyyVideo2 asset',
				action: `Delete a ${one}`,
			},
			{
				name: 'Download',
				value: 'download',
				description: 'Download an Active Seedance 2.0 / KyyVideo2 asset as binary data, its size checked (back it up before deleting)',
				action: `Download a ${one}`,
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a Seedance 2.0 / KyyVideo2 asset: name, status, type, URL, creation time',
				action: `Get a ${one}`,
			},
		],
		default: 'delete',
	},
	...create.description,
	...del.description,
	...download.description,
	...get.description,
];
