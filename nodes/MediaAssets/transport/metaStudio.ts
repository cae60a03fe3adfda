import type { IDataObject } from 'n8n-workflow';

import { metaStudioEndpoint } from '../../../credentials/common/huaweiCloud';
import { headerValue, text } from '../../../credentials/common/values';

import {
	APIGW_BAD_SIGNATURE,
	APIGW_THROTTLED,
	MSS_ASSET_NOT_FOUND,
	MSS_FILE_NOT_FOUND,
	MSS_INTERNAL_ERROR,
	MSS_INVALID_PARAMETER,
	MSS_INVALID_TOKEN,
	MSS_PROJECT_MISMATCH,
	MSS_UNAUTHORIZED,
} from '../helpers/constants';
import type { Answer, CallFailure, CallSettings, HttpExchange, HttpMethod } from '../helpers/interfaces';
import { failed } from '../helpers/interfaces';
import { checkAppUserId, checkResourceId } from '../helpers/validators';
import { runCredentialData } from './credentials';
import { httpFailure, retryAfterOf } from './responses';
import type { RequestContext } from './request';
import { sendAuthenticated } from './request';
import type { PathPart } from './urls';
import { documentedUrl } from './urls';

export type HuaweiAuthentication = 'akSk' | 'iamToken';

export const HUAWEI_CREDENTIAL_TYPES: Record<HuaweiAuthentication, string> = {
	akSk: 'huaweiCloudAkSkApi',
	iamToken: 'huaweiCloudIamApi',
};

/** MetaStudio APIs are grouped by their documented per-tenant rate limit. */
export type MetaStudioApiGroup = 'query' | 'change' | 'batch';

/**
 * Documented per-tenant limits (requests per second): query APIs (ListAssets, ShowAsset), the APIs that
 * change one object (DeleteAsset, RestoreAsset, DeleteFile), and BatchExecuteAssetAction. Regions not
 * listed have the `elsewhere` limit.
 */
const METASTUDIO_RATE_LIMITS: Record<MetaStudioApiGroup, { 'cn-north-4': number; elsewhere: number }> = {
	query: { 'cn-north-4': 20, elsewhere: 10 },
	change: { 'cn-north-4': 10, elsewhere: 5 },
	batch: { 'cn-north-4': 1, elsewhere: 1 },
};

/** The documented limit of a group of APIs in a credential's region (its `region` field). */
export function metaStudioRateLimit(region: unknown, group: MetaStudioApiGroup): number {
	const limits = METASTUDIO_RATE_LIMITS[group];
	return text(region) === 'cn-north-4' ? limits['cn-north-4'] : limits.elsewhere;
}

/** The limits of a group in words, for the editor: "10/s in cn-north-4, 5/s elsewhere". */
export function metaStudioRateLimitText(group: MetaStudioApiGroup): string {
	const limits = METASTUDIO_RATE_LIMITS[group];
	if (limits['cn-north-4'] === limits.elsewhere) return `${limits.elsewhere}/s in every region`;
	return `${limits['cn-north-4']}/s in cn-north-4, ${limits.elsewhere}/s elsewhere`;
}

/** Where a project's requests go and how they authenticate; every request for it shares this. */
export interface MetaStudioProject {
	authentication: HuaweiAuthentication;
	endpoint: string;
	projectId: string;
	/** Headers Huawei's SDKs send besides authentication (`X-Project-Id` with AK/SK, `X-App-UserId`). */
	headers: IDataObject;
}

/** What is wrong with a project's settings, and what to change. */
type ProjectProblem = { ok: false; problem: string; hint: string };

/** A project's settings as checked: the project, or what is wrong with the input. */
export type ProjectCheck = { ok: true; project: MetaStudioProject } | ProjectProblem;

/** The Project ID and App User ID options as a node's parameters hold them. */
export interface MetaStudioProjectOptions {
	projectId?: unknown;
	appUserId?: unknown;
}

/** The Authentication parameter's value; anything but the IAM token is AK/SK, its default. */
export function huaweiAuthentication(choice: unknown): HuaweiAuthentication {
	return choice === 'iamToken' ? 'iamToken' : 'akSk';
}

/** The data of the run's Huawei credential for an Authentication choice. */
export async function huaweiCredentialData(ctx: RequestContext, authentication: HuaweiAuthentication): Promise<IDataObject> {
	return await runCredentialData(ctx, HUAWEI_CREDENTIAL_TYPES[authentication]);
}

function endpointOf(credentials: IDataObject): { ok: true; endpoint: string } | ProjectProblem {
	try {
		return { ok: true, endpoint: metaStudioEndpoint(credentials) };
	} catch (error) {
		return { ok: false, problem: (error as Error).message, hint: 'Fix the Region or Endpoint of the credential.' };
	}
}

