import {
	MAX_RETRY_AFTER_MS,
	MAX_THROTTLED_IN_A_ROW,
	mayRetry,
	retryDelayMs,
	THROTTLED_WAIT_MS,
} from '../../nodes/MediaAssets/engine/retryPolicy';
import type { CallFailure } from '../../nodes/MediaAssets/helpers/interfaces';
import { parseRetryAfter } from '../../nodes/MediaAssets/helpers/retryAfter';

const serverError: CallFailure = {
	reason: 'serverError',
	summary: 'x',
	httpStatus: 500,
	retryable: true,
	outcomeUnknown: true,
};

describe('parseRetryAfter', () => {
	it('should read seconds', () => {
		expect(parseRetryAfter('3', 0)).toBe(3000);
		expect(parseRetryAfter(['1.5'], 0)).toBe(1500);
	});

	it('should read an HTTP date relative to now', () => {
		const now = Date.parse('2026-11-22T10:00:00Z');
		expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:05 GMT', now)).toBe(5000);
		expect(parseRetryAfter('Sun, 22 Nov 2026 09:00:05 GMT', now)).toBe(0);
	});

	it('should ignore what is not a Retry-After value', () => {
		expect(parseRetryAfter(undefined, 0)).toBeUndefined();
		expect(parseRetryAfter('soon', 0)).toBeUndefined();
		expect(parseRetryAfter('', 0)).toBeUndefined();
	});
});

describe('retryDelayMs', () => {
	it('should double the backoff with each attempt, within its jitter band', () => {
		for (const attempt of [1, 2, 3, 4]) {
			const full = 500 * 2 ** (attempt - 1);
			expect(retryDelayMs(attempt, serverError, 0)).toBe(full / 2);
			expect(retryDelayMs(attempt, serverError, 0.999)).toBeLessThanOrEqual(full);
		}
	});

	it('should cap the backoff', () => {
		expect(retryDelayMs(30, serverError, 0.999)).toBeLessThanOrEqual(30_000);
	});

	it('should wait at least what Retry-After asks', () => {
		const throttled: CallFailure = { ...serverError, reason: 'throttled', httpStatus: 429, retryAfterMs: 7000 };
		expect(retryDelayMs(1, throttled, 0)).toBe(7000);
		expect(retryDelayMs(1, throttled, 0.99)).toBeGreaterThanOrEqual(7000);
	});

	it('should wait at most a tenth longer than a short Retry-After asks, on the first retry', () => {
		const throttled: CallFailure = { ...serverError, reason: 'throttled', httpStatus: 429, retryAfterMs: 1000 };
		expect(retryDelayMs(1, throttled, 0.999)).toBeLessThanOrEqual(1100);
	});

	it('should wait about a second after a 429 that came without Retry-After (MetaStudio APIGW.0308)', () => {
		const throttled: CallFailure = { ...serverError, reason: 'throttled', httpStatus: 429, code: 'APIGW.0308' };
		expect(retryDelayMs(1, throttled, 0)).toBe(THROTTLED_WAIT_MS);
		expect(retryDelayMs(1, throttled, 0.999)).toBeLessThanOrEqual(1.5 * THROTTLED_WAIT_MS);
	});

	it('should never retry a 429 sooner than the backoff, even when Retry-After says 0', () => {
		const throttled: CallFailure = { ...serverError, reason: 'throttled', httpStatus: 429, retryAfterMs: 0 };
		expect(retryDelayMs(1, throttled, 0)).toBe(250);
		expect(retryDelayMs(3, throttled, 0)).toBe(1000);
	});

	it('should keep backing off a 429 that keeps coming, beyond what Retry-After asks', () => {
		const throttled: CallFailure = { ...serverError, reason: 'throttled', httpStatus: 429, retryAfterMs: 1000 };
		expect(retryDelayMs(5, throttled, 0)).toBe(4000);
	});

	it('should honour a Retry-After on a 503 as it is', () => {
		expect(retryDelayMs(4, { ...serverError, httpStatus: 503, retryAfterMs: 200 }, 0)).toBe(200);
	});
});

describe('mayRetry', () => {
	it('should allow retries up to maxRetries and no further', () => {
		expect(mayRetry(serverError, 1, 3)).toBe(true);
		expect(mayRetry(serverError, 3, 3)).toBe(true);
		expect(mayRetry(serverError, 4, 3)).toBe(false);
		expect(mayRetry(serverError, 1, 0)).toBe(false);
	});

	it('should never retry what is not retryable', () => {
		expect(mayRetry({ ...serverError, retryable: false }, 1, 10)).toBe(false);
	});

	it('should give up when the server asks for a pause longer than the node will wait', () => {
		expect(mayRetry({ ...serverError, retryAfterMs: MAX_RETRY_AFTER_MS + 1 }, 1, 10)).toBe(false);
	});
});

describe('the throttle budget', () => {
	const throttled = { reason: 'throttled', summary: 's', retryable: true, outcomeUnknown: false } as const;
	const serverError = { reason: 'serverError', summary: 's', retryable: true, outcomeUnknown: true } as const;

	it('should let 429s in a row go past Max Retries, up to MAX_THROTTLED_IN_A_ROW', () => {
		expect(mayRetry(throttled, 3, 3)).toBe(true);
		expect(mayRetry(throttled, MAX_THROTTLED_IN_A_ROW, 3)).toBe(true);
		expect(mayRetry(throttled, MAX_THROTTLED_IN_A_ROW + 1, 3)).toBe(false);
	});

	it('should keep Max Retries for other failures, and 0 meaning no retry at all', () => {
		expect(mayRetry(serverError, 3, 3)).toBe(true);
		expect(mayRetry(serverError, 4, 3)).toBe(false);
		expect(mayRetry(throttled, 1, 0)).toBe(false);
	});
});
