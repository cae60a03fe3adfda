import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ItemError } from '../helpers/errors';
import { apiFailureError, errorItemJson } from '../helpers/errors';
import type { CallFailure, ItemOperation, ItemSettings, ItemTarget, LookupAttempt } from '../helpers/interfaces';
import { CallScheduler, StoppedBeforeSending } from './calls';
import { OutcomeMemo } from './outcomeMemo';
import { optionsReader, readBatchSettings, readItemSettings } from './settings';

/** What became of one input item. */
type ItemResult = { ok: true; json: IDataObject } | { ok: false; error?: ItemError; json: IDataObject };

interface PlannedItem<T extends ItemTarget> {
	target: T;
	settings: ItemSettings;
	/** Set on a repeat of an earlier item's target: it gets that item's outcome, not a second call. */
	duplicateOf?: number;
}

/**
 * Runs one per-item operation over every input item: the one loop every get, delete and restore shares.
 *
 * 1. Every item is read and checked before anything is sent, so a bad row stops a run (or becomes an
 *    error item) before a single call, and repeated targets are found up front.
 * 2. Unique targets share one CallScheduler: at most `concurrency` requests in flight, pacing, the
 *    slow-down after a 429, per-item retries. Targets whose outcome this execution already settled (an
 *    earlier try under n8n's Retry On Fail) get that outcome without a request.
 * 3. Results are put back in input order; each item is on the output exactly once, with pairedItem.
 *
 * Without continue-on-fail, the first failure stops new calls, those in flight finish, and the error
 * of the earliest failing item is thrown.
 */
export async function runItems<T extends ItemTarget>(
	this: IExecuteFunctions,
	operation: ItemOperation<T>,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const continueOnFail = this.continueOnFail();
	const results: Array<ItemResult | undefined> = new Array(items.length);
	const planned: Array<PlannedItem<T> | undefined> = new Array(items.length);
	const optionsOf = optionsReader(this, items.length);

	// 1. Read and check every item.
	const firstByKey = new Map<string, number>();
	for (let i = 0; i < items.length; i++) {
		try {
			const options = optionsOf(i);
			const target = await operation.resolveTarget.call(this, i, options);
			const first = firstByKey.get(target.dedupeKey);
			if (first === undefined) firstByKey.set(target.dedupeKey, i);
			planned[i] = { target, settings: readItemSettings(options), duplicateOf: first };
		} catch (error) {
			const itemError =
				error instanceof NodeOperationError ? error : new NodeOperationError(node, error as Error, { itemIndex: i });
			if (!continueOnFail) throw itemError;
			results[i] = {
				ok: false,
				error: itemError,
				json: errorItemJson(itemError, operation.idField, undefined, undefined, 0),
			};
		}
	}

	// 2. Work through the unique targets. Items start in input order; the scheduler's slots cap the
	// requests in flight. With continue-on-fail a few more items than slots are under way, so that
	// items waiting for a retry do not hold up the rest (the bound keeps memory flat for long runs).
	// Without it, an item starts only when one has finished, so nothing new is sent after the first
	// failure.
	const batch = readBatchSettings(optionsOf(0));
	const requestsPerSecond = batch.requestsPerSecond ?? (await operation.defaultRequestsPerSecond.call(this));
	const scheduler = new CallScheduler(this, requestsPerSecond, batch.concurrency);
	const runner = new ItemRunner(this, operation, scheduler);
	const memo = operation.changesData ? OutcomeMemo.of(this) : undefined;

	const process = async (index: number) => {
		const plan = planned[index]!;
		const memoKey = plan.settings.dryRun ? undefined : `${plan.target.method} ${plan.target.dedupeKey}`;
		const settled = memoKey === undefined ? undefined : memo?.recall(memoKey);
		const result = settled ?? (await runner.run(index, plan));
		if (!result) return;
		if (!settled && memoKey !== undefined && isSettled(result)) memo?.remember(memoKey, { ok: result.ok, json: result.json });
		results[index] = result;
		if (!result.ok && !continueOnFail) scheduler.stop();
	};
	const maxUnderWay = continueOnFail ? Math.max(16, batch.concurrency * 4) : batch.concurrency;
	const underWay = new Set<Promise<void>>();
	for (let index = 0; index < planned.length; index++) {
		if (!planned[index] || planned[index]!.duplicateOf !== undefined) continue;
		if (underWay.size >= maxUnderWay) await Promise.race(underWay);
		if (scheduler.isStopped || scheduler.cancelled) break;
		const task: Promise<void> = process(index).finally(() => underWay.delete(task));
		underWay.add(task);
	}
	await Promise.all(underWay);

	if (scheduler.cancelled) {
		throw new NodeOperationError(node, 'The execution was cancelled; items not yet processed were left alone.');
	}

	// 3. Repeats take their first occurrence's outcome.
	planned.forEach((plan, i) => {
		if (plan?.duplicateOf === undefined) return;
		const first = results[plan.duplicateOf];
		if (first) results[i] = repeatOf(first, plan.duplicateOf, operation.changesData);
	});

	if (!continueOnFail) {
		const earliest = results.findIndex((result) => result?.ok === false);
		if (earliest >= 0) throw errorOf(results[earliest] as Extract<ItemResult, { ok: false }>, node, earliest);
	}

	const output: INodeExecutionData[] = [];
	results.forEach((result, i) => {
		if (!result) {
			// Only reachable if scheduling stopped early, which only happens when the run throws above.
			throw new NodeOperationError(node, `Item ${i} was not processed.`, { itemIndex: i });
		}
		output.push({ json: result.json, pairedItem: { item: i } });
	});
	return [output];
}

