import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type {
	GroupAnswer,
	GroupedOperation,
	GroupPlan,
	GroupResult,
	ItemOperation,
	ItemSettings,
	Outcome,
	TargetCalls,
} from '../../engine/types';
import { readRunSettings } from '../../engine/settings';
import type { CallFailure } from '../../helpers/interfaces';
import type { BatchAction, BatchAssetResult } from '../../transport/metaStudio';
import { ASSET_NOT_FOUND, callBatchAction, callMetaStudio } from '../../transport/metaStudio';
import type { MetaStudioTarget } from '../metaStudio.common';
import { regionRateLimit } from '../metaStudio.common';
import { callOutcome } from '../outcomes';
import type { AssetState } from './assetStates';
import { readAssetStates, showAssetState } from './assetStates';

/**
 * IDs per batch request when Batch Size is automatic. BatchExecuteAssetAction documents no maximum;
 * 50 is half of ListAssets' page of 100, small enough that a refused request costs little, large
 * enough that one request per second carries five times DeleteAsset's 10/s. A request refused as
 * invalid is split, so a lower real maximum is found by halving.
 */
export const DEFAULT_BATCH_SIZE = 50;
export const MAX_BATCH_SIZE = 100;

/** What one asset action is, beside its request: its batch name, its goal state and its items. */
export interface AssetAction<T extends MetaStudioTarget> {
	batchAction(target: T): BatchAction;
	/** Whether the asset's state shows the action done (`null`: the asset does not exist). */
	landed(state: IDataObject | null, target: T): boolean;
	successJson(target: T, facts: { requestId: string | null; httpStatus: number }): IDataObject;
	/** Deletes: the item for an asset that was already gone (Ignore Not Found). */
	alreadyDoneJson?(target: T, failure: CallFailure | undefined, attempts: number): IDataObject;
	/** Whether a per-asset API exists (delete, restore): then groups are used only where they are faster. */
	perAssetApi: boolean;
}

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

function lostInAnswer(requestId: string | undefined, httpStatus: number): CallFailure {
	return {
		reason: 'invalidResponse',
		summary: 'the batch answer did not name this asset',
		httpStatus,
		requestId,
		retryable: true,
		outcomeUnknown: true,
	};
}

/** One asset's answer in a batch answer, as its item's outcome. */
function answerFor<T extends MetaStudioTarget>(
	action: AssetAction<T>,
	target: T,
	result: BatchAssetResult | undefined,
	answer: { requestId?: string; httpStatus: number },
	settings: ItemSettings,
): GroupAnswer {
	if (!result) return { ok: 'unknown', failure: lostInAnswer(answer.requestId, answer.httpStatus) };
	if (result.ok) {
		return { ok: true, json: action.successJson(target, { requestId: answer.requestId ?? null, httpStatus: answer.httpStatus }) };
	}
	if (result.failure.reason === 'notFound' && action.alreadyDoneJson && settings.ignoreNotFound) {
		return { ok: true, json: action.alreadyDoneJson(target, result.failure, 0) };
	}
	return { ok: false, failure: result.failure, attempts: 0 };
}

/** Whether a state read shows the action done; the success item then says so, without a request ID. */
function settled<T extends MetaStudioTarget>(action: AssetAction<T>, target: T, state: AssetState): Extract<Outcome, { ok: true }> | undefined {
	if (state === undefined || !action.landed(state, target)) return undefined;
	return { ok: true, json: action.successJson(target, { requestId: null, httpStatus: 200 }) };
}

async function callGroup<T extends MetaStudioTarget>(
	ctx: IExecuteFunctions,
	action: AssetAction<T>,
	targets: T[],
	settings: ItemSettings,
): Promise<GroupResult> {
	const body = { action: action.batchAction(targets[0]), asset_ids: targets.map((target) => target.id) };
	const answer = await callBatchAction(ctx, targets[0].project, body, settings);
	if (answer.outcome === 'failed') return answer;
	const answers = targets.map((target) => answerFor(action, target, answer.results.get(target.id), answer, settings));
	return { outcome: 'answered', answers };
}

/**
 * A per-asset operation that also acts on many assets per BatchExecuteAssetAction request. Targets of
 * one project (endpoint, project, app user) share requests; lost answers are settled by reading the
 * assets' states.
 */
export function withBatches<T extends MetaStudioTarget>(operation: ItemOperation<T>, action: AssetAction<T>): GroupedOperation<T> {
	return {
		...operation,
		groupKey: (target) => `${target.project.endpoint} ${target.project.projectId} ${String(target.project.headers['X-App-UserId'] ?? '')}`,
		async groupSize(this: IExecuteFunctions, count, options) {
			return await batchPlan(this, count, options, action.perAssetApi);
		},
		async callGroup(this: IExecuteFunctions, targets, settings) {
			return await callGroup(this, action, targets, settings);
		},
		async settle(this: IExecuteFunctions, targets, calls) {
			const states = await readAssetStates(this, targets, calls);
			return targets.map((target, i) => settled(action, target, states[i]));
		},
		// MSS.10001001 is certain: after a lost answer, a delete's "not found" is that request's work.
		refusedAfterLostAnswer: (target, refusal) =>
			refusal.failure.reason === 'notFound' && action.alreadyDoneJson
				? { ok: true, json: action.alreadyDoneJson(target, refusal.failure, 0) }
				: undefined,
		shrink: (refused) => Math.floor(refused / 2),
	};
}

/**
 * One asset in a batch request of its own: the only documented way to activate or deactivate one. An
 * answer that was lost or did not name the asset is settled with ShowAsset.
 */
export async function singleAssetAction<T extends MetaStudioTarget>(
	ctx: IExecuteFunctions,
	action: AssetAction<T>,
	target: T,
	calls: TargetCalls,
): Promise<Outcome> {
	const { result, attempts, earlierOutcomeUnknown } = await calls.retried(
		async () => await callGroup(ctx, action, [target], calls.settings),
		'group',
	);
	const answer: GroupAnswer = result.outcome === 'answered' ? result.answers[0] : { ok: false, failure: result.failure, attempts };
	if (answer.ok === true) return { ok: true, json: { ...answer.json, attempts } };
	const unknown = answer.ok === 'unknown' || earlierOutcomeUnknown || answer.failure.outcomeUnknown;
	if (unknown) {
		const confirmed = settled(action, target, await showAssetState(ctx, target, calls).catch(() => undefined));
		if (confirmed) return { ok: true, json: { ...confirmed.json, attempts } };
	}
	return { ok: false, failure: answer.failure, attempts };
}

/**
 * One asset through its own API (DeleteAsset, RestoreAsset), its answers read into the same items as a
 * batch answer. After a lost answer or one that was not MetaStudio's, the asset's state tells whether
 * the change landed.
 */
export async function perAssetOutcome<T extends MetaStudioTarget>(
	ctx: IExecuteFunctions,
	action: AssetAction<T>,
	target: T,
	calls: TargetCalls,
): Promise<Outcome> {
	return await callOutcome(ctx, target, calls, {
		call: async (one, settings) => await callMetaStudio(ctx, one, settings, ASSET_NOT_FOUND),
		successJson: (one, attempt, attempts) => {
			const requestId = (attempt.fields.requestId ?? null) as string | null;
			return { ...action.successJson(one, { requestId, httpStatus: attempt.httpStatus }), attempts };
		},
		alreadyDoneJson: action.alreadyDoneJson,
		confirmLanded: async (one) => settled(action, one, await showAssetState(ctx, one, calls))?.json,
	});
}
