import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { metaStudioEndpoint } from '../../../credentials/common/huaweiCloud';
import { invalidInputError, unsafeUrlError } from '../helpers/errors';
import type { HttpMethod, ItemTarget } from '../helpers/interfaces';
import { itemParameterReader } from '../helpers/parameters';
import { locatorValue } from '../helpers/resourceLocator';
import { checkAppUserId, checkResourceId } from '../helpers/validators';
import { runCredentialData } from '../transport/credentials';
import type { HuaweiAuthentication, MetaStudioApiGroup, MetaStudioRequest } from '../transport/metaStudio';
import { HUAWEI_CREDENTIAL_TYPES, metaStudioRateLimit, metaStudioUrl } from '../transport/metaStudio';
import type { PathPart } from '../transport/urls';

/** A per-item MetaStudio target: the item's ID and the exact request for it. */
export interface MetaStudioTarget extends ItemTarget, MetaStudioRequest {}

export function authenticationOf(ctx: IExecuteFunctions): HuaweiAuthentication {
	return ctx.getNodeParameter('authentication', 0, 'akSk') === 'iamToken' ? 'iamToken' : 'akSk';
}

export async function huaweiCredentials(ctx: IExecuteFunctions): Promise<IDataObject> {
	return await runCredentialData(ctx, HUAWEI_CREDENTIAL_TYPES[authenticationOf(ctx)]);
}

/** The region's documented limit for this group of APIs, used when Requests per Second is left out. */
export async function regionRateLimit(ctx: IExecuteFunctions, group: MetaStudioApiGroup): Promise<number> {
	const credentials = await huaweiCredentials(ctx);
	return metaStudioRateLimit(String(credentials.region ?? ''), group);
}

/** Where a MetaStudio call goes: its method, its path below `/v1/{project_id}/`, an optional query. */
export interface MetaStudioCall {
	method: HttpMethod;
	path: PathPart[];
	query?: string;
}

/**
 * Everything a MetaStudio request needs besides the ID: the project (the Project ID option, else the
 * credential's), the endpoint, and the headers Huawei's SDKs send (`X-Project-Id` with AK/SK, signed
 * with the rest; `X-App-UserId` when the option is set). Bad values throw per-item errors.
 */
export async function metaStudioRequest(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
	call: MetaStudioCall,
): Promise<MetaStudioRequest> {
	const node = ctx.getNode();
	const credentials = await huaweiCredentials(ctx);
	const projectOverride = typeof options.projectId === 'string' ? options.projectId.trim() : '';
	const project = checkResourceId(projectOverride || credentials.projectId, 'project ID');
	if (!project.valid) throw invalidInputError(node, itemIndex, project.problem, project.hint);

	const headers: IDataObject = {};
	const authentication = authenticationOf(ctx);
	if (authentication === 'akSk') headers['X-Project-Id'] = project.id;
	if (options.appUserId !== undefined && options.appUserId !== '') {
		const appUser = checkAppUserId(options.appUserId);
		if (!appUser.valid) throw invalidInputError(node, itemIndex, appUser.problem, appUser.hint);
		headers['X-App-UserId'] = appUser.id;
	}
	let url: string;
	try {
		url = metaStudioUrl(metaStudioEndpoint(credentials), project.id, call.path, call.query);
	} catch (error) {
		throw unsafeUrlError(node, itemIndex, error);
	}
	return { authentication, method: call.method, url, headers };
}

/** Reads and checks the item's ID parameter and builds the request for it. */
export async function resolveMetaStudioTarget(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
	id: { parameter: string; label: string },
	call: (checkedId: string) => MetaStudioCall,
): Promise<MetaStudioTarget> {
	const checked = checkResourceId(locatorValue(itemParameterReader(ctx, id.parameter)(itemIndex)), id.label);
	if (!checked.valid) throw invalidInputError(ctx.getNode(), itemIndex, checked.problem, checked.hint);
	const request = await metaStudioRequest(ctx, itemIndex, options, call(checked.id));
	return { id: checked.id, dedupeKey: request.url, ...request };
}

/** Options every MetaStudio operation offers besides the batch ones. */
export const metaStudioRequestOptions: INodeProperties[] = [
	{
		displayName: 'App User ID',
		name: 'appUserId',
		type: 'string',
		default: '',
		description:
			"Third-party user ID sent as X-App-UserId, for objects that belong to one of your app's users. No Chinese characters.",
	},
	{
		displayName: 'Project ID',
		name: 'projectId',
		type: 'string',
		default: '',
		placeholder: '6a6a1f8354f64dd9b9a614def7b59d83',
		description: "Project to work in, instead of the credential's project",
	},
];

/** Requests per Second for a MetaStudio operation; left out, the region's documented limit applies. */
export function metaStudioRequestsPerSecond(limitText: string): INodeProperties {
	return {
		displayName: 'Requests per Second',
		name: 'requestsPerSecond',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 5,
		description: `Upper limit on requests per second across all items (0 = no limit). Leave the option out to use MetaStudio's documented limit for the credential's region: ${limitText}.`,
	};
}
