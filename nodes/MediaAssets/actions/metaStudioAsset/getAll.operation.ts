import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { ListingQuery, PageAttempt } from '../../engine/runListing';
import { runListing } from '../../engine/runListing';
import { METASTUDIO_ASSET_STATES, METASTUDIO_ASSET_TYPES, METASTUDIO_MAX_PAGE_SIZE } from '../../helpers/constants';
import { toRfc3339Utc } from '../../helpers/dates';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { invalidInputError } from '../../helpers/errors';
import { noteListingTotal } from '../../helpers/executionHints';
import type { MetaStudioRequest } from '../../transport/metaStudio';
import { ASSET_NOT_FOUND, callMetaStudio } from '../../transport/metaStudio';
import { listingOptions } from '../common.descriptions';
import {
	metaStudioRequest,
	metaStudioRequestOptions,
	metaStudioRequestsPerSecond,
	regionRateLimit,
} from '../metaStudio.common';
import { moreListAssetsParameters } from './listAssetsParameters';

const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Asset State',
				name: 'assetState',
				type: 'multiOptions',
				options: METASTUDIO_ASSET_STATES.map((state) => ({ name: state, value: state })),
				default: [],
				description:
					'Only assets in one of these states (FAILED: upload failed; DELETING: in the recycle bin). Empty = every state.',
			},
			{
				displayName: 'Asset Type',
				name: 'assetType',
				type: 'multiOptions',
				options: METASTUDIO_ASSET_TYPES.map((type) => ({ name: type, value: type })),
				default: [],
				description: 'Only assets of one of these types. Empty = every type.',
			},
			{
				displayName: 'Created After',
				name: 'createdAfter',
				type: 'dateTime',
				default: '',
				description: "Only assets created at or after this time (in the workflow's time zone unless it has an offset)",
			},
			{
				displayName: 'Created Before',
				name: 'createdBefore',
				type: 'dateTime',
				default: '',
				description: "Only assets created at or before this time (in the workflow's time zone unless it has an offset)",
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: 'Only assets whose name contains this text',
			},
			{
				displayName: 'Tag',
				name: 'tag',
				type: 'string',
				default: '',
				description: 'Only assets with this tag',
			},
		],
	},
	listingOptions(metaStudioRequestsPerSecond('20/s in cn-north-4, 10/s elsewhere'), metaStudioRequestOptions),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['metaStudioAsset'], operation: ['getAll'] } },
	properties,
);

interface AssetListingQuery extends ListingQuery {
	request: MetaStudioRequest;
	/** ListAssets parameters besides offset and limit. */
	filters: Array<[string, string]>;
	itemIndex: number;
}

function listOf(value: unknown): string[] {
	return Array.isArray(value) ? value.map(String).filter((entry) => entry !== '') : [];
}

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

/** ListAssets' filter parameters from the Filters collection; bad dates are per-item errors. */
function listAssetsFilters(ctx: IExecuteFunctions, itemIndex: number, filters: IDataObject): Array<[string, string]> {
	const query: Array<[string, string]> = [];
	const states = listOf(filters.assetState);
	const types = listOf(filters.assetType);
	if (states.length) query.push(['asset_state', states.join(',')]);
	if (types.length) query.push(['asset_type', types.join(',')]);
	if (text(filters.name)) query.push(['name', text(filters.name)]);
	if (text(filters.tag)) query.push(['tag', text(filters.tag)]);
	for (const [field, parameter, label] of [
		['createdAfter', 'start_time', 'Created After'],
		['createdBefore', 'end_time', 'Created Before'],
	] as const) {
		const raw = filters[field];
		if (raw === undefined || raw === null || raw === '') continue;
		const utc = toRfc3339Utc(raw, ctx.getTimezone());
		if (!utc) {
			throw invalidInputError(
				ctx.getNode(),
				itemIndex,
				`The ${label} filter "${String(raw)}" is not a date`,
				'Pick a date, or map an ISO 8601 date such as 2026-10-01T00:00:00Z.',
			);
		}
		query.push([parameter, utc]);
	}
	query.push(...moreListAssetsParameters(ctx.getNode(), itemIndex, filters));
	return query;
}

function queryString(pairs: Array<[string, string]>): string {
	return pairs.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&');
}

async function resolveQuery(this: IExecuteFunctions, itemIndex: number, options: IDataObject): Promise<AssetListingQuery> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = Number(this.getNodeParameter('limit', itemIndex, 50));
	if (!returnAll && (!Number.isFinite(limit) || limit < 1)) {
		throw invalidInputError(this.getNode(), itemIndex, `The Limit ${String(limit)} is not a positive number`, 'Set Limit to 1 or more, or turn on Return All.');
	}
	const filters = listAssetsFilters(this, itemIndex, this.getNodeParameter('filters', itemIndex, {}) as IDataObject);
	const request = await metaStudioRequest(this, itemIndex, options, { method: 'GET', path: ['digital-assets'] });
	return { request, filters, itemIndex, max: returnAll ? undefined : Math.floor(limit) };
}

async function fetchPage(
	this: IExecuteFunctions,
	query: AssetListingQuery,
	page: { offset: number; limit: number },
	settings: { timeoutMs: number },
): Promise<PageAttempt> {
	const url = `${query.request.url}?${queryString([
		...query.filters,
		['offset', String(page.offset)],
		['limit', String(page.limit)],
	])}`;
	const answer = await callMetaStudio(this, { ...query.request, url }, settings, ASSET_NOT_FOUND);
	if (answer.outcome === 'failed') return answer;
	if (answer.outcome === 'notFound') return { outcome: 'failed', failure: answer.failure };
	const body = (answer.fields.body ?? {}) as IDataObject;
	if (!Array.isArray(body.assets) || typeof body.count !== 'number') {
		return {
			outcome: 'failed',
			failure: {
				reason: 'invalidResponse',
				summary: 'the answer is not a ListAssets page ({ count, assets })',
				httpStatus: answer.httpStatus,
				requestId: answer.fields.requestId === null ? undefined : String(answer.fields.requestId),
				retryable: false,
				outcomeUnknown: false,
				hint: 'Check that the Endpoint in the credential points at MetaStudio.',
			},
		};
	}
	noteListingTotal(this, query.itemIndex, body.count);
	return { outcome: 'done', records: body.assets as IDataObject[], total: body.count };
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runListing.call(this, {
		noun: 'assets',
		pageSize: METASTUDIO_MAX_PAGE_SIZE,
		resolveQuery,
		async defaultRequestsPerSecond(this: IExecuteFunctions) {
			return await regionRateLimit(this, 'query');
		},
		fetchPage,
	});
}
