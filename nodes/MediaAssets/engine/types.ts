import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CallFailure, CallSettings, FailedAttempt } from '../helpers/interfaces';

/** A validated, resolved target: everything needed to send its request(s). */
export interface ItemTarget {
	id: string;
	/** Two items of one run with the same key are the same call on the same remote object: it is made once. */
	dedupeKey: string;
	/** The exact request the call sends; shown by dry runs (never with headers). */
	method: string;
	url: string;
}

/** The options every call of a run shares, read from the first item (scheduling is one decision). */
export interface RunSettings {
	concurrency: number;
	/** 0 = unpaced; undefined = the operation's default. */
	requestsPerSecond?: number;
}

/** What the engine reads of one item's Options; an operation reads its own options itself. */
export interface ItemSettings extends CallSettings {
	maxRetries: number;
	ignoreNotFound: boolean;
	dryRun: boolean;
}

/** A retried call's last result, how many attempts it took, and whether an earlier attempt may have landed. */
export interface RetriedCall<R> {
	result: R;
	attempts: number;
	/** An attempt before the last one ended without a trustworthy answer (timeout, drop, 5xx). */
	earlierOutcomeUnknown: boolean;
}

/**
 * Pacing lanes: APIs with limits of their own are paced apart, so that a 429 from one slows only it.
 * `main` is the API an operation calls per item; Requests per Second applies to it.
 */
export type Lane = 'main' | 'lookup' | 'group';

/** What the engine lends an operation for one target: its settings and a retried, paced send. */
export interface TargetCalls {
	readonly settings: ItemSettings;
	/** Sends `call` in a request slot at the lane's pace until it answers or the retries are spent. */
	retried<R extends { outcome: string }>(
		call: () => Promise<R | FailedAttempt>,
		lane?: Lane,
	): Promise<RetriedCall<R | FailedAttempt>>;
}

/**
 * What became of one item, as the operation says it. A failure is turned into the item's error by the
 * engine, which names the target with the operation's noun and `action` (default: the operation's).
 */
export type Outcome =
	| { ok: true; json: IDataObject }
	| { ok: false; failure: CallFailure; attempts: number; action?: string };

/** What every operation that acts on items (one call per item, or one call per group) declares. */
export interface TargetOperation<T extends ItemTarget = ItemTarget> {
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
	/** Pacing of each lane when the user sets none (MetaStudio: the region's documented per-API limits). */
	defaultRequestsPerSecond(this: IExecuteFunctions, lane: Lane): Promise<number>;
	/** The lane Requests per Second paces: `main` unless the operation's own calls go elsewhere. */
	userPacedLane?: Lane;
	/**
	 * Read-only checks before the change, run in Dry Run too. An outcome ends the item there; facts are
	 * added to the Dry Run item.
	 */
	precheck?(this: IExecuteFunctions, target: T, calls: TargetCalls): Promise<{ outcome?: Outcome; facts?: IDataObject }>;
	/** The item of a Dry Run: what would be sent. */
	dryRunJson?(target: T, facts: IDataObject): IDataObject;
	/** The call for one target, retried through `calls`, and what its answer means for the item. */
	callTarget(this: IExecuteFunctions, target: T, calls: TargetCalls): Promise<Outcome>;
}

/** One call per input item (get, delete, restore). */
export type ItemOperation<T extends ItemTarget = ItemTarget> = TargetOperation<T>;

/** Per target of a group call: its outcome, or "unknown" (its answer was lost or did not name it). */
export type GroupAnswer = Outcome | { ok: 'unknown'; failure: CallFailure };

/** What one group call came to, as the operation reads it. */
export type GroupResult =
	/** The call was answered: one answer per target, in the order given. */
	| { outcome: 'answered'; answers: GroupAnswer[] }
	/**
	 * The call as a whole failed. `split`: the service refused the group as too large or invalid as a
	 * whole; smaller groups may pass.
	 */
	| { outcome: 'failed'; failure: CallFailure; split?: boolean };

/** How a run uses group calls: targets per call, and the share of targets sent one by one beside them. */
export interface GroupPlan {
	/** 1 or less: no group calls. */
	size: number;
	/**
	 * Share of the targets (0–1) sent one call each, at the same time as the group calls: the two APIs
	 * have limits of their own, so using both is faster than either alone.
	 */
	perItemShare: number;
}

/**
 * Many input items, one call (a batch API). The engine gathers up to `groupSize` resolved targets,
 * calls once for them, and the operation maps the answer back to each target. Targets whose outcome
 * is unknown are settled (`settle`, read-only) before anything is retried or reported; a group that
 * keeps failing as a whole ends in one call per target (`callTarget`).
 */
export interface GroupedOperation<T extends ItemTarget = ItemTarget> extends TargetOperation<T> {
	/**
	 * How a run of `targetCount` targets uses group calls (size 1: none, one call per target is as
	 * fast or faster), given the first item's Options (run-wide, like every scheduling decision). The size shrinks when the service refuses a group as too large (`shrink`).
	 */
	groupSize(this: IExecuteFunctions, targetCount: number, options: IDataObject): Promise<GroupPlan>;
	/** One call for the group (the engine retries it and paces it on the `group` lane). */
	callGroup(this: IExecuteFunctions, targets: T[], settings: ItemSettings): Promise<GroupResult>;
	/** Reads the state of targets whose outcome is unknown: an outcome per target, undefined when still unknown. */
	settle(this: IExecuteFunctions, targets: T[], calls: TargetCalls): Promise<Array<Outcome | undefined>>;
	/**
	 * A target's refusal after an earlier group call that carried it lost its answer, when its state could
	 * not be read: what the refusal itself says (a delete's "not found" is that call's own work).
	 * Undefined: the refusal stands.
	 */
	refusedAfterLostAnswer?(target: T, refusal: Extract<Outcome, { ok: false }>): Outcome | undefined;
	/** The group size the service refused (`split`): the next size to try. */
	shrink(refusedSize: number): number;
	/** Only targets with the same key share a group call (e.g. the same project). */
	groupKey?(target: T): string;
}

export function isGrouped<T extends ItemTarget>(operation: TargetOperation<T>): operation is GroupedOperation<T> {
	return typeof (operation as GroupedOperation<T>).callGroup === 'function';
}

/** One page of a listing. */
export type PageAttempt = { outcome: 'done'; records: IDataObject[]; total: number } | FailedAttempt;

/** What one input item asks a listing for. */
export interface ListingQuery {
	/** At most this many records; undefined = all. */
	max?: number;
}

/**
 * A listing ("Get many"): each input item fans out into pages and one output item per record. It
 * shares pacing, retries and error items with per-item operations, not their per-item plan.
 */
export interface ListingOperation<Q extends ListingQuery> {
	/** How messages name what is listed: "assets". */
	noun: string;
	pageSize: number;
	/** Reads and checks the item's parameters; throws NodeOperationError (with itemIndex) for bad input. */
	resolveQuery(this: IExecuteFunctions, itemIndex: number, options: IDataObject): Promise<Q>;
	defaultRequestsPerSecond(this: IExecuteFunctions): Promise<number>;
	fetchPage(this: IExecuteFunctions, query: Q, page: { offset: number; limit: number }, settings: CallSettings): Promise<PageAttempt>;
}
