import type { IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { FailedAttempt } from '../helpers/interfaces';
import { RequestPacer } from './pacer';
import { mayRetry, retryDelayMs } from './retryPolicy';

/** A retried call's last result, how many attempts it took, and whether an earlier attempt may have landed. */
export interface RetriedCall<R> {
	result: R;
	attempts: number;
	/** An attempt before the last one ended without a trustworthy answer (timeout, drop, 5xx). */
	earlierOutcomeUnknown: boolean;
}

/**
 * What every call of one node run shares: the pacer (requests per second and the pause after a 429,
 * across all workers), the retry policy, and the execution's cancel signal. The one place that waits
 * and retries, for per-item operations and listings alike.
 */
export class CallScheduler {
	private readonly pacer: RequestPacer;

	private readonly cancelSignal: AbortSignal | undefined;

	constructor(ctx: IExecuteFunctions, requestsPerSecond: number) {
		this.cancelSignal = ctx.getExecutionCancelSignal?.();
		this.pacer = new RequestPacer(requestsPerSecond, () => Date.now(), async (ms) => await this.pause(ms));
	}

	get cancelled(): boolean {
		return this.cancelSignal?.aborted === true;
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
	 * Sends `call` through the pacer until it answers with anything but a retryable failure, or the
	 * retries are used up, or the execution is stopped (then the last result is returned as it is).
	 */
	async retried<R extends { outcome: string }>(
		maxRetries: number,
		call: () => Promise<R | FailedAttempt>,
	): Promise<RetriedCall<R | FailedAttempt>> {
		let earlierOutcomeUnknown = false;
		for (let attempts = 1; ; attempts++) {
			const ticket = await this.pacer.acquire();
			const result = await call();
			const failure = result.outcome === 'failed' ? (result as FailedAttempt).failure : undefined;
			// Any answer but a 429 means the server took the request for work: it says nothing against the pace.
			if (failure?.reason === 'throttled') this.pacer.onThrottled(ticket);
			else this.pacer.onSuccess(ticket);
			if (!failure) return { result, attempts, earlierOutcomeUnknown };
			if (this.cancelled || !mayRetry(failure, attempts, maxRetries)) {
				return { result, attempts, earlierOutcomeUnknown };
			}
			if (failure.outcomeUnknown) earlierOutcomeUnknown = true;
			await this.pause(retryDelayMs(attempts, failure, Math.random()));
			if (this.cancelled) return { result, attempts, earlierOutcomeUnknown };
		}
	}
}