/**
 * Where a credential's MetaStudio requests go: the project (an override, else the credential's), the
 * endpoint, and the headers Huawei's SDKs send (`X-Project-Id` with AK/SK, signed with the rest;
 * `X-App-UserId` when one is given). Pure, for every n8n context: each reads its parameters its own way.
 */
export function metaStudioProjectOf(
	credentials: IDataObject,
	authentication: HuaweiAuthentication,
	options: MetaStudioProjectOptions,
): ProjectCheck {
	const projectOverride = typeof options.projectId === 'string' ? options.projectId.trim() : '';
	const project = checkResourceId(projectOverride || credentials.projectId, 'project ID');
	if (!project.valid) return { ok: false, problem: project.problem, hint: project.hint };
	const headers: IDataObject = {};
	if (authentication === 'akSk') headers['X-Project-Id'] = project.id;
	if (options.appUserId !== undefined && options.appUserId !== '') {
		const appUser = checkAppUserId(options.appUserId);
		if (!appUser.valid) return { ok: false, problem: appUser.problem, hint: appUser.hint };
		headers['X-App-UserId'] = appUser.id;
	}
	const endpoint = endpointOf(credentials);
	if (!endpoint.ok) return endpoint;
	return { ok: true, project: { authentication, endpoint: endpoint.endpoint, projectId: project.id, headers } };
}

/** The project of an Authentication choice and its options, with the run's credential. */
export async function metaStudioProjectFor(
	ctx: RequestContext,
	parameters: { authentication: unknown; options: MetaStudioProjectOptions },
): Promise<ProjectCheck> {
	const authentication = huaweiAuthentication(parameters.authentication);
	return metaStudioProjectOf(await huaweiCredentialData(ctx, authentication), authentication, parameters.options);
}

/** One request as the node sends it: which credential, where, and the headers besides authentication. */
export interface MetaStudioRequest {
	authentication: HuaweiAuthentication;
	method: HttpMethod;
	url: string;
	headers: IDataObject;
	/** JSON body, for the APIs that take one. */
	body?: IDataObject;
}

/** `{endpoint}/v1/{project_id}/{…path}`, each value exactly one segment. */
function metaStudioUrl(endpoint: string, projectId: string, path: PathPart[], query = ''): string {
	return documentedUrl(endpoint, ['v1', { value: projectId, label: 'project ID' }, ...path], query);
}

function projectRequest(project: MetaStudioProject, method: HttpMethod, path: PathPart[], query = ''): MetaStudioRequest {
	const url = metaStudioUrl(project.endpoint, project.projectId, path, query);
	return { authentication: project.authentication, method, url, headers: project.headers };
}

const assetPath = (assetId: string): PathPart[] => ['digital-assets', { value: assetId, label: 'asset ID' }];

/** ListAssets' query parameters, in the order they are sent. */
export type ListAssetsParameters = Array<[name: string, value: string]>;

/** ListAssets' filters as the node's parameters hold them; dates already in RFC 3339 UTC. */
export interface ListAssetsFilters {
	assetState?: unknown;
	assetType?: unknown;
	name?: unknown;
	tag?: unknown;
	startTime?: string;
	endTime?: string;
}

function listOf(value: unknown): string[] {
	return Array.isArray(value) ? value.map(String).filter((entry) => entry !== '') : [];
}

/** The filter parameters of ListAssets, in the documented form: lists comma-separated, texts trimmed. */
export function listAssetsParameters(filters: ListAssetsFilters): ListAssetsParameters {
	const parameters: ListAssetsParameters = [];
	const states = listOf(filters.assetState);
	const types = listOf(filters.assetType);
	if (states.length) parameters.push(['asset_state', states.join(',')]);
	if (types.length) parameters.push(['asset_type', types.join(',')]);
	if (text(filters.name)) parameters.push(['name', text(filters.name)]);
	if (text(filters.tag)) parameters.push(['tag', text(filters.tag)]);
	if (filters.startTime) parameters.push(['start_time', filters.startTime]);
	if (filters.endTime) parameters.push(['end_time', filters.endTime]);
	return parameters;
}

/** One page of ListAssets: the filters, then the page's offset and limit. */
export function listAssetsPage(filters: ListAssetsParameters, page: { offset: number; limit: number }): ListAssetsParameters {
	return [...filters, ['offset', String(page.offset)], ['limit', String(page.limit)]];
}

function queryString(pairs: ListAssetsParameters): string {
	return pairs.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&');
}

/**
 * The documented MetaStudio requests. Each throws UnsafePathSegmentError for a value that would not
 * reach the API as one path segment, and UnusableBaseUrlError for an endpoint that cannot carry a path.
 */
