/** What the bench's KyyVideo2-like server counts; read by the bench through its control endpoint. */
export interface ServerStats {
	requests: number;
	byStatus: Record<string, number>;
	throttled: number;
	/** DELETEs that removed an asset. */
	deletes: number;
	/** DELETEs of an asset this run had already deleted. */
	doubleDeletes: number;
	/** DELETEs of an ID that was never created. */
	unknownDeletes: number;
	/** DELETEs refused by `faults` (every attempt counted). */
	refused: number;
	/** Assets that `faults` refuses: they stay and are not counted as lost. */
	refusedAssets: number;
	gets: number;
	/** Created assets still there, less those that `faults` refuses (lost items). */
	remaining: number;
	maxInFlight: number;
	/** Epoch milliseconds (fractional). */
	firstRequestAt?: number;
	lastResponseAt?: number;
	firstDeleteAt?: number;
	lastDeleteAt?: number;
	/** Successful deletes and 429s per second since the first request. */
	deletesPerSecond: number[];
	throttledPerSecond: number[];
}

export function emptyServerStats(): ServerStats {
	return {
		requests: 0,
		byStatus: {},
		throttled: 0,
		deletes: 0,
		doubleDeletes: 0,
		unknownDeletes: 0,
		refused: 0,
		refusedAssets: 0,
		gets: 0,
		remaining: 0,
		maxInFlight: 0,
		deletesPerSecond: [],
		throttledPerSecond: [],
	};
}
