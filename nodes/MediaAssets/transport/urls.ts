/**
 * Request URLs built so that the path the HTTP client really sends is the documented one.
 *
 * n8n's HTTP client (axios, like any WHATWG URL user) normalises the URL before sending it: "." and
 * ".." segments are resolved, so `DELETE …/asset/.` would reach `…/asset/` and `…/asset/..` the
 * level above. Refusing a list of characters cannot cover every such rewrite; instead each URL is
 * parsed the way the client will parse it and must come out with exactly the documented path, each
 * value as exactly one segment. Anything else is refused before a request exists.
 */

import { UnsafePathSegmentError, UnusableBaseUrlError } from '../helpers/errors';

/** A literal segment of the documented path, or a value filled into one segment. */
export type PathPart = string | { value: string; label: string };

function encodeSegment(value: string): string {
	try {
		return encodeURIComponent(value);
	} catch {
		// A lone UTF-16 surrogate: no URL can carry it.
		return '\uFFFD';
	}
}

/** Whether an encoded segment survives URL parsing unchanged, as one segment. */
function survivesParsing(encoded: string): boolean {
	const path = `/x/${encoded}/y`;
	try {
		return new URL(`http://h${path}`).pathname === path;
	} catch {
		return false;
	}
}

function parseBase(base: string): URL {
	let url: URL | undefined;
	try {
		url = new URL(base.trim());
	} catch {
		url = undefined;
	}
	if (!url) throw new UnusableBaseUrlError(`"${base}" is not a URL`);
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new UnusableBaseUrlError(`"${url.protocol}" URLs are not supported; use https://`);
	}
	if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
		throw new UnusableBaseUrlError('the base URL must not contain a query, a fragment or a user name');
	}
	return url;
}

/**
 * `base` + the documented path with each value encoded as one segment, plus an optional query.
 * Throws UnsafePathSegmentError naming the value that would change the path, or UnusableBaseUrlError.
 */
export function documentedUrl(base: string, parts: PathPart[], query = ''): string {
	const baseUrl = parseBase(base);
	const encoded = parts.map((part) => {
		if (typeof part === 'string') return part;
		const segment = encodeSegment(part.value);
		if (part.value === '' || segment.includes('\uFFFD') || !survivesParsing(segment)) {
			throw new UnsafePathSegmentError(part.label, part.value);
		}
		return segment;
	});
	const path = `${baseUrl.pathname.replace(/\/+$/, '')}/${encoded.join('/')}`;
	const url = `${baseUrl.origin}${path}${query === '' ? '' : `?${query}`}`;
	// The whole URL once more, as the client will parse it: the path must be exactly the one built.
	if (new URL(url).pathname !== path) {
		const culprit = parts.find((part) => typeof part !== 'string') as { value: string; label: string } | undefined;
		throw new UnsafePathSegmentError(culprit?.label ?? 'ID', culprit?.value ?? '');
	}
	return url;
}
