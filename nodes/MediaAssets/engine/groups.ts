import type { IExecuteFunctions } from 'n8n-workflow';

import type { Answer, CallFailure } from '../helpers/interfaces';
import { failed } from '../helpers/interfaces';
import type { CallScheduler } from './calls';
import { wasSent } from './calls';
import type { Answered } from './settle';
import { settle } from './settle';
import type { GroupPlan, ItemOperation, ItemSettings, ItemTarget, Outcome, TargetCalls } from './types';

/** An item read and checked, ready to be sent. */
export interface PlannedTarget<T extends ItemTarget> {
	index: number;
	target: T;
	settings: ItemSettings;
}

/** What the group runner needs of the run: where outcomes go, and the one-target path. */
export interface GroupHooks<T extends ItemTarget> {
	record(planned: PlannedTarget<T>, reached: { outcome: Outcome; attempts: number }): void;
	broken(planned: PlannedTarget<T>, error: unknown): void;
	/** `lostBefore`: a group request that carried the target lost its answer. */
	sendAlone(planned: PlannedTarget<T>, lostBefore: boolean): Promise<void>;
	callsFor(settings: ItemSettings): TargetCalls;
}

interface Member<T extends ItemTarget> {
	planned: PlannedTarget<T>;
	/** Group requests that carried this target. */
	attempts: number;
	/** A group request that carried it lost its answer: a later refusal may mean that request did the job. */
	lostBefore: boolean;
}

/** Group requests under way at once: the group API's own pace (not this) decides how many are sent. */
const MAX_GROUPS_IN_FLIGHT = 2;

/**
 * Sends targets in groups: gathers them, makes one request per group, hands each target its outcome.
 * Answers are read in settle.ts, lost ones before anything is retried; a group the service refuses as
 * too large is split; a group that keeps failing as a whole ends in one request per target.
 */
