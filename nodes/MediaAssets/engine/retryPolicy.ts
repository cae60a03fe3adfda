import type { CallFailure } from '../helpers/interfaces';

/** First backoff; each later retry doubles it, up to MAX_BACKOFF_MS. */
export const RETRY_BASE_MS = 500;
export const MAX_BACKOFF_MS = 30_000;
/**
 * What a request refused with a 429 but no Retry-After waits before it is tried again (plus up to
 * half as much at random). Huawei's gateway sends none with its APIGW.0308 and suggests waiting 2–5 s;
 * its limits are per second, and the pacer lowers the pace of every request at once, so one second
 * honours the limit without idling it; longer waits idle the limit at the end of a run, where the
 * last refused items are waited for.
 */
export const THROTTLED_WAIT_MS = 1_000;
/** A server asking for a longer pause than this gets a failed item (marked retryable) instead of a stalled node. */
export const MAX_RETRY_AFTER_MS = 120_000;

/**
 * 429s in a row an item may get before it fails. A 429 says "come later", not "this item failed": it
 * does not spend Max Retries, which would lose items whenever several runs share one limit.
 */
export const MAX_THROTTLED_IN_A_ROW = 10;

/**
 * Whether another attempt may help and is allowed. `failuresCounted` is the number of failures that
 * count against the budget: 429s in a row for a 429, the item's other failures otherwise.
 */
export function mayRetry(failure: CallFailure, failuresCounted: number, maxRetries: number): boolean {
	if (!failure.retryable) return false;
	// Max Retries 0 means no retries at all, 429s included.
	const budget = failure.reason === 'throttled' && maxRetries > 0 ? Math.max(maxRetries, MAX_THROTTLED_IN_A_ROW) : maxRetries;
	if (failuresCounted > budget) return false;
	return (failure.retryAfterMs ?? 0) <= MAX_RETRY_AFTER_MS;
}

/**
 * How long to wait after the attempt numbered `attemptsMade` failed: exponential backoff with "equal
 * jitter" (half fixed, half random) so that parallel workers do not retry in lockstep. After a 429:
 * what the server asked in Retry-After (THROTTLED_WAIT_MS without one), with a little spread, and never
 * less than the backoff, so that a "Retry-After: 0" cannot spend an item's tries before the pace has
 * come down. `random` is in [0, 1).
 */
export function retryDelayMs(attemptsMade: number, failure: CallFailure, random: number): number {
	const exponential = Math.min(MAX_BACKOFF_MS, RETRY_BASE_MS * 2 ** Math.max(0, attemptsMade - 1));
	const backoff = exponential / 2 + (exponential / 2) * random;
	const asked = failure.retryAfterMs ?? (failure.reason === 'throttled' ? THROTTLED_WAIT_MS : undefined);
	if (asked === undefined) return Math.round(backoff);
	// Spread, so that everyone the server refused at once does not come back at once.
	const spread = failure.retryAfterMs === undefined ? asked / 2 : Math.min(1_000, asked * 0.1);
	const wait = asked + spread * random;
	return Math.round(failure.reason === 'throttled' ? Math.max(backoff, wait) : wait);
}
