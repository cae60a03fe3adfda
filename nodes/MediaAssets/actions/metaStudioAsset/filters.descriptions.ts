import type { INodeProperties } from 'n8n-workflow';

import { METASTUDIO_ASSET_TYPES } from '../../helpers/constants';

/** ListAssets filters that Get Many and the trigger both offer, with the same names and texts. */
export const assetTypeFilter: INodeProperties = {
	displayName: 'Asset Type',
	name: 'assetType',
	type: 'multiOptions',
	options: METASTUDIO_ASSET_TYPES.map((type) => ({ name: type, value: type })),
	default: [],
	description: 'Only assets of one of these types. Empty = every type.',
};

export const nameFilter: INodeProperties = {
	displayName: 'Name',
	name: 'name',
	type: 'string',
	default: '',
	description: 'Only assets whose name contains this text',
};

export const tagFilter: INodeProperties = {
	displayName: 'Tag',
	name: 'tag',
	type: 'string',
	default: '',
	description: 'Only assets with this tag',
};
