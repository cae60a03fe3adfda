import { createHash } from 'node:crypto';
import type { IBinaryData, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import type { Answer, CallFailure, CallSettings } from '../helpers/interfaces';
import { failed } from '../helpers/interfaces';
import { networkFailure } from './networkFailure';
import { httpFailure } from './responses';

/** A file as a storage host served it and n8n stored it: what was stored, counted and hashed afterwards. */
export interface StoredFile {
	binary: IBinaryData;
	/** Bytes n8n stored. */
	bytes: number;
	/** Base64 of the MD5 digest of the stored bytes (RFC 1864, as MetaStudio's `file_md5`). */
	md5: string;
	/** The host's Content-Length, when it sent one. */
	contentLength?: number;
}

/** A download URL as it may be shown: no query string (a signature), no fragment, no user info. */
export function shownUrl(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
	} catch {
		return '(not a URL)';
	}
}

/** A URL the service is asked to fetch: http(s) only, whole; else why not. */
export function checkSourceUrl(value: unknown): { ok: true; url: string } | { ok: false; problem: string } {
	if (typeof value !== 'string' || value.trim() === '') return { ok: false, problem: 'The URL is empty' };
	try {
		const parsed = new URL(value.trim());
		if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { ok: false, problem: `The URL's scheme "${parsed.protocol}" is not http or https` };
		return { ok: true, url: parsed.toString() };
	} catch {
		return { ok: false, problem: 'The URL is not a valid URL' };
	}
}

/** The last path segment of a URL, decoded: a file name when the service gives none. */
export function fileNameOf(url: string): string {
	try {
		const segment = new URL(url).pathname.split('/').filter(Boolean).pop() ?? '';
		return decodeURIComponent(segment);
	} catch {
		return '';
	}
}

