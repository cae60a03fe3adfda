import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeExecutionHint } from 'n8n-workflow';

import { router } from '../actions/router';
import type { ListingLimit } from '../helpers/executionHints';
import { addHints, isErrorItem, itemHints, listingHints, listingTotalOf } from '../helpers/executionHints';
import { simplifyKyyAsset, simplifyMetaStudioAsset } from '../helpers/simplify';
import { serviceNouns } from './versionDescription';

type Simplifier = (record: IDataObject) => IDataObject;

const SIMPLIFIERS: Record<string, Simplifier> = {
	'asset.get': simplifyKyyAsset,
	'metaStudioAsset.get': simplifyMetaStudioAsset,
	'metaStudioAsset.getAll': simplifyMetaStudioAsset,
};

function inputIndexOf(item: INodeExecutionData): number {
	const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	return typeof paired === 'object' && paired !== null ? paired.item : typeof paired === 'number' ? paired : 0;
}

/** Simplify, read per input item: error items are left as they are. */
function simplified(ctx: IExecuteFunctions, key: string, items: INodeExecutionData[]): INodeExecutionData[] {
	const simplify = SIMPLIFIERS[key];
	if (!simplify) return items;
	return items.map((item) => {
		if (isErrorItem(item)) return item;
		const simple = ctx.getNodeParameter('simple', inputIndexOf(item), true) as boolean;
		return simple ? { ...item, json: simplify(item.json) } : item;
	});
}

/** For each input item of a Get Many with a Limit: how many records it returned and how many matched. */
function listingLimits(ctx: IExecuteFunctions, items: INodeExecutionData[]): ListingLimit[] {
	const returned = new Map<number, number>();
	for (const item of items) {
		if (!isErrorItem(item)) returned.set(inputIndexOf(item), (returned.get(inputIndexOf(item)) ?? 0) + 1);
	}
	const limits: ListingLimit[] = [];
	ctx.getInputData().forEach((_input, itemIndex) => {
		if (ctx.getNodeParameter('returnAll', itemIndex, false) as boolean) return;
		const limit = Number(ctx.getNodeParameter('limit', itemIndex, 50));
		limits.push({ itemIndex, limit, returned: returned.get(itemIndex) ?? 0, total: listingTotalOf(ctx, itemIndex) });
	});
	return limits;
}

/**
 * Version 2's run: the same operations as version 1, then Simplify on reads and the execution hints
 * (Dry Run summary, Ignore Not Found count, Get Many cut short by its Limit).
 */
export async function executeV2(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const outputs = await router.call(this);
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const items = outputs[0] ?? [];
	const nouns = serviceNouns(resource);
	const hints: NodeExecutionHint[] =
		operation === 'getAll' ? listingHints(listingLimits(this, items), nouns) : itemHints(items, nouns);
	addHints(this, hints);
	return [simplified(this, `${resource}.${operation}`, items), ...outputs.slice(1)];
}
