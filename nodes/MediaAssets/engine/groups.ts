import type { IExecuteFunctions } from 'n8n-workflow';

import type { CallFailure } from '../helpers/interfaces';
import type { CallScheduler } from './calls';
import { StoppedBeforeSending } from './calls';
import type { GroupAnswer, GroupedOperation, GroupPlan, GroupResult, ItemSettings, ItemTarget, Outcome, TargetCalls } from './types';

/** An item read and checked, ready to be sent. */
export interface PlannedTarget<T extends ItemTarget> {
	index: number;
	target: T;
	settings: ItemSettings;
}

/** What the group runner needs of the run: where outcomes go, and the one-target path. */
export interface GroupHooks<T extends ItemTarget> {
	record(planned: PlannedTarget<T>, outcome: Outcome): void;
	broken(planned: PlannedTarget<T>, error: unknown): void;
	/** `earlierOutcomeUnknown`: a group call that carried the target lost its answer. */
	sendAlone(planned: PlannedTarget<T>, earlierOutcomeUnknown?: boolean): Promise<void>;
	callsFor(settings: ItemSettings): TargetCalls;
}

interface Member<T extends ItemTarget> {
	planned: PlannedTarget<T>;
	/** Group calls that carried this target. */
	attempts: number;
	/** A group call that carried it lost its answer: a later refusal may mean that call did the job. */
	unknownBefore: boolean;
}

/** Group calls under way at once: the group API's own pace (not this) decides how many are sent. */
const MAX_GROUPS_IN_FLIGHT = 2;

/**
 * Sends targets in groups: gathers them, calls once per group, hands each target its outcome. A lost
 * answer is settled by reading state before anything is retried or reported; a group the service
 * refuses as too large is split; a group that keeps failing as a whole ends in one call per target.
 */
export class GroupRunner<T extends ItemTarget> {
	/** Targets waiting for a group, by group key (only targets with the same key share a call). */
	private readonly queues = new Map<string, Array<Member<T>>>();

	/** Groups already formed: halves of a group the service refused although smaller ones passed. */
	private readonly formed: Array<Array<Member<T>>> = [];

	/** The largest group the service answered: a refusal of one no larger is about its content. */
	private largestAnswered = 0;

	private readonly inFlight = new Set<Promise<void>>();

	private size: number;

	private seen = 0;

	private alone = 0;

