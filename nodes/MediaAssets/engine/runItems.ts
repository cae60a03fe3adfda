import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CallScheduler, StoppedBeforeSending } from './calls';
import type { GroupHooks, PlannedTarget } from './groups';
import { GroupRunner } from './groups';
import { OutcomeMemo } from './outcomeMemo';
import { cancelledFailure, isSettledOutcome, ItemResults } from './results';
import { optionsReader, readItemSettings, readRunSettings } from './settings';
import type { ItemSettings, ItemTarget, Lane, Outcome, TargetCalls, TargetOperation } from './types';
import { isGrouped } from './types';

const LANES: Lane[] = ['main', 'lookup', 'group'];

/**
 * Runs an operation over every input item: the one loop every get, delete, restore and batch action
 * shares. Plan (settings, scheduler, memo) → run (read and check each item, send) → assemble (input
 * order, pairedItem, one output item per input item).
 *
 * Without continue-on-fail every item is read and checked before anything is sent, so a bad row stops
 * the run before a single call; the first failure stops new calls, those in flight finish, and the
 * error of the earliest failing item is thrown. With continue-on-fail, checking item k+1 overlaps
 * with sending the earlier ones.
 */
export async function runItems<T extends ItemTarget>(
	this: IExecuteFunctions,
	operation: TargetOperation<T>,
): Promise<INodeExecutionData[][]> {
	const run = await ItemRun.plan(this, operation);
	await run.run();
	return [run.assemble()];
}

class ItemRun<T extends ItemTarget> {
	private readonly results: ItemResults;

	private readonly continueOnFail: boolean;

	private readonly maxUnderWay: number;

	private readonly firstByKey = new Map<string, number>();

	private readonly underWay = new Set<Promise<void>>();

	private readonly optionsOf: (itemIndex: number) => IDataObject;

	private groups: GroupRunner<T> | undefined;

