import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_MS, METASTUDIO_MAX_PAGE_SIZE } from '../MediaAssets/helpers/constants';
import { failureFacts, failureMessage } from '../MediaAssets/helpers/errors';
import type { Answer, CallFailure } from '../MediaAssets/helpers/interfaces';
import type { AssetsPage, ListAssetsParameters, MetaStudioProject } from '../MediaAssets/transport/metaStudio';
import {
	huaweiAuthentication,
	huaweiCredentialData,
	listAssetsPage,
	listAssetsPageCall,
	listAssetsParameters,
	metaStudioProjectOf,
	metaStudioRateLimit,
} from '../MediaAssets/transport/metaStudio';
import type { Position, SeenAsset, TriggerEvent } from './cursor';
import { olderThanPosition, secondsOf } from './cursor';

/** Everything a poll's requests need, read once per poll. */
export interface ListingSetup {
	event: TriggerEvent;
	project: MetaStudioProject;
	/** ListAssets filters besides paging and sorting. */
	filters: ListAssetsParameters;
	/** Pause between two pages, from the region's documented query limit. */
	pageIntervalMs: number;
}

/** One asset of a listing: what the cursor reads, and the record as MetaStudio sent it. */
export interface ListedAsset extends SeenAsset {
	record: IDataObject;
}

const SORT_KEY: Record<TriggerEvent, 'create_time' | 'update_time'> = {
	assetCreated: 'create_time',
	assetStateChanged: 'update_time',
};

/** How often one poll starts its listing again after the list moved under it (see `listNewestFirst`). */
const MAX_RESTARTS = 3;

export async function readSetup(ctx: IPollFunctions, event: TriggerEvent): Promise<ListingSetup> {
	const authentication = huaweiAuthentication(ctx.getNodeParameter('authentication', 'akSk'));
	const credentials = await huaweiCredentialData(ctx, authentication);
	const checked = metaStudioProjectOf(credentials, authentication, ctx.getNodeParameter('options', {}) as IDataObject);
	if (!checked.ok) throw new NodeOperationError(ctx.getNode(), `${checked.problem}. No request was sent.`, { description: checked.hint });
	// The States are decided by the trigger, not sent: it must see an asset leave a state too.
	const filters = ctx.getNodeParameter('filters', {}) as IDataObject;
	return {
		event,
		project: checked.project,
		filters: listAssetsParameters({ assetType: filters.assetType, name: filters.name, tag: filters.tag }),
		pageIntervalMs: Math.ceil(1000 / metaStudioRateLimit(credentials.region, 'query')),
	};
}

/** The error of a poll that failed: nothing was emitted and the position was kept. */
export function pollFailedError(ctx: IPollFunctions, failure: CallFailure): NodeApiError {
	return new NodeApiError(ctx.getNode(), failureFacts(failure), {
		message: failureMessage({ noun: 'MetaStudio for asset changes', id: '', action: 'poll' }, failure),
		description: [
			failure.hint,
			'Nothing was emitted and the trigger kept its position: the next poll catches up on every change since the last successful one.',
		]
			.filter(Boolean)
			.join(' '),
		httpCode: failure.httpStatus === undefined ? undefined : String(failure.httpStatus),
	});
}

function invalidPage(httpStatus: number, summary: string): CallFailure {
	return {
		reason: 'invalidResponse',
		summary,
		httpStatus,
		retryable: false,
		outcomeUnknown: false,
		hint: 'Check that the Endpoint in the credential points at MetaStudio.',
	};
}

