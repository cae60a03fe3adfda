import type { IDataObject } from 'n8n-workflow';

import { KYY_DEFAULT_BASE_URL } from '../../../credentials/common/kyyVideo2';
import { KYY_SUCCESS_CODE } from '../helpers/constants';
import type { Answer, CallFailure, CallSettings, HttpExchange } from '../helpers/interfaces';
import { failed } from '../helpers/interfaces';
import { httpFailure, retryAfterOf } from './responses';
import type { RequestContext } from './request';
import { sendAuthenticated } from './request';
import { documentedUrl } from './urls';

export const KYY_CREDENTIAL_TYPE = 'kyyVideo2Api';

/** `{baseUrl}/kyyVideo2/asset/upload`: the service fetches the asset from a URL. */
export function uploadUrl(baseUrl: unknown): string {
	return documentedUrl(String(baseUrl || KYY_DEFAULT_BASE_URL), ['kyyVideo2', 'asset', 'upload']);
}

/** `{baseUrl}/kyyVideo2/asset/{assetId}`: the delete and the detail endpoint share it. */
export function assetUrl(baseUrl: unknown, assetId: string): string {
	return documentedUrl(String(baseUrl || KYY_DEFAULT_BASE_URL), ['kyyVideo2', 'asset', { value: assetId, label: 'asset ID' }]);
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

/**
 * Success is HTTP 2xx and code "0" (compared as a string: sibling endpoints send the number 0). Any
 * other code is a refusal: KyyVideo2 reports "no such asset" the same way as every other refusal, with
 * free text, so whether the asset is gone is for the detail endpoint to say.
 */
export function interpretDelete(exchange: HttpExchange): Answer {
	const body = asKyyBody(exchange.body);
	const failure = commonFailure(exchange, body);
	if (failure) return failed(failure);
	const code = String(body!.code);
	if (code === KYY_SUCCESS_CODE) {
		return { outcome: 'done', value: { code, message: apiText(body) ?? null }, httpStatus: exchange.statusCode };
	}
	return failed({
		reason: 'apiError',
		summary: 'the API refused the delete',
		httpStatus: exchange.statusCode,
		code,
		apiMessage: apiText(body),
		retryable: false,
		outcomeUnknown: false,
		hint: 'Check that the asset ID exists and belongs to this API key.',
	});
}

/** Detail endpoint: `data` holds the asset; a missing asset is a non-zero code with `data: null`. */
export function interpretDetail(exchange: HttpExchange): Answer {
	const body = asKyyBody(exchange.body);
	const failure = commonFailure(exchange, body);
	if (failure) return failed(failure);
	const code = String(body!.code);
	const data = body!.data;
	const facts = { httpStatus: exchange.statusCode, code, apiMessage: apiText(body) };
	if (code === KYY_SUCCESS_CODE && data !== null && typeof data === 'object') {
		return { outcome: 'done', value: data as IDataObject, httpStatus: exchange.statusCode };
	}
	if (code !== KYY_SUCCESS_CODE && (data === null || data === undefined)) {
		return failed({
			reason: 'notFound',
			summary: 'the asset does not exist',
			...facts,
			retryable: false,
			outcomeUnknown: false,
			hint: 'Check the asset ID and that it belongs to this API key.',
		});
	}
	return failed({
		reason: 'invalidResponse',
		summary: 'the asset detail endpoint answered in an unexpected form',
		...facts,
		retryable: false,
		outcomeUnknown: false,
	});
}

/** One call to the asset URL, its answer read by `interpret`. */
async function callAsset(
	ctx: RequestContext,
	method: 'DELETE' | 'GET',
	url: string,
	settings: CallSettings,
	interpret: (exchange: HttpExchange) => Answer,
): Promise<Answer> {
	const sent = await sendAuthenticated(ctx, KYY_CREDENTIAL_TYPE, { method, url, timeout: settings.timeoutMs });
	return sent.outcome === 'done' ? interpret(sent.value) : sent;
}

export async function deleteAsset(ctx: RequestContext, url: string, settings: CallSettings): Promise<Answer> {
	return await callAsset(ctx, 'DELETE', url, settings, interpretDelete);
}

/** The asset's detail (`data`: name, assetId, status, assetType, url, createTime), or "not found". */
export async function getAsset(ctx: RequestContext, url: string, settings: CallSettings): Promise<Answer> {
	return await callAsset(ctx, 'GET', url, settings, interpretDetail);
}

/**
 * The upload's answer: `{code: 0, msg, data: {assetId}}` (an integer code, compared as text). Any other
 * code is a refusal with the API's text; its shape is not published.
 */
export function interpretUpload(exchange: HttpExchange): Answer {
	const body = asKyyBody(exchange.body);
	const failure = commonFailure(exchange, body);
	if (failure) return failed(failure);
	const data = body!.data as IDataObject | null | undefined;
	const code = String(body!.code);
	if (code === KYY_SUCCESS_CODE && typeof data?.assetId === 'string' && data.assetId !== '') {
		return { outcome: 'done', value: { assetId: data.assetId }, httpStatus: exchange.statusCode };
	}
	return failed({
		reason: code === KYY_SUCCESS_CODE ? 'invalidResponse' : 'apiError',
		summary: code === KYY_SUCCESS_CODE ? 'the upload answer carries no asset ID' : 'the API refused the upload',
		httpStatus: exchange.statusCode,
		code,
		apiMessage: apiText(body),
		retryable: false,
		// A success without an ID may still have created the asset.
		outcomeUnknown: code === KYY_SUCCESS_CODE,
		hint: 'Check the URL (public, reachable by the service) and the asset type.',
	});
}

/** Asks the service to fetch a file from `body.url` and make an asset of it. */
export async function uploadAsset(ctx: RequestContext, url: string, body: IDataObject, settings: CallSettings): Promise<Answer> {
	const sent = await sendAuthenticated(ctx, KYY_CREDENTIAL_TYPE, { method: 'POST', url, body, timeout: settings.timeoutMs });
	return sent.outcome === 'done' ? interpretUpload(sent.value) : sent;
}
