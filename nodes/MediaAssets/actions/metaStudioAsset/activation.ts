import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ItemOperation } from '../../engine/types';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import type { BatchAction } from '../../transport/metaStudio';
import { metaStudioRequests } from '../../transport/metaStudio';
import { dryRunOption, itemOptions } from '../common.descriptions';
import type { MetaStudioTarget } from '../metaStudio.common';
import { changeLanes, metaStudioRequestOptions, metaStudioRequestsPerSecond, resolveMetaStudioTarget } from '../metaStudio.common';
import { dryRunItem } from '../outcomes';
import type { AssetAction } from './batch';
import { batchSizeOption, singleAssetAction, withBatches } from './batch';
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
 * so one asset alone is a batch request with one ID, and many share requests.
 */
export function activationOperation(activation: Activation) {
	const action: AssetAction<MetaStudioTarget> = {
		batchAction: () => activation.batchAction,
		landed: (state) => state?.asset_state === activation.goalState,
		successJson: (target, { requestId, httpStatus }): IDataObject => ({
			assetId: target.id,
			[activation.flag]: true,
			requestId,
			httpStatus,
			attempts: 0,
		}),
		perAssetApi: false,
	};
	const oneByOne: ItemOperation<MetaStudioTarget> = {
		idField: 'assetId',
		noun: 'asset',
		action: activation.operation,
		changesData: true,
		async resolveTarget(this: IExecuteFunctions, itemIndex, options) {
			const id = { parameter: 'assetId', label: 'asset ID' };
			return await resolveMetaStudioTarget(this, itemIndex, options, id, (project, assetId) =>
				metaStudioRequests.batchAction(project, { action: activation.batchAction, asset_ids: [assetId] }),
			);
		},
		defaultRequestsPerSecond: changeLanes('batch'),
		// Every request is a batch request, so Requests per Second paces those.
		userPacedLane: 'group',
		dryRunJson: (target, facts) => ({ ...dryRunItem('assetId', activation.flag)(target, facts), body: target.body ?? null }),
		async callTarget(this: IExecuteFunctions, target, calls) {
			return await singleAssetAction(this, action, target, calls);
		},
	};
	return withBatches(oneByOne, action);
}