/** One ListAssets page, newest first by the event's time. */
async function readPage(
	ctx: IPollFunctions,
	setup: ListingSetup,
	extra: ListAssetsParameters,
	page: { offset: number; limit: number },
): Promise<{ assets: ListedAsset[]; count: number }> {
	const parameters = listAssetsPage([...setup.filters, ...extra, ['sort_key', SORT_KEY[setup.event]], ['sort_dir', 'desc']], page);
	let answer: Answer<AssetsPage>;
	try {
		answer = await listAssetsPageCall(ctx, setup.project, parameters, { timeoutMs: DEFAULT_TIMEOUT_MS });
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message, { description: 'Fix the Project ID or the Endpoint of the credential.' });
	}
	if (answer.outcome !== 'done') throw pollFailedError(ctx, answer.failure);
	const assets: ListedAsset[] = [];
	for (const record of answer.value.records) {
		const time = secondsOf(record[SORT_KEY[setup.event]]);
		if (typeof record.asset_id !== 'string' || time === undefined) {
			throw pollFailedError(ctx, invalidPage(answer.httpStatus, `an asset in the answer has no asset_id or no valid ${SORT_KEY[setup.event]}`));
		}
		assets.push({ id: record.asset_id, state: String(record.asset_state ?? ''), time, record });
	}
	return { assets, count: answer.value.total };
}

/**
 * Every asset from the newest down to the first one older than the position (all of them without a
 * position; only the newest second and the first page when `firstPageOnly`), newest first, each once.
 *
 * Pages are read by offset, and the list can move between two requests: a change puts an asset on top
 * (later pages then repeat one: merged by ID, the newer time kept; the changed asset itself is the next
 * poll's), an asset that leaves the list pulls the rest up by one, which could hide one at a page
 * boundary. So each page starts at the last asset of the page before: when that asset is not on the new
 * page, the list moved and the listing starts again (merging what it has), at most MAX_RESTARTS times.
 */
export async function listNewestFirst(
	ctx: IPollFunctions,
	setup: ListingSetup,
	position: Position | undefined,
	firstPageOnly = false,
): Promise<ListedAsset[]> {
	const extra: ListAssetsParameters = [];
	// start_time filters on create_time: for New Asset it narrows the listing to the position's second on.
	if (setup.event === 'assetCreated' && position?.lastTime) extra.push(['start_time', position.lastTime]);
	const byId = new Map<string, ListedAsset>();
	const keep = (asset: ListedAsset) => {
		const known = byId.get(asset.id);
		if (!known || asset.time > known.time) byId.set(asset.id, asset);
	};
	let requests = 0;
	for (let restart = 0; restart <= MAX_RESTARTS; restart++) {
		let offset = 0;
		let anchor: string | undefined;
		let moved = false;
		for (;;) {
			if (requests++ > 0) await sleep(setup.pageIntervalMs);
			const { assets, count } = await readPage(ctx, setup, extra, { offset, limit: METASTUDIO_MAX_PAGE_SIZE });
			if (anchor !== undefined && !assets.some((asset) => asset.id === anchor)) {
				moved = true;
				break;
			}
			assets.forEach(keep);
			const last = assets[assets.length - 1];
			const newestTime = assets[0]?.time;
			const done =
				last === undefined ||
				offset + assets.length >= count ||
				olderThanPosition(position, last.time) ||
				(firstPageOnly && last.time < newestTime!);
			if (done) break;
			anchor = last.id;
			offset += assets.length - 1;
		}
		if (!moved) return [...byId.values()].sort((a, b) => b.time - a.time);
	}
	throw pollFailedError(ctx, {
		reason: 'invalidResponse',
		summary: `the asset list kept changing while it was read (${MAX_RESTARTS + 1} tries)`,
		retryable: true,
		outcomeUnknown: false,
		hint: 'Many assets were removed while the trigger listed them.',
	});
}

/** The most recent matching assets, for "Fetch Test Event": one page, nothing stored. */
export async function listSample(ctx: IPollFunctions, setup: ListingSetup, states: string[], size: number): Promise<ListedAsset[]> {
	const extra: ListAssetsParameters = states.length && setup.event === 'assetStateChanged' ? [['asset_state', states.join(',')]] : [];
	const { assets } = await readPage(ctx, setup, extra, { offset: 0, limit: size });
	return assets;
}
