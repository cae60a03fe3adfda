import { ASSET_URI_PREFIX, MAX_ID_LENGTH } from './constants';

export type IdCheck = { valid: true; id: string } | { valid: false; problem: string; hint: string };

// Controls, format characters (zero-width and direction marks) and any whitespace or separator:
// none belongs in an ID, and some would make two different IDs look the same.
const INVISIBLE_OR_SPACE = /[\p{Cc}\p{Cf}\p{Z}\s]/u;
// Characters that would change which path is requested, or that mark an already-encoded value.
const PATH_CHANGING = /[/\\?#%]/;

/**
 * Checks a value meant to become one path segment of a DELETE. Anything that could make the request
 * go to another path than the documented one is refused, so a bad spreadsheet cell never deletes
 * the wrong thing.
 */
export function checkResourceId(value: unknown, label: string): IdCheck {
	if (typeof value !== 'string') {
		const got = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
		return {
			valid: false,
			problem: `The ${label} must be text, but got ${got}`,
			hint: `Map a text field to the ${label}, or wrap the expression in String(...) if the ID really is a number.`,
		};
	}
	const id = value.trim();
	if (id === '') {
		return {
			valid: false,
			problem: `The ${label} is empty`,
			hint: `Check that the input item has a value in the field the ${label} expression reads.`,
		};
	}
	if (id.length > MAX_ID_LENGTH) {
		return {
			valid: false,
			problem: `The ${label} is ${id.length} characters long, longer than any real ID (${MAX_ID_LENGTH})`,
			hint: `Map only the ID itself, not a whole row or response.`,
		};
	}
	if (INVISIBLE_OR_SPACE.test(id)) {
		return {
			valid: false,
			problem: `The ${label} "${printable(id)}" contains whitespace or an invisible character`,
			hint: 'Remove spaces, line breaks and control characters from the ID.',
		};
	}
	if (PATH_CHANGING.test(id) || id.includes('..')) {
		return {
			valid: false,
			problem: `The ${label} "${printable(id)}" contains a character that is not allowed in an ID (/ \\ ? # % or ..)`,
			hint: 'Pass the bare ID, not a URL, a path or an already URL-encoded value.',
		};
	}
	return { valid: true, id };
}

/** Accepts `asset://asset-…` as well as the bare ID (the form Seedance generation requests use). */
export function checkAssetId(value: unknown): IdCheck {
	if (typeof value === 'string') {
		const trimmed = value.trim();
		const bare = trimmed.toLowerCase().startsWith(ASSET_URI_PREFIX)
			? trimmed.slice(ASSET_URI_PREFIX.length)
			: trimmed;
		return checkResourceId(bare, 'asset ID');
	}
	return checkResourceId(value, 'asset ID');
}

// MetaStudio documents that X-App-UserId must not contain Chinese characters.
const CHINESE = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;
const CONTROL = /[\p{Cc}]/u;

export function checkAppUserId(value: unknown): IdCheck {
	if (typeof value !== 'string') return checkResourceId(value, 'app user ID');
	const id = value.trim();
	if (CHINESE.test(id)) {
		return {
			valid: false,
			problem: `The app user ID "${printable(id)}" contains Chinese characters, which MetaStudio does not allow in X-App-UserId`,
			hint: 'Use an ASCII identifier for the third-party user, or leave the option out.',
		};
	}
	if (CONTROL.test(id) || id.length > MAX_ID_LENGTH) {
		return {
			valid: false,
			problem: `The app user ID "${printable(id)}" contains control characters or is too long`,
			hint: 'Use a short printable identifier for the third-party user.',
		};
	}
	return { valid: true, id };
}

/** Shows an offending ID in a message without letting control characters break the log line. */
export function printable(value: string): string {
	const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
	return shown.replace(/[\p{Cc}\p{Cf}]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