	private constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly operation: TargetOperation<T>,
		private readonly itemCount: number,
		private readonly scheduler: CallScheduler,
		private readonly memo: OutcomeMemo | undefined,
		concurrency: number,
	) {
		this.continueOnFail = ctx.continueOnFail();
		// With continue-on-fail a few more items than slots are under way, so that items waiting for a
		// retry do not hold up the rest; the bound keeps memory flat for long runs. Without it, an item
		// starts only when one has finished, so nothing new is sent after the first failure.
		this.maxUnderWay = this.continueOnFail ? Math.max(16, concurrency * 4) : concurrency;
		this.results = new ItemResults(ctx.getNode(), operation, itemCount, !this.continueOnFail);
		this.optionsOf = optionsReader(ctx, itemCount);
	}

	static async plan<T extends ItemTarget>(ctx: IExecuteFunctions, operation: TargetOperation<T>): Promise<ItemRun<T>> {
		const itemCount = ctx.getInputData().length;
		const runOptions = optionsReader(ctx, itemCount)(0);
		const runSettings = readRunSettings(runOptions);
		const rates = new Map<Lane, number>();
		for (const lane of LANES) {
			const userRate = lane === (operation.userPacedLane ?? 'main') ? runSettings.requestsPerSecond : undefined;
			rates.set(lane, userRate ?? (await operation.defaultRequestsPerSecond.call(ctx, lane)));
		}
		const scheduler = new CallScheduler(ctx, (lane) => rates.get(lane) ?? 0, runSettings.concurrency);
		const memo = operation.changesData ? OutcomeMemo.of(ctx) : undefined;
		const run = new ItemRun(ctx, operation, itemCount, scheduler, memo, runSettings.concurrency);
		if (isGrouped(operation)) {
			const plan = await operation.groupSize.call(ctx, itemCount, runOptions);
			if (plan.size > 1) run.groups = new GroupRunner(ctx, operation, scheduler, run.groupHooks(), plan);
		}
		return run;
	}

	async run(): Promise<void> {
		if (this.continueOnFail) {
			for (let index = 0; index < this.itemCount && !this.halted(); index++) {
				const planned = await this.resolve(index);
				if (planned) await this.dispatch(planned);
			}
		} else {
			const planned: Array<PlannedTarget<T>> = [];
			for (let index = 0; index < this.itemCount; index++) {
				const one = await this.resolve(index);
				if (one) planned.push(one);
			}
			for (const one of planned) {
				if (this.halted()) break;
				await this.dispatch(one);
			}
		}
		await this.groups?.flush();
		await Promise.all(this.underWay);
		if (this.scheduler.cancelled) {
			throw new NodeOperationError(this.ctx.getNode(), 'The execution was cancelled; items not yet processed were left alone.');
		}
	}

	assemble(): INodeExecutionData[] {
		if (!this.continueOnFail) {
			const earliest = this.results.earliestFailure();
			if (earliest >= 0) throw this.results.errorOf(earliest);
		}
		return this.results.assemble();
	}

	private halted(): boolean {
		return this.scheduler.isStopped || this.scheduler.cancelled;
	}

	/** Reads and checks one item; a repeat of an earlier target is noted, not planned. */
	private async resolve(index: number): Promise<PlannedTarget<T> | undefined> {
		try {
			const options = this.optionsOf(index);
			const target = await this.operation.resolveTarget.call(this.ctx, index, options);
			const first = this.firstByKey.get(target.dedupeKey);
			if (first !== undefined) {
				this.results.repeat(index, first);
				return undefined;
			}
			this.firstByKey.set(target.dedupeKey, index);
			return { index, target, settings: readItemSettings(options) };
		} catch (error) {
			const itemError =
				error instanceof NodeOperationError ? error : new NodeOperationError(this.ctx.getNode(), error as Error, { itemIndex: index });
			if (!this.continueOnFail) throw itemError;
			this.results.invalid(index, itemError);
			return undefined;
		}
	}

	/** Gives the item its outcome from the memo, or sends it: in a group, or on its own. */
	private async dispatch(planned: PlannedTarget<T>): Promise<void> {
		const settled = this.memoKey(planned) && this.memo?.recall(this.memoKey(planned)!);
		if (settled) {
			this.results.recalled(planned.index, settled);
			return;
		}
		if (!planned.settings.dryRun && this.groups?.takes(planned)) return;
		if (this.underWay.size >= this.maxUnderWay) await Promise.race(this.underWay);
		if (this.halted()) return;
		const task: Promise<void> = this.sendAlone(planned).finally(() => this.underWay.delete(task));
		this.underWay.add(task);
	}

	private memoKey({ target, settings }: PlannedTarget<T>): string | undefined {
		return settings.dryRun ? undefined : `${target.method} ${target.dedupeKey}`;
	}

	/** `earlierOutcomeUnknown`: a group call that carried the target lost its answer (it may have landed). */
	private async sendAlone(planned: PlannedTarget<T>, earlierOutcomeUnknown = false): Promise<void> {
		const outcome = await this.outcomeAlone(planned, earlierOutcomeUnknown);
		if (outcome) this.record(planned, outcome);
	}

	/** The item's outcome on its own; undefined when the run stopped before anything was sent for it. */
	private async outcomeAlone({ index, target, settings }: PlannedTarget<T>, earlierOutcomeUnknown: boolean): Promise<Outcome | undefined> {
		const { operation, ctx } = this;
		const calls = this.callsFor(settings, earlierOutcomeUnknown);
		try {
			const checked = operation.precheck ? await operation.precheck.call(ctx, target, calls) : {};
			if (checked.outcome) return checked.outcome;
			if (settings.dryRun && operation.changesData) {
				return { ok: true, json: operation.dryRunJson?.(target, checked.facts ?? {}) ?? this.dryRunJson(target, checked.facts) };
			}
			if (this.scheduler.cancelled) return this.cancelled(0);
			const outcome = await operation.callTarget.call(ctx, target, calls);
			return !outcome.ok && this.scheduler.cancelled ? this.cancelled(outcome.attempts) : outcome;
		} catch (error) {
			if (error instanceof StoppedBeforeSending) return undefined;
			this.results.broken(index, target, error);
			return undefined;
		}
	}

	private dryRunJson(target: T, facts: IDataObject = {}): IDataObject {
		return { [this.operation.idField]: target.id, dryRun: true, method: target.method, url: target.url, ...facts, attempts: 0 };
	}

	private cancelled(attempts: number): Outcome {
		return { ok: false, failure: cancelledFailure(this.operation.action, attempts), attempts };
	}

	/** Keeps the outcome for the output and, when final, for a later try of this execution. */
	private record(planned: PlannedTarget<T>, outcome: Outcome): void {
		this.results.outcome(planned.index, planned.target, outcome);
		const key = this.memoKey(planned);
		if (key !== undefined && isSettledOutcome(outcome)) this.memo?.remember(key, this.results.settled(planned.index)!);
		if (!outcome.ok && !this.continueOnFail) this.scheduler.stop();
	}

	/**
	 * The target's retried, paced send. After a group call whose answer was lost, every result says so,
	 * so that a refusal ("not found", "not in the recycle bin") is read as that call's work, not a failure.
	 */
	private callsFor(settings: ItemSettings, earlierOutcomeUnknown = false): TargetCalls {
		const { scheduler } = this;
		return {
			settings,
			retried: async (call, lane) => {
				const sent = await scheduler.retried(settings.maxRetries, call, lane);
				return earlierOutcomeUnknown ? { ...sent, earlierOutcomeUnknown: true } : sent;
			},
		};
	}

	/** What the group runner needs of the run: where outcomes go, and the one-target path. */
	private groupHooks(): GroupHooks<T> {
		return {
			record: (planned: PlannedTarget<T>, outcome: Outcome) => this.record(planned, outcome),
			broken: (planned: PlannedTarget<T>, error: unknown) => this.results.broken(planned.index, planned.target, error),
			sendAlone: async (planned: PlannedTarget<T>, earlierOutcomeUnknown?: boolean) => await this.sendAlone(planned, earlierOutcomeUnknown),
			callsFor: (settings: ItemSettings) => this.callsFor(settings),
		};
	}
}
