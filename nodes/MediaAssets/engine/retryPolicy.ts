import type { CallFailure } from '../helpers/interfaces';

/** First backoff; each later retry doubles it, up to MAX_BACKOFF_MS. */
export const RETRY_BASE_MS = 500;
export const MAX_BACKOFF_MS = 30_000;
/** Huawei's gateway sends no Retry-After with its 429 and suggests waiting 2–5 s. */
export const THROTTLED_MIN_WAIT_MS = 2_000;
/** A server asking for a longer pause than this gets a failed item (marked retryable) instead of a stalled node. */
export const MAX_RETRY_AFTER_MS = 120_000;

/** Reads Retry-After as seconds or as an HTTP date. */
export function parseRetryAfter(value: unknown, nowMs: number): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (typeof text !== 'string' && typeof text !== 'number') return undefined;
	const raw = String(text).trim();
	if (raw === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
	const at = Date.parse(raw);
	if (Number.isNaN(at)) return undefined;
	return Math.max(0, at - nowMs);
}

/** Whether another attempt may help and is allowed. */
export function mayRetry(failure: CallFailure, attemptsMade: number, maxRetries: number): boolean {
	if (!failure.retryable || attemptsMade > maxRetries) return false;
	return (failure.retryAfterMs ?? 0) <= MAX_RETRY_AFTER_MS;
}

/**
 * How long to wait after the attempt numbered `attemptsMade` failed: exponential backoff with "equal
 * jitter" (half fixed, half random) so that parallel workers do not retry in lockstep; never less
 * than a Retry-After the server sent, and at least 2 s after a 429 that came without one.
 * `random` is in [0, 1).
 */
export function retryDelayMs(attemptsMade: number, failure: CallFailure, random: number): number {
	const exponential = Math.min(MAX_BACKOFF_MS, RETRY_BASE_MS * 2 ** Math.max(0, attemptsMade - 1));
	let delay = exponential / 2 + (exponential / 2) * random;
	if (failure.reason === 'throttled') {
		// The pacer has already lowered everyone's pace; the refused item itself waits what the server
		// asked (Huawei suggests 2-5 s where no Retry-After comes), and never less than the backoff, so a
		// "Retry-After: 0" cannot spend an item's tries in one burst before the pace has settled.
		const asked =
			failure.retryAfterMs !== undefined
				? failure.retryAfterMs + Math.min(1_000, failure.retryAfterMs * 0.1) * random
				: THROTTLED_MIN_WAIT_MS + 1_000 * random;
		delay = Math.max(delay, asked);
	} else if (failure.retryAfterMs !== undefined) {
		// Honour the server's wait, plus a little spread so that everyone it throttled does not come back at once.
		delay = failure.retryAfterMs + Math.min(1_000, failure.retryAfterMs * 0.1) * random;
	}
	return Math.round(delay);
}
