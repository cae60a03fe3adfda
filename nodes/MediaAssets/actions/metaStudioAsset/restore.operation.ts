import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runItems } from '../../engine/runItems';
import type { ItemOperation } from '../../engine/types';
import { METASTUDIO_RECYCLE_BIN_STATE } from '../../helpers/constants';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { metaStudioRequests } from '../../transport/metaStudio';
import { dryRunOption, itemOptions } from '../common.descriptions';
import type { MetaStudioTarget } from '../metaStudio.common';
import { changeLanes, metaStudioRequestOptions, metaStudioRequestsPerSecond, resolveMetaStudioTarget } from '../metaStudio.common';
import { dryRunItem } from '../outcomes';
import type { AssetAction } from './batch';
import { batchSizeOption, perAssetOutcome, withBatches } from './batch';
import { metaStudioAssetIdProperty } from './common';

const properties: INodeProperties[] = [
	metaStudioAssetIdProperty(
		'ID of the MetaStudio asset to take out of the recycle bin (asset_id, of an asset in state DELETING). The result has restored: true; failures carry error.message and error.retryable.',
		'searchRecycleBinAssets',
	),
	itemOptions(metaStudioRequestsPerSecond('change'), [batchSizeOption, dryRunOption, ...metaStudioRequestOptions]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['metaStudioAsset'], operation: ['restore'] } },
	properties,
);

function restoredItem(assetId: string, requestId: unknown, httpStatus: number, attempts: number): IDataObject {
	return { assetId, restored: true, requestId: requestId ?? null, httpStatus, attempts, restoredAt: new Date().toISOString() };
}

/** Out of the recycle bin: any state but DELETING (in the bin) and DELETED (gone for good). */
function isRestored(asset: IDataObject | null | undefined): boolean {
	return !!asset && asset.asset_state !== METASTUDIO_RECYCLE_BIN_STATE && asset.asset_state !== 'DELETED';
}

const restoreAction: AssetAction<MetaStudioTarget> = {
	batchAction: () => 'RESTORE',
	landed: isRestored,
	successJson: (target, { requestId, httpStatus }) => restoredItem(target.id, requestId, httpStatus, 0),
	perAssetApi: true,
};

const restoreOneByOne: ItemOperation<MetaStudioTarget> = {
	idField: 'assetId',
	noun: 'asset',
	action: 'restore',
	changesData: true,
	async resolveTarget(this: IExecuteFunctions, itemIndex, options) {
		const id = { parameter: 'assetId', label: 'asset ID' };
		return await resolveMetaStudioTarget(this, itemIndex, options, id, metaStudioRequests.restoreAsset);
	},
	defaultRequestsPerSecond: changeLanes('change'),
	dryRunJson: dryRunItem('assetId', 'restored'),
	async callTarget(this: IExecuteFunctions, target, calls) {
		return await perAssetOutcome(this, restoreAction, target, calls);
	},
};

export const restoreMetaStudioAssetOperation = withBatches(restoreOneByOne, restoreAction);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems.call(this, restoreMetaStudioAssetOperation);
}
