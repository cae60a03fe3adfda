import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runItems } from '../../engine/runItems';
import type { ItemOperation } from '../../engine/types';
import { METASTUDIO_RECYCLE_BIN_STATE } from '../../helpers/constants';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { alreadyDeletedItem, deletedItem } from '../../helpers/items';
import { metaStudioRequests } from '../../transport/metaStudio';
import { dryRunOption, ignoreNotFoundOption, itemOptions } from '../common.descriptions';
import type { MetaStudioTarget } from '../metaStudio.common';
import { metaStudioLanes, metaStudioRequestOptions, metaStudioRequestsPerSecond, resolveMetaStudioTarget, sendAssetRequest } from '../metaStudio.common';
import { metaStudioAssetState } from './assetStates';
import { batchRequests, batchSizeOption } from './batch';
import { metaStudioAssetIdProperty } from './common';

type DeleteMode = 'recycleBin' | 'permanent';

const properties: INodeProperties[] = [
	{
		displayName:
			'Recycle Bin moves the asset to MetaStudio\'s recycle bin, where it can be restored for 7 days. Permanent cannot be undone. Try the Dry Run option first; to send failed items down their own branch, set On Error to "Continue (using error output)" in the node\'s Settings.',
		name: 'deleteNotice',
		type: 'notice',
		default: '',
	},
	metaStudioAssetIdProperty(
		'ID of the MetaStudio asset to delete (asset_id). The result has deleted: true and the delete mode; failures carry error.message and error.retryable.',
	),
	{
		displayName: 'Delete Mode',
		name: 'deleteMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Recycle Bin',
				value: 'recycleBin',
				description: 'Move the asset to the recycle bin; it can be restored for 7 days',
			},
			{
				name: 'Permanent',
				value: 'permanent',
				description: 'Delete the asset for good (mode=force); it cannot be restored',
			},
		],
		default: 'recycleBin',
	},
	itemOptions(metaStudioRequestsPerSecond('change'), [
		batchSizeOption,
		dryRunOption,
		ignoreNotFoundOption,
		...metaStudioRequestOptions,
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['metaStudioAsset'], operation: ['delete'] } },
	properties,
);

function deleteModeOf(ctx: IExecuteFunctions): DeleteMode {
	return ctx.getNodeParameter('deleteMode', 0, 'recycleBin') === 'permanent' ? 'permanent' : 'recycleBin';
}

type DeleteTarget = MetaStudioTarget & { deleteMode: DeleteMode };

/** In the recycle bin, or gone for good: what each mode leaves behind. */
function deleteLanded(state: IDataObject | null, target: DeleteTarget): boolean {
	if (state === null || state.asset_state === 'DELETED') return true;
	return target.deleteMode === 'recycleBin' && state.asset_state === METASTUDIO_RECYCLE_BIN_STATE;
}

export const deleteMetaStudioAssetOperation: ItemOperation<DeleteTarget> = {
	idField: 'assetId',
	noun: 'asset',
	action: 'delete',
	changeFlag: 'deleted',
	async resolveTarget(this: IExecuteFunctions, itemIndex, options) {
		const deleteMode = deleteModeOf(this);
		const id = { parameter: 'assetId', label: 'asset ID' };
		const target = await resolveMetaStudioTarget(this, itemIndex, options, id, (project, assetId) =>
			metaStudioRequests.deleteAsset(project, assetId, deleteMode === 'permanent'),
		);
		return { ...target, deleteMode };
	},
	defaultRequestsPerSecond: metaStudioLanes('change'),
	send: sendAssetRequest,
	successJson: (target, answer) => deletedItem('assetId', target.id, { deleteMode: target.deleteMode, requestId: answer?.requestId ?? null }, answer?.httpStatus ?? 200),
	state: metaStudioAssetState(deleteLanded),
	alreadyDoneJson: (target, failure) => ({ ...alreadyDeletedItem('assetId', target.id, failure), deleteMode: target.deleteMode }),
	group: batchRequests((target) => (target.deleteMode === 'permanent' ? 'DELETE_FORCE' : 'DELETE'), { perAssetApi: true }),
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems.call(this, deleteMetaStudioAssetOperation);
}
