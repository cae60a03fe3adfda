import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/**
 * Scopes every property of an operation to that operation, merging with any displayOptions the
 * property already has. n8n-nodes-base has the same helper, but a community package cannot import it.
 */
export function updateDisplayOptions(
	displayOptions: IDisplayOptions,
	properties: INodeProperties[],
): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { ...displayOptions.show, ...property.displayOptions?.show },
			...(displayOptions.hide || property.displayOptions?.hide
				? { hide: { ...displayOptions.hide, ...property.displayOptions?.hide } }
				: {}),
		},
	}));
}
