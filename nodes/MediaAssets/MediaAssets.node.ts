import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';

import { MediaAssetsV1 } from './v1/MediaAssetsV1.node';
import { MediaAssetsV2 } from './v2/MediaAssetsV2.node';

/**
 * The node n8n registers: version 1 exactly as published, version 2 (resource locators, Simplify,
 * service-named actions, the full ListAssets filters) for new nodes. Each version writes its own
 * description out in its class, where n8n's lint and scanner read it.
 */
export class MediaAssets extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Media Assets',
			name: 'mediaAssets',
			icon: { light: 'file:mediaAssets.svg', dark: 'file:mediaAssets.dark.svg' },
			group: ['transform'],
			subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
			description:
				'Find, inspect, delete and restore media assets one item at a time: Seedance 2.0 / KyyVideo2 assets and the Huawei Cloud MetaStudio asset library',
			defaultVersion: 2,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new MediaAssetsV1(),
			2: new MediaAssetsV2(),
		};
		super(nodeVersions, baseDescription);
	}
}
