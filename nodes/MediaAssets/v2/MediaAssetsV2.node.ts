import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { mediaAssetsAuthenticationProperty, mediaAssetsCredentials, resourceProperty } from '../actions/node.descriptions';
import { listSearch } from '../methods';
import { executeV2 } from './execute';
import { operationProperties } from './versionDescription';

/**
 * Version 2 (the default for new nodes): MetaStudio asset IDs as resource locators (From list, By ID),
 * Simplify on reads, actions that name their service, and every ListAssets filter on Get Many.
 */
export class MediaAssetsV2 implements INodeType {
	// The class's own fields are written out: n8n's lint rules and package scanner read them from the
	// class literally (the icons beside this file are there for the rule that looks for them here; n8n
	// resolves them from MediaAssets.node.ts's folder). Credentials and shared selectors are one object each.
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
		credentials: mediaAssetsCredentials,
		properties: [resourceProperty, mediaAssetsAuthenticationProperty, ...operationProperties],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeV2.call(this);
	}
}
