import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runItems } from '../../engine/runItems';
import type { ItemOperation, ItemTarget } from '../../engine/types';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { simplifyKyyAsset } from '../../helpers/simplify';
import { getAsset } from '../../transport/kyyVideo2';
import { itemOptions, simplifyProperty } from '../common.descriptions';
import { kyyAssetIdProperty, kyyRequestsPerSecond, kyyRequestsPerSecondOption, resolveKyyAssetTarget } from './common';

const properties: INodeProperties[] = [
	kyyAssetIdProperty(
		'ID of the Seedance 2.0 / KyyVideo2 asset to read, like asset-20260330142158-q75m8 (a leading asset:// is removed). The result is the asset: name, assetId, status (Processing, Active or Failed), assetType, url, createTime.',
	),
	simplifyProperty,
	itemOptions(kyyRequestsPerSecondOption),
];

export const description = updateDisplayOptions({ show: { resource: ['asset'], operation: ['get'] } }, properties);

interface KyyGetTarget extends ItemTarget {
	simple: boolean;
}

export const getAssetOperation: ItemOperation<KyyGetTarget> = {
	idField: 'assetId',
	noun: 'asset',
	action: 'get',
	async resolveTarget(this: IExecuteFunctions, itemIndex: number): Promise<KyyGetTarget> {
		const simple = this.getNodeParameter('simple', itemIndex, true) === true;
		return { ...(await resolveKyyAssetTarget(this, itemIndex, 'GET')), simple };
	},
	defaultRequestsPerSecond: kyyRequestsPerSecond,
	async send(this: IExecuteFunctions, target, settings) {
		return await getAsset(this, target.url, settings);
	},
	successJson: (target, answer) => (target.simple ? simplifyKyyAsset(answer!.value) : answer!.value),
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems.call(this, getAssetOperation);
}
