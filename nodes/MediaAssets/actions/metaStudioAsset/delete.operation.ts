import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runItems } from '../../engine/runItems';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import type { ItemOperation } from '../../helpers/interfaces';
import { alreadyDeletedItem, deletedItem } from '../../helpers/items';
import { ASSET_NOT_FOUND, callMetaStudio } from '../../transport/metaStudio';
import { dryRunOption, ignoreNotFoundOption, itemOptions } from '../common.descriptions';
import type { MetaStudioTarget } from '../metaStudio.common';
import { metaStudioRequestOptions, metaStudioRequestsPerSecond, regionRateLimit } from '../metaStudio.common';
import { metaStudioAssetIdProperty, resolveAssetTarget } from './common';

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
	itemOptions(metaStudioRequestsPerSecond('10/s in cn-north-4, 5/s elsewhere'), [
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

export const deleteMetaStudioAssetOperation: ItemOperation<MetaStudioTarget & { deleteMode: DeleteMode }> = {
	idField: 'assetId',
	noun: 'asset',
	action: 'delete',
	changesData: true,
	async resolveTarget(this: IExecuteFunctions, itemIndex, options) {
		const deleteMode = deleteModeOf(this);
		// `force` is the only documented value of `mode`; without it the asset goes to the recycle bin.
		const query = deleteMode === 'permanent' ? 'mode=force' : undefined;
		return { ...(await resolveAssetTarget(this, itemIndex, options, { method: 'DELETE', query })), deleteMode };
	},
	async defaultRequestsPerSecond(this: IExecuteFunctions) {
		return await regionRateLimit(this, 'change');
	},
	async callOnce(this: IExecuteFunctions, target, settings) {
		return await callMetaStudio(this, target, settings, ASSET_NOT_FOUND);
	},
	successJson(target, attempt, attempts) {
		return deletedItem(
			'assetId',
			target.id,
			{ deleteMode: target.deleteMode, requestId: attempt.fields.requestId },
			attempt.httpStatus,
			attempts,
		);
	},
	alreadyDoneJson(target, failure, attempts) {
		return { ...alreadyDeletedItem('assetId', target.id, failure, attempts), deleteMode: target.deleteMode };
	},
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems.call(this, deleteMetaStudioAssetOperation);
}
