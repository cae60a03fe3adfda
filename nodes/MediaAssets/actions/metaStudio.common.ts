import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ItemTarget, Lane } from '../engine/types';
import { invalidInputError, unsafeUrlError } from '../helpers/errors';
import type { Answer, CallSettings } from '../helpers/interfaces';
import { itemParameterReader } from '../helpers/parameters';
import { locatorValue } from '../helpers/resourceLocator';
import { checkResourceId } from '../helpers/validators';
import type {
	HuaweiAuthentication,
	MetaStudioApiGroup,
	MetaStudioProject,
	MetaStudioProjectOptions,
	MetaStudioRequest,
} from '../transport/metaStudio';
import {
	ASSET_NOT_FOUND,
	callMetaStudio,
	huaweiAuthentication,
	huaweiCredentialData,
	metaStudioProjectFor,
	metaStudioRateLimit,
	metaStudioRateLimitText,
} from '../transport/metaStudio';

/** A per-item MetaStudio target: the item's ID, the exact request for it, and the project it is in. */
export type MetaStudioTarget = ItemTarget & MetaStudioRequest & { project: MetaStudioProject };

export function authenticationOf(ctx: IExecuteFunctions): HuaweiAuthentication {
	return huaweiAuthentication(ctx.getNodeParameter('authentication', 0, 'akSk'));
}

/** The region's documented limit for this group of APIs, used when Requests per Second is left out. */
export async function regionRateLimit(ctx: IExecuteFunctions, group: MetaStudioApiGroup): Promise<number> {
	const credentials = await huaweiCredentialData(ctx, authenticationOf(ctx));
	return metaStudioRateLimit(credentials.region, group);
}

/**
 * Pacing of each lane of a MetaStudio operation: its own API, state reads (query APIs), batch requests;
 * file transfers go to a storage host, not the API, and are not paced (Concurrency bounds them).
 */
export function metaStudioLanes(ownGroup: MetaStudioApiGroup) {
	const groups: Record<Exclude<Lane, 'transfer'>, MetaStudioApiGroup> = { main: ownGroup, lookup: 'query', group: 'batch' };
	return async function (this: IExecuteFunctions, lane: Lane): Promise<number> {
		if (lane === 'transfer') return 0;
		const limit = await regionRateLimit(this, groups[lane]);
		return groups[lane] === 'batch' ? limit * BATCH_PACE_SHARE : limit;
	};
}

/**
 * BatchExecuteAssetAction allows one request per second with no burst: requests paced at exactly the
 * limit arrive a little early now and then (network jitter) and are refused. A tenth below the limit
 * costs a tenth of the batch throughput and avoids those 429s and their 1–1.5 s waits.
 */
const BATCH_PACE_SHARE = 0.9;

/** Where an item's MetaStudio requests go (the Project ID and App User ID options apply); bad values are per-item errors. */
export async function metaStudioProject(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: MetaStudioProjectOptions,
): Promise<MetaStudioProject> {
	const checked = await metaStudioProjectFor(ctx, { authentication: authenticationOf(ctx), options });
	if (!checked.ok) throw invalidInputError(ctx.getNode(), itemIndex, checked.problem, checked.hint);
	return checked.project;
}

/** A request built by transport; a value that cannot be one path segment is the item's error. */
export function buildRequest(ctx: IExecuteFunctions, itemIndex: number, build: () => MetaStudioRequest): MetaStudioRequest {
	try {
		return build();
	} catch (error) {
		throw unsafeUrlError(ctx.getNode(), itemIndex, error);
	}
}

/** Reads and checks the item's ID parameter and builds the request for it. */
export async function resolveMetaStudioTarget(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
	id: { parameter: string; label: string },
	request: (project: MetaStudioProject, checkedId: string) => MetaStudioRequest,
): Promise<MetaStudioTarget> {
	const checked = checkResourceId(locatorValue(itemParameterReader(ctx, id.parameter)(itemIndex)), id.label);
	if (!checked.valid) throw invalidInputError(ctx.getNode(), itemIndex, checked.problem, checked.hint);
	const project = await metaStudioProject(ctx, itemIndex, options);
	const built = buildRequest(ctx, itemIndex, () => request(project, checked.id));
	// The endpoint is the run's credential's; the project may differ per item (the Project ID option).
	return { id: checked.id, dedupeKey: `${project.projectId}/${checked.id}`, ...built, project };
}

/**
 * The Project ID and App User ID options of the node and the trigger, worded for what each does in
 * the project: the objects the app user owns, and what the project is for.
 */
export function metaStudioProjectOptions(wording: { objects: string; project: string }): INodeProperties[] {
	return [
		{
			displayName: 'App User ID',
			name: 'appUserId',
			type: 'string',
			default: '',
			description: `Third-party user ID sent as X-App-UserId, for ${wording.objects} that belong to one of your app's users. No Chinese characters.`,
		},
		{
			displayName: 'Project ID',
			name: 'projectId',
			type: 'string',
			default: '',
			placeholder: '6a6a1f8354f64dd9b9a614def7b59d83',
			description: `${wording.project}, instead of the credential's project`,
		},
	];
}

/** Options every MetaStudio operation offers besides the batch ones. */
export const metaStudioRequestOptions = metaStudioProjectOptions({ objects: 'objects', project: 'Project to work in' });

/** Requests per Second for a MetaStudio operation; left out, the region's documented limit applies. */
export function metaStudioRequestsPerSecond(group: MetaStudioApiGroup): INodeProperties {
	const limitText = metaStudioRateLimitText(group);
	return {
		displayName: 'Requests per Second',
		name: 'requestsPerSecond',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 5,
		description: `Upper limit on requests per second across all items (0 = no limit). Leave the option out to use MetaStudio's documented limit for the credential's region: ${limitText}.`,
	};
}

/** One attempt of a target's own request (ShowAsset, DeleteAsset, RestoreAsset), "not found" read as an asset's. */
export async function sendAssetRequest(this: IExecuteFunctions, target: MetaStudioTarget, settings: CallSettings): Promise<Answer> {
	return await callMetaStudio(this, target, settings, ASSET_NOT_FOUND);
}
