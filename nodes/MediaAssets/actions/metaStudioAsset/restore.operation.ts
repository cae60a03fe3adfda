import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runItems } from '../../engine/runItems';
import { METASTUDIO_RECYCLE_BIN_STATE } from '../../helpers/constants';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import type { ItemOperation } from '../../helpers/interfaces';
import { ASSET_NOT_FOUND, callMetaStudio } from '../../transport/metaStudio';
import { dryRunOption, itemOptions } from '../common.descriptions';
import type { MetaStudioTarget } from '../metaStudio.common';
import { metaStudioRequestOptions, metaStudioRequestsPerSecond, regionRateLimit } from '../metaStudio.common';
import { metaStudioAssetIdProperty, resolveAssetTarget, showAsset } from './common';

const properties: INodeProperties[] = [
	metaStudioAssetIdProperty(
		'ID of the MetaStudio asset to take out of the recycle bin (asset_id, of an asset in state DELETING). The result has restored: true; failures carry error.message and error.retryable.',
	),
	itemOptions(metaStudioRequestsPerSecond('10/s in cn-north-4, 5/s elsewhere'), [dryRunOption, ...metaStudioRequestOptions]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['metaStudioAsset'], operation: ['restore'] } },
	properties,
);

function restoredItem(assetId: string, requestId: unknown, httpStatus: number, attempts: number): IDataObject {
	return { assetId, restored: true, requestId: requestId ?? null, httpStatus, attempts, restoredAt: new Date().toISOString() };
}

export const restoreMetaStudioAssetOperation: ItemOperation<MetaStudioTarget> = {
	idField: 'assetId',
	noun: 'asset',
	action: 'restore',
	changesData: true,
	async resolveTarget(this: IExecuteFunctions, itemIndex, options) {
		return await resolveAssetTarget(this, itemIndex, options, { method: 'POST', suffix: 'restore' });
	},
	async defaultRequestsPerSecond(this: IExecuteFunctions) {
		return await regionRateLimit(this, 'change');
	},
	async callOnce(this: IExecuteFunctions, target, settings) {
		return await callMetaStudio(this, target, settings, ASSET_NOT_FOUND);
	},
	successJson(target, attempt, attempts) {
		return restoredItem(target.id, attempt.fields.requestId, attempt.httpStatus, attempts);
	},
	// A restore whose answer was lost, then refused: if the asset has left the recycle bin, it landed.
	async confirmLanded(this: IExecuteFunctions, target, settings) {
		const asset = await showAsset(this, target, settings);
		if (!asset || asset.asset_state === METASTUDIO_RECYCLE_BIN_STATE || asset.asset_state === 'DELETED') return undefined;
		return restoredItem(target.id, null, 200, 0);
	},
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems.call(this, restoreMetaStudioAssetOperation);
}