export const metaStudioRequests = {
	listAssets: (project: MetaStudioProject, parameters: ListAssetsParameters) =>
		projectRequest(project, 'GET', ['digital-assets'], queryString(parameters)),
	showAsset: (project: MetaStudioProject, assetId: string) => projectRequest(project, 'GET', assetPath(assetId)),
	// `force` is the only documented value of `mode`; without it the asset goes to the recycle bin.
	deleteAsset: (project: MetaStudioProject, assetId: string, permanent: boolean) =>
		projectRequest(project, 'DELETE', assetPath(assetId), permanent ? 'mode=force' : ''),
	restoreAsset: (project: MetaStudioProject, assetId: string) =>
		projectRequest(project, 'POST', [...assetPath(assetId), 'restore']),
	deleteFile: (project: MetaStudioProject, fileId: string) =>
		projectRequest(project, 'DELETE', ['files', { value: fileId, label: 'file ID' }]),
	batchAction: (project: MetaStudioProject, body: BatchActionBody) => ({
		...projectRequest(project, 'POST', ['digital-assets', 'batch-action']),
		body: body as unknown as IDataObject,
	}),
	updateAsset: (project: MetaStudioProject, assetId: string, body: IDataObject) => ({ ...projectRequest(project, 'PUT', assetPath(assetId)), body }),
	createAsset: (project: MetaStudioProject, body: IDataObject) => ({ ...projectRequest(project, 'POST', ['digital-assets']), body }),
	createFile: (project: MetaStudioProject, body: IDataObject) => ({ ...projectRequest(project, 'POST', ['files']), body }),
	confirmFileUpload: (project: MetaStudioProject, fileId: string, state: 'CREATED' | 'FAILED' | 'CANCELLED') => ({
		...projectRequest(project, 'POST', ['files', { value: fileId, label: 'file ID' }, 'complete']),
		body: { state },
	}),
};

/** BatchExecuteAssetAction's body. */
export interface BatchActionBody {
	action: BatchAction;
	asset_ids: string[];
}

export type BatchAction = 'DELETE' | 'DELETE_FORCE' | 'RESTORE' | 'ACTIVE' | 'UNACTIVE';

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
 * Whether a 2xx is MetaStudio's own: every answer of its gateway names the call in `X-Request-Id`, and
 * its APIs answer JSON or nothing. A page (a proxy, a captive portal, an Endpoint that points at a web
 * server) is not proof that anything was done.
 */
function looksLikeMetaStudio(exchange: HttpExchange, requestId: string | undefined): boolean {
	if (requestId === undefined) return false;
	const { body } = exchange;
	if (body === undefined || body === null || body === '') return true;
	return typeof body === 'object';
}

/** A 2xx that did not come from MetaStudio: the change may or may not have reached it. */
function foreignAnswer(statusCode: number): CallFailure {
	return {
		reason: 'invalidResponse',
		summary: "the answer did not come from MetaStudio (no X-Request-Id, or not JSON)",
		httpStatus: statusCode,
		retryable: false,
		outcomeUnknown: true,
		hint: 'Check the Endpoint in the credential and any proxy between n8n and MetaStudio.',
	};
}

/**
 * Reads any MetaStudio answer: 2xx is done (its body the value, `{}` when there is none), the
 * documented "not found" code is a `notFound` failure (MetaStudio says it with HTTP 400, so the code
 * decides, not the status), the rest are failures decided by status and code, never by message text.
 */
