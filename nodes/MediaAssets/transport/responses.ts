import type { CallFailure, HttpExchange } from '../helpers/interfaces';
import { headerValue } from '../../../credentials/common/values';
import { parseRetryAfter } from '../helpers/retryAfter';

export function retryAfterOf(exchange: HttpExchange): number | undefined {
	return parseRetryAfter(headerValue(exchange.headers, 'retry-after'), Date.now());
}

/** The failure for an HTTP status that says the same thing on every API: throttled, server error, refused. */
export function httpFailure(
	statusCode: number,
	facts: { code?: string; apiMessage?: string; requestId?: string; retryAfterMs?: number },
): CallFailure {
	if (statusCode === 429) {
		return {
			reason: 'throttled',
			summary: 'the service is throttling requests',
			httpStatus: statusCode,
			...facts,
			retryable: true,
			outcomeUnknown: false,
			hint: 'Lower Requests per Second or Concurrency in the node options, or raise Max Retries.',
		};
	}
	if (statusCode >= 500) {
		return {
			reason: 'serverError',
			summary: 'the service had an internal error',
			httpStatus: statusCode,
			...facts,
			retryable: true,
			// The server may have deleted before it failed.
			outcomeUnknown: true,
			hint: 'This is usually temporary: a later run or more retries may succeed.',
		};
	}
	return {
		reason: 'apiError',
		summary: 'the service refused the request',
		httpStatus: statusCode,
		...facts,
		retryable: false,
		outcomeUnknown: false,
		hint: 'Check the ID and the credential.',
	};
}
