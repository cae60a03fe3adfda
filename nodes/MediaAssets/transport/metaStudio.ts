import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	APIGW_BAD_SIGNATURE,
	APIGW_THROTTLED,
	MSS_FILE_NOT_FOUND,
	MSS_INVALID_TOKEN,
	MSS_PROJECT_MISMATCH,
	MSS_UNAUTHORIZED,
} from '../helpers/constants';
import type { CallFailure, CallSettings, DeleteAttempt, HttpExchange } from '../helpers/interfaces';
import { httpFailure, retryAfterOf } from './responses';
import { headerValue, pathSegment, sendAuthenticated } from './request';

export type HuaweiAuthentication = 'akSk' | 'iamToken';

export const HUAWEI_CREDENTIAL_TYPES: Record<HuaweiAuthentication, string> = {
	akSk: 'huaweiCloudAkSkApi',
	iamToken: 'huaweiCloudIamApi',
};

export function mediaFileUrl(endpoint: string, projectId: string, fileId: string): string {
	return `${endpoint}/v1/${pathSegment(projectId)}/files/${pathSegment(fileId)}`;
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
		'The project ID in the URL differs from the credential\'s project: check the Project ID in the credential or the Project ID option.',
};

export function interpretDelete(exchange: HttpExchange): DeleteAttempt {
	const { statusCode } = exchange;
	const body = asErrorBody(exchange.body);
	const requestId =
		headerValue(exchange.headers, 'x-request-id') ??
		(body?.request_id === undefined ? undefined : String(body.request_id));
	if (statusCode >= 200 && statusCode < 300) {
		return { outcome: 'deleted', httpStatus: statusCode, fields: { requestId: requestId ?? null } };
	}
	const code = body?.error_code === undefined ? undefined : String(body.error_code);
	const apiMessage = body?.error_msg === undefined ? undefined : String(body.error_msg);
	const facts = { code, apiMessage, requestId };

	// MetaStudio says "not found" with HTTP 400 and this code, so the code decides, not the status.
	if (code === MSS_FILE_NOT_FOUND) {
		return {
			outcome: 'notFound',
			certain: true,
			failure: {
				reason: 'notFound',
				summary: 'the media file does not exist',
				httpStatus: statusCode,
				...facts,
				retryable: false,
				outcomeUnknown: false,
				hint: 'Turn on the Ignore Not Found option to count missing files as already deleted.',
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

export async function deleteMediaFile(
	ctx: IExecuteFunctions,
	request: { authentication: HuaweiAuthentication; url: string; headers: IDataObject },
	settings: CallSettings,
): Promise<DeleteAttempt> {
	const result = await sendAuthenticated(ctx, HUAWEI_CREDENTIAL_TYPES[request.authentication], {
		method: 'DELETE',
		url: request.url,
		headers: request.headers,
		timeout: settings.timeoutMs,
	});
	return result.ok ? interpretDelete(result.value) : { outcome: 'failed', failure: result.failure };
}