/** A failure's text without any URL's query string: a signed download URL must never reach an error. */
function withoutQueries(failure: CallFailure): CallFailure {
	const redact = (text: string | undefined) => text?.replace(/(https?:\/\/[^\s?#"']*)[?#][^\s"']*/g, '$1');
	return { ...failure, summary: redact(failure.summary) ?? failure.summary, apiMessage: redact(failure.apiMessage) };
}

/** A refusal of the file host: 403 is how storage hosts (OBS) answer an expired signed URL. */
function hostRefusal(statusCode: number): CallFailure {
	if (statusCode === 429 || statusCode >= 500) return httpFailure(statusCode, {});
	const expired = statusCode === 403;
	return {
		reason: statusCode === 404 ? 'notFound' : 'apiError',
		summary: expired
			? 'the file host refused the download (HTTP 403: the download link may have expired)'
			: `the file host refused the download (HTTP ${statusCode})`,
		httpStatus: statusCode,
		retryable: false,
		outcomeUnknown: false,
		hint: expired ? 'Run the item again: a new download link is read from the service each time.' : undefined,
	};
}

/** Base64 MD5 and size of binary data as n8n holds it: from the file it wrote (filesystem mode), else from its memory copy. */
export async function binaryDigest(ctx: IExecuteFunctions, binary: IBinaryData): Promise<{ md5: string; bytes: number }> {
	const hash = createHash('md5');
	let bytes = 0;
	if (binary.id) {
		for await (const chunk of await ctx.helpers.getBinaryStream(binary.id)) {
			const data = chunk as Buffer;
			hash.update(data);
			bytes += data.length;
		}
	} else {
		const data = Buffer.from(binary.data, 'base64');
		hash.update(data);
		bytes = data.length;
	}
	return { md5: hash.digest('base64'), bytes };
}

/**
 * Downloads a file from a storage host (OBS, a CDN: not the API) into n8n's binary data, streamed, so
 * that with n8n's filesystem binary mode no file is ever held whole. No credential goes there: the
 * request is n8n's plain HTTP helper, never the authenticated one. Only http(s) URLs are fetched.
 * What n8n stored is then counted and hashed, so the caller verifies the bytes that were kept.
 */
export async function downloadFile(
	ctx: IExecuteFunctions,
	url: string,
	file: { fileName: string; mimeType?: string },
	settings: CallSettings,
): Promise<Answer<StoredFile>> {
	const protocol = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
	if (protocol !== 'http' && protocol !== 'https') {
		return failed({ reason: 'invalidResponse', summary: 'the download URL is not an http(s) URL', retryable: false, outcomeUnknown: false });
	}
	const options: IHttpRequestOptions = {
		method: 'GET',
		url,
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: settings.timeoutMs,
	};
	let response: { statusCode: number; headers?: Record<string, unknown>; body: { destroy?: () => void } & AsyncIterable<unknown> };
	try {
		response = (await ctx.helpers.httpRequest(options)) as typeof response;
	} catch (error) {
		return failed(withoutQueries(networkFailure(error)));
	}
	if (response.statusCode < 200 || response.statusCode >= 300) {
		response.body?.destroy?.();
		return failed(hostRefusal(response.statusCode));
	}
	const length = Number(response.headers?.['content-length']);
	const digest = digestWhileRead(response.body);
	try {
		const binary = await ctx.helpers.prepareBinaryData(response.body as unknown as Buffer, file.fileName, file.mimeType);
		const { md5, bytes } = digest();
		// What n8n says it stored must be what went through: anything else is a broken transfer.
		if (binary.bytes !== undefined && binary.bytes !== bytes) throw new Error(`stored ${binary.bytes} of ${bytes} bytes`);
		return { outcome: 'done', value: { binary, bytes, md5, ...(Number.isFinite(length) ? { contentLength: length } : {}) }, httpStatus: response.statusCode };
	} catch (error) {
		// The body broke off (a dropped connection mid-file): nothing usable was kept; worth another try
		// (from the start), unless the execution was stopped.
		const failure = networkFailure(error);
		return failed(withoutQueries(failure.reason === 'cancelled' ? failure : { ...failure, retryable: true, outcomeUnknown: false }));
	}
}

/**
 * Hashes a response body as n8n's binary store reads it, without a second read of the stored file and
 * without changing how the stream flows (shipped code may not import node:stream to tee it): every
 * consumer (pipe, a 'data' listener, async iteration through read()) receives each chunk through the
 * stream's own `emit('data')`, which is tapped here.
 */
function digestWhileRead(body: unknown): () => { md5: string; bytes: number } {
	const hash = createHash('md5');
	let bytes = 0;
	const stream = body as { emit: (event: string | symbol, ...args: unknown[]) => boolean };
	const emit = stream.emit.bind(stream);
	stream.emit = (event, ...args) => {
		if (event === 'data') {
			const chunk = args[0] as Buffer;
			hash.update(chunk);
			bytes += chunk.length;
		}
		return emit(event, ...args);
	};
	return () => ({ md5: hash.digest('base64'), bytes });
}

/** The Content-Type MetaStudio's upload expects for a file name, by extension (CreateFile's documentation). */
export function uploadContentType(fileName: string): string {
	const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
	const types: Record<string, string> = {
		gif: 'image/gif',
		jpg: 'image/jpeg',
		jpeg: 'image/jpeg',
		png: 'image/png',
		mp4: 'video/mp4',
		mp3: 'audio/mp3',
		wav: 'audio/wav',
	};
	return types[extension] ?? 'application/octet-stream';
}

/**
 * PUTs a file's bytes to a signed upload URL (OBS, not the API): no credential goes there, only
 * `Content-MD5` (the storage host checks the bytes against it) and `Content-Type`. `body` is called for
 * each attempt: a stream can be read only once.
 */
export async function uploadFile(
	ctx: IExecuteFunctions,
	url: string,
	body: () => Promise<Buffer | AsyncIterable<unknown>>,
	file: { md5: string; size: number; contentType: string },
	settings: CallSettings,
): Promise<Answer<Record<string, never>>> {
	let response: { statusCode: number };
	try {
		response = (await ctx.helpers.httpRequest({
			method: 'PUT',
			url,
			body: (await body()) as Buffer,
			headers: { 'Content-MD5': file.md5, 'Content-Type': file.contentType, 'Content-Length': String(file.size) },
			// An upload URL is the object's own address: nothing to follow. Following redirects makes n8n's
			// HTTP client keep every chunk sent until the answer, so each upload in flight held its file.
			disableFollowRedirect: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: settings.timeoutMs,
		})) as typeof response;
	} catch (error) {
		return failed(withoutQueries(networkFailure(error)));
	}
	if (response.statusCode >= 200 && response.statusCode < 300) return { outcome: 'done', value: {}, httpStatus: response.statusCode };
	if (response.statusCode === 429 || response.statusCode >= 500) return failed(httpFailure(response.statusCode, {}));
	return failed({
		reason: 'apiError',
		summary: `the storage host refused the upload (HTTP ${response.statusCode}${response.statusCode === 400 ? ': the bytes did not match their MD5' : ''})`,
		httpStatus: response.statusCode,
		// A 400 BadDigest is bytes damaged on the way: sending them again may pass.
		retryable: response.statusCode === 400,
		outcomeUnknown: false,
	});
}

/** The bytes of binary data for an upload: a fresh stream of the stored file, or its memory copy. */
export async function binaryContent(ctx: IExecuteFunctions, binary: IBinaryData): Promise<Buffer | AsyncIterable<unknown>> {
	return binary.id ? await ctx.helpers.getBinaryStream(binary.id) : Buffer.from(binary.data, 'base64');
}
