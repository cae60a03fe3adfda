import type { IExecuteFunctions, INodeExecutionData, NodeExecutionHint } from 'n8n-workflow';

// What a listing learnt about each input item that its output items do not carry: how many records
// matched in all. Kept per execution context, which n8n creates afresh for every node run.
const listingTotals = new WeakMap<object, Map<number, number>>();

export function noteListingTotal(ctx: object, itemIndex: number, total: number): void {
	let totals = listingTotals.get(ctx);
	if (!totals) {
		totals = new Map();
		listingTotals.set(ctx, totals);
	}
	totals.set(itemIndex, total);
}

function listingTotalOf(ctx: object, itemIndex: number): number | undefined {
	return listingTotals.get(ctx)?.get(itemIndex);
}

/** How hints name what an operation works on. */
export interface HintNouns {
	one: string;
	many: string;
}

function counted(count: number, nouns: HintNouns): string {
	return `${count} ${count === 1 ? nouns.one : nouns.many}`;
}

/** An item n8n will route to the Error output: json with the single key `error`. */
export function isErrorItem(item: INodeExecutionData): boolean {
	const keys = Object.keys(item.json ?? {});
	return keys.length === 1 && keys[0] === 'error';
}

/** The Dry Run summary and the Ignore Not Found count of a per-item operation's output. */
export function itemHints(items: INodeExecutionData[], nouns: HintNouns): NodeExecutionHint[] {
	const hints: NodeExecutionHint[] = [];
	const wouldChange = new Map<string, number>();
	let notFound = 0;
	for (const { json } of items) {
		if (json.alreadyDeleted === true) {
			notFound++;
			continue;
		}
		if (json.dryRun !== true || json.skipped === true) continue;
		const flag = ['deleted', 'restored', 'activated', 'deactivated', 'updated', 'created'].find((name) => json[name] === false);
		if (flag) wouldChange.set(flag, (wouldChange.get(flag) ?? 0) + 1);
	}
	for (const [flag, count] of wouldChange) {
		hints.push({
			message: `Dry run: ${counted(count, nouns)} would be ${flag}. Nothing was changed; turn Dry Run off to do it.`,
			type: 'info',
			location: 'outputPane',
		});
	}
	if (notFound > 0) {
		hints.push({
			message: `Ignore Not Found: ${counted(notFound, nouns)} did not exist and ${notFound === 1 ? 'counts' : 'count'} as already deleted (alreadyDeleted: true).`,
			type: 'info',
			location: 'outputPane',
		});
	}
	return hints;
}

interface ListingLimit {
	itemIndex: number;
	limit: number;
	returned: number;
	total: number | undefined;
}

function inputIndexOf(item: INodeExecutionData): number {
	const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	return typeof paired === 'object' && paired !== null ? paired.item : typeof paired === 'number' ? paired : 0;
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

/** Get Many stopped by its Limit while more records matched. */
export function listingHints(ctx: IExecuteFunctions, items: INodeExecutionData[], nouns: HintNouns): NodeExecutionHint[] {
	const cut = listingLimits(ctx, items).filter(({ limit, returned, total }) => total !== undefined && returned >= limit && total > returned);
	if (cut.length === 0) return [];
	const first = cut[0];
	const where = cut.length === 1 ? '' : ` for ${cut.length} input items (item ${first.itemIndex}: ${first.total} matched)`;
	const matched = cut.length === 1 ? `; ${first.total} matched` : '';
	return [
		{
			message: `Get Many stopped at the Limit of ${first.limit} ${nouns.many}${matched}${where}. Turn on Return All, or raise the Limit, to get the rest.`,
			type: 'warning',
			location: 'outputPane',
		},
	];
}

/** Adds the hints where the running n8n supports them (both 1.x and 2.x do; older versions do not). */
export function addHints(ctx: IExecuteFunctions, hints: NodeExecutionHint[]): void {
	if (hints.length === 0) return;
	const add = (ctx as { addExecutionHints?: (...hints: NodeExecutionHint[]) => void }).addExecutionHints;
	if (typeof add === 'function') add.call(ctx, ...hints);
}
