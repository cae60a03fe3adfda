import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import {
	DEFAULT_CONCURRENCY,
	DEFAULT_MAX_RETRIES,
	DEFAULT_TIMEOUT_MS,
	MAX_CONCURRENCY,
	MAX_MAX_RETRIES,
} from '../helpers/constants';
import type { ItemError } from '../helpers/errors';
import { apiFailureError, errorItemJson } from '../helpers/errors';
import type {
	BatchSettings,
	CallFailure,
	DeleteOperation,
	DeleteTarget,
	ItemSettings,
	LookupAttempt,
} from '../helpers/interfaces';
import { RequestPacer } from './pacer';
import { mayRetry, retryDelayMs } from './retryPolicy';

/** What became of one input item. */
type ItemResult =
	| { ok: true; json: IDataObject }
	| { ok: false; error: ItemError; json: IDataObject };

interface PlannedItem<T extends DeleteTarget> {
	target: T;
	settings: ItemSettings;
	/** Set on a repeat of an earlier item's target: it gets that item's outcome, not a second delete. */
	duplicateOf?: number;
}

function clamp(value: unknown, min: number, max: number, fallback: number): number {
	const n = Number(value);
	if (value === undefined || value === null || value === '' || !Number.isFinite(n)) return fallback;
	return Math.min(max, Math.max(min, Math.floor(n)));
}

function readOptions(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	return (ctx.getNodeParameter('options', itemIndex, {}) as IDataObject) ?? {};
}

/** Whether any option is an expression, so that it has to be evaluated for each item. */
function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(hasExpression);
	if (value !== null && typeof value === 'object') return Object.values(value).some(hasExpression);
	return false;
}

/** Scheduling is one decision for the whole run, so it is read from the first item. */
function readBatchSettings(options: IDataObject): BatchSettings {
	const rps = options.requestsPerSecond;
	return {
		concurrency: clamp(options.concurrency, 1, MAX_CONCURRENCY, DEFAULT_CONCURRENCY),
		requestsPerSecond:
			rps === undefined || rps === null || rps === '' ? undefined : Math.max(0, Number(rps) || 0),
	};
}

function readItemSettings(options: IDataObject): ItemSettings {
	const statuses = options.onlyIfStatus;
	return {
		maxRetries: clamp(options.maxRetries, 0, MAX_MAX_RETRIES, DEFAULT_MAX_RETRIES),
		timeoutMs: clamp(options.timeout, 100, 600_000, DEFAULT_TIMEOUT_MS),
		ignoreNotFound: options.ignoreNotFound === true,
		dryRun: options.dryRun === true,
		onlyIfStatus: Array.isArray(statuses) ? statuses.map(String) : [],
		verifyDeletion: options.verifyDeletion === true,
	};
}

/**
 * Runs one delete operation over every input item: the one loop every operation shares.
 *
 * 1. Every item is read and checked before anything is sent, so a bad row stops a run (or becomes
 *    an error item) before a single delete, and repeated IDs are found up front.
 * 2. Unique targets go through `concurrency` workers that share one pacer (requests per second and
 *    the pause after a 429). Each item retries on its own: 429, 5xx, timeouts and dropped
 *    connections only.
 * 3. Results are put back in input order; each item is on the output exactly once, with pairedItem.
 *
 * Without continue-on-fail, the first failure stops new deletes, those in flight finish, and the
 * error of the earliest failing item is thrown.
 */
