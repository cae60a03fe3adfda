import type { IDataObject, INode, INodeProperties } from 'n8n-workflow';

import { invalidInputError } from '../../helpers/errors';
import { checkResourceId } from '../../helpers/validators';

/**
 * Get Many's filters beyond state, type, name, tag and time: every further ListAssets parameter a
 * workflow needs (sort key and direction, asset source, tag combination, exact asset IDs).
 */
export const moreListAssetsFilters: INodeProperties[] = [
	{
		displayName: 'Asset IDs',
		name: 'assetIds',
		type: 'string',
		default: '',
		placeholder: '5e5f4ef2c6a64a6b8d7c1e0f9a8b7c6d, 0f1e2d3c4b5a69788796a5b4c3d2e1f0',
		description: 'Only these assets: exact asset IDs, comma-separated (or a list from an expression)',
	},
	{
		displayName: 'Asset Source',
		name: 'assetSource',
		type: 'options',
		options: [
			{ name: 'All', value: 'ALL', description: "The account's own assets and MetaStudio's" },
			{ name: 'Custom', value: 'CUSTOMIZATION', description: "The account's own assets (MetaStudio's default)" },
			{ name: 'System', value: 'SYSTEM', description: "MetaStudio's built-in assets (they can be read, not deleted)" },
		],
		default: 'CUSTOMIZATION',
		description: 'Whose assets to list',
	},
	{
		displayName: 'Sort By',
		name: 'sortKey',
		type: 'options',
		options: [
			{ name: 'Creation Time', value: 'create_time' },
			{ name: 'Update Time', value: 'update_time' },
		],
		default: 'create_time',
		description: 'Which time the assets are ordered by',
	},
	{
		displayName: 'Sort Direction',
		name: 'sortDir',
		type: 'options',
		options: [
			{ name: 'Ascending', value: 'asc', description: "Oldest first (MetaStudio's default)" },
			{ name: 'Descending', value: 'desc', description: 'Newest first' },
		],
		default: 'asc',
	},
	{
		displayName: 'Tag Combination',
		name: 'tagCombination',
		type: 'options',
		options: [
			{ name: 'All Tags', value: 'INTERSECTION', description: 'An asset must carry every tag given in Tag' },
			{ name: 'Any Tag', value: 'UNION_SET', description: 'An asset must carry at least one tag given in Tag' },
		],
		default: 'INTERSECTION',
		description: 'With several comma-separated tags in the Tag filter: whether an asset needs all of them or one',
	},
];

const OPTION_PARAMETERS: Array<[field: string, parameter: string, allowed: string[]]> = [
	['sortKey', 'sort_key', ['create_time', 'update_time']],
	['sortDir', 'sort_dir', ['asc', 'desc']],
	['assetSource', 'asset_source', ['SYSTEM', 'CUSTOMIZATION', 'ALL']],
	['tagCombination', 'tag_combination_type', ['INTERSECTION', 'UNION_SET']],
];

function idList(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	if (typeof value === 'string') return value.split(',').filter((entry) => entry.trim() !== '');
	return value === undefined || value === null ? [] : [value];
}

/**
 * ListAssets parameters for the further filters in `filters` (sort, source, tag combination, exact
 * IDs). Asset IDs are checked like any ID and sent as repeated `asset_id` keys; bad values are
 * per-item errors.
 */
export function moreListAssetsParameters(node: INode, itemIndex: number, filters: IDataObject): Array<[string, string]> {
	const query: Array<[string, string]> = [];
	for (const [field, parameter, allowed] of OPTION_PARAMETERS) {
		const value = filters[field];
		if (value === undefined || value === '') continue;
		if (typeof value !== 'string' || !allowed.includes(value)) {
			throw invalidInputError(node, itemIndex, `The filter ${field} "${String(value)}" is not one of ${allowed.join(', ')}`, 'Pick one of the listed values.');
		}
		query.push([parameter, value]);
	}
	for (const raw of idList(filters.assetIds)) {
		const checked = checkResourceId(typeof raw === 'string' ? raw.trim() : raw, 'asset ID in the Asset IDs filter');
		if (!checked.valid) throw invalidInputError(node, itemIndex, checked.problem, checked.hint);
		query.push(['asset_id', checked.id]);
	}
	return query;
}
