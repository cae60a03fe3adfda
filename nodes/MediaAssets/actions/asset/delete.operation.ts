import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runItems } from '../../engine/runItems';
import { KYY_ASSET_STATUSES } from '../../helpers/constants';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import type { ItemOperation, ItemTarget } from '../../helpers/interfaces';
import { alreadyDeletedItem, deletedItem } from '../../helpers/items';
import { deleteAsset, getAsset } from '../../transport/kyyVideo2';
import { deletionNotice, dryRunOption, ignoreNotFoundOption, itemOptions } from '../common.descriptions';
import { kyyAssetIdProperty, kyyRequestsPerSecondOption, resolveKyyAssetTarget } from './common';

const properties: INodeProperties[] = [
	deletionNotice('an asset'),
	kyyAssetIdProperty(
		'ID of the Seedance 2.0 / KyyVideo2 asset to delete, like asset-20260330142158-q75m8 (a leading asset:// is removed). The result has deleted: true once the asset is gone; failures carry error.message and error.retryable.',
	),
	itemOptions(kyyRequestsPerSecondOption, [
		dryRunOption,
		ignoreNotFoundOption,
		{
			displayName: 'Only If Status',
			name: 'onlyIfStatus',
			type: 'multiOptions',
			options: KYY_ASSET_STATUSES.map((status) => ({ name: status, value: status })),
			default: [],
			description:
				'Read the asset first and delete it only when its status is one of these; others come out with skipped: true. Empty = no check.',
		},
		{
			displayName: 'Verify Deletion',
			name: 'verifyDeletion',
			type: 'boolean',
			default: false,
			description:
				'Whether to confirm with the asset detail endpoint that the asset is gone after the delete; if it is still there, the item fails',
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['asset'], operation: ['delete'] } }, properties);

export const deleteAssetOperation: ItemOperation = {
	idField: 'assetId',
	noun: 'asset',
	action: 'delete',
	changesData: true,
	async resolveTarget(this: IExecuteFunctions, itemIndex: number): Promise<ItemTarget> {
		return await resolveKyyAssetTarget(this, itemIndex, 'DELETE');
	},
	async defaultRequestsPerSecond() {
		return 0;
	},
	async callOnce(this: IExecuteFunctions, target, settings) {
		return await deleteAsset(this, target.url, settings);
	},
	successJson(target, attempt, attempts): IDataObject {
		return deletedItem('assetId', target.id, attempt.fields, attempt.httpStatus, attempts);
	},
	alreadyDoneJson(target, failure, attempts) {
		return alreadyDeletedItem('assetId', target.id, failure, attempts);
	},
	async lookup(this: IExecuteFunctions, target, settings) {
		return await getAsset(this, target.url, settings);
	},
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems.call(this, deleteAssetOperation);
}
