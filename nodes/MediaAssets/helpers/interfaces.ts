import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

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

/** A validated, resolved target: everything needed to send its request. */
export interface ItemTarget {
	id: string;
	/** Two items with the same key are the same call on the same remote object: it is made once. */
	dedupeKey: string;
	/** The exact request the call sends; shown by dry runs (never with headers). */
	method: HttpMethod;
	url: string;
}

/** Per-request settings the engine hands to the transport. */
export interface CallSettings {
	timeoutMs: number;
}

/**
 * A per-item operation: one call per input item on one target (get, delete, restore). It owns its
 * parameters, its API call and its item shapes; the engine owns the loop, concurrency, pacing,
 * retries, de-duplication, dry runs, pre-checks, the outcome memo and how results become items.
 */
export interface ItemOperation<T extends ItemTarget = ItemTarget> {
	/** The output field that names the target: `assetId`, `fileId`. */
	idField: string;
	/** How messages name the target: "asset", "media file". */
	noun: string;
	/** How messages name the call: "delete", "restore", "get". */
	action: string;
	/**
	 * Whether the call changes something remote. Such calls get Dry Run, and within one execution each
	 * target's outcome is reused rather than requested again (n8n's Retry On Fail re-runs the node).
	 */
	changesData: boolean;
	/**
	 * Reads and checks the item's parameters; throws NodeOperationError (with itemIndex) for bad input.
	 * `options` is the item's Options collection, already read by the engine.
	 */
	resolveTarget(this: IExecuteFunctions, itemIndex: number, options: IDataObject): Promise<T>;
	/** Pacing used when the user sets none (MetaStudio: the region's documented per-API limit). */
	defaultRequestsPerSecond(this: IExecuteFunctions): Promise<number>;
	callOnce(this: IExecuteFunctions, target: T, settings: CallSettings): Promise<CallAttempt>;
	/** The success item's json. */
	successJson(target: T, attempt: Extract<CallAttempt, { outcome: 'done' }>, attempts: number): IDataObject;
	/**
	 * For calls whose goal is that the target is gone (deletes): the item for a target that already was.
	 * Enables Ignore Not Found, and "not found" after a lost answer counting as our own delete.
	 */
	alreadyDoneJson?(target: T, failure: CallFailure | undefined, attempts: number): IDataObject;
	/** A read-only lookup, where the API has one: enables status pre-checks and delete verification. */
	lookup?(this: IExecuteFunctions, target: T, settings: CallSettings): Promise<LookupAttempt>;
	/**
	 * After an attempt whose outcome was unknown (a dropped connection, a timeout) and a later refusal:
	 * whether the earlier attempt landed after all, and if so the success item. Read-only.
	 */
	confirmLanded?(this: IExecuteFunctions, target: T, settings: CallSettings): Promise<IDataObject | undefined>;
}

/** The batch options, as read from the node's Options collection. */
export interface BatchSettings {
	concurrency: number;
	/** 0 = unpaced; undefined = the operation's default. */
	requestsPerSecond?: number;
}

export interface ItemSettings extends CallSettings {
	maxRetries: number;
	ignoreNotFound: boolean;
	dryRun: boolean;
	onlyIfStatus: string[];
	verifyDeletion: boolean;
}
