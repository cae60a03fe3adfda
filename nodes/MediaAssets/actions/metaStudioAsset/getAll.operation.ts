import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { ListingPage, ListingQuery } from '../../engine/types';
import type { Answer } from '../../helpers/interfaces';
import { runListing } from '../../engine/runListing';
import { METASTUDIO_ASSET_STATES, METASTUDIO_MAX_PAGE_SIZE } from '../../helpers/constants';
import { toRfc3339Utc } from '../../helpers/dates';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { invalidInputError } from '../../helpers/errors';
import { noteListingTotal } from '../../helpers/executionHints';
import type { ListAssetsParameters, MetaStudioProject } from '../../transport/metaStudio';
import {
	listAssetsPage,
	listAssetsPageCall,
	listAssetsParameters,
	metaStudioRequests,
} from '../../transport/metaStudio';
import { simplifyMetaStudioAsset } from '../../helpers/simplify';
import { listingOptions, simplifyProperty, sortedByName } from '../common.descriptions';
import {
	buildRequest,
	metaStudioProject,
	metaStudioRequestOptions,
	metaStudioRequestsPerSecond,
	regionRateLimit,
} from '../metaStudio.common';
import { assetTypeFilter, nameFilter, tagFilter } from './filters.descriptions';
import { moreListAssetsFilters, moreListAssetsParameters } from './listAssetsParameters';

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
	simplifyProperty,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: sortedByName([
			{
				displayName: 'Asset State',
				name: 'assetState',
				type: 'multiOptions',
				options: METASTUDIO_ASSET_STATES.map((state) => ({ name: state, value: state })),
				default: [],
				description:
					'Only assets in one of these states (FAILED: upload failed; DELETING: in the recycle bin). Empty = every state.',
			},
			assetTypeFilter,
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
			nameFilter,
			tagFilter,
			...moreListAssetsFilters,
		]),
	},
	listingOptions(metaStudioRequestsPerSecond('query'), metaStudioRequestOptions),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['metaStudioAsset'], operation: ['getAll'] } },
	properties,
);

interface AssetListingQuery extends ListingQuery {
	project: MetaStudioProject;
	/** ListAssets parameters besides offset and limit. */
	filters: ListAssetsParameters;
	itemIndex: number;
	simple: boolean;
}

/** A date filter in RFC 3339 UTC; a value that is not a date is the item's error. */
function dateFilter(ctx: IExecuteFunctions, itemIndex: number, raw: unknown, label: string): string | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	const utc = toRfc3339Utc(raw, ctx.getTimezone());
	if (utc) return utc;
	throw invalidInputError(
		ctx.getNode(),
		itemIndex,
		`The ${label} filter "${String(raw)}" is not a date`,
		'Pick a date, or map an ISO 8601 date such as 2026-10-01T00:00:00Z.',
	);
}

async function resolveQuery(this: IExecuteFunctions, itemIndex: number, options: IDataObject): Promise<AssetListingQuery> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = Number(this.getNodeParameter('limit', itemIndex, 50));
	if (!returnAll && (!Number.isFinite(limit) || limit < 1)) {
		throw invalidInputError(this.getNode(), itemIndex, `The Limit ${String(limit)} is not a positive number`, 'Set Limit to 1 or more, or turn on Return All.');
	}
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const parameters = [
		...listAssetsParameters({
			...filters,
			startTime: dateFilter(this, itemIndex, filters.createdAfter, 'Created After'),
			endTime: dateFilter(this, itemIndex, filters.createdBefore, 'Created Before'),
		}),
		...moreListAssetsParameters(this.getNode(), itemIndex, filters),
	];
	const project = await metaStudioProject(this, itemIndex, options);
	// Built once here, so that a project or endpoint that cannot carry the path is the item's error.
	buildRequest(this, itemIndex, () => metaStudioRequests.listAssets(project, parameters));
	const simple = this.getNodeParameter('simple', itemIndex, true) === true;
	return { project, filters: parameters, itemIndex, simple, max: returnAll ? undefined : Math.floor(limit) };
}

async function fetchPage(
	this: IExecuteFunctions,
	query: AssetListingQuery,
	page: { offset: number; limit: number },
	settings: { timeoutMs: number },
): Promise<Answer<ListingPage>> {
	const answer = await listAssetsPageCall(this, query.project, listAssetsPage(query.filters, page), settings);
	if (answer.outcome !== 'done') return answer;
	const { records, total } = answer.value;
	noteListingTotal(this, query.itemIndex, total);
	return query.simple ? { ...answer, value: { records: records.map(simplifyMetaStudioAsset), total } } : answer;
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
