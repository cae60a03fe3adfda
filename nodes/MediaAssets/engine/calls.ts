import type { IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { FailedAttempt } from '../helpers/interfaces';
import { RequestPacer } from './pacer';
import { mayRetry, retryDelayMs } from './retryPolicy';
import type { Lane, RetriedCall } from './types';

/** Thrown to a call that had not been sent when the run stopped taking new work. */
export class StoppedBeforeSending extends Error {
	constructor() {
		super('The run stopped before this request was sent');
		this.name = 'StoppedBeforeSending';
	}
}

/**
 * Requests in flight, at most `size`. A request holds a slot only while it is sent: an item waiting to
 * be retried (a Retry-After, a backoff) gives its slot to the next item instead of idling it. Retries
 * that are due go before items not yet started, so work already begun finishes first.
 */
export class RequestSlots {
	private free: number;

	private readonly retries: Array<() => void> = [];

	private readonly firsts: Array<() => void> = [];

	constructor(size: number) {
		this.free = Math.max(1, size);
	}

	async take(isRetry: boolean): Promise<void> {
		if (this.free > 0 && (isRetry || this.retries.length === 0)) {
			this.free--;
			return;
		}
		await new Promise<void>((resolve) => (isRetry ? this.retries : this.firsts).push(resolve));
	}

	give(): void {
		const next = this.retries.shift() ?? this.firsts.shift();
		if (next) next();
		else this.free++;
	}
}

/**
 * What every call of one node run shares: the request slots (concurrency), a pacer per lane (requests
 * per second and the slow-down after a 429, across all items: APIs with limits of their own are paced
 * apart), the retry policy, and the execution's cancel signal. The one place that waits and retries.
 */
export class CallScheduler {
	private readonly pacers = new Map<Lane, RequestPacer>();

	private readonly slots: RequestSlots;

	private readonly cancelSignal: AbortSignal | undefined;

	private stopped = false;

	/** `rateOf` gives each lane's requests per second (0 = unpaced) the first time the lane is used. */
	constructor(
		ctx: IExecuteFunctions,
		private readonly rateOf: (lane: Lane) => number,
		concurrency = 1,
	) {
		this.cancelSignal = ctx.getExecutionCancelSignal?.();
		this.slots = new RequestSlots(concurrency);
	}

	get cancelled(): boolean {
		return this.cancelSignal?.aborted === true;
	}

	get isStopped(): boolean {
		return this.stopped;
	}

	/** No request is sent any more (one already sent finishes): later calls throw StoppedBeforeSending. */
	stop(): void {
		this.stopped = true;
	}

	/** Waits, but wakes at once when the execution is stopped (the caller checks `cancelled`). */
	async pause(ms: number): Promise<void> {
		if (ms <= 0) return;
		try {
			await sleep(ms, this.cancelSignal);
		} catch {
			// Cancelled.
		}
	}

	/**
	 * Sends `call` through a slot and the lane's pacer until it answers with anything but a retryable
	 * failure, or the retries are used up, or the execution is cancelled (then the last result is returned).
	 */
	async retried<R extends { outcome: string }>(
		maxRetries: number,
		call: () => Promise<R | FailedAttempt>,
		lane: Lane = 'main',
		{ stopOnUnknown = false }: { stopOnUnknown?: boolean } = {},
	): Promise<RetriedCall<R | FailedAttempt>> {
		let earlierOutcomeUnknown = false;
		let throttledInARow = 0;
		let otherFailures = 0;
		for (let attempts = 1; ; attempts++) {
			const result = await this.sendOnce(attempts > 1, call, lane);
			const failure = result.outcome === 'failed' ? (result as FailedAttempt).failure : undefined;
			if (failure?.reason === 'throttled') throttledInARow++;
			else if (failure) [throttledInARow, otherFailures] = [0, otherFailures + 1];
			const counted = failure?.reason === 'throttled' ? throttledInARow : otherFailures;
			// A caller that must learn what a lost answer did (a group call) settles it before any retry.
			const mustSettle = stopOnUnknown && failure?.outcomeUnknown === true;
			if (!failure || mustSettle || this.cancelled || !mayRetry(failure, counted, maxRetries)) {
				return { result, attempts, earlierOutcomeUnknown };
			}
			if (failure.outcomeUnknown) earlierOutcomeUnknown = true;
			await this.pause(retryDelayMs(attempts, failure, Math.random()));
			if (this.cancelled) return { result, attempts, earlierOutcomeUnknown };
		}
	}

	private pacer(lane: Lane): RequestPacer {
		let pacer = this.pacers.get(lane);
		if (!pacer) {
			pacer = new RequestPacer(this.rateOf(lane), () => Date.now(), async (ms) => await this.pause(ms));
			this.pacers.set(lane, pacer);
		}
		return pacer;
	}

	private async sendOnce<R extends { outcome: string }>(
		isRetry: boolean,
		call: () => Promise<R | FailedAttempt>,
		lane: Lane,
	): Promise<R | FailedAttempt> {
		if (this.stopped || this.cancelled) throw new StoppedBeforeSending();
		const pacer = this.pacer(lane);
		// On a paced lane the pace comes first, then a slot: a request waiting for its lane's pace must
		// not hold a slot that another lane (batch calls beside paced per-asset calls) could send in.
		// Unpaced, the slot comes first, so that the pacer sees when requests really leave.
		const paced = pacer.paces;
		if (!paced) await this.slots.take(isRetry);
		// acquire() never throws: its waits end early, not in an error, when the execution is cancelled.
		const ticket = await pacer.acquire();
		if (paced) await this.slots.take(isRetry);
		try {
			// The waits may have outlasted the run (a failure stopped it, or the execution was cancelled,
			// which wakes the pacer at once): a request not yet sent is not "in flight".
			if (this.stopped || this.cancelled) throw new StoppedBeforeSending();
			const result = await call();
			const failure = result.outcome === 'failed' ? (result as FailedAttempt).failure : undefined;
			// A 429 lowers the pace; any other answer means the server took the request for work. No answer
			// at all (a drop, a timeout) says nothing about the server's limit.
			if (failure?.reason === 'throttled') pacer.onThrottled(ticket, failure.retryAfterMs);
			else if (failure?.httpStatus !== undefined || !failure) pacer.onSuccess(ticket);
			return result;
		} finally {
			this.slots.give();
		}
	}
}
