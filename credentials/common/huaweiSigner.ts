import { createHash, createHmac } from 'node:crypto';
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import type { ArrayFormat } from './requestSerialization';
import {
	flattenParameters,
	formEncode,
	isPlainObject,
	isMultipartBody,
	percentEncode,
} from './requestSerialization';

export { percentEncode };

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
	/** Query parameters besides those in the URL. */
	qs?: IDataObject;
	/** How lists in `qs` are written; by default as a repeated key. */
	arrayFormat?: ArrayFormat;
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

/**
 * Merges the query string of a URL (decoded as a server decodes it, '+' meaning a space) with `qs`,
 * laid out as `qs.stringify` does in the given array format (default: a list is a repeated key).
 */
export function collectQuery(search: string, qs?: IDataObject, arrayFormat: ArrayFormat = 'repeat'): QueryParameters {
	const collected = new Map<string, string[]>();
	const add = (key: string, value: string) => {
		const values = collected.get(key);
		if (values) values.push(value);
		else collected.set(key, [value]);
	};
	for (const [key, value] of new URLSearchParams(search)) add(key, value);
	for (const [key, value] of flattenParameters(qs, arrayFormat)) add(key, value);
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
	const query = canonicalQuery(collectQuery(url.search, request.qs, request.arrayFormat));
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

function headerNames(headers: Record<string, HeaderValue>, name: string): string[] {
	return Object.keys(headers).filter((candidate) => candidate.toLowerCase() === name);
}

function findHeader(headers: Record<string, HeaderValue>, name: string): string | undefined {
	const [key] = headerNames(headers, name);
	return key === undefined ? undefined : String(headers[key]);
}

/**
 * The fields of n8n's legacy `IRequestOptions` (deprecated for nodes, and so not imported) that decide
 * what is sent. `requestWithAuthentication`, which n8n's HTTP Request node v3–v4 calls, hands a
 * credential's `authenticate` this shape: `uri`, `qs`, `body` as an object or a string, `form`,
 * `formData`, `json`.
 */
export interface LegacyRequestOptions {
	uri?: string;
	url?: string;
	baseURL?: string;
	method?: string;
	qs?: IDataObject;
	qsStringifyOptions?: { arrayFormat: 'repeat' | 'brackets' | 'indices' };
	useQuerystring?: boolean;
	headers?: IDataObject;
	body?: unknown;
	form?: unknown;
	formData?: unknown;
	json?: boolean;
	[option: string]: unknown;
}

/** Request options as n8n hands them to a credential's `authenticate`, in either shape. */
export type N8nRequestOptions = IHttpRequestOptions | LegacyRequestOptions;

/** The fields of either shape that decide what is sent. */
interface RequestView {
	url?: unknown;
	uri?: unknown;
	baseURL?: unknown;
	method?: string;
	qs?: IDataObject;
	arrayFormat?: ArrayFormat;
	useQuerystring?: boolean;
	qsStringifyOptions?: { arrayFormat?: string };
	headers?: IDataObject;
	body?: unknown;
	form?: unknown;
	formData?: unknown;
}

const LEGACY_ONLY_KEYS = ['uri', 'form', 'formData', 'qsStringifyOptions', 'useQuerystring', 'resolveWithFullResponse', 'simple'];

function isLegacyShape(view: RequestView): boolean {
	return view.url === undefined || LEGACY_ONLY_KEYS.some((key) => key in view);
}

/**
 * How n8n would write lists in `qs`: the legacy client uses `qs` with indices unless
 * `useQuerystring` or `qsStringifyOptions` say otherwise; for `IHttpRequestOptions` a list is a
 * repeated key (Huawei's own convention) unless `arrayFormat` is given.
 */
function queryArrayFormat(view: RequestView, legacy: boolean): ArrayFormat {
	if (!legacy) return view.arrayFormat ?? 'repeat';
	const requested = view.qsStringifyOptions?.arrayFormat;
	if (requested === 'brackets') return 'brackets';
	if (view.useQuerystring === true || requested === 'repeat') return 'repeat';
	return 'indices';
}

const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

type BodyPlan =
	| { kind: 'none' }
	| { kind: 'bytes'; bytes: string | Uint8Array; contentType?: string; replaceContentType?: boolean }
	/** Sent as given; its bytes exist only while it is sent (a stream, multipart form data). */
	| { kind: 'streamed'; multipart: boolean };

function planValue(body: unknown, urlEncoded: boolean, formFormat: ArrayFormat, legacy: boolean): BodyPlan {
	if (body === undefined || body === null || body === '') return { kind: 'none' };
	if (typeof body === 'string' || body instanceof Uint8Array) return { kind: 'bytes', bytes: body };
	if (body instanceof URLSearchParams) return { kind: 'bytes', bytes: body.toString(), contentType: FORM_CONTENT_TYPE };
	if (isPlainObject(body)) {
		// n8n's httpRequest sends nothing for an empty object; the legacy client sends "{}".
		if (!legacy && Object.keys(body).length === 0) return { kind: 'none' };
		if (urlEncoded) return { kind: 'bytes', bytes: formEncode(flattenParameters(body as IDataObject, formFormat, 'form field')) };
		return { kind: 'bytes', bytes: JSON.stringify(body), contentType: 'application/json' };
	}
	return { kind: 'streamed', multipart: isMultipartBody(body) };
}

/**
 * Decides the bytes that will be sent, as n8n's client would build them, so that exactly those are
 * hashed and sent: objects and forms are serialised here rather than by the HTTP client. Multipart
 * and streamed bodies cannot be known in advance and are sent with the unsigned-payload marker.
 */
function planBody(view: RequestView, headers: Record<string, HeaderValue>, legacy: boolean): BodyPlan {
	const contentType = (findHeader(headers, 'content-type') ?? '').toLowerCase();
	const urlEncoded = contentType.startsWith(FORM_CONTENT_TYPE);
	const { body, form, formData } = view;
	if (contentType.includes('multipart/form-data') || (legacy && formData !== undefined)) {
		return { kind: 'streamed', multipart: true };
	}
	if (!legacy) return planValue(body, urlEncoded, 'repeat', false);

	const formFormat: ArrayFormat = view.useQuerystring === true ? 'repeat' : 'indices';
	if (form !== undefined && form !== null && (body === undefined || isPlainObject(body))) {
		// The legacy client sends a lone `form` url-encoded whatever the Content-Type said, and merges
		// `form` into an object body.
		if (typeof form === 'string') {
			return body === undefined ? { kind: 'bytes', bytes: form, contentType: FORM_CONTENT_TYPE, replaceContentType: !urlEncoded } : planValue(body, urlEncoded, formFormat, true);
		}
		const merged = { ...(body as IDataObject | undefined), ...(isPlainObject(form) ? (form as IDataObject) : {}) };
		if (body === undefined && !urlEncoded) {
			return {
				kind: 'bytes',
				bytes: formEncode(flattenParameters(merged, 'indices', 'form field')),
				contentType: FORM_CONTENT_TYPE,
				replaceContentType: true,
			};
		}
		return planValue(merged, urlEncoded, formFormat, true);
	}
	return planValue(body, urlEncoded, formFormat, true);
}

export interface AkSkCredentials extends SigningKeys {
	/** Sent as `X-Security-Token` (and signed) for temporary AK/SK. */
	securityToken?: string;
}

/** The headers as given, without a stale security token or payload hash, plus the credential's token. */
function givenHeaders(view: RequestView, credentials: AkSkCredentials): Record<string, HeaderValue> {
	const headers: Record<string, HeaderValue> = {};
	for (const [name, value] of Object.entries(view.headers ?? {})) {
		const lowerName = name.toLowerCase();
		if (lowerName === 'x-security-token' || lowerName === CONTENT_SHA256_HEADER) continue;
		const scalar = headerScalar(name, value);
		if (scalar !== undefined) headers[name] = scalar;
	}
	if (credentials.securityToken) headers['X-Security-Token'] = credentials.securityToken;
	return headers;
}

/**
 * Sets the headers the body needs (its Content-Type; for a streamed body the unsigned-payload marker)
 * and returns the headers that are sent but not signed: a multipart Content-Type gets its boundary
 * only when the body is built.
 */
function placeBodyHeaders(plan: BodyPlan, headers: Record<string, HeaderValue>): Record<string, string> {
	if (plan.kind === 'bytes' && plan.contentType !== undefined) {
		const existing = headerNames(headers, 'content-type');
		if (plan.replaceContentType) for (const name of existing) delete headers[name];
		if (plan.replaceContentType || existing.length === 0) headers['Content-Type'] = plan.contentType;
	}
	const unsignedHeaders: Record<string, string> = {};
	if (plan.kind === 'streamed') {
		headers['X-Sdk-Content-Sha256'] = UNSIGNED_PAYLOAD;
		if (plan.multipart) {
			for (const name of headerNames(headers, 'content-type')) {
				unsignedHeaders[name] = String(headers[name]);
				delete headers[name];
			}
		}
	}
	return unsignedHeaders;
}

/**
 * Signs n8n request options for Huawei Cloud and returns the complete options to send, in the shape
 * they came in (`IHttpRequestOptions` or the legacy `IRequestOptions`), without touching the input.
 * The target (`url`, or `uri` when that is what was given) becomes absolute and carries the signed
 * query in canonical order; `qs` and `baseURL` are removed, and a body n8n would serialise (an object,
 * a form) is replaced by the exact string that was hashed, so the HTTP client can send no other path,
 * query or body than the ones signed. Signing options that were signed before (a retry) replaces the
 * old date and signature.
 */
export function signRequestOptions<T extends N8nRequestOptions>(
	requestOptions: T,
	credentials: AkSkCredentials,
	now: Date,
	defaultBaseUrl?: string,
): T {
	const view = requestOptions as unknown as RequestView;
	const legacy = isLegacyShape(view);
	const targetKey = view.url !== undefined ? 'url' : 'uri';
	const target = view[targetKey];
	const baseURL = typeof view.baseURL === 'string' && view.baseURL !== '' ? view.baseURL : defaultBaseUrl;
	const url = resolveRequestUrl(target === undefined || target === null ? undefined : String(target), baseURL);
	const method = view.method ?? 'GET';

	const headers = givenHeaders(view, credentials);
	const plan = planBody(view, headers, legacy);
	const unsignedHeaders = placeBodyHeaders(plan, headers);

	const signed = signRequest(
		{
			method,
			url,
			qs: view.qs,
			arrayFormat: queryArrayFormat(view, legacy),
			headers,
			body: plan.kind === 'bytes' ? plan.bytes : undefined,
		},
		credentials,
		now,
	);

	const options: Record<string, unknown> = { ...requestOptions };
	for (const key of ['qs', 'baseURL', 'url', 'uri', 'headers', 'body']) delete options[key];
	options.method = method;
	options[targetKey] = signed.url;
	options.headers = { ...signed.headers, ...unsignedHeaders };
	if (plan.kind === 'bytes') {
		options.body = plan.bytes;
		delete options.form;
	} else if (plan.kind === 'streamed' && view.body !== undefined) {
		options.body = view.body;
	}
	return options as unknown as T;
}