/** Whether an outcome is final for this execution: a success, or a failure no retry could change. */
function isSettled(result: ItemResult): boolean {
	if (result.ok) return true;
	const error = result.json.error as IDataObject | undefined;
	return error?.retryable === false && error.reason !== 'cancelled' && error.reason !== 'invalidInput';
}

/** A repeated target's item: its first occurrence's outcome, marked for calls that change something. */
function repeatOf(first: ItemResult, firstIndex: number, changesData: boolean): ItemResult {
	if (!changesData) return first.ok ? { ok: true, json: first.json } : first;
	if (first.ok) return { ok: true, json: { ...first.json, attempts: 0, duplicateOf: firstIndex } };
	return {
		ok: false,
		error: first.error,
		json: { error: { ...(first.json.error as IDataObject), attempts: 0, duplicateOf: firstIndex } },
	};
}

/** The error to throw for a failed item; an outcome recalled from the memo has only its json. */
function errorOf(result: Extract<ItemResult, { ok: false }>, node: ReturnType<IExecuteFunctions['getNode']>, itemIndex: number): ItemError {
	if (result.error) return result.error;
	const facts = (result.json.error ?? {}) as IDataObject;
	return new NodeOperationError(node, String(facts.message ?? 'The item failed'), {
		itemIndex,
		description: typeof facts.description === 'string' ? facts.description : undefined,
	});
}