	private flushing = false;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly operation: GroupedOperation<T>,
		private readonly scheduler: CallScheduler,
		private readonly hooks: GroupHooks<T>,
		private readonly plan: GroupPlan,
	) {
		this.size = Math.floor(plan.size);
	}

	/** Takes the target into a group; false when it is to be sent on its own, beside the groups. */
	takes(planned: PlannedTarget<T>): boolean {
		this.seen++;
		if (this.size <= 1 || this.alone < this.seen * this.plan.perItemShare) {
			this.alone++;
			return false;
		}
		this.enqueue({ planned, attempts: 0, unknownBefore: false });
		this.pump();
		return true;
	}

	/** Sends what is left and waits for every group. */
	async flush(): Promise<void> {
		this.flushing = true;
		this.pump();
		while (this.inFlight.size > 0) {
			await Promise.race(this.inFlight);
			this.pump();
		}
	}

	private enqueue(member: Member<T>, first = false): void {
		const key = this.operation.groupKey?.(member.planned.target) ?? '';
		const queue = this.queues.get(key) ?? [];
		if (first) queue.unshift(member);
		else queue.push(member);
		this.queues.set(key, queue);
	}

	/** The next group to send: a formed one, else a full one (any, when flushing). */
	private nextGroup(): Array<Member<T>> | undefined {
		const formed = this.formed.shift();
		if (formed) return formed;
		const size = Math.max(1, this.size);
		for (const [key, queue] of this.queues) {
			if (queue.length === 0 || (queue.length < size && !this.flushing)) continue;
			const members = queue.splice(0, size);
			if (queue.length === 0) this.queues.delete(key);
			return members;
		}
		return undefined;
	}

	private pump(): void {
		while (this.inFlight.size < MAX_GROUPS_IN_FLIGHT) {
			if (this.scheduler.isStopped || this.scheduler.cancelled) return;
			const members = this.nextGroup();
			if (!members) return;
			const task: Promise<void> = this.send(members).finally(() => {
				this.inFlight.delete(task);
				this.pump();
			});
			this.inFlight.add(task);
		}
	}

	private async send(members: Array<Member<T>>): Promise<void> {
		if (this.size <= 1 || members.length === 1) {
			await Promise.all(members.map(async (member) => await this.hooks.sendAlone(member.planned, member.unknownBefore)));
			return;
		}
		const settings = members[0].planned.settings;
		const targets = members.map((member) => member.planned.target);
		let result: GroupResult;
		try {
			const call = async () => await this.operation.callGroup.call(this.ctx, targets, settings);
			const sent = await this.scheduler.retried(settings.maxRetries, call, 'group', { stopOnUnknown: true });
			for (const member of members) member.attempts += sent.attempts;
			result = sent.result;
		} catch (error) {
			if (error instanceof StoppedBeforeSending) return;
			for (const member of members) this.hooks.broken(member.planned, error);
			return;
		}
		if (result.outcome === 'answered') {
			this.largestAnswered = Math.max(this.largestAnswered, members.length);
			await this.answered(members, result.answers);
		} else await this.failed(members, result.failure, result.split === true);
	}

	private async answered(members: Array<Member<T>>, answers: GroupAnswer[]): Promise<void> {
		const unknown: Array<Member<T>> = [];
		const doubtful: Array<{ member: Member<T>; refusal: Extract<Outcome, { ok: false }> }> = [];
		let unknownFailure: CallFailure | undefined;
		members.forEach((member, i) => {
			const answer = answers[i];
			if (answer.ok === 'unknown') {
				unknown.push(member);
				unknownFailure = answer.failure;
			} else if (!answer.ok && member.unknownBefore && !answer.failure.retryable) {
				// Refused after an earlier call lost its answer: that call may have done the job.
				doubtful.push({ member, refusal: answer });
			} else if (!answer.ok && answer.failure.retryable) {
				this.retryOrAlone(member);
			} else {
				this.hooks.record(member.planned, this.counted(member, answer));
			}
		});
		if (unknown.length > 0) await this.settle(unknown, unknownFailure!);
		if (doubtful.length > 0) {
			const outcomes = await this.readState(doubtful.map(({ member }) => member));
			doubtful.forEach(({ member, refusal }, i) => {
				const outcome = outcomes[i] ?? this.operation.refusedAfterLostAnswer?.(member.planned.target, refusal) ?? refusal;
				this.hooks.record(member.planned, this.counted(member, outcome));
			});
		}
	}

	private async failed(members: Array<Member<T>>, failure: CallFailure, split: boolean): Promise<void> {
		if (failure.outcomeUnknown) {
			for (const member of members) member.unknownBefore = true;
			await this.settle(members, failure);
			return;
		}
		if (split) {
			this.split(members);
			return;
		}
		if (failure.reason === 'authentication') {
			for (const member of members) this.hooks.record(member.planned, { ok: false, failure, attempts: member.attempts });
			return;
		}
		// Failing as a whole for a reason a smaller group would not change: each target on its own,
		// so that each gets its own precise outcome.
		await Promise.all(members.map(async (member) => await this.hooks.sendAlone(member.planned, member.unknownBefore)));
	}

	/**
	 * A group refused as invalid as a whole. Larger than any group answered so far: the run's size was
	 * too large, so it shrinks. Otherwise something in this group is refused: its halves go on their
	 * own, down to single targets, which then get their own precise outcomes.
	 */
	private split(members: Array<Member<T>>): void {
		const smaller = Math.max(1, Math.min(this.operation.shrink(members.length), members.length - 1));
		if (members.length > this.largestAnswered) {
			this.size = Math.min(this.size, smaller);
			for (const member of [...members].reverse()) this.enqueue(member, true);
			return;
		}
		for (let start = 0; start < members.length; start += smaller) this.formed.push(members.slice(start, start + smaller));
	}

	/** Reads the state of targets whose call lost its answer; what is still open is tried again. */
	private async settle(members: Array<Member<T>>, failure: CallFailure): Promise<void> {
		const outcomes = await this.readState(members);
		members.forEach((member, i) => {
			const outcome = outcomes[i];
			if (outcome) this.hooks.record(member.planned, this.counted(member, outcome));
			else if (failure.retryable) this.retryOrAlone(member);
			else this.hooks.record(member.planned, { ok: false, failure, attempts: member.attempts });
		});
	}

	private async readState(members: Array<Member<T>>): Promise<Array<Outcome | undefined>> {
		const calls = this.hooks.callsFor(members[0].planned.settings);
		try {
			return await this.operation.settle.call(this.ctx, members.map((member) => member.planned.target), calls);
		} catch {
			// Not read (the run stopped, or the lookup broke): still unknown, so nothing is reported as done.
			return members.map(() => undefined);
		}
	}

	/** Another group call while the target's retries last, then one call of its own. */
	private retryOrAlone(member: Member<T>): void {
		if (member.attempts <= member.planned.settings.maxRetries) {
			this.enqueue(member);
			return;
		}
		const task: Promise<void> = this.hooks.sendAlone(member.planned, member.unknownBefore).finally(() => this.inFlight.delete(task));
		this.inFlight.add(task);
	}

	/** The outcome with the group calls that carried the target counted as its attempts. */
	private counted(member: Member<T>, outcome: Outcome): Outcome {
		if (outcome.ok) return { ok: true, json: { ...outcome.json, attempts: member.attempts } };
		return { ...outcome, attempts: member.attempts };
	}
}
