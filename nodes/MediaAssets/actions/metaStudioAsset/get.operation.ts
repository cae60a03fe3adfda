import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runItems } from '../../engine/runItems';
import type { ItemOperation } from '../../engine/types';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { metaStudioRequests } from '../../transport/metaStudio';
import { simplifyMetaStudioAsset } from '../../helpers/simplify';
import { itemOptions, simplifyProperty } from '../common.descriptions';
import type { MetaStudioTarget } from '../metaStudio.common';
import { metaStudioRequestOptions, metaStudioRequestsPerSecond, regionRateLimit, resolveMetaStudioTarget, sendAssetRequest } from '../metaStudio.common';
import { metaStudioAssetIdProperty } from './common';

const properties: INodeProperties[] = [
	metaStudioAssetIdProperty(
		"ID of the MetaStudio asset to read (asset_id). The result is the asset as MetaStudio describes it: asset_state, asset_type, files[] (whose file_id the Media File resource deletes), …",
	),
	simplifyProperty,
	itemOptions(metaStudioRequestsPerSecond('query'), metaStudioRequestOptions),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['metaStudioAsset'], operation: ['get'] } },
	properties,
);

type GetTarget = MetaStudioTarget & { simple: boolean };

export const getMetaStudioAssetOperation: ItemOperation<GetTarget> = {
	idField: 'assetId',
	noun: 'asset',
	action: 'get',
	async resolveTarget(this: IExecuteFunctions, itemIndex, options) {
		const id = { parameter: 'assetId', label: 'asset ID' };
		const simple = this.getNodeParameter('simple', itemIndex, true) === true;
		return { ...(await resolveMetaStudioTarget(this, itemIndex, options, id, metaStudioRequests.showAsset)), simple };
	},
	async defaultRequestsPerSecond(this: IExecuteFunctions) {
		return await regionRateLimit(this, 'query');
	},
	send: sendAssetRequest,
	successJson: (target, answer) => (target.simple ? simplifyMetaStudioAsset(answer!.value) : answer!.value),
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems.call(this, getMetaStudioAssetOperation);
}
