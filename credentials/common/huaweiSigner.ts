import { createHash, createHmac } from 'node:crypto';
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

/**
 * Huawei Cloud API Gateway request signing (SDK-HMAC-SHA256, Huawei's "API Request Signing Guide"), as
 * Huawei's SDKs and APIG signers do it. Pure: the signing time is passed in, nothing here reads the clock.
 */

export const SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';

/** Hex SHA-256 of an empty body. */
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Payload hash that tells the gateway the body is not signed (Huawei's SDK uses it for non-JSON bodies). */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

const CONTENT_SHA256_HEADER = 'x-sdk-content-sha256';

// The signer owns these: a value passed in (e.g. from the previous attempt of a retried request) is replaced.
const SIGNER_OWNED_HEADERS = new Set(['authorization', 'host', 'x-sdk-date']);

export type HeaderValue = string | number | boolean;

export type QueryParameters = Record<string, string | string[]>;

export interface SignableRequest {
	method: string;
	/** Absolute http(s) URL. Its path is signed as it will be sent; a query string in it is signed too. */
	url: string;
	/** Query parameters besides those in the URL; a list becomes a repeated key. */
	qs?: IDataObject;
	headers?: Record<string, HeaderValue | null | undefined>;
	/** The exact bytes that will be sent; none for an empty body. */
	body?: string | Uint8Array;
}

export interface SigningKeys {
	accessKeyId: string;
	secretAccessKey: string;
}

export interface SignedRequest {
	/** The URL to send: the request's origin and path, and the signed query in canonical order. */
	url: string;
	/** The headers to send: the request's (values trimmed) plus `Host`, `X-Sdk-Date` and `Authorization`. */
	headers: Record<string, string>;
	signedHeaders: string;
	signature: string;
	canonicalRequest: string;
	stringToSign: string;
}

/** `YYYYMMDDTHHMMSSZ` in UTC, the format of `X-Sdk-Date`. */
export function formatSdkDate(date: Date): string {
	if (!(date instanceof Date) || !Number.isFinite(date.getTime())) {
		throw new Error('Cannot sign the request: the signing time is not a valid date');
	}
	return date
		.toISOString()
		.replace(/\.\d+Z$/, 'Z')
		.replace(/[-:]/g, '');
}

/** Percent-encodes everything but `A-Z a-z 0-9 - _ . ~` (RFC 3986 unreserved), in UTF-8, upper-case hex. */
export function percentEncode(value: string): string {
	const encoded = tryEncodeURIComponent(value);
	if (encoded === undefined) {
		throw new Error('Cannot sign the request: a path or query value contains an invalid Unicode character');
	}
	return encoded.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

// encodeURIComponent throws on a lone UTF-16 surrogate, which no URL can carry.
function tryEncodeURIComponent(value: string): string | undefined {
	try {
		return encodeURIComponent(value);
	} catch {
		return undefined;
	}
}

function decodeSegment(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		// Not valid percent-encoding: the segment is taken literally, and its '%' gets encoded.
		return segment;
	}
}

/**
 * The path as the gateway canonicalizes it: each segment decoded, then encoded with `percentEncode`,
 * and a trailing '/' that is signed but never sent. Decoding first makes the result the same whether
 * the path arrives encoded (as sent) or not.
 */
export function canonicalUri(path: string): string {
	const encoded = path
		.split('/')
		.map((segment) => percentEncode(decodeSegment(segment)))
		.join('/');
	return encoded.endsWith('/') ? encoded : `${encoded}/`;
}

/** `key=value` pairs joined by '&', keys sorted, the values of a repeated key sorted, all percent-encoded. */
export function canonicalQuery(params: QueryParameters): string {
	const pairs: string[] = [];
	for (const key of Object.keys(params).sort()) {
		const value = params[key];
		const values = Array.isArray(value) ? [...value].sort() : [value];
		for (const item of values) pairs.push(`${percentEncode(key)}=${percentEncode(item)}`);
	}
	return pairs.join('&');
}

function queryScalar(key: string, value: unknown): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
		return String(value);
	}
	throw new Error(
		`Cannot sign the query parameter "${key}": only text, numbers, booleans and lists of them can be signed`,
	);
}

