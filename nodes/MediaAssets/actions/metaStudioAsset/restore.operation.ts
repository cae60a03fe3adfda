import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runItems } from '../../engine/runItems';
import type { ItemOperation } from '../../engine/types';
import { METASTUDIO_RECYCLE_BIN_STATE } from '../../helpers/constants';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { metaStudioRequests } from '../../transport/metaStudio';
import { dryRunOption, itemOptions } from '../common.descriptions';
import type { Done } from '../../helpers/interfaces';
import type { MetaStudioTarget } from '../metaStudio.common';
import { metaStudioLanes, metaStudioRequestOptions, metaStudioRequestsPerSecond, resolveMetaStudioTarget, sendAssetRequest } from '../metaStudio.common';
import { metaStudioAssetState } from './assetStates';
import { batchRequests, batchSizeOption } from './batch';
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

/** The success item: with the request ID of the answer, or null when a state read showed it done. */
function restoredItem(target: MetaStudioTarget, answer: Done | undefined): IDataObject {
	const requestId = answer?.requestId ?? null;
	return { assetId: target.id, restored: true, requestId, httpStatus: answer?.httpStatus ?? 200, restoredAt: new Date().toISOString() };
}

/** Out of the recycle bin: any state but DELETING (in the bin) and DELETED (gone for good). */
function isRestored(asset: IDataObject | null): boolean {
	return !!asset && asset.asset_state !== METASTUDIO_RECYCLE_BIN_STATE && asset.asset_state !== 'DELETED';
}

export const restoreMetaStudioAssetOperation: ItemOperation<MetaStudioTarget> = {
	idField: 'assetId',
	noun: 'asset',
	action: 'restore',
	changeFlag: 'restored',
	async resolveTarget(this: IExecuteFunctions, itemIndex, options) {
		const id = { parameter: 'assetId', label: 'asset ID' };
		return await resolveMetaStudioTarget(this, itemIndex, options, id, metaStudioRequests.restoreAsset);
	},
	defaultRequestsPerSecond: metaStudioLanes('change'),
	send: sendAssetRequest,
	successJson: restoredItem,
	state: metaStudioAssetState(isRestored),
	group: batchRequests(() => 'RESTORE', { perAssetApi: true }),
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems.call(this, restoreMetaStudioAssetOperation);
}
