import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ItemOperation } from '../../engine/types';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import type { BatchAction } from '../../transport/metaStudio';
import { metaStudioRequests } from '../../transport/metaStudio';
import { dryRunOption, itemOptions } from '../common.descriptions';
import type { MetaStudioTarget } from '../metaStudio.common';
import { metaStudioLanes, metaStudioRequestOptions, metaStudioRequestsPerSecond, resolveMetaStudioTarget } from '../metaStudio.common';
import { metaStudioAssetState } from './assetStates';
import { batchRequests, batchSizeOption } from './batch';
import { metaStudioAssetIdProperty } from './common';

/** Activate and Deactivate differ only in the batch action, the state it leads to and the item's flag. */
interface Activation {
	operation: 'activate' | 'deactivate';
	batchAction: Extract<BatchAction, 'ACTIVE' | 'UNACTIVE'>;
	goalState: 'ACTIVED' | 'UNACTIVED';
	flag: 'activated' | 'deactivated';
}

export const ACTIVATE: Activation = { operation: 'activate', batchAction: 'ACTIVE', goalState: 'ACTIVED', flag: 'activated' };
export const DEACTIVATE: Activation = {
	operation: 'deactivate',
	batchAction: 'UNACTIVE',
	goalState: 'UNACTIVED',
	flag: 'deactivated',
};

export function activationDescription(activation: Activation, idDescription: string): INodeProperties[] {
	return updateDisplayOptions({ show: { resource: ['metaStudioAsset'], operation: [activation.operation] } }, [
		metaStudioAssetIdProperty(idDescription),
		itemOptions(metaStudioRequestsPerSecond('batch'), [batchSizeOption, dryRunOption, ...metaStudioRequestOptions]),
	]);
}

/**
 * The operation: BatchExecuteAssetAction is the only documented way to change an asset's activation,
 * so it has no request of its own: one asset alone is a batch request with one ID, and many share
 * requests (Requests per Second paces those).
 */
export function activationOperation(activation: Activation): ItemOperation<MetaStudioTarget> {
	return {
		idField: 'assetId',
		noun: 'asset',
		action: activation.operation,
		changeFlag: activation.flag,
		async resolveTarget(this: IExecuteFunctions, itemIndex, options) {
			const id = { parameter: 'assetId', label: 'asset ID' };
			return await resolveMetaStudioTarget(this, itemIndex, options, id, (project, assetId) =>
				metaStudioRequests.batchAction(project, { action: activation.batchAction, asset_ids: [assetId] }),
			);
		},
		defaultRequestsPerSecond: metaStudioLanes('batch'),
		successJson: (target, answer): IDataObject => ({
			assetId: target.id,
			[activation.flag]: true,
			requestId: answer?.requestId ?? null,
			httpStatus: answer?.httpStatus ?? 200,
		}),
		state: metaStudioAssetState((state) => state?.asset_state === activation.goalState),
		group: batchRequests(() => activation.batchAction, { perAssetApi: false }),
	};
}
