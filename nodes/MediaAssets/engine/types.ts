import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Answer, CallFailure, CallSettings, Done } from '../helpers/interfaces';

/** A validated, resolved target: everything needed to send its request(s). */
export interface ItemTarget {
	id: string;
	/** Two items of one run with the same key are the same call on the same remote object: it is made once. */
	dedupeKey: string;
	/** The exact request the call sends; shown by dry runs (never with headers). */
	method: string;
	url: string;
	/** The request's JSON body, for the APIs that take one; shown by dry runs. */
	body?: IDataObject;
	/** After the API accepted the change, read the target's state and fail the item unless it shows it done. */
	verify?: boolean;
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

/**
 * Pacing lanes: APIs with limits of their own are paced apart, so that a 429 from one slows only it.
 * `main`: each target's own request; `group`: requests for many targets; `lookup`: state reads;
 * `transfer`: file transfers to and from storage hosts, which are not the API.
 */
export type Lane = 'main' | 'lookup' | 'group' | 'transfer';

/** What an item came to: its json (`done`), or why it failed. */
export type Outcome = Answer<IDataObject>;

/** A target's state now: its record, `null` when it does not exist, undefined when it could not be read. */
export type TargetState = IDataObject | null | undefined;

/** The engine's paced, retried send, lent to an operation for its read-only requests. */
export interface TargetCalls {
	readonly settings: ItemSettings;
	/** Sends `call` at the lane's pace (default `lookup`) until it answers or the retries are spent. */
	send<V>(call: () => Promise<Answer<V>>, lane?: Lane, options?: { once?: boolean }): Promise<Answer<V>>;
	/** Waits (polling a state), ending early when the execution is cancelled; false then. */
	wait(ms: number): Promise<boolean>;
}

/**
 * How to learn what a change did when its answer was lost or is in doubt: read the targets' state
 * and ask whether it shows the change done. The engine decides when to ask (settle.ts).
 */
export interface TargetStateReader<T extends ItemTarget> {
	/** Read-only: the state of each target, in order (many per request where the API allows it). */
	read(this: IExecuteFunctions, targets: T[], calls: TargetCalls): Promise<TargetState[]>;
	/** Whether the state shows the change done; `null`: the target does not exist. */
	landed(state: IDataObject | null, target: T): boolean;
}

/** How a run of many targets uses requests for many targets (a batch API). */
export interface GroupPlan {
	/** Targets per request; 1 or less: none. */
	size: number;
	/**
	 * Share of the targets (0–1) sent one request each, at the same time as the group requests: the two
	 * APIs have limits of their own, so using both is faster than either alone.
	 */
	perItemShare: number;
}

/** The answer to a request for many targets: per target, in order, its own answer (undefined: not named). */
export type GroupAnswer = Answer<Array<Answer | undefined>>;

/** An API that acts on many targets per request. */
export interface GroupRequests<T extends ItemTarget> {
	/** How a run of `count` targets uses group requests, from the first item's Options. */
	plan(this: IExecuteFunctions, count: number, options: IDataObject): Promise<GroupPlan>;
	/** One request for the group. A failure with `split` set: fewer targets per request may pass. */
	send(this: IExecuteFunctions, targets: T[], settings: CallSettings): Promise<GroupAnswer>;
	/** Only targets with the same key share a request (e.g. the same project). */
	key(target: T): string;
}

/**
 * What every operation that acts on items declares: the engine plans, paces, retries, settles lost
 * answers, de-duplicates and assembles the output; an operation says what to send and what answers mean.
 */
export interface ItemOperation<T extends ItemTarget = ItemTarget> {
	/** The output field that names the target: `assetId`, `fileId`. */
	idField: string;
	/** How messages name the target: "asset", "media file". */
	noun: string;
	/** How messages name the call: "delete", "restore", "get". */
	action: string;
	/**
	 * The success flag a change sets (`deleted`, `restored`); reads have none. A change gets Dry Run, its
	 * items count their attempts, and within one execution each target's outcome is reused rather than
	 * requested again (n8n's Retry On Fail re-runs the node).
	 */
	changeFlag?: string;
	/** Reads and checks the item's parameters; throws NodeOperationError (with itemIndex) for bad input. */
	resolveTarget(this: IExecuteFunctions, itemIndex: number, options: IDataObject): Promise<T>;
	/** Pacing of each lane when the user sets none (MetaStudio: the region's documented per-API limits). */
	defaultRequestsPerSecond(this: IExecuteFunctions, lane: Lane): Promise<number>;
	/** One attempt of the target's own request; absent where the API acts only on groups of targets. */
	send?(this: IExecuteFunctions, target: T, settings: CallSettings): Promise<Answer>;
	/**
	 * The success item: from the API's answer, or (answer undefined) from a state read that showed the
	 * change done, with that state.
	 */
	successJson(target: T, answer: Done | undefined, state?: IDataObject | null): IDataObject;
	/**
	 * The request creates something, so it is never sent twice blindly: an answer that was lost is not
	 * retried but settled with `state` (or fails with the facts). Create operations.
	 */
	sendsOnce?: boolean;
	/** Changes: how a lost or doubtful answer is settled. Without it, such an answer stays a failure. */
	state?: TargetStateReader<T>;
	/** Deletes: the item for a target that is already gone. Enables Ignore Not Found. */
	alreadyDoneJson?(target: T, failure: CallFailure): IDataObject;
	/**
	 * Further requests that a success leads to, through `calls` (paced, retried, each in a request slot):
	 * the files an asset's detail names (Download), the upload after a create. It gets the success item
	 * (`successJson`'s) and its outcome is the item's.
	 */
	follow?(this: IExecuteFunctions, target: T, success: Done, calls: TargetCalls): Promise<Outcome>;
	/** Requests for many targets at once, beside (or instead of) `send`. */
	group?: GroupRequests<T>;
	/**
	 * A read-only check before the change, run in Dry Run too: an outcome ends the item there, facts go
	 * into the Dry Run item. One operation has one (KyyVideo2's Only If Status); docs/development.md.
	 */
	check?(this: IExecuteFunctions, target: T, calls: TargetCalls): Promise<{ outcome?: Outcome; facts?: IDataObject }>;
}

/** What one input item asks a listing for. */
export interface ListingQuery {
	/** At most this many records; undefined = all. */
	max?: number;
}

/** One page of a listing: its records and how many match in all. */
export interface ListingPage {
	records: IDataObject[];
	total: number;
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
	fetchPage(this: IExecuteFunctions, query: Q, page: { offset: number; limit: number }, settings: CallSettings): Promise<Answer<ListingPage>>;
}