/**
 * Merges the query string of a URL (decoded as a server decodes it, '+' meaning a space) with `qs`.
 * `null` and `undefined` values in `qs` are left out.
 */
export function collectQuery(search: string, qs?: IDataObject): QueryParameters {
	const collected = new Map<string, string[]>();
	const add = (key: string, value: string) => {
		const values = collected.get(key);
		if (values) values.push(value);
		else collected.set(key, [value]);
	};
	for (const [key, value] of new URLSearchParams(search)) add(key, value);
	for (const [key, value] of Object.entries(qs ?? {})) {
		if (value === undefined || value === null) continue;
		for (const item of Array.isArray(value) ? value : [value]) add(key, queryScalar(key, item));
	}
	const params: QueryParameters = Object.create(null) as QueryParameters;
	for (const [key, values] of collected) params[key] = values.length === 1 ? values[0] : values;
	return params;
}

export function sha256Hex(data: string | Uint8Array): string {
	return createHash('sha256').update(data).digest('hex');
}

/** Hex SHA-256 of the body; the empty-body hash when there is none. */
export function payloadHash(body?: string | Uint8Array): string {
	return body === undefined || body.length === 0 ? EMPTY_BODY_SHA256 : sha256Hex(body);
}

function tryParseUrl(url: string): URL | undefined {
	try {
		return new URL(url);
	} catch {
		return undefined;
	}
}

function parseRequestUrl(url: string): URL {
	const parsed = tryParseUrl(url);
	if (parsed === undefined) throw new Error('Cannot sign the request: its URL is not a valid absolute URL');
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
		throw new Error(`Cannot sign the request: the URL scheme ${parsed.protocol} is not http or https`);
	}
	return parsed;
}

/** The request's headers by lower-case name, values trimmed; of two spellings of one name, the later wins. */
function headersToSign(headers: SignableRequest['headers']): Map<string, [name: string, value: string]> {
	const byName = new Map<string, [string, string]>();
	for (const [name, value] of Object.entries(headers ?? {})) {
		if (value === undefined || value === null) continue;
		const lowerName = name.toLowerCase();
		if (SIGNER_OWNED_HEADERS.has(lowerName)) continue;
		byName.delete(lowerName);
		byName.set(lowerName, [name, String(value).trim()]);
	}
	return byName;
}

/**
 * Signs a request. Every header passed in is signed, plus `host` (the URL's host, with the port only
 * when it is not the scheme's default, as HTTP clients send it) and `x-sdk-date` (from `now`).
 */
export function signRequest(request: SignableRequest, keys: SigningKeys, now: Date): SignedRequest {
	if (!keys.accessKeyId || !keys.secretAccessKey) {
		throw new Error('Cannot sign the request: the Access Key ID or the Secret Access Key is empty');
	}
	const url = parseRequestUrl(request.url);
	const query = canonicalQuery(collectQuery(url.search, request.qs));
	const sdkDate = formatSdkDate(now);

	const headers = headersToSign(request.headers);
	headers.set('host', ['Host', url.host]);
	headers.set('x-sdk-date', ['X-Sdk-Date', sdkDate]);
	const names = [...headers.keys()].sort();
	const canonicalHeaders = names.map((name) => `${name}:${headers.get(name)?.[1]}\n`).join('');
	const signedHeaders = names.join(';');
	const bodyHash = headers.get(CONTENT_SHA256_HEADER)?.[1] ?? payloadHash(request.body);

	const canonicalRequest = [
		request.method.toUpperCase(),
		canonicalUri(url.pathname),
		query,
		canonicalHeaders,
		signedHeaders,
		bodyHash,
	].join('\n');
	const stringToSign = [SIGNING_ALGORITHM, sdkDate, sha256Hex(canonicalRequest)].join('\n');
	const signature = createHmac('sha256', keys.secretAccessKey).update(stringToSign).digest('hex');

	const signed: Record<string, string> = {};
	for (const [name, value] of headers.values()) signed[name] = value;
	signed.Authorization = `${SIGNING_ALGORITHM} Access=${keys.accessKeyId}, SignedHeaders=${signedHeaders}, Signature=${signature}`;

	return {
		url: `${url.origin}${url.pathname}${query === '' ? '' : `?${query}`}`,
		headers: signed,
		signedHeaders,
		signature,
		canonicalRequest,
		stringToSign,
	};
}

