/**
 * The node's description as the editor and n8n's AI tool read it: a distinct, service-naming action per
 * operation, and which IDs are resource locators. (What those locators, Simplify and the hints do in a
 * run is tested with each operation, in the resource folders.)
 */
import { NodeHelpers } from 'n8n-workflow';

import { MediaAssets } from '../../../nodes/MediaAssets/MediaAssets.node';

describe('Media Assets description', () => {
	const description = new MediaAssets().description;

	it("should give every action a distinct, service-naming label for n8n's AI tool", () => {
		const actions = description.properties
			.filter((p) => p.name === 'operation')
			.flatMap((p) => (p.options as Array<{ action?: string }>).map((o) => o.action));
		expect(actions).toEqual([
			'Create a Seedance asset',
			'Delete a Seedance asset',
			'Download a Seedance asset',
			'Get a Seedance asset',
			'Delete a MetaStudio media file',
			'Activate a MetaStudio asset',
			'Create a MetaStudio asset',
			'Deactivate a MetaStudio asset',
			'Delete a MetaStudio asset',
			'Download a MetaStudio asset',
			'Get a MetaStudio asset',
			'Get many MetaStudio assets',
			'Restore a MetaStudio asset',
			'Update a MetaStudio asset',
		]);
		expect(new Set(actions).size).toBe(actions.length);
		const described = NodeHelpers.makeDescription({ resource: 'metaStudioAsset', operation: 'restore' }, description);
		expect(described).toBe('Restore a MetaStudio asset in Media Assets');
	});

	it('should make MetaStudio asset IDs resource locators (From list first, then By ID) and keep the other IDs plain', () => {
		const ids = description.properties.filter((p) => p.name === 'assetId' || p.name === 'fileId');
		const shape = ids.map((p) => [p.displayOptions?.show?.resource?.[0], p.displayOptions?.show?.operation?.[0], p.type, p.modes?.map((m) => m.name).join(',')]);
		expect(shape).toEqual([
			['asset', 'delete', 'string', undefined],
			['asset', 'download', 'string', undefined],
			['asset', 'get', 'string', undefined],
			['mediaFile', 'delete', 'string', undefined],
			['metaStudioAsset', 'get', 'resourceLocator', 'list,id'],
			['metaStudioAsset', 'delete', 'resourceLocator', 'list,id'],
			['metaStudioAsset', 'download', 'resourceLocator', 'list,id'],
			['metaStudioAsset', 'restore', 'resourceLocator', 'list,id'],
			['metaStudioAsset', 'update', 'resourceLocator', 'list,id'],
			['metaStudioAsset', 'activate', 'resourceLocator', 'list,id'],
			['metaStudioAsset', 'deactivate', 'resourceLocator', 'list,id'],
		]);
		const restore = ids.find((p) => p.displayOptions?.show?.operation?.[0] === 'restore')!;
		expect(restore.modes![0].typeOptions).toEqual({ searchListMethod: 'searchRecycleBinAssets', searchable: true });
	});
});
