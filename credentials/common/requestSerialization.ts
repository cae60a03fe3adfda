import type { IDataObject } from 'n8n-workflow';

/**
 * How query and form parameters become `name=value` pairs. Pure. The signer serialises parameters
 * itself, so the bytes it signs are the bytes sent; it follows the `qs` library n8n's HTTP client uses,
 * so that a server reads the same parameters as it would from n8n's own serialisation.
 */

/** The array styles of `qs.stringify`: `a[0]=x`, `a[]=x`, `a=x&a=y`, `a=x,y`. */
export type ArrayFormat = 'indices' | 'brackets' | 'repeat' | 'comma';

export type Parameter = [name: string, value: string];

// encodeURIComponent throws on a lone UTF-16 surrogate, which no URL can carry.
function tryEncodeURIComponent(value: string): string | undefined {
	try {
		return encodeURIComponent(value);
	} catch {
		return undefined;
	}
}

/** Percent-encodes everything but `A-Z a-z 0-9 - _ . ~` (RFC 3986 unreserved), in UTF-8, upper-case hex. */
export function percentEncode(value: string): string {
	const encoded = tryEncodeURIComponent(value);
	if (encoded === undefined) {
		throw new Error('Cannot sign the request: a path or query value contains an invalid Unicode character');
	}
	return encoded.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A plain object or an array, as `qs` walks into (class instances other than Date are not). */
export function isPlainObject(value: unknown): value is IDataObject | unknown[] {
	if (Array.isArray(value)) return true;
	if (value === null || typeof value !== 'object') return false;
	const prototype = Object.getPrototypeOf(value) as unknown;
	return prototype === Object.prototype || prototype === null;
}

function scalarText(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
	if (value instanceof Date) return value.toISOString();
	return undefined;
}

function arrayKey(key: string, index: number, format: ArrayFormat): string {
	if (format === 'indices') return `${key}[${index}]`;
	if (format === 'brackets') return `${key}[]`;
	return key;
}

function flattenInto(key: string, value: unknown, format: ArrayFormat, what: string, out: Parameter[]): void {
	if (value === undefined) return;
	// qs writes a null as an empty value, not as a missing parameter.
	if (value === null) {
		out.push([key, '']);
		return;
	}
	const text = scalarText(value);
	if (text !== undefined) {
		out.push([key, text]);
		return;
	}
	if (Array.isArray(value)) {
		const texts = value.map(scalarText);
		if (format === 'comma' && texts.every((item) => item !== undefined)) {
			if (value.length > 0) out.push([key, texts.join(',')]);
			return;
		}
		value.forEach((item, index) => flattenInto(arrayKey(key, index, format), item, format, what, out));
		return;
	}
	if (isPlainObject(value)) {
		for (const [name, inner] of Object.entries(value)) flattenInto(`${key}[${name}]`, inner, format, what, out);
		return;
	}
	throw new Error(
		`Cannot sign the ${what} "${key}": only text, numbers, booleans, dates, and lists and objects of them can be signed`,
	);
}

/** Parameters as `qs.stringify` lays them out: nested objects as `a[b]`, lists in the given format. */
export function flattenParameters(
	params: IDataObject | undefined,
	format: ArrayFormat,
	what = 'query parameter',
): Parameter[] {
	const out: Parameter[] = [];
	for (const [key, value] of Object.entries(params ?? {})) flattenInto(key, value, format, what, out);
	return out;
}

/** An `application/x-www-form-urlencoded` body, encoded as `qs` does by default (RFC 3986, `%20`). */
export function formEncode(params: Parameter[]): string {
	return params.map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`).join('&');
}

/** Multipart form data: a `form-data` instance (n8n's) or a WHATWG `FormData`. */
export function isMultipartBody(value: unknown): boolean {
	if (value === null || typeof value !== 'object') return false;
	if (typeof (value as { getHeaders?: unknown }).getHeaders === 'function') return true;
	return Object.prototype.toString.call(value) === '[object FormData]';
}
