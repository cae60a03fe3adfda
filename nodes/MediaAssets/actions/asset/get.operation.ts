import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runItems } from '../../engine/runItems';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import type { ItemOperation, ItemTarget } from '../../engine/types';
import { getAssetDetail } from '../../transport/kyyVideo2';
import { simplifyKyyAsset } from '../../helpers/simplify';
import { itemOptions, simplifyProperty } from '../common.descriptions';
import { callOutcome } from '../outcomes';
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
	changesData: false,
	async resolveTarget(this: IExecuteFunctions, itemIndex: number): Promise<KyyGetTarget> {
		const simple = this.getNodeParameter('simple', itemIndex, true) === true;
		return { ...(await resolveKyyAssetTarget(this, itemIndex, 'GET')), simple };
	},
	defaultRequestsPerSecond: kyyRequestsPerSecond,
	async callTarget(this: IExecuteFunctions, target, calls) {
		return await callOutcome(this, target, calls, {
			call: async (one, settings) => await getAssetDetail(this, one.url, settings),
			successJson: (one, attempt) => (one.simple ? simplifyKyyAsset(attempt.fields) : attempt.fields),
		});
	},
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems.call(this, getAssetOperation);
}
