import type { INodeProperties } from 'n8n-workflow';

import { RESOURCE_NOUNS } from '../node.descriptions';

import * as activate from './activate.operation';
import * as create from './create.operation';
import * as deactivate from './deactivate.operation';
import * as del from './delete.operation';
import * as download from './download.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as restore from './restore.operation';
import * as update from './update.operation';

export { activate, create, deactivate, del as delete, download, get, getAll, restore, update };

const { one, many } = RESOURCE_NOUNS.metaStudioAsset;

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['metaStudioAsset'] } },
		options: [
			{
				name: 'Activate',
				value: 'activate',
				description: 'Make assets usable (state ACTIVED), many per request',
				action: `Activate a ${one}`,
			},
			{
				name: 'Create',
				value: 'create',
				description: "Create an asset from an input item's file: the file is uploaded as its MAIN file and verified by MD5",
				action: `Create a ${one}`,
			},
			{
				name: 'Deactivate',
				value: 'deactivate',
				description: 'Take assets out of use (state UNACTIVED), many per request',
				action: `Deactivate a ${one}`,
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Move an asset to the recycle bin, or delete it permanently',
				action: `Delete a ${one}`,
			},
			{
				name: 'Download',
				value: 'download',
				description: 'Download the main file or all files of an asset as binary data, each verified by size and MD5 (back it up before deleting)',
				action: `Download a ${one}`,
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get an asset, with its files',
				action: `Get a ${one}`,
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List assets by state, type, name, tag and creation time',
				action: `Get many ${many}`,
			},
			{
				name: 'Restore',
				value: 'restore',
				description: 'Take an asset out of the recycle bin',
				action: `Restore a ${one}`,
			},
			{
				name: 'Update',
				value: 'update',
				description: "Change an asset's name, description or tags (replace, add or remove tags)",
				action: `Update a ${one}`,
			},
		],
		default: 'getAll',
	},
	...getAll.description,
	...create.description,
	...get.description,
	...del.description,
	...download.description,
	...restore.description,
	...update.description,
	...activate.description,
	...deactivate.description,
];