export class GroupRunner<T extends ItemTarget> {
	/** Targets waiting for a group, by group key (only targets with the same key share a request). */
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
		private readonly operation: ItemOperation<T>,
		private readonly scheduler: CallScheduler,
		private readonly plan: GroupPlan,
		private readonly hooks: GroupHooks<T>,
	) {
		this.size = Math.max(1, Math.floor(plan.size));
	}

	/** Takes the target into a group; false when it is to be sent on its own, beside the groups. */
	takes(planned: PlannedTarget<T>): boolean {
		this.seen++;
		if (this.operation.send && (this.size <= 1 || this.alone < this.seen * this.plan.perItemShare)) {
			this.alone++;
			return false;
		}
		this.enqueue({ planned, attempts: 0, lostBefore: false });
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
		const key = this.operation.group!.key(member.planned.target);
		const queue = this.queues.get(key) ?? [];
		if (first) queue.unshift(member);
		else queue.push(member);
		this.queues.set(key, queue);
	}

	/** The next group to send: a formed one, else a full one (any, when flushing). */
	private nextGroup(): Array<Member<T>> | undefined {
		const formed = this.formed.shift();
		if (formed) return formed;
		for (const [key, queue] of this.queues) {
			if (queue.length === 0 || (queue.length < this.size && !this.flushing)) continue;
			const members = queue.splice(0, this.size);
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
			this.track(this.send(members));
		}
	}

	private track(work: Promise<void>): void {
		const task: Promise<void> = work.finally(() => {
			this.inFlight.delete(task);
			this.pump();
		});
		this.inFlight.add(task);
	}

	private async send(members: Array<Member<T>>): Promise<void> {
		if (members.length === 1 && this.operation.send) {
			await this.hooks.sendAlone(members[0].planned, members[0].lostBefore);
			return;
		}
		try {
			const { settings } = members[0].planned;
			const targets = members.map((member) => member.planned.target);
			const request = async () => await this.operation.group!.send.call(this.ctx, targets, settings);
			const sent = await this.scheduler.send(settings.maxRetries, request, 'group', true);
			if (!wasSent(sent.answer)) return;
			for (const member of members) member.attempts += sent.attempts;
			if (sent.answer.outcome === 'done') {
				this.largestAnswered = Math.max(this.largestAnswered, members.length);
				await this.answered(members, sent.answer.value, notNamed(sent.answer));
			} else await this.failed(members, sent.answer.failure);
		} catch (error) {
			for (const member of members) this.hooks.broken(member.planned, error);
		}
	}

	/** Each target's own answer; one the answer did not name is as good as lost. */
	private async answered(members: Array<Member<T>>, answers: Array<Answer | undefined>, unnamed: CallFailure): Promise<void> {
		const toSettle: Array<Member<T>> = [];
		const answerOf = new Map<Member<T>, Answer>();
		members.forEach((member, i) => {
			const answer = answers[i] ?? failed(unnamed);
			const failure = answer.outcome === 'failed' ? answer.failure : undefined;
			if (failure?.retryable && answers[i] !== undefined) {
				if (failure.outcomeUnknown) member.lostBefore = true;
				this.retryOrAlone(member, failure);
				return;
			}
			answerOf.set(member, answer);
			toSettle.push(member);
		});
		await this.settleMembers(toSettle, (member) => answerOf.get(member)!);
	}

	private async failed(members: Array<Member<T>>, failure: CallFailure): Promise<void> {
		if (failure.outcomeUnknown) {
			for (const member of members) member.lostBefore = true;
			await this.settleMembers(members, () => failed(failure));
		} else if (failure.split && members.length > 1) {
			this.split(members);
		} else if (failure.reason === 'authentication') {
			for (const member of members) this.finish(member, failed(failure));
		} else {
			// Failing as a whole for a reason a smaller group would not change: each target on its own,
			// so that each gets its own precise outcome.
			for (const member of members) this.onItsOwn(member, failure, members.length);
		}
	}

	/**
	 * A group refused as invalid as a whole. Larger than any group answered so far: the run's size was
	 * too large, so it halves. Otherwise something in this group is refused: its halves go on their
	 * own, down to single targets, which then get their own precise outcomes.
	 */
	private split(members: Array<Member<T>>): void {
		const smaller = Math.max(1, Math.floor(members.length / 2));
		if (members.length > this.largestAnswered) {
			this.size = Math.min(this.size, smaller);
			for (const member of [...members].reverse()) this.enqueue(member, true);
			return;
		}
		for (let start = 0; start < members.length; start += smaller) this.formed.push(members.slice(start, start + smaller));
	}

	/** Settles the members' answers (settle.ts); what is still open and may be retried is tried again. */
	private async settleMembers(members: Array<Member<T>>, answerOf: (member: Member<T>) => Answer): Promise<void> {
		if (members.length === 0) return;
		const answered: Array<Answered<T>> = members.map((member) => ({
			target: member.planned.target,
			answer: answerOf(member),
			lostBefore: member.lostBefore,
			settings: member.planned.settings,
		}));
		const outcomes = await settle(this.ctx, this.operation, answered, this.hooks.callsFor(members[0].planned.settings));
		members.forEach((member, i) => {
			const outcome = outcomes[i];
			if (outcome.outcome === 'failed' && outcome.failure.retryable) {
				if (outcome.failure.outcomeUnknown) member.lostBefore = true;
				this.retryOrAlone(member, outcome.failure);
			} else this.finish(member, outcome);
		});
	}

	/** Another group request while the target's retries last, then one request of its own. */
	private retryOrAlone(member: Member<T>, failure: CallFailure): void {
		if (member.attempts <= member.planned.settings.maxRetries) this.enqueue(member);
		else this.onItsOwn(member, failure, 1);
	}

	/**
	 * The target in a request of its own: its own API where there is one; else a group of one, unless
	 * it already was one (then the failure stands).
	 */
	private onItsOwn(member: Member<T>, failure: CallFailure, groupSize: number): void {
		if (this.operation.send) this.track(this.hooks.sendAlone(member.planned, member.lostBefore));
		else if (groupSize > 1) this.formed.push([member]);
		else this.finish(member, failed(failure));
	}

	/** The outcome, with the group requests that carried the target counted as its attempts. */
	private finish(member: Member<T>, outcome: Outcome): void {
		this.hooks.record(member.planned, { outcome, attempts: member.attempts });
	}
}

/** A target the group's answer did not name: what became of it is unknown. */
function notNamed(answer: { httpStatus: number; requestId?: string }): CallFailure {
	return {
		reason: 'invalidResponse',
		summary: 'the answer for the group did not name it',
		httpStatus: answer.httpStatus,
		requestId: answer.requestId,
		retryable: true,
		outcomeUnknown: true,
	};
}
