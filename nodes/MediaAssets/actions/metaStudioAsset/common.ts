import type { INodeProperties } from 'n8n-workflow';

/** Which assets an Asset ID picker lists: every asset, or only those in the recycle bin (Restore). */
export type AssetSearchMethod = 'searchAssets' | 'searchRecycleBinAssets';

/**
 * MetaStudio's Asset ID (`asset_id` in listings) as a resource locator: From list (ListAssets, searchable
 * by name) or By ID. A plain string saved in its place (a workflow written by hand) is read as By ID.
 */
export function metaStudioAssetIdProperty(description: string, searchListMethod: AssetSearchMethod = 'searchAssets'): INodeProperties {
	return {
		displayName: 'Asset ID',
		name: 'assetId',
		type: 'resourceLocator',
		required: true,
		default: { mode: 'list', value: '' },
		description,
		hint: 'Pick an asset, or choose By ID and map it from the input, e.g. {{ $json.asset_id }}',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select an asset...',
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '5e5f4ef2c6a64a6b8d7c1e0f9a8b7c6d',
			},
		],
	};
}
