import type { IDataObject } from 'n8n-workflow';

import {
	APIGW_BAD_SIGNATURE,
	APIGW_THROTTLED,
	MSS_ASSET_NOT_FOUND,
	MSS_FILE_NOT_FOUND,
	MSS_INVALID_TOKEN,
	MSS_PROJECT_MISMATCH,
	MSS_UNAUTHORIZED,
} from '../helpers/constants';
import type { CallAttempt, CallFailure, CallSettings, HttpExchange, HttpMethod } from '../helpers/interfaces';
import { httpFailure, retryAfterOf } from './responses';
import type { RequestContext } from './request';
import { headerValue, sendAuthenticated } from './request';
import type { PathPart } from './urls';
import { documentedUrl } from './urls';

export type HuaweiAuthentication = 'akSk' | 'iamToken';

export const HUAWEI_CREDENTIAL_TYPES: Record<HuaweiAuthentication, string> = {
	akSk: 'huaweiCloudAkSkApi',
	iamToken: 'huaweiCloudIamApi',
};

/** MetaStudio APIs are grouped by their documented per-tenant rate limit. */
export type MetaStudioApiGroup = 'query' | 'change';

/**
 * Documented per-tenant limits (requests per second) by region: query APIs (ListAssets, ShowAsset)
 * 20/10/10, DeleteAsset, RestoreAsset and DeleteFile 10/5/5 in cn-north-4/cn-east-3/ap-southeast-3.
 */
export function metaStudioRateLimit(region: string, group: MetaStudioApiGroup): number {
	const beijing = (region ?? '').trim() === 'cn-north-4';
	if (group === 'query') return beijing ? 20 : 10;
	return beijing ? 10 : 5;
}

/** `{endpoint}/v1/{project_id}/{…path}`, each value exactly one segment. */
export function metaStudioUrl(endpoint: string, projectId: string, path: PathPart[], query = ''): string {
	return documentedUrl(endpoint, ['v1', { value: projectId, label: 'project ID' }, ...path], query);
}

/** One request as the node sends it: which credential, where, and the headers besides authentication. */
export interface MetaStudioRequest {
	authentication: HuaweiAuthentication;
	method: HttpMethod;
	url: string;
	headers: IDataObject;
}

interface HuaweiErrorBody {
	error_code?: unknown;
	error_msg?: unknown;
	request_id?: unknown;
}

function asErrorBody(body: unknown): HuaweiErrorBody | undefined {
	return body !== null && typeof body === 'object' && !Array.isArray(body) && 'error_code' in body
		? (body as HuaweiErrorBody)
		: undefined;
}

const AUTH_HINTS: Record<string, string> = {
	[APIGW_BAD_SIGNATURE]:
		'The AK/SK signature was rejected: check the Access Key ID and Secret Access Key, and that the n8n host clock is within 15 minutes of real time.',
	[MSS_UNAUTHORIZED]: 'Check the credential; the account or IAM user may lack MetaStudio permissions.',
	[MSS_INVALID_TOKEN]: 'The IAM token was refused: check the IAM user, password and account name in the credential.',
	[MSS_PROJECT_MISMATCH]:
		"The project ID in the URL differs from the credential's project: check the Project ID in the credential or the Project ID option.",
};

/** The request ID of an answer: the `X-Request-Id` header, else the gateway's `request_id`. */
export function requestIdOf(exchange: HttpExchange): string | undefined {
	const body = asErrorBody(exchange.body);
	return (
		headerValue(exchange.headers, 'x-request-id') ??
		(body?.request_id === undefined ? undefined : String(body.request_id))
	);
}

/** What "not found" is called for the object a call names, and the code MetaStudio uses for it. */
export interface NotFoundSpec {
	code: string;
	noun: string;
	hint?: string;
}

export const FILE_NOT_FOUND: NotFoundSpec = {
	code: MSS_FILE_NOT_FOUND,
	noun: 'media file',
	hint: 'Turn on the Ignore Not Found option to count missing files as already deleted.',
};

export const ASSET_NOT_FOUND: NotFoundSpec = { code: MSS_ASSET_NOT_FOUND, noun: 'asset' };

/**
 * Reads any MetaStudio answer: 2xx is done (its body in `fields.body`), the documented "not found"
 * code is notFound (MetaStudio says it with HTTP 400, so the code decides, not the status), the rest
 * are failures decided by status and code, never by message text.
 */
export function interpretAnswer(exchange: HttpExchange, notFound: NotFoundSpec): CallAttempt {
	const { statusCode } = exchange;
	const requestId = requestIdOf(exchange);
	if (statusCode >= 200 && statusCode < 300) {
		return { outcome: 'done', httpStatus: statusCode, fields: { requestId: requestId ?? null, body: exchange.body as IDataObject } };
	}
	const body = asErrorBody(exchange.body);
	const code = body?.error_code === undefined ? undefined : String(body.error_code);
	const apiMessage = body?.error_msg === undefined ? undefined : String(body.error_msg);
	const facts = { code, apiMessage, requestId };

	if (code === notFound.code) {
		return {
			outcome: 'notFound',
			certain: true,
			failure: {
				reason: 'notFound',
				summary: `the ${notFound.noun} does not exist`,
				httpStatus: statusCode,
				...facts,
				retryable: false,
				outcomeUnknown: false,
				hint: notFound.hint ?? `Check the ${notFound.noun} ID and the project.`,
			},
		};
	}
	if (statusCode === 429 || code === APIGW_THROTTLED) {
		return { outcome: 'failed', failure: httpFailure(429, { ...facts, retryAfterMs: retryAfterOf(exchange) }) };
	}
	if (statusCode === 401 || statusCode === 403 || (code !== undefined && code in AUTH_HINTS)) {
		const failure: CallFailure = {
			reason: 'authentication',
			summary: 'the credential was rejected',
			httpStatus: statusCode,
			...facts,
			retryable: false,
			outcomeUnknown: false,
			hint: (code && AUTH_HINTS[code]) || 'Check the Huawei Cloud credential.',
		};
		return { outcome: 'failed', failure };
	}
	return { outcome: 'failed', failure: httpFailure(statusCode, { ...facts, retryAfterMs: retryAfterOf(exchange) }) };
}

/** Sends one MetaStudio request with its credential and reads the answer. */
export async function callMetaStudio(
	ctx: RequestContext,
	request: MetaStudioRequest,
	settings: CallSettings,
	notFound: NotFoundSpec,
): Promise<CallAttempt> {
	const result = await sendAuthenticated(ctx, HUAWEI_CREDENTIAL_TYPES[request.authentication], {
		method: request.method,
		url: request.url,
		headers: request.headers,
		timeout: settings.timeoutMs,
	});
	return result.ok ? interpretAnswer(result.value, notFound) : { outcome: 'failed', failure: result.failure };
}