const ABSOLUTE_URL = /^[a-z][a-z\d+\-.]*:\/\//i;

/** `url` when absolute, else `baseURL` and `url` joined by one '/'. */
export function resolveRequestUrl(url: string | undefined, baseURL: string | undefined): string {
	const target = url ?? '';
	if (ABSOLUTE_URL.test(target)) return target;
	if (!baseURL) throw new Error('Cannot sign the request: its URL is relative and no base URL is set');
	if (target === '') return baseURL;
	return `${baseURL.replace(/\/+$/, '')}/${target.replace(/^\/+/, '')}`;
}

function headerScalar(name: string, value: unknown): HeaderValue | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
	throw new Error(`Cannot sign the header "${name}": only a single text value can be signed`);
}

function findHeader(headers: Record<string, HeaderValue>, name: string): string | undefined {
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
	return key === undefined ? undefined : String(headers[key]);
}

function isPlainObject(value: unknown): value is IDataObject | unknown[] {
	if (Array.isArray(value)) return true;
	if (value === null || typeof value !== 'object') return false;
	const prototype = Object.getPrototypeOf(value) as unknown;
	return prototype === Object.prototype || prototype === null;
}

/**
 * Decides the bytes that will be sent for a body, so that exactly those are hashed: objects are
 * serialized here rather than by the HTTP client, and bodies that cannot be known in advance (form
 * data, streams) are sent with the unsigned-payload marker.
 */
function prepareBody(
	body: unknown,
	headers: Record<string, HeaderValue>,
): { send?: IHttpRequestOptions['body']; sign?: string | Uint8Array } {
	if (body === undefined || body === null || body === '') return {};
	if (typeof body === 'string' || body instanceof Uint8Array) return { send: body, sign: body };
	if (body instanceof URLSearchParams) {
		const text = body.toString();
		return { send: text, sign: text };
	}
	if (isPlainObject(body)) {
		if (Object.keys(body).length === 0) return {};
		const contentType = findHeader(headers, 'content-type');
		const text =
			contentType !== undefined && contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')
				? new URLSearchParams(body as Record<string, string>).toString()
				: JSON.stringify(body);
		if (contentType === undefined) headers['Content-Type'] = 'application/json';
		return { send: text, sign: text };
	}
	headers['X-Sdk-Content-Sha256'] = UNSIGNED_PAYLOAD;
	return { send: body as IHttpRequestOptions['body'] };
}

export interface AkSkCredentials extends SigningKeys {
	/** Sent as `X-Security-Token` (and signed) for temporary AK/SK. */
	securityToken?: string;
}

/**
 * Signs n8n request options for Huawei Cloud and returns the options to send, without touching the
 * input. The result has an absolute `url` carrying the signed query (no `qs`, no `baseURL`), so the
 * HTTP client cannot send another query or path than the one signed. Signing options that were
 * signed before (a retry) replaces the old date and signature.
 */
export function signHttpRequestOptions(
	requestOptions: IHttpRequestOptions,
	credentials: AkSkCredentials,
	now: Date,
	defaultBaseUrl?: string,
): IHttpRequestOptions {
	const { qs, baseURL, headers: inputHeaders, body: inputBody, ...rest } = requestOptions;
	const method = requestOptions.method ?? 'GET';
	const url = resolveRequestUrl(requestOptions.url, baseURL ?? defaultBaseUrl);

	const headers: Record<string, HeaderValue> = {};
	for (const [name, value] of Object.entries(inputHeaders ?? {})) {
		if (name.toLowerCase() === 'x-security-token') continue;
		const scalar = headerScalar(name, value);
		if (scalar !== undefined) headers[name] = scalar;
	}
	if (credentials.securityToken) headers['X-Security-Token'] = credentials.securityToken;
	const body = prepareBody(inputBody, headers);

	const signed = signRequest({ method, url, qs, headers, body: body.sign }, credentials, now);
	const options: IHttpRequestOptions = { ...rest, method, url: signed.url, headers: signed.headers };
	if (body.send !== undefined) options.body = body.send;
	return options;
}
