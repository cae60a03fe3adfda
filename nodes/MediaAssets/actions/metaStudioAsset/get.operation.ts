import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runItems } from '../../engine/runItems';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import type { ItemOperation } from '../../helpers/interfaces';
import { ASSET_NOT_FOUND, callMetaStudio } from '../../transport/metaStudio';
import { itemOptions } from '../common.descriptions';
import type { MetaStudioTarget } from '../metaStudio.common';
import { metaStudioRequestOptions, metaStudioRequestsPerSecond, regionRateLimit } from '../metaStudio.common';
import { metaStudioAssetIdProperty, resolveAssetTarget } from './common';

const properties: INodeProperties[] = [
	metaStudioAssetIdProperty(
		"ID of the MetaStudio asset to read (asset_id). The result is the asset as MetaStudio describes it: asset_state, asset_type, files[] (whose file_id the Media File resource deletes), …",
	),
	itemOptions(metaStudioRequestsPerSecond('20/s in cn-north-4, 10/s elsewhere'), metaStudioRequestOptions),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['metaStudioAsset'], operation: ['get'] } },
	properties,
);

export const getMetaStudioAssetOperation: ItemOperation<MetaStudioTarget> = {
	idField: 'assetId',
	noun: 'asset',
	action: 'get',
	changesData: false,
	async resolveTarget(this: IExecuteFunctions, itemIndex, options) {
		return await resolveAssetTarget(this, itemIndex, options, { method: 'GET' });
	},
	async defaultRequestsPerSecond(this: IExecuteFunctions) {
		return await regionRateLimit(this, 'query');
	},
	async callOnce(this: IExecuteFunctions, target, settings) {
		return await callMetaStudio(this, target, settings, ASSET_NOT_FOUND);
	},
	successJson(_target, attempt) {
		return (attempt.fields.body ?? {}) as IDataObject;
	},
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems.call(this, getMetaStudioAssetOperation);
}
