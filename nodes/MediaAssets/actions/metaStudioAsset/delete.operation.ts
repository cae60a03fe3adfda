import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runItems } from '../../engine/runItems';
import type { ItemOperation } from '../../engine/types';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { alreadyDeletedItem, deletedItem } from '../../helpers/items';
import { ASSET_NOT_FOUND, callMetaStudio, metaStudioRequests } from '../../transport/metaStudio';
import { dryRunOption, ignoreNotFoundOption, itemOptions } from '../common.descriptions';
import type { MetaStudioTarget } from '../metaStudio.common';
import { changeLanes, metaStudioRequestOptions, metaStudioRequestsPerSecond, resolveMetaStudioTarget } from '../metaStudio.common';
import { callOutcome, dryRunItem } from '../outcomes';
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
		const id = { parameter: 'assetId', label: 'asset ID' };
		const target = await resolveMetaStudioTarget(this, itemIndex, options, id, (project, assetId) =>
			metaStudioRequests.deleteAsset(project, assetId, deleteMode === 'permanent'),
		);
		return { ...target, deleteMode };
	},
	defaultRequestsPerSecond: changeLanes('change'),
	dryRunJson: dryRunItem('assetId', 'deleted'),
	async callTarget(this: IExecuteFunctions, target, calls) {
		return await callOutcome(this, target, calls, {
			call: async (one, settings) => await callMetaStudio(this, one, settings, ASSET_NOT_FOUND),
			successJson: (one, attempt, attempts) =>
				deletedItem('assetId', one.id, { deleteMode: one.deleteMode, requestId: attempt.fields.requestId }, attempt.httpStatus, attempts),
			alreadyDoneJson: (one, failure, attempts) => ({ ...alreadyDeletedItem('assetId', one.id, failure, attempts), deleteMode: one.deleteMode }),
		});
	},
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems.call(this, deleteMetaStudioAssetOperation);
}