export async function runDeleteItems<T extends DeleteTarget>(
	this: IExecuteFunctions,
	operation: DeleteOperation<T>,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const continueOnFail = this.continueOnFail();
	const cancelSignal = this.getExecutionCancelSignal?.();
	const results: Array<ItemResult | undefined> = new Array(items.length);
	const planned: Array<PlannedItem<T> | undefined> = new Array(items.length);

	// 1. Read and check every item. Options without expressions are the same for every item: read once,
	// since evaluating parameters is most of n8n's per-item cost.
	const perItemOptions = hasExpression(this.getNode().parameters.options);
	const firstOptions = items.length > 0 ? readOptions(this, 0) : {};
	const firstByKey = new Map<string, number>();
	for (let i = 0; i < items.length; i++) {
		try {
			const options = perItemOptions && i > 0 ? readOptions(this, i) : firstOptions;
			const settings = readItemSettings(options);
			const target = await operation.resolveTarget.call(this, i, options);
			const first = firstByKey.get(target.dedupeKey);
			if (first === undefined) firstByKey.set(target.dedupeKey, i);
			planned[i] = { target, settings, duplicateOf: first };
		} catch (error) {
			const itemError =
				error instanceof NodeOperationError
					? error
					: new NodeOperationError(node, error as Error, { itemIndex: i });
			results[i] = {
				ok: false,
				error: itemError,
				json: errorItemJson(itemError, operation.idField, undefined, undefined, 0),
			};
			if (!continueOnFail) throw itemError;
		}
	}

	// 2. Work through the unique targets.
	const batch = readBatchSettings(firstOptions);
	const requestsPerSecond =
		batch.requestsPerSecond ?? (await operation.defaultRequestsPerSecond.call(this));
	const pause = async (ms: number) => {
		if (ms <= 0) return;
		try {
			await sleep(ms, cancelSignal);
		} catch {
			// Cancelled: the caller checks the signal.
		}
	};
	const pacer = new RequestPacer(requestsPerSecond, () => Date.now(), pause);
	const runner = new ItemRunner(this, operation, pacer, pause, () => cancelSignal?.aborted === true);

	const queue: number[] = [];
	planned.forEach((plan, i) => {
		if (plan && plan.duplicateOf === undefined) queue.push(i);
	});
	let next = 0;
	let stopScheduling = false;
	const worker = async () => {
		while (!stopScheduling && next < queue.length) {
			if (cancelSignal?.aborted) return;
			const index = queue[next++];
			const result = await runner.run(index, planned[index]!);
			results[index] = result;
			if (!result.ok && !continueOnFail) stopScheduling = true;
		}
	};
	const workers = Math.max(1, Math.min(batch.concurrency, queue.length));
	await Promise.all(Array.from({ length: workers }, worker));

	if (cancelSignal?.aborted) {
		throw new NodeOperationError(node, 'The execution was cancelled; items not yet processed were left alone.');
	}

	// 3. Repeats take their first occurrence's outcome.
	planned.forEach((plan, i) => {
		if (plan?.duplicateOf === undefined) return;
		const first = results[plan.duplicateOf];
		if (!first) return;
		results[i] = first.ok
			? { ok: true, json: { ...first.json, attempts: 0, duplicateOf: plan.duplicateOf } }
			: {
					ok: false,
					error: first.error,
					json: {
						error: { ...(first.json.error as IDataObject), attempts: 0, duplicateOf: plan.duplicateOf },
					},
				};
	});

	if (!continueOnFail) {
		const earliest = results.find((r): r is Extract<ItemResult, { ok: false }> => r?.ok === false);
		if (earliest) throw earliest.error;
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

/** Carries one item through pre-check, delete with retries, and verification. */
class ItemRunner<T extends DeleteTarget> {
	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly operation: DeleteOperation<T>,
		private readonly pacer: RequestPacer,
		private readonly pause: (ms: number) => Promise<void>,
		private readonly cancelled: () => boolean,
	) {}

	async run(itemIndex: number, plan: PlannedItem<T>): Promise<ItemResult> {
		try {
			return await this.runChecked(itemIndex, plan);
		} catch (error) {
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
		const { idField } = this.operation;
		const base: IDataObject = { [idField]: target.id };
		let status: string | undefined;

		// Pre-check: delete only what is in a selected status (the seed's "confirm asset information").
		if (settings.onlyIfStatus.length > 0 && this.operation.lookup) {
			const looked = await this.lookupWithRetries(target, settings);
			if (looked.result.outcome === 'failed') {
				return this.failed(itemIndex, target, looked.result.failure, 0, 'check the status of');
			}
			if (looked.result.outcome === 'absent') {
				return this.absentBeforeDelete(itemIndex, target, settings);
			}
			status = looked.result.status;
			if (status === undefined || !settings.onlyIfStatus.includes(status)) {
				return {
					ok: true,
					json: {
						...base,
						deleted: false,
						skipped: true,
						...(settings.dryRun ? { dryRun: true } : {}),
						status: status ?? null,
						reason: `Status "${status ?? 'unknown'}" is not one of the selected statuses (${settings.onlyIfStatus.join(', ')})`,
						attempts: 0,
					},
				};
			}
		}

		if (settings.dryRun) {
			return {
				ok: true,
				json: {
					...base,
					dryRun: true,
					deleted: false,
					method: target.method,
					url: target.url,
					...(status !== undefined ? { status } : {}),
					attempts: 0,
				},
			};
		}

		// The delete, retried on its own; "gone" after an unknown outcome means our earlier try landed.
		let attempts = 0;
		let outcomeWasUnknown = false;
		for (;;) {
			if (this.cancelled()) return this.cancelledResult(itemIndex, target, attempts);
			await this.pacer.acquire();
			attempts++;
			const attempt = await this.operation.deleteOnce.call(this.ctx, target, settings);
			if (attempt.outcome === 'deleted') {
				this.pacer.onSuccess();
				const verified = await this.verify(itemIndex, target, settings, attempts);
				if (verified) return verified;
				return {
					ok: true,
					json: {
						...base,
						deleted: true,
						...attempt.fields,
						httpStatus: attempt.httpStatus,
						attempts,
						deletedAt: new Date().toISOString(),
					},
				};
			}
			if (attempt.outcome === 'notFound') {
				this.pacer.onSuccess();
				if (settings.ignoreNotFound || outcomeWasUnknown) {
					const gone = attempt.certain || (await this.confirmAbsent(target, settings));
					if (gone) {
						return {
							ok: true,
							json: {
								...base,
								deleted: true,
								alreadyDeleted: true,
								httpStatus: attempt.failure.httpStatus ?? null,
								code: attempt.failure.code ?? null,
								message: attempt.failure.apiMessage ?? null,
								attempts,
								deletedAt: new Date().toISOString(),
							},
						};
					}
				}
				return this.failed(itemIndex, target, attempt.failure, attempts, 'delete');
			}
			const failure = attempt.failure;
			if (failure.outcomeUnknown) outcomeWasUnknown = true;
			if (failure.reason === 'throttled') this.pacer.onThrottled(retryDelayMs(1, failure, 0));
			if (this.cancelled()) return this.cancelledResult(itemIndex, target, attempts);
			if (!mayRetry(failure, attempts, settings.maxRetries)) {
				return this.failed(itemIndex, target, failure, attempts, 'delete');
			}
			await this.pause(retryDelayMs(attempts, failure, Math.random()));
		}
	}

	/** A read-only lookup with the same retry rules as a delete; its tries are not counted as `attempts`. */
	private async lookupWithRetries(
		target: T,
		settings: ItemSettings,
	): Promise<{ result: LookupAttempt }> {
		const lookup = this.operation.lookup!;
		for (let tries = 1; ; tries++) {
			await this.pacer.acquire();
			const result = await lookup.call(this.ctx, target, settings);
			if (result.outcome !== 'failed') {
				this.pacer.onSuccess();
				return { result };
			}
			if (result.failure.reason === 'throttled') {
				this.pacer.onThrottled(retryDelayMs(1, result.failure, 0));
			}
			if (this.cancelled() || !mayRetry(result.failure, tries, settings.maxRetries)) return { result };
			await this.pause(retryDelayMs(tries, result.failure, Math.random()));
		}
	}

	/** Asks the read-only lookup whether the target is really gone; without one, nothing is assumed. */
	private async confirmAbsent(target: T, settings: ItemSettings): Promise<boolean> {
		if (!this.operation.lookup) return false;
		const { result } = await this.lookupWithRetries(target, settings);
		return result.outcome === 'absent';
	}

	/** The pre-check found nothing to delete. */
	private absentBeforeDelete(itemIndex: number, target: T, settings: ItemSettings): ItemResult {
		if (settings.ignoreNotFound) {
			return {
				ok: true,
				json: {
					[this.operation.idField]: target.id,
					deleted: !settings.dryRun,
					alreadyDeleted: true,
					...(settings.dryRun ? { dryRun: true } : {}),
					attempts: 0,
					deletedAt: settings.dryRun ? null : new Date().toISOString(),
				},
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
		const { result } = await this.lookupWithRetries(target, settings);
		if (result.outcome === 'absent') return undefined;
		const failure: CallFailure =
			result.outcome === 'failed'
				? { ...result.failure, summary: `the delete was accepted but could not be verified: ${result.failure.summary}` }
				: {
						reason: 'stillExists',
						summary: 'the delete was accepted but the asset still exists',
						retryable: true,
						outcomeUnknown: false,
						hint: 'The service may delete asynchronously: check the asset later, or run the item again.',
					};
		return this.failed(itemIndex, target, failure, attempts, 'delete');
	}

	private cancelledResult(itemIndex: number, target: T, attempts: number): ItemResult {
		return this.failed(
			itemIndex,
			target,
			{
				reason: 'cancelled',
				summary: 'the execution was stopped before the delete finished',
				retryable: true,
				outcomeUnknown: attempts > 0,
			},
			attempts,
			'delete',
		);
	}

	private failed(
		itemIndex: number,
		target: T,
		failure: CallFailure,
		attempts: number,
		action: string,
	): ItemResult {
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
