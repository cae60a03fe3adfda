import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { GroupPlan, GroupRequests } from '../../engine/types';
import { readRunSettings } from '../../engine/settings';
import type { BatchAction } from '../../transport/metaStudio';
import { callBatchAction } from '../../transport/metaStudio';
import type { MetaStudioTarget } from '../metaStudio.common';
import { regionRateLimit } from '../metaStudio.common';

/**
 * IDs per batch request when Batch Size is automatic. BatchExecuteAssetAction documents no maximum;
 * 50 is half of ListAssets' page of 100, small enough that a refused request costs little, large
 * enough that one request per second carries five times DeleteAsset's 10/s. A request refused as
 * invalid is split, so a lower real maximum is found by halving.
 */
export const DEFAULT_BATCH_SIZE = 50;
export const MAX_BATCH_SIZE = 100;

export const batchSizeOption: INodeProperties = {
	displayName: 'Batch Size',
	name: 'batchSize',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: MAX_BATCH_SIZE },
	default: 0,
	description:
		'Asset IDs per BatchExecuteAssetAction request (limit: 1 request/s). 0 = automatic: batches when that is faster by the region\'s documented limits, one request per asset for a handful. 1 = never the batch API.',
};

/** Batch Size of the run; left out, automatic (0). */
function batchSizeOf(options: IDataObject): number {
	const raw = options.batchSize;
	if (raw === undefined || raw === null || raw === '') return 0;
	const size = Math.floor(Number(raw));
	return Number.isFinite(size) ? Math.min(MAX_BATCH_SIZE, Math.max(0, size)) : 1;
}

/** The pace of the per-asset API for the plan: the user's Requests per Second, else the documented limit. */
async function perAssetRate(ctx: IExecuteFunctions, options: IDataObject): Promise<number> {
	const userRate = readRunSettings(options).requestsPerSecond;
	return userRate !== undefined && userRate > 0 ? userRate : await regionRateLimit(ctx, 'change');
}

/**
 * How a run of `count` assets uses the batch API. With a per-asset API both are used at once, each
 * at its own limit, in the ratio of what each carries per second; automatic mode sends a handful of
 * assets one by one when that is as fast as waiting for batch requests.
 */
async function batchPlan(ctx: IExecuteFunctions, count: number, options: IDataObject, perAssetApi: boolean): Promise<GroupPlan> {
	const chosen = batchSizeOf(options);
	if (chosen === 1) return { size: 1, perItemShare: 1 };
	const size = chosen > 1 ? chosen : DEFAULT_BATCH_SIZE;
	if (!perAssetApi) return { size, perItemShare: 0 };
	const perAsset = await perAssetRate(ctx, options);
	const batches = (await regionRateLimit(ctx, 'batch')) * size;
	const perAssetSeconds = count / perAsset;
	const combinedSeconds = count / (perAsset + batches) + 1 / (batches / size);
	if (chosen === 0 && perAssetSeconds <= combinedSeconds) return { size: 1, perItemShare: 1 };
	return { size, perItemShare: perAsset / (perAsset + batches) };
}

/**
 * MetaStudio's BatchExecuteAssetAction as the engine's group requests: assets of one project
 * (endpoint, project, app user) share a request, and each ID's answer is read from `results[]`.
 * `perAssetApi`: the action has a per-asset API too (delete, restore), so batches are used only
 * where they are faster.
 */
export function batchRequests<T extends MetaStudioTarget>(action: (target: T) => BatchAction, { perAssetApi }: { perAssetApi: boolean }): GroupRequests<T> {
	return {
		async plan(this: IExecuteFunctions, count, options) {
			return await batchPlan(this, count, options, perAssetApi);
		},
		async send(this: IExecuteFunctions, targets, settings) {
			const body = { action: action(targets[0]), asset_ids: targets.map((target) => target.id) };
			const answer = await callBatchAction(this, targets[0].project, body, settings);
			if (answer.outcome === 'failed') return answer;
			return { ...answer, value: targets.map((target) => answer.value.get(target.id)) };
		},
		key: (target) => `${target.project.endpoint} ${target.project.projectId} ${String(target.project.headers['X-App-UserId'] ?? '')}`,
	};
}
