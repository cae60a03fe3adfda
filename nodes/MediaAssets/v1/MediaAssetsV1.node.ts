import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as asset from '../actions/asset/Asset.resource';
import * as mediaFile from '../actions/mediaFile/MediaFile.resource';
import * as metaStudioAsset from '../actions/metaStudioAsset/MetaStudioAsset.resource';
import { router } from '../actions/router';

/** Version 1, as published: its description never changes (test/description pins it byte for byte). */
export class MediaAssetsV1 implements INodeType {
	// Written out here rather than imported: n8n's package scanner and lint rules read the node's
	// description from this class literally. The icons are resolved from MediaAssets.node.ts's folder;
	// the copies beside this file are there for the lint rule that looks for them here.
	description: INodeTypeDescription = {
		displayName: 'Media Assets',
		name: 'mediaAssets',
		icon: { light: 'file:mediaAssets.svg', dark: 'file:mediaAssets.dark.svg' },
		group: ['transform'],
		version: 1,
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
			...asset.description,
			...mediaFile.description,
			...metaStudioAsset.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