export function interpretAnswer(exchange: HttpExchange, notFound: NotFoundSpec): Answer {
	const { statusCode } = exchange;
	const requestId = requestIdOf(exchange);
	if (statusCode >= 200 && statusCode < 300) {
		if (!looksLikeMetaStudio(exchange, requestId)) return failed(foreignAnswer(statusCode));
		const body = typeof exchange.body === 'object' && exchange.body !== null ? (exchange.body as IDataObject) : {};
		return { outcome: 'done', value: body, httpStatus: statusCode, requestId };
	}
	const body = asErrorBody(exchange.body);
	const code = body?.error_code === undefined ? undefined : String(body.error_code);
	const apiMessage = body?.error_msg === undefined ? undefined : String(body.error_msg);
	const facts = { code, apiMessage, requestId };

	if (code === notFound.code) {
		return {
			outcome: 'failed',
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
): Promise<Answer> {
	const sent = await sendMetaStudio(ctx, request, settings);
	return sent.outcome === 'done' ? interpretAnswer(sent.value, notFound) : sent;
}

/** One MetaStudio request with its credential, whatever it answers. */
async function sendMetaStudio(ctx: RequestContext, request: MetaStudioRequest, settings: CallSettings): Promise<Answer<HttpExchange>> {
	return await sendAuthenticated(ctx, HUAWEI_CREDENTIAL_TYPES[request.authentication], {
		method: request.method,
		url: request.url,
		headers: request.headers,
		...(request.body ? { body: request.body } : {}),
		timeout: settings.timeoutMs,
	});
}

/** One page of ListAssets: its assets and how many match in all. */
export interface AssetsPage {
	records: IDataObject[];
	total: number;
}

/** Sends one ListAssets page request and checks that the answer is one. */
export async function listAssetsPageCall(
	ctx: RequestContext,
	project: MetaStudioProject,
	parameters: ListAssetsParameters,
	settings: CallSettings,
): Promise<Answer<AssetsPage>> {
	const answer = await callMetaStudio(ctx, metaStudioRequests.listAssets(project, parameters), settings, ASSET_NOT_FOUND);
	if (answer.outcome === 'failed') return answer;
	const { assets, count } = answer.value;
	if (!Array.isArray(assets) || typeof count !== 'number') {
		return failed({
			reason: 'invalidResponse',
			summary: 'the answer is not a ListAssets page ({ count, assets })',
			httpStatus: answer.httpStatus,
			requestId: answer.requestId,
			retryable: false,
			outcomeUnknown: false,
			hint: 'Check that the Endpoint in the credential points at MetaStudio.',
		});
	}
	return { ...answer, value: { records: assets as IDataObject[], total: count } };
}

/** A BatchExecuteAssetAction answer: each asset ID it names, with that asset's own answer. */
export type BatchResults = Map<string, Answer>;

interface ActionResultGroup {
	ret_status?: unknown;
	asset_ids?: unknown;
	error_info?: { error_code?: unknown; error_msg?: unknown };
}

/** The failure of the IDs of a FAILED group, decided by its error code. */
function groupFailure(group: ActionResultGroup, requestId: string | undefined): CallFailure {
	const code = group.error_info?.error_code === undefined ? undefined : String(group.error_info.error_code);
	const apiMessage = group.error_info?.error_msg === undefined ? undefined : String(group.error_info.error_msg);
	const facts = { code, apiMessage, requestId };
	if (code === MSS_ASSET_NOT_FOUND) {
		return { reason: 'notFound', summary: 'the asset does not exist', ...facts, retryable: false, outcomeUnknown: false, hint: 'Check the asset ID and the project.' };
	}
	if (code === MSS_INTERNAL_ERROR) return httpFailure(500, facts);
	return { reason: 'apiError', summary: 'MetaStudio refused the action for this asset', ...facts, retryable: false, outcomeUnknown: false, hint: "Check the asset's state: the action may not apply to it." };
}

/** The `results` of a batch answer by asset ID; undefined when the body is not such an answer. */
function batchResults(body: unknown, httpStatus: number, requestId: string | undefined): BatchResults | undefined {
	const groups = (body as { results?: unknown } | null)?.results;
	if (!Array.isArray(groups)) return undefined;
	const results: BatchResults = new Map();
	for (const group of groups as ActionResultGroup[]) {
		if (!Array.isArray(group?.asset_ids)) return undefined;
		const result: Answer =
			group.ret_status === 'SUCCESS' ? { outcome: 'done', value: {}, httpStatus, requestId } : failed(groupFailure(group, requestId));
		for (const id of group.asset_ids) results.set(String(id), result);
	}
	return results;
}

/**
 * Reads a BatchExecuteAssetAction answer. A 2xx counts only with MetaStudio's `X-Request-Id` and a
 * `results` array; an ID the answer does not name has an unknown outcome (the caller reads its state).
 */
export function interpretBatch(exchange: HttpExchange, assetCount: number): Answer<BatchResults> {
	const requestId = requestIdOf(exchange);
	const { statusCode } = exchange;
	if (statusCode >= 200 && statusCode < 300) {
		const results = requestId === undefined ? undefined : batchResults(exchange.body, statusCode, requestId);
		if (!results) return failed(foreignAnswer(statusCode));
		return { outcome: 'done', value: results, httpStatus: statusCode, requestId };
	}
	const answer = interpretAnswer(exchange, ASSET_NOT_FOUND);
	if (answer.outcome === 'done') return failed(foreignAnswer(statusCode));
	const split = assetCount > 1 && statusCode === 400 && answer.failure.code === MSS_INVALID_PARAMETER;
	return split ? failed({ ...answer.failure, split }) : answer;
}

/** Sends one BatchExecuteAssetAction request. */
export async function callBatchAction(
	ctx: RequestContext,
	project: MetaStudioProject,
	body: BatchActionBody,
	settings: CallSettings,
): Promise<Answer<BatchResults>> {
	const sent = await sendMetaStudio(ctx, metaStudioRequests.batchAction(project, body), settings);
	return sent.outcome === 'done' ? interpretBatch(sent.value, body.asset_ids.length) : sent;
}
