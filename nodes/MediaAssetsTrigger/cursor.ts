/**
 * Where a Media Assets Trigger stands, and what one poll's listing means against it. Pure: no clock,
 * no requests. MetaStudio's times have one-second resolution, so the position is a second plus what
 * was seen in it: a change in the same second as the poll before is told apart from one already
 * emitted by the asset's signature (its state and time), never by the clock of the n8n host.
 */
import { toRfc3339 } from '../MediaAssets/helpers/dates';

export type TriggerEvent = 'assetCreated' | 'assetStateChanged';

/** One asset as a poll saw it: its ID, its state, and the time the event is about, in whole seconds. */
export interface SeenAsset {
	id: string;
	state: string;
	/** create_time (New Asset) or update_time (Asset State Changed), epoch milliseconds, whole seconds. */
	time: number;
}

/** `[state, time as RFC 3339]`, kept small because n8n stores it with the workflow. */
export type Signature = [state: string, time: string];

/** The trigger's position, as it is stored in the node's static data. */
export interface Position {
	version: 1;
	event: TriggerEvent;
	/** The newest time seen so far (RFC 3339, whole seconds); null when no asset existed at the start. */
	lastTime: string | null;
	/**
	 * Assets seen, by ID. Every asset at `lastTime` is kept (the boundary of the next poll); for Asset
	 * State Changed also the most recently changed others, up to SEEN_LIMIT, so that a change that leaves
	 * the state as it was (a rename, a file removed) is not taken for a state change.
	 */
	seen: Record<string, Signature>;
}

/** Assets remembered beyond the boundary second (Asset State Changed only). */
export const SEEN_LIMIT = 1000;

/** A MetaStudio time in whole seconds (epoch ms), or undefined when it is not a time. */
export function secondsOf(value: unknown): number | undefined {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const ms = Date.parse(value.trim());
	return Number.isFinite(ms) ? Math.floor(ms / 1000) * 1000 : undefined;
}

/** A stored position that belongs to this event, or undefined (none yet, another event, another shape). */
export function readPosition(stored: unknown, event: TriggerEvent): Position | undefined {
	if (typeof stored !== 'object' || stored === null) return undefined;
	const position = stored as Partial<Position>;
	if (position.version !== 1 || position.event !== event) return undefined;
	if (position.lastTime !== null && secondsOf(position.lastTime) === undefined) return undefined;
	if (typeof position.seen !== 'object' || position.seen === null) return undefined;
	return { version: 1, event, lastTime: position.lastTime ?? null, seen: position.seen };
}

/** Whether a listing sorted newest first can stop after an asset at `time`: everything after it is older. */
export function olderThanPosition(position: Position | undefined, time: number): boolean {
	if (!position || position.lastTime === null) return false;
	return time < secondsOf(position.lastTime)!;
}

/** Keeps every asset at the boundary second and, when allowed, the most recent others up to SEEN_LIMIT. */
function bounded(seen: Record<string, Signature>, lastTime: string | null, keepOthers: boolean): Record<string, Signature> {
	const entries = Object.entries(seen);
	const boundary = entries.filter(([, [, time]]) => time === lastTime);
	if (!keepOthers) return Object.fromEntries(boundary);
	const others = entries
		.filter(([, [, time]]) => time !== lastTime)
		.sort(([, [, a]], [, [, b]]) => (secondsOf(b) ?? 0) - (secondsOf(a) ?? 0))
		.slice(0, Math.max(0, SEEN_LIMIT - boundary.length));
	return Object.fromEntries([...boundary, ...others]);
}

/**
 * The position a trigger starts from: the newest time in `listed` (a listing sorted newest first that
 * covers at least every asset of the newest second). Nothing before it will be emitted.
 */
export function startingPosition(event: TriggerEvent, listed: SeenAsset[]): Position {
	const newest = listed.reduce<number | undefined>((max, asset) => (max === undefined || asset.time > max ? asset.time : max), undefined);
	const lastTime = newest === undefined ? null : toRfc3339(newest);
	const seen: Record<string, Signature> = {};
	for (const asset of listed) seen[asset.id] ??= [asset.state, toRfc3339(asset.time)];
	return { version: 1, event, lastTime, seen: bounded(seen, lastTime, event === 'assetStateChanged') };
}

/** What one poll came to: the assets to emit (oldest change first) and the position after it. */
export interface PollDecision<T extends SeenAsset> {
	emit: T[];
	next: Position;
}

/**
 * Reads a listing (newest first, any duplicates already merged) against the position.
 * - New Asset: an asset created after `lastTime`, or in that second and not seen in it.
 * - Asset State Changed: an asset whose time moved past `lastTime` (or whose signature in that second
 *   differs from the one seen), and whose state differs from the state the trigger last saw for it (or
 *   which it has not seen), limited to `states` when any are given.
 */
export function decide<T extends SeenAsset>(position: Position, listed: T[], states: readonly string[]): PollDecision<T> {
	const last = position.lastTime === null ? undefined : secondsOf(position.lastTime)!;
	const seen = { ...position.seen };
	const emit: T[] = [];
	let newest = last;
	for (const asset of listed) {
		if (last !== undefined && asset.time < last) continue;
		const time = toRfc3339(asset.time);
		const before = position.seen[asset.id];
		const isChange =
			last === undefined ||
			asset.time > last ||
			before === undefined ||
			(position.event === 'assetStateChanged' && (before[0] !== asset.state || before[1] !== time));
		if (!isChange) continue;
		const emits =
			position.event === 'assetCreated' ||
			((before === undefined || before[0] !== asset.state) && (states.length === 0 || states.includes(asset.state)));
		if (emits) emit.push(asset);
		seen[asset.id] = [asset.state, time];
		if (newest === undefined || asset.time > newest) newest = asset.time;
	}
	const lastTime = newest === undefined ? null : toRfc3339(newest);
	// Oldest change first; the listing is newest first, so equal times keep their listed order reversed.
	const ordered = emit.map((asset, index) => ({ asset, index })).sort((a, b) => a.asset.time - b.asset.time || b.index - a.index);
	return {
		emit: ordered.map(({ asset }) => asset),
		next: { version: 1, event: position.event, lastTime, seen: bounded(seen, lastTime, position.event === 'assetStateChanged') },
	};
}
