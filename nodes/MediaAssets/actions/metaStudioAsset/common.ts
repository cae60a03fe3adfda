import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { CallSettings } from '../../helpers/interfaces';
import { ASSET_NOT_FOUND, callMetaStudio } from '../../transport/metaStudio';
import type { MetaStudioCall, MetaStudioTarget } from '../metaStudio.common';
import { assetIdProperty } from '../common.descriptions';
import { resolveMetaStudioTarget } from '../metaStudio.common';

/** MetaStudio's Asset ID field (`asset_id` in listings). */
export function metaStudioAssetIdProperty(description: string): INodeProperties {
	return assetIdProperty(description, '5e5f4ef2c6a64a6b8d7c1e0f9a8b7c6d', 'Map it from the input, e.g. {{ $json.asset_id }}');
}

/** `…/digital-assets/{asset_id}[/suffix][?query]` for the item's Asset ID. */
export async function resolveAssetTarget(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
	call: Omit<MetaStudioCall, 'path'> & { suffix?: string },
): Promise<MetaStudioTarget> {
	return await resolveMetaStudioTarget(ctx, itemIndex, options, { parameter: 'assetId', label: 'asset ID' }, (assetId) => ({
		method: call.method,
		path: ['digital-assets', { value: assetId, label: 'asset ID' }, ...(call.suffix ? [call.suffix] : [])],
		query: call.query,
	}));
}

/** ShowAsset for a target of another call on the same asset: the asset as it is now, if it exists. */
export async function showAsset(
	ctx: IExecuteFunctions,
	target: MetaStudioTarget,
	settings: CallSettings,
): Promise<IDataObject | undefined> {
	const assetUrl = target.url.replace(/\/restore(\?.*)?$|\?.*$/, '');
	const answer = await callMetaStudio(ctx, { ...target, method: 'GET', url: assetUrl }, settings, ASSET_NOT_FOUND);
	return answer.outcome === 'done' ? (answer.fields.body as IDataObject) : undefined;
}
