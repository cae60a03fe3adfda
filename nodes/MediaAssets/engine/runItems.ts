import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CallScheduler, wasSent } from './calls';
import type { PlannedTarget } from './groups';
import { GroupRunner } from './groups';
import { OutcomeMemo } from './outcomeMemo';
import { cancelledFailure, isFinal, ItemResults } from './results';
import { optionsReader, readItemSettings, readRunSettings } from './settings';
import { settle } from './settle';
import type { ItemOperation, ItemSettings, ItemTarget, Lane, Outcome, TargetCalls } from './types';

const LANES: Lane[] = ['main', 'lookup', 'group', 'transfer'];

/** An outcome and the requests it took. */
interface Reached {
	outcome: Outcome;
	attempts: number;
}

/**
 * Runs an operation over every input item: the one loop every get, delete, restore and activation
 * shares. Plan (settings, scheduler, memo) → run (read and check each item, send) → assemble (input
 * order, pairedItem, one output item per input item).
 *
 * Without continue-on-fail every item is read and checked before anything is sent, so a bad row stops
 * the run before a single call; the first failure stops new calls, those in flight finish, and the
 * error of the earliest failing item is thrown. With continue-on-fail, checking item k+1 overlaps
 * with sending the earlier ones.
 */
export async function runItems<T extends ItemTarget>(this: IExecuteFunctions, operation: ItemOperation<T>): Promise<INodeExecutionData[][]> {
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
		private readonly operation: ItemOperation<T>,
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

	static async plan<T extends ItemTarget>(ctx: IExecuteFunctions, operation: ItemOperation<T>): Promise<ItemRun<T>> {
		const itemCount = ctx.getInputData().length;
		const runOptions = optionsReader(ctx, itemCount)(0);
		const runSettings = readRunSettings(runOptions);
		// Requests per Second paces the requests each target goes out in: its own, or (where the API
		// acts only on groups) the group requests.
		const userLane: Lane = operation.send ? 'main' : 'group';
		const rates = new Map<Lane, number>();
		for (const lane of LANES) {
			const userRate = lane === userLane ? runSettings.requestsPerSecond : undefined;
			rates.set(lane, userRate ?? (await operation.defaultRequestsPerSecond.call(ctx, lane)));
		}
		const scheduler = new CallScheduler(ctx, (lane) => rates.get(lane) ?? 0, runSettings.concurrency);
		const memo = operation.changeFlag ? OutcomeMemo.of(ctx) : undefined;
		const run = new ItemRun(ctx, operation, itemCount, scheduler, memo, runSettings.concurrency);
		if (operation.group) {
			const plan = await operation.group.plan.call(ctx, itemCount, runOptions);
			if (plan.size > 1 || !operation.send) {
				run.groups = new GroupRunner(ctx, operation, scheduler, plan, {
					record: (planned, reached) => run.record(planned, reached),
					broken: (planned, error) => run.results.broken(planned.index, planned.target, error),
					sendAlone: async (planned, lostBefore) => await run.sendAlone(planned, lostBefore),
					callsFor: (settings) => run.callsFor(settings),
				});
			}
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
		const key = this.memoKey(planned);
		const kept = key === undefined ? undefined : this.memo?.recall(key);
		if (kept) {
			this.results.recalled(planned.index, kept);
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

	/** The target on its own. `lostBefore`: a group request that carried it lost its answer. */
	private async sendAlone(planned: PlannedTarget<T>, lostBefore = false): Promise<void> {
		try {
			const reached = await this.reachAlone(planned, lostBefore);
			if (reached) this.record(planned, reached);
		} catch (error) {
			this.results.broken(planned.index, planned.target, error);
		}
	}

	/** The item's outcome on its own; undefined when the run stopped before anything was sent for it. */
	private async reachAlone({ target, settings }: PlannedTarget<T>, lostBefore: boolean): Promise<Reached | undefined> {
		const { operation, ctx } = this;
		const calls = this.callsFor(settings);
		const checked = operation.check ? await operation.check.call(ctx, target, calls) : {};
		if (checked.outcome) return { outcome: checked.outcome, attempts: 0 };
		if (settings.dryRun && operation.changeFlag) return { outcome: this.dryRun(target, checked.facts), attempts: 0 };
		if (this.scheduler.cancelled) return this.cancelled(0);
		const request = async () => await operation.send!.call(ctx, target, settings);
		const sent = await this.scheduler.send(settings.maxRetries, request, 'main', operation.sendsOnce === true);
		if (!wasSent(sent.answer)) return undefined;
		const answered = { target, answer: sent.answer, lostBefore: lostBefore || sent.lostBefore, settings };
		const [settled] = await settle(ctx, operation, [answered], calls);
		const outcome = settled.outcome === 'done' && operation.follow ? await operation.follow.call(ctx, target, settled, calls) : settled;
		if (outcome.outcome === 'failed' && this.scheduler.cancelled) return this.cancelled(sent.attempts);
		return { outcome, attempts: sent.attempts };
	}

	/** The item of a Dry Run: the request that would be sent, and what the checks found. */
	private dryRun(target: T, facts: IDataObject = {}): Outcome {
		const { idField, changeFlag } = this.operation;
		const json: IDataObject = { [idField]: target.id, dryRun: true, [changeFlag!]: false, method: target.method, url: target.url };
		if (target.body !== undefined) json.body = target.body;
		return { outcome: 'done', value: { ...json, ...facts }, httpStatus: 0 };
	}

	private cancelled(attempts: number): Reached {
		return { outcome: { outcome: 'failed', failure: cancelledFailure(this.operation.action, attempts) }, attempts };
	}

	/** Keeps the outcome for the output and, when final, for a later try of this execution. */
	private record(planned: PlannedTarget<T>, { outcome, attempts }: Reached): void {
		this.results.outcome(planned.index, planned.target, outcome, attempts);
		const key = this.memoKey(planned);
		if (key !== undefined && isFinal(outcome)) this.memo?.remember(key, this.results.kept(planned.index)!);
		if (outcome.outcome === 'failed' && !this.continueOnFail) this.scheduler.stop();
	}

	/** The paced, retried send an operation's read-only requests go through. */
	private callsFor(settings: ItemSettings): TargetCalls {
		const { scheduler } = this;
		return {
			settings,
			send: async (call, lane = 'lookup', { once = false } = {}) => (await scheduler.send(settings.maxRetries, call, lane, once)).answer,
			wait: async (ms) => {
				await scheduler.pause(ms);
				return !scheduler.cancelled;
			},
		};
	}
}
