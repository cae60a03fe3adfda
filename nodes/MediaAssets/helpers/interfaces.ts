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

/** What one DELETE attempt came to. */
export type DeleteAttempt =
	| { outcome: 'deleted'; httpStatus: number; fields: IDataObject }
	/**
	 * The API says there is nothing to delete. `certain` is false where the API cannot tell "not found"
	 * from other refusals (KyyVideo2 answers any failure with a non-"0" code): the engine then asks the
	 * read-only lookup before it calls the item already deleted.
	 */
	| { outcome: 'notFound'; certain: boolean; failure: CallFailure }
	| { outcome: 'failed'; failure: CallFailure };

/** What a read-only lookup of the target came to. */
export type LookupAttempt =
	| { outcome: 'found'; status?: string; record: IDataObject }
	| { outcome: 'absent' }
	| { outcome: 'failed'; failure: CallFailure };

/** A validated, resolved target: everything needed to send its requests. */
export interface DeleteTarget {
	id: string;
	/** Two items with the same key name the same remote object and are deleted once. */
	dedupeKey: string;
	/** The exact request a delete sends; shown by dry runs (never with headers). */
	method: 'DELETE';
	url: string;
}

/** Per-request settings the engine hands to the transport. */
export interface CallSettings {
	timeoutMs: number;
}

/**
 * One delete operation. It owns its parameters and its API; the engine owns the loop, concurrency,
 * pacing, retries, de-duplication, dry runs, pre-checks and how results become items.
 */
export interface DeleteOperation<T extends DeleteTarget = DeleteTarget> {
	/** The output field that names the target: `assetId`, `fileId`. */
	idField: string;
	/** How messages name the target: "asset", "media file". */
	noun: string;
	/**
	 * Reads and checks the item's parameters; throws NodeOperationError (with itemIndex) for bad input.
	 * `options` is the item's Options collection, already read by the engine.
	 */
	resolveTarget(this: IExecuteFunctions, itemIndex: number, options: IDataObject): Promise<T>;
	/** Pacing used when the user sets none (MetaStudio: the region's documented limit). */
	defaultRequestsPerSecond(this: IExecuteFunctions): Promise<number>;
	deleteOnce(this: IExecuteFunctions, target: T, settings: CallSettings): Promise<DeleteAttempt>;
	/** A read-only lookup, where the API has one: enables status pre-checks and delete verification. */
	lookup?(this: IExecuteFunctions, target: T, settings: CallSettings): Promise<LookupAttempt>;
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
