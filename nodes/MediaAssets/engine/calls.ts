import type { IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { Answer, Failed } from '../helpers/interfaces';
import { failed } from '../helpers/interfaces';
import type { PacerTicket } from './pacer';
import { RequestPacer } from './pacer';
import { mayRetry, retryDelayMs } from './retryPolicy';
import type { Lane } from './types';

/** A request's last answer, how many attempts it took, and whether an earlier attempt may have landed. */
export interface Sent<V> {
	answer: Answer<V>;
	attempts: number;
	/** An attempt before the last one ended without a trustworthy answer (timeout, drop, 5xx). */
	lostBefore: boolean;
}

/** The answer of a request the run stopped before it was sent: nothing was done, nothing is reported. */
const NOT_SENT: Failed = failed({
	reason: 'notSent',
	summary: 'the run stopped before this request was sent',
	retryable: false,
	outcomeUnknown: false,
});

export function wasSent(answer: Answer<unknown>): boolean {
	return answer.outcome === 'done' || answer.failure.reason !== 'notSent';
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
 * Waits for a request slot and the lane's pace; resolves holding a slot, with the pacer's ticket.
 *
 * A request never waits for its pace while it holds a slot: a slot idled by one lane's pace is a slot
 * another lane (group requests beside paced per-target requests) cannot send in. Unpaced, the slot
 * comes first, so that the ticket is the moment the request leaves (the pacer measures the rate the
 * workers reach from those moments). A 429 can set the pace while requests wait for their slots: each
 * then gives its slot back and queues for the pace like the rest. Were it to keep the slot, requests
 * queued for the pace would hold every slot while those already paced waited for one, so the requests
 * would leave in bursts, not at the pace, and draw more 429s.
 */
export async function takeSlotAndPace(slots: RequestSlots, pacer: RequestPacer, isRetry: boolean): Promise<PacerTicket> {
	if (!pacer.paces) {
		await slots.take(isRetry);
		// Still unpaced: acquire() returns at once.
		if (!pacer.paces) return await pacer.acquire();
		slots.give();
	}
	// acquire() never throws: its waits end early, not in an error, when the execution is cancelled.
	const ticket = await pacer.acquire();
	await slots.take(isRetry);
	return ticket;
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

	/** No request is sent any more (one already sent finishes): later calls answer "not sent". */
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
	 * failure, or the retries are used up, or the execution is cancelled (then the last answer is returned).
	 * `stopOnUnknown`: a lost answer is returned at once, for a caller that must learn what it did first.
	 */
	async send<V>(maxRetries: number, call: () => Promise<Answer<V>>, lane: Lane = 'main', stopOnUnknown = false): Promise<Sent<V>> {
		let lostBefore = false;
		let throttledInARow = 0;
		let otherFailures = 0;
		for (let attempts = 1; ; attempts++) {
			const answer = await this.sendOnce(attempts > 1, call, lane);
			if (answer.outcome === 'done') return { answer, attempts, lostBefore };
			const { failure } = answer;
			if (failure.reason === 'notSent') return { answer, attempts: attempts - 1, lostBefore };
			if (failure.reason === 'throttled') throttledInARow++;
			else [throttledInARow, otherFailures] = [0, otherFailures + 1];
			const counted = failure.reason === 'throttled' ? throttledInARow : otherFailures;
			if ((stopOnUnknown && failure.outcomeUnknown) || this.cancelled || !mayRetry(failure, counted, maxRetries)) {
				return { answer, attempts, lostBefore };
			}
			if (failure.outcomeUnknown) lostBefore = true;
			await this.pause(retryDelayMs(attempts, failure, Math.random()));
			if (this.cancelled) return { answer, attempts, lostBefore };
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

	private async sendOnce<V>(isRetry: boolean, call: () => Promise<Answer<V>>, lane: Lane): Promise<Answer<V>> {
		if (this.stopped || this.cancelled) return NOT_SENT;
		const pacer = this.pacer(lane);
		const ticket = await takeSlotAndPace(this.slots, pacer, isRetry);
		try {
			// The waits may have outlasted the run (a failure stopped it, or the execution was cancelled,
			// which wakes the pacer at once): a request not yet sent is not "in flight".
			if (this.stopped || this.cancelled) return NOT_SENT;
			const answer = await call();
			const failure = answer.outcome === 'failed' ? answer.failure : undefined;
			// A 429 lowers the pace; any other answer means the server took the request for work. No answer
			// at all (a drop, a timeout) says nothing about the server's limit.
			if (failure?.reason === 'throttled') pacer.onThrottled(ticket, failure.retryAfterMs);
			else if (failure?.httpStatus !== undefined || !failure) pacer.onSuccess(ticket);
			return answer;
		} finally {
			this.slots.give();
		}
	}
}
