/**
 * Dates for APIs that take RFC 3339 UTC (`2021-01-10T08:43:17Z`). n8n's dateTime fields hold a wall
 * time without an offset ("2026-10-01T00:00:00"), meant in the workflow's time zone; expressions such
 * as `{{ $now.minus({ days: 30 }) }}` give an ISO string with an offset. Pure: no clock is read.
 */

const HAS_OFFSET = /(?:Z|[+-]\d{2}:?\d{2})$/i;
const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;

/** Minutes to add to UTC to get the wall time in `timeZone` at `utcMs`. */
function zoneOffsetMinutes(utcMs: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(utcMs));
	const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
	const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
	return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/** `YYYY-MM-DDTHH:mm:ssZ`: an instant (epoch milliseconds) in RFC 3339 UTC, whole seconds. */
export function toRfc3339(utcMs: number): string {
	return new Date(utcMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isLuxonLike(value: unknown): value is { toMillis(): number } {
	return typeof value === 'object' && value !== null && typeof (value as { toMillis?: unknown }).toMillis === 'function';
}

/** `YYYY-MM-DDTHH:mm:ssZ`, or undefined when the value is not a date. */
export function toRfc3339Utc(value: unknown, timeZone: string): string | undefined {
	let utcMs: number;
	if (value instanceof Date) {
		utcMs = value.getTime();
	} else if (isLuxonLike(value)) {
		// `{{ $now.minus({ days: 30 }) }}` gives n8n's Luxon DateTime, not a string.
		utcMs = value.toMillis();
	} else if (typeof value === 'string' && HAS_OFFSET.test(value.trim())) {
		utcMs = Date.parse(value.trim());
	} else if (typeof value === 'string' && WALL_TIME.test(value.trim())) {
		const [, y, mo, d, h = '0', mi = '0', s = '0'] = WALL_TIME.exec(value.trim())!;
		const wallAsUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
		// Two passes: the offset at the first guess can differ from the offset at the answer across a DST change.
		let guess = wallAsUtc - zoneOffsetMinutes(wallAsUtc, timeZone) * 60_000;
		guess = wallAsUtc - zoneOffsetMinutes(guess, timeZone) * 60_000;
		utcMs = guess;
	} else {
		return undefined;
	}
	if (!Number.isFinite(utcMs)) return undefined;
	return toRfc3339(utcMs);
}
