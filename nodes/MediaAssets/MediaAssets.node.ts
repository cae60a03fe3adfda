import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as asset from './actions/asset/Asset.resource';
import * as mediaFile from './actions/mediaFile/MediaFile.resource';
import * as metaStudioAsset from './actions/metaStudioAsset/MetaStudioAsset.resource';
import { mediaAssetsAuthenticationProperty, mediaAssetsCredentials, resourceProperty } from './actions/node.descriptions';
import { router } from './actions/router';
import { listSearch } from './methods';

/**
 * The Media Assets node. Its description is written out here, where n8n's lint rules and package
 * scanner read it; each operation's fields are in its own file. Once released, version 1 never
 * changes: a change to parameters or defaults goes into a new version (docs/development.md).
 */
export class MediaAssets implements INodeType {
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
		credentials: mediaAssetsCredentials,
		properties: [
			resourceProperty,
			mediaAssetsAuthenticationProperty,
			...asset.description,
			...mediaFile.description,
			...metaStudioAsset.description,
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
