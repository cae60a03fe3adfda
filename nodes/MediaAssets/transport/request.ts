import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import type { CallFailure, CallResult, HttpExchange } from '../helpers/interfaces';
import { runCredential } from './credentials';

/**
 * Sends one authenticated request and returns what came back, whatever the status, so that the
 * operation decides by status and API code. Only a 401 is let through as an error first: that is
 * n8n's signal to refresh an expirable credential (the IAM token) and try once more.
 * Errors are never passed on as they are: n8n's carry the request, headers included.
 */
export async function sendAuthenticated(
	ctx: IExecuteFunctions,
	credentialType: string,
	options: IHttpRequestOptions,
): Promise<CallResult<HttpExchange>> {
	try {
		const credentialsDecrypted = await runCredential(ctx, credentialType);
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			credentialType,
			{
				...options,
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: { ignore: true, except: [401] },
			},
			{ credentialsDecrypted },
		)) as { statusCode: number; headers?: IDataObject; body?: unknown };
		return {
			ok: true,
			value: { statusCode: response.statusCode, headers: response.headers ?? {}, body: response.body },
		};
	} catch (error) {
		const answered = exchangeFromError(error);
		if (answered) return { ok: true, value: answered };
		return { ok: false, failure: networkFailure(error) };
	}
}

/** A 401 (or, on n8n 1.x, any status) that arrived as a thrown error: recover the answer. */
function exchangeFromError(error: unknown): HttpExchange | undefined {
	const candidates = [error, (error as { cause?: unknown })?.cause];
	for (const candidate of candidates) {
		const response = (candidate as { response?: { status?: unknown; data?: unknown; headers?: unknown } })
			?.response;
		if (response && typeof response.status === 'number') {
			return {
				statusCode: response.status,
				headers: (response.headers as IDataObject) ?? {},
				body: response.data,
			};
		}
	}
	const httpCode = Number((error as { httpCode?: unknown })?.httpCode);
	if (Number.isInteger(httpCode) && httpCode >= 100) {
		const data = (error as { context?: { data?: unknown } })?.context?.data;
		return { statusCode: httpCode, headers: {}, body: data };
	}
	return undefined;
}

const NOT_SENT = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN']);
const SENT_THEN_LOST = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE', 'ECONNABORTED_RESET']);
const TIMED_OUT = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ERR_TIMEOUT']);

function errorCodeOf(error: unknown): string | undefined {
	for (const candidate of [error, (error as { cause?: unknown })?.cause]) {
		const code = (candidate as { code?: unknown })?.code;
		if (typeof code === 'string' && code !== '') return code;
	}
	return undefined;
}

function errorTextOf(error: unknown): string {
	const parts = [error, (error as { cause?: unknown })?.cause].map((e) =>
		typeof (e as { message?: unknown })?.message === 'string' ? (e as { message: string }).message : '',
	);
	return parts.join(' ').toLowerCase();
}

/** Classifies a request that got no HTTP answer. Only the code is kept, never the raw error. */
export function networkFailure(error: unknown): CallFailure {
	const code = errorCodeOf(error);
	const text = errorTextOf(error);
	if (code === 'ERR_CANCELED' || text.includes('aborted') || text.includes('canceled')) {
		if (!text.includes('timeout')) {
			return {
				reason: 'cancelled',
				summary: 'the request was cancelled because the execution was stopped',
				code,
				retryable: false,
				outcomeUnknown: true,
			};
		}
	}
	if ((code && TIMED_OUT.has(code)) || text.includes('timeout')) {
		return {
			reason: 'timeout',
			summary: 'no answer came before the timeout',
			code: code ?? 'ETIMEDOUT',
			retryable: true,
			outcomeUnknown: true,
			hint: 'The request may still have been carried out. Raise the Timeout option if the service is slow.',
		};
	}
	if (code && NOT_SENT.has(code)) {
		return {
			reason: 'network',
			summary: 'the service could not be reached',
			code,
			retryable: true,
			outcomeUnknown: false,
			hint: 'Check the base URL or endpoint in the credential and the network between n8n and the service.',
		};
	}
	if (code === 'ENOTFOUND') {
		return {
			reason: 'network',
			summary: 'the service host name could not be resolved',
			code,
			retryable: false,
			outcomeUnknown: false,
			hint: 'Check the base URL, endpoint or region in the credential.',
		};
	}
	if ((code && SENT_THEN_LOST.has(code)) || text.includes('socket hang up')) {
		return {
			reason: 'network',
			summary: 'the connection was closed before an answer came',
			code: code ?? 'ECONNRESET',
			retryable: true,
			outcomeUnknown: true,
		};
	}
	if (code) {
		return {
			reason: 'network',
			summary: 'the request failed without an answer',
			code,
			retryable: true,
			outcomeUnknown: true,
		};
	}
	// Not a network error: n8n or the credential refused before or after sending (for example IAM would
	// not issue a token). Its message is meant for users and carries no request; retrying will not help.
	return {
		reason: 'apiError',
		summary: `the request could not be made: ${firstLine(error)}`,
		retryable: false,
		outcomeUnknown: true,
	};
}

function firstLine(error: unknown): string {
	const message = (error as { message?: unknown })?.message;
	const text = typeof message === 'string' && message.trim() !== '' ? message : 'unknown error';
	return text.split('\n')[0].slice(0, 300);
}

/** Reads a header whichever case the server used. */
export function headerValue(headers: IDataObject, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (key.toLowerCase() === wanted) {
			const first = Array.isArray(value) ? value[0] : value;
			return first === undefined || first === null ? undefined : String(first);
		}
	}
	return undefined;
}

/** Encodes a value as exactly one path segment. */
export function pathSegment(value: string): string {
	return encodeURIComponent(value);
}

export function trimTrailingSlashes(url: string): string {
	return url.trim().replace(/\/+$/, '');
}
