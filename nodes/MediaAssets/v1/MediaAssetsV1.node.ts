import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { mediaAssetsAuthenticationProperty, mediaAssetsCredentials, resourceProperty } from '../actions/node.descriptions';
import * as asset from '../actions/asset/Asset.resource';
import * as mediaFile from '../actions/mediaFile/MediaFile.resource';
import * as metaStudioAsset from '../actions/metaStudioAsset/MetaStudioAsset.resource';
import { router } from '../actions/router';

/** Version 1, as published: its description never changes (test/description pins it byte for byte). */
export class MediaAssetsV1 implements INodeType {
	// The class's own fields are written out: n8n's lint rules and package scanner read them from the
	// class literally (the icons beside this file are there for the rule that looks for them here; n8n
	// resolves them from MediaAssets.node.ts's folder). Credentials and shared selectors are one object each.
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
		properties: [resourceProperty, mediaAssetsAuthenticationProperty, ...asset.description, ...mediaFile.description, ...metaStudioAsset.description],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
