import type { INodeProperties } from 'n8n-workflow';

import * as del from './delete.operation';

export { del as delete };

export const description: INodeProperties[] = [
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		displayOptions: { show: { resource: ['mediaFile'] } },
		options: [
			{
				name: 'AK/SK (Access Key)',
				value: 'akSk',
				description: 'Sign every request with an access key ID and secret access key',
			},
			{
				name: 'IAM Token',
				value: 'iamToken',
				description: 'Log in as an IAM user; n8n fetches and renews the token',
			},
		],
		default: 'akSk',
	},
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
