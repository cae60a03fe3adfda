import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import * as asset from '../actions/asset/Asset.resource';
import { sortedByName } from '../actions/common.descriptions';
import * as mediaFile from '../actions/mediaFile/MediaFile.resource';
import { moreListAssetsFilters } from '../actions/metaStudioAsset/listAssetsParameters';
import * as metaStudioAsset from '../actions/metaStudioAsset/MetaStudioAsset.resource';
import type { MediaAssetsResource } from '../actions/node.type';

/**
 * Version 2's operation fields, derived from version 1's (which never change) so that both stay one
 * definition: every Operation option's action names its service, MetaStudio asset IDs are resource
 * locators, reads offer Simplify, and Get Many has the rest of ListAssets' filters.
 */

/** How actions name each resource's object: n8n's AI tool describes each as "<action> in Media Assets". */
const SERVICE_NOUNS: Record<MediaAssetsResource, { one: string; many: string }> = {
	asset: { one: 'Seedance asset', many: 'Seedance assets' },
	mediaFile: { one: 'MetaStudio media file', many: 'MetaStudio media files' },
	metaStudioAsset: { one: 'MetaStudio asset', many: 'MetaStudio assets' },
};

export function serviceNouns(resource: string): { one: string; many: string } {
	return SERVICE_NOUNS[resource as MediaAssetsResource] ?? { one: 'item', many: 'items' };
}

/** "Delete a MetaStudio asset", "Get many MetaStudio assets". */
function serviceAction(resource: string, option: INodePropertyOptions): string {
	const nouns = serviceNouns(resource);
	if (option.value === 'getAll') return `Get many ${nouns.many}`;
	return `${option.name} a ${nouns.one}`;
}

/** Which picker each MetaStudio asset operation's Asset ID offers: Restore lists only the recycle bin. */
function searchMethodOf(operation: string): string {
	return operation === 'restore' ? 'searchRecycleBinAssets' : 'searchAssets';
}

/** The reads whose records Simplify shortens, and the field it follows in the editor. */
const SIMPLIFIED: Array<{ resource: MediaAssetsResource; operation: string; after: string }> = [
	{ resource: 'asset', operation: 'get', after: 'assetId' },
	{ resource: 'metaStudioAsset', operation: 'get', after: 'assetId' },
	{ resource: 'metaStudioAsset', operation: 'getAll', after: 'limit' },
];

function shownFor(property: INodeProperties): { resource: string[]; operation: string[] } {
	const show = property.displayOptions?.show ?? {};
	return { resource: (show.resource ?? []) as string[], operation: (show.operation ?? []) as string[] };
}

function simplifyProperty(resource: string, operation: string): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simple',
		type: 'boolean',
		default: true,
		description: 'Whether to return a simplified version of the response instead of the raw data',
		displayOptions: { show: { resource: [resource], operation: [operation] } },
	};
}

function assetLocator(property: INodeProperties, operation: string): INodeProperties {
	return {
		displayName: property.displayName,
		name: property.name,
		type: 'resourceLocator',
		required: true,
		default: { mode: 'list', value: '' },
		description: property.description,
		hint: 'Pick an asset, or choose By ID and map it from the input, e.g. {{ $json.asset_id }}',
		displayOptions: property.displayOptions,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select an asset...',
				typeOptions: { searchListMethod: searchMethodOf(operation), searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: property.placeholder ?? '',
			},
		],
	};
}

function v2Property(property: INodeProperties): INodeProperties {
	const { resource, operation } = shownFor(property);
	const [onlyResource] = resource;
	if (property.name === 'operation' && property.type === 'options' && resource.length === 1) {
		return {
			...property,
			options: (property.options as INodePropertyOptions[]).map((option) => ({
				...option,
				action: serviceAction(onlyResource, option),
			})),
		};
	}
	if (property.name === 'assetId' && onlyResource === 'metaStudioAsset' && operation.length === 1) {
		return assetLocator(property, operation[0]);
	}
	if (property.name === 'filters' && onlyResource === 'metaStudioAsset' && operation.includes('getAll')) {
		return { ...property, options: sortedByName([...(property.options as INodeProperties[]), ...moreListAssetsFilters]) };
	}
	return property;
}

/** Version 1's properties turned into version 2's, Simplify inserted after the field it follows. */
export function v2Properties(v1: INodeProperties[]): INodeProperties[] {
	return v1.flatMap((property) => {
		const { resource, operation } = shownFor(property);
		const simplified = SIMPLIFIED.find(
			(read) => property.name === read.after && resource.length === 1 && resource[0] === read.resource && operation.length === 1 && operation[0] === read.operation,
		);
		const v2 = v2Property(property);
		return simplified ? [v2, simplifyProperty(simplified.resource, simplified.operation)] : [v2];
	});
}

export const operationProperties: INodeProperties[] = v2Properties([
	...asset.description,
	...mediaFile.description,
	...metaStudioAsset.description,
]);
