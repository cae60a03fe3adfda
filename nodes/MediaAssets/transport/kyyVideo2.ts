import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { KYY_ASSET_PATH, KYY_DEFAULT_BASE_URL, KYY_SUCCESS_CODE } from '../helpers/constants';
import type {
	CallFailure,
	CallSettings,
	DeleteAttempt,
	HttpExchange,
	LookupAttempt,
} from '../helpers/interfaces';
import { httpFailure, retryAfterOf } from './responses';
import { pathSegment, sendAuthenticated, trimTrailingSlashes } from './request';

export const KYY_CREDENTIAL_TYPE = 'kyyVideo2Api';

export function assetUrl(baseUrl: string | undefined, assetId: string): string {
	const base = trimTrailingSlashes(baseUrl || KYY_DEFAULT_BASE_URL);
	return `${base}${KYY_ASSET_PATH}/${pathSegment(assetId)}`;
}

interface KyyBody {
	code?: unknown;
	msg?: unknown;
	data?: unknown;
}

function asKyyBody(body: unknown): KyyBody | undefined {
	return body !== null && typeof body === 'object' && !Array.isArray(body) && 'code' in body
		? (body as KyyBody)
		: undefined;
}

function apiText(body: KyyBody | undefined): string | undefined {
	return body?.msg === undefined || body.msg === null ? undefined : String(body.msg);
}

/** Failures that do not depend on the endpoint: auth, throttling, server errors, bodies that are not the API's. */
function commonFailure(exchange: HttpExchange, body: KyyBody | undefined): CallFailure | undefined {
	const { statusCode } = exchange;
	const code = body ? String(body.code) : undefined;
	const apiMessage = apiText(body);
	if (statusCode === 401 || statusCode === 403) {
		return {
			reason: 'authentication',
			summary: 'the API key was rejected',
			httpStatus: statusCode,
			code,
			apiMessage,
			retryable: false,
			outcomeUnknown: false,
			hint: 'Check the API key in the KyyVideo2 (Seedance 2.0) credential.',
		};
	}
	if (statusCode === 429 || statusCode >= 500 || statusCode < 200 || statusCode >= 300) {
		return httpFailure(statusCode, { code, apiMessage, retryAfterMs: retryAfterOf(exchange) });
	}
	if (!body) {
		return {
			reason: 'invalidResponse',
			summary: `the answer is not the API's JSON`,
			httpStatus: statusCode,
			retryable: false,
			// A 2xx we cannot read may still have been a delete that landed.
			outcomeUnknown: true,
			hint: 'Check that the base URL in the credential points at the KyyVideo2 API (…/kyyReactApiServer).',
		};
	}
	return undefined;
}

/** Success is HTTP 2xx and code "0" (compared as a string: sibling endpoints send the number 0). */
export function interpretDelete(exchange: HttpExchange): DeleteAttempt {
	const body = asKyyBody(exchange.body);
	const failure = commonFailure(exchange, body);
	if (failure) return { outcome: 'failed', failure };
	const code = String(body!.code);
	if (code === KYY_SUCCESS_CODE) {
		return {
			outcome: 'deleted',
			httpStatus: exchange.statusCode,
			fields: { code, message: apiText(body) ?? null },
		};
	}
	// KyyVideo2 reports every refusal, "no such asset" included, as a non-"0" code with free text:
	// the engine confirms absence with the detail endpoint before it calls anything already deleted.
	return {
		outcome: 'notFound',
		certain: false,
		failure: {
			reason: 'apiError',
			summary: 'the API refused the delete',
			httpStatus: exchange.statusCode,
			code,
			apiMessage: apiText(body),
			retryable: false,
			outcomeUnknown: false,
			hint: 'Check that the asset ID exists and belongs to this API key.',
		},
	};
}

/** Detail endpoint: `data` holds the asset; a missing asset is a non-zero code with `data: null`. */
export function interpretLookup(exchange: HttpExchange): LookupAttempt {
	const body = asKyyBody(exchange.body);
	const failure = commonFailure(exchange, body);
	if (failure) return { outcome: 'failed', failure };
	const code = String(body!.code);
	const data = body!.data;
	if (code === KYY_SUCCESS_CODE && data !== null && typeof data === 'object') {
		const record = data as IDataObject;
		return {
			outcome: 'found',
			status: record.status === undefined ? undefined : String(record.status),
			record,
		};
	}
	if (code !== KYY_SUCCESS_CODE && (data === null || data === undefined)) return { outcome: 'absent' };
	return {
		outcome: 'failed',
		failure: {
			reason: 'invalidResponse',
			summary: 'the asset detail endpoint answered in an unexpected form',
			httpStatus: exchange.statusCode,
			code,
			apiMessage: apiText(body),
			retryable: false,
			outcomeUnknown: false,
		},
	};
}

/** One call to the asset URL; the answer is read by `interpret`, a failure to answer becomes a failed attempt. */
async function callAsset<T>(
	ctx: IExecuteFunctions,
	method: 'DELETE' | 'GET',
	url: string,
	settings: CallSettings,
	interpret: (exchange: HttpExchange) => T,
): Promise<T | { outcome: 'failed'; failure: CallFailure }> {
	const result = await sendAuthenticated(ctx, KYY_CREDENTIAL_TYPE, { method, url, timeout: settings.timeoutMs });
	return result.ok ? interpret(result.value) : { outcome: 'failed', failure: result.failure };
}

export async function deleteAsset(ctx: IExecuteFunctions, url: string, settings: CallSettings): Promise<DeleteAttempt> {
	return await callAsset(ctx, 'DELETE', url, settings, interpretDelete);
}

export async function getAsset(ctx: IExecuteFunctions, url: string, settings: CallSettings): Promise<LookupAttempt> {
	return await callAsset(ctx, 'GET', url, settings, interpretLookup);
}
