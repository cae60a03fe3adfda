import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { TargetCalls } from '../../engine/types';
import { ASSET_NOT_FOUND, callMetaStudio, metaStudioRequests } from '../../transport/metaStudio';
import { assetIdProperty } from '../common.descriptions';
import type { MetaStudioTarget } from '../metaStudio.common';

/** MetaStudio's Asset ID field (`asset_id` in listings). */
export function metaStudioAssetIdProperty(description: string): INodeProperties {
	return assetIdProperty(description, '5e5f4ef2c6a64a6b8d7c1e0f9a8b7c6d', 'Map it from the input, e.g. {{ $json.asset_id }}');
}

/**
 * ShowAsset for the asset of a target: the asset as it is now; undefined when it does not exist or
 * could not be read. Paced as a query API.
 */
export async function currentAsset(ctx: IExecuteFunctions, target: MetaStudioTarget, calls: TargetCalls): Promise<IDataObject | undefined> {
	const request = metaStudioRequests.showAsset(target.project, target.id);
	const { result } = await calls.retried(async () => await callMetaStudio(ctx, request, calls.settings, ASSET_NOT_FOUND), 'lookup');
	return result.outcome === 'done' ? (result.fields.body as IDataObject) : undefined;
}
