import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';

import type { Answer, HttpExchange } from '../helpers/interfaces';
import { failed } from '../helpers/interfaces';
import { runCredential } from './credentials';
import { networkFailure } from './networkFailure';

/** The n8n function contexts that send requests: node runs, the editor's list searches, polling triggers. */
export type RequestContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

/** Every status comes back as an answer except a 401, which n8n 2.x needs to see thrown to refresh a token. */
const ANSWER_ALL_BUT_401: IHttpRequestOptions['ignoreHttpStatusErrors'] = { ignore: true, except: [401] };

/**
 * Credential types with a `preAuthentication` hook (an expirable token): n8n refreshes them after a
 * thrown 401 and sends the request once more.
 */
const REFRESHABLE_CREDENTIAL_TYPES = new Set(['huaweiCloudIamApi']);

/**
 * Sends one authenticated request and returns what came back, whatever the status (`done`: an
 * exchange took place; `failed`: none did), so that each API's reader decides by status and API code.
 * Errors are never passed on as they are: n8n's carry the request, headers included.
 */
export async function sendAuthenticated(
	ctx: RequestContext,
	credentialType: string,
	options: IHttpRequestOptions,
): Promise<Answer<HttpExchange>> {
	try {
		const credentialsDecrypted = await runCredential(ctx, credentialType);
		const send = async (ignoreHttpStatusErrors: IHttpRequestOptions['ignoreHttpStatusErrors']) =>
			await sendOnce(ctx, credentialType, credentialsDecrypted, { ...options, ignoreHttpStatusErrors });
		const answer = await send(ANSWER_ALL_BUT_401);
		if (answer.statusCode !== 401 || !REFRESHABLE_CREDENTIAL_TYPES.has(credentialType)) return exchanged(answer);
		// n8n 1.x reads ignoreHttpStatusErrors as a boolean, so the 401 came back as an answer and n8n's
		// refresh never ran. A 401 means nothing was done: send it again with statuses thrown, so that
		// n8n itself refreshes the token and retries; a status still failing is recovered below.
		return exchanged(await send(false));
	} catch (error) {
		const answered = exchangeFromError(error);
		return answered ? exchanged(answered) : failed(networkFailure(error));
	}
}

/** An exchange that came back, whatever its status: the API's reader decides what it means. */
function exchanged(exchange: HttpExchange): Answer<HttpExchange> {
	return { outcome: 'done', value: exchange, httpStatus: exchange.statusCode };
}

async function sendOnce(
	ctx: RequestContext,
	credentialType: string,
	credentialsDecrypted: ICredentialsDecrypted,
	options: IHttpRequestOptions,
): Promise<HttpExchange> {
	const response = (await ctx.helpers.httpRequestWithAuthentication.call(
		ctx,
		credentialType,
		{ ...options, json: true, returnFullResponse: true },
		{ credentialsDecrypted },
	)) as { statusCode: number; headers?: IDataObject; body?: unknown };
	return { statusCode: response.statusCode, headers: response.headers ?? {}, body: response.body };
}

/**
 * A status that arrived as a thrown error: recover the answer. n8n 2.x keeps the library's response
 * on the cause; n8n 1.x drops the cause and keeps only the status (`httpCode`) and the body
 * (`context.data`).
 */
function exchangeFromError(error: unknown): HttpExchange | undefined {
	let candidate: unknown = error;
	for (let depth = 0; depth < 5 && typeof candidate === 'object' && candidate !== null; depth++) {
		const response = (candidate as { response?: { status?: unknown; data?: unknown; headers?: unknown } }).response;
		if (response && typeof response.status === 'number') {
			return {
				statusCode: response.status,
				headers: (response.headers as IDataObject) ?? {},
				body: response.data,
			};
		}
		candidate = (candidate as { cause?: unknown }).cause;
	}
	const httpCode = (error as { httpCode?: unknown })?.httpCode;
	if (typeof httpCode === 'string' && /^[1-5]\d\d$/.test(httpCode)) {
		const data = (error as { context?: { data?: unknown } })?.context?.data;
		return { statusCode: Number(httpCode), headers: {}, body: data };
	}
	return undefined;
}
