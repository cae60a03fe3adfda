import type { INodeProperties } from 'n8n-workflow';

import { assetIdProperty } from '../common.descriptions';

/** MetaStudio's Asset ID field (`asset_id` in listings). */
export function metaStudioAssetIdProperty(description: string): INodeProperties {
	return assetIdProperty(description, '5e5f4ef2c6a64a6b8d7c1e0f9a8b7c6d', 'Map it from the input, e.g. {{ $json.asset_id }}');
}
