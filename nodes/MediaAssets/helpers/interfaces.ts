import type { IDataObject } from 'n8n-workflow';

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
	| 'cancelled';

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
}

export type CallResult<T> = { ok: true; value: T } | { ok: false; failure: CallFailure };

/** A failed attempt, in the form every call result shares. */
export type FailedAttempt = { outcome: 'failed'; failure: CallFailure };

/** What one call of a per-item operation came to. */
export type CallAttempt =
	| { outcome: 'done'; httpStatus: number; fields: IDataObject }
	/**
	 * The API says the target does not exist. `certain` is false where the API cannot tell "not found"
	 * from other refusals (KyyVideo2 answers any failure with a non-"0" code): the engine then asks the
	 * read-only lookup before it calls a delete already done.
	 */
	| { outcome: 'notFound'; certain: boolean; failure: CallFailure }
	| FailedAttempt;

/** What a read-only lookup of the target came to. */
export type LookupAttempt =
	| { outcome: 'found'; status?: string; record: IDataObject }
	/** With the API's answer that said so, when there was one. */
	| { outcome: 'absent'; facts?: Pick<CallFailure, 'httpStatus' | 'code' | 'apiMessage'> }
	| FailedAttempt;

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/** Per-request settings the transport takes. */
export interface CallSettings {
	timeoutMs: number;
}
