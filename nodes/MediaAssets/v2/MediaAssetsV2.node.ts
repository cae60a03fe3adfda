import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { listSearch } from '../methods';
import { executeV2 } from './execute';
import { operationProperties } from './versionDescription';

/**
 * Version 2 (the default for new nodes): MetaStudio asset IDs as resource locators (From list, By ID),
 * Simplify on reads, actions that name their service, and every ListAssets filter on Get Many.
 */
export class MediaAssetsV2 implements INodeType {
	// Written out here rather than imported: n8n's package scanner and lint rules read the node's
	// description from this class literally. The icons are resolved from MediaAssets.node.ts's folder;
	// the copies beside this file are there for the lint rule that looks for them here.
	description: INodeTypeDescription = {
		displayName: 'Media Assets',
		name: 'mediaAssets',
		icon: { light: 'file:mediaAssets.svg', dark: 'file:mediaAssets.dark.svg' },
		group: ['transform'],
		version: 2,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Find, inspect, delete and restore media assets one item at a time: Seedance 2.0 / KyyVideo2 assets and the Huawei Cloud MetaStudio asset library',
		defaults: { name: 'Media Assets' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'kyyVideo2Api',
				required: true,
				displayOptions: { show: { resource: ['asset'] } },
			},
			{
				name: 'huaweiCloudAkSkApi',
				required: true,
				displayOptions: { show: { resource: ['mediaFile', 'metaStudioAsset'], authentication: ['akSk'] } },
			},
			{
				name: 'huaweiCloudIamApi',
				required: true,
				displayOptions: { show: { resource: ['mediaFile', 'metaStudioAsset'], authentication: ['iamToken'] } },
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Asset (Huawei Cloud MetaStudio)', value: 'metaStudioAsset' },
					{ name: 'Asset (Seedance 2.0 / KyyVideo2)', value: 'asset' },
					{ name: 'Media File (Huawei Cloud MetaStudio)', value: 'mediaFile' },
				],
				default: 'asset',
			},
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				displayOptions: { show: { resource: ['mediaFile', 'metaStudioAsset'] } },
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
			...operationProperties,
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeV2.call(this);
	}
}