/** Carries one item through pre-check, the call with retries, and verification. */
class ItemRunner<T extends ItemTarget> {
	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly operation: ItemOperation<T>,
		private readonly scheduler: CallScheduler,
	) {}

	/** The item's result; undefined when the run stopped before anything was sent for it. */
	async run(itemIndex: number, plan: PlannedItem<T>): Promise<ItemResult | undefined> {
		try {
			return await this.runChecked(itemIndex, plan);
		} catch (error) {
			if (error instanceof StoppedBeforeSending) return undefined;
			// A bug must not lose the item: it becomes that item's error.
			const itemError = new NodeOperationError(this.ctx.getNode(), error as Error, { itemIndex });
			return {
				ok: false,
				error: itemError,
				json: errorItemJson(itemError, this.operation.idField, plan.target.id, undefined, 0),
			};
		}
	}

	private async runChecked(itemIndex: number, { target, settings }: PlannedItem<T>): Promise<ItemResult> {
		const { operation, scheduler } = this;
		let status: string | undefined;

		// Pre-check: call only for a target in a selected status (the seed's "confirm asset information").
		if (settings.onlyIfStatus.length > 0 && operation.lookup) {
			const looked = await this.lookup(target, settings);
			if (looked.outcome === 'failed') return this.failed(itemIndex, target, looked.failure, 0, 'check the status of');
			if (looked.outcome === 'absent') return this.absentBeforeCall(itemIndex, target, settings);
			status = looked.status;
			if (status === undefined || !settings.onlyIfStatus.includes(status)) {
				return {
					ok: true,
					json: {
						[operation.idField]: target.id,
						[`${pastTense(operation.action)}`]: false,
						skipped: true,
						...(settings.dryRun ? { dryRun: true } : {}),
						status: status ?? null,
						reason: `Status "${status ?? 'unknown'}" is not one of the selected statuses (${settings.onlyIfStatus.join(', ')})`,
						attempts: 0,
					},
				};
			}
		}

		if (settings.dryRun && operation.changesData) {
			return {
				ok: true,
				json: {
					[operation.idField]: target.id,
					dryRun: true,
					[pastTense(operation.action)]: false,
					method: target.method,
					url: target.url,
					...(status !== undefined ? { status } : {}),
					attempts: 0,
				},
			};
		}

		if (scheduler.cancelled) return this.cancelledResult(itemIndex, target, 0);
		const { result, attempts, earlierOutcomeUnknown } = await scheduler.retried(settings.maxRetries, async () =>
			await operation.callOnce.call(this.ctx, target, settings),
		);

		if (result.outcome === 'done') {
			const unverified = await this.verify(itemIndex, target, settings, attempts);
			return unverified ?? { ok: true, json: operation.successJson(target, result, attempts) };
		}

		if (result.outcome === 'notFound') {
			// "Gone" after an answer that was lost means our earlier delete landed.
			if (operation.alreadyDoneJson && (settings.ignoreNotFound || earlierOutcomeUnknown)) {
				const gone = result.certain || (await this.confirmAbsent(target, settings));
				if (gone) return { ok: true, json: operation.alreadyDoneJson(target, result.failure, attempts) };
			}
			return this.failed(itemIndex, target, result.failure, attempts, operation.action);
		}

		const { failure } = result;
		if (scheduler.cancelled) return this.cancelledResult(itemIndex, target, attempts);
		// A refusal after an answer was lost may mean the lost attempt did the job: ask before failing.
		if (earlierOutcomeUnknown && !failure.retryable && operation.confirmLanded) {
			const landed = await operation.confirmLanded.call(this.ctx, target, settings).catch(() => undefined);
			if (landed) return { ok: true, json: { ...landed, attempts } };
		}
		return this.failed(itemIndex, target, failure, attempts, operation.action);
	}

	/** A read-only lookup with the same pacing and retry rules as any call. */
	private async lookup(target: T, settings: ItemSettings): Promise<LookupAttempt> {
		const lookup = this.operation.lookup!;
		const { result } = await this.scheduler.retried(settings.maxRetries, async () => await lookup.call(this.ctx, target, settings));
		return result;
	}

	/** Asks the read-only lookup whether the target is really gone; without one, nothing is assumed. */
	private async confirmAbsent(target: T, settings: ItemSettings): Promise<boolean> {
		if (!this.operation.lookup) return false;
		return (await this.lookup(target, settings)).outcome === 'absent';
	}

	/** The pre-check found nothing to call on. */
	private absentBeforeCall(itemIndex: number, target: T, settings: ItemSettings): ItemResult {
		if (settings.ignoreNotFound && this.operation.alreadyDoneJson) {
			const json = this.operation.alreadyDoneJson(target, undefined, 0);
			return {
				ok: true,
				json: settings.dryRun ? { ...json, deleted: false, dryRun: true, deletedAt: null } : json,
			};
		}
		return this.failed(
			itemIndex,
			target,
			{
				reason: 'notFound',
				summary: `the ${this.operation.noun} does not exist`,
				retryable: false,
				outcomeUnknown: false,
				hint: 'Turn on the Ignore Not Found option to count missing IDs as already deleted.',
			},
			0,
			'check the status of',
		);
	}

	/** After a delete: optionally confirm with the lookup that the target is gone (the seed's "verify result"). */
	private async verify(
		itemIndex: number,
		target: T,
		settings: ItemSettings,
		attempts: number,
	): Promise<ItemResult | undefined> {
		if (!settings.verifyDeletion || !this.operation.lookup) return undefined;
		const result = await this.lookup(target, settings);
		if (result.outcome === 'absent') return undefined;
		const failure: CallFailure =
			result.outcome === 'failed'
				? { ...result.failure, summary: `the delete was accepted but could not be verified: ${result.failure.summary}` }
				: {
						reason: 'stillExists',
						summary: `the delete was accepted but the ${this.operation.noun} still exists`,
						retryable: true,
						outcomeUnknown: false,
						hint: 'The service may delete asynchronously: check it later, or run the item again.',
					};
		return this.failed(itemIndex, target, failure, attempts, this.operation.action);
	}

	private cancelledResult(itemIndex: number, target: T, attempts: number): ItemResult {
		return this.failed(
			itemIndex,
			target,
			{
				reason: 'cancelled',
				summary: `the execution was stopped before the ${this.operation.action} finished`,
				retryable: true,
				outcomeUnknown: attempts > 0,
			},
			attempts,
			this.operation.action,
		);
	}

	private failed(itemIndex: number, target: T, failure: CallFailure, attempts: number, action: string): ItemResult {
		const error = apiFailureError(
			this.ctx.getNode(),
			itemIndex,
			{ noun: this.operation.noun, id: target.id, action },
			failure,
			attempts,
		);
		return {
			ok: false,
			error,
			json: errorItemJson(error, this.operation.idField, target.id, failure, attempts),
		};
	}
}

/** The success flag of an action's items: delete → deleted, restore → restored. */
function pastTense(action: string): string {
	return action.endsWith('e') ? `${action}d` : `${action}ed`;
}
