import type { IBinaryKeyData, IDataObject } from 'n8n-workflow';

/** One HTTP exchange as it came back, whatever its status code. */
export interface HttpExchange {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

/** Why a call did not succeed, in the words the engine decides on. */
export type FailureReason =
	| 'invalidInput'
	| 'apiError'
	| 'authentication'
	| 'throttled'
	| 'serverError'
	| 'network'
	| 'timeout'
	| 'invalidResponse'
	| 'notFound'
	| 'stillExists'
	| 'cancelled'
	/** A downloaded file is not what the service says it is (size or MD5): never output as a success. */
	| 'corruptDownload'
	/** The run stopped (a failure without continue-on-fail, or a cancel) before the request was sent. */
	| 'notSent';

/** A failed call, normalised across both APIs and the network. */
export interface CallFailure {
	reason: FailureReason;
	/** What went wrong, in one sentence, without the ID (the engine adds it). */
	summary: string;
	httpStatus?: number;
	/** The API's own code (KyyVideo2 `code`, Huawei `error_code`) or a network code such as ETIMEDOUT. */
	code?: string;
	/** The API's own text (KyyVideo2 `msg`, Huawei `error_msg`). */
	apiMessage?: string;
	requestId?: string;
	/** Worth another attempt: 429, 5xx, timeouts and connection errors only. */
	retryable: boolean;
	/** The request may have been carried out although no answer proved it (timeout, dropped connection, 5xx). */
	outcomeUnknown: boolean;
	/** From a Retry-After header. */
	retryAfterMs?: number;
	/** What the user can do about it. */
	hint?: string;
	/** The service refused a request for many targets as invalid as a whole: fewer per request may pass. */
	split?: boolean;
}

/** An answer that says the request did its work, with what it returned. */
export interface Done<V = IDataObject> {
	outcome: 'done';
	value: V;
	httpStatus: number;
	/** The service's name for the call (MetaStudio's `X-Request-Id`), when it gives one. */
	requestId?: string;
	/** Files the request brought, stored as n8n binary data, by binary property. */
	binary?: IBinaryKeyData;
}

/** A request that did not do its work, or whose answer does not prove it did. */
export interface Failed {
	outcome: 'failed';
	failure: CallFailure;
}

/**
 * What one request came to: the one result type from transport to output items. A page, a detail, a
 * delete, a batch of many targets: each is `done` with its value or `failed` with why.
 */
export type Answer<V = IDataObject> = Done<V> | Failed;

export function failed(failure: CallFailure): Failed {
	return { outcome: 'failed', failure };
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Per-request settings the transport takes. */
export interface CallSettings {
	timeoutMs: number;
}
