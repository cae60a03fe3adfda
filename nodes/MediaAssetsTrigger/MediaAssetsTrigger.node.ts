import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { METASTUDIO_ASSET_STATES } from '../MediaAssets/helpers/constants';
import { metaStudioProjectOptions } from '../MediaAssets/actions/metaStudio.common';
import { assetTypeFilter, nameFilter, tagFilter } from '../MediaAssets/actions/metaStudioAsset/filters.descriptions';
import { authenticationProperty, huaweiCredentials } from '../MediaAssets/actions/node.descriptions';
import { pollAssets } from './poll';

export class MediaAssetsTrigger implements INodeType {
	// Written out here rather than imported: n8n's package scanner and lint rules read the node's
	// description from this class literally.
	description: INodeTypeDescription = {
		displayName: 'Media Assets Trigger',
		name: 'mediaAssetsTrigger',
		icon: { light: 'file:mediaAssetsTrigger.svg', dark: 'file:mediaAssetsTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["event"] }}',
		description: 'Starts a workflow when assets of the Huawei Cloud MetaStudio asset library are created or change state',
		defaults: { name: 'Media Assets Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: huaweiCredentials(),
		properties: [
			authenticationProperty(),
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				required: true,
				options: [
					{
						name: 'Asset State Changed',
						value: 'assetStateChanged',
						description: 'An asset entered another state since the last poll (e.g. FAILED: review failed; DELETING: moved to the recycle bin)',
					},
					{
						name: 'New Asset',
						value: 'assetCreated',
						description: 'An asset was created since the last poll',
					},
				],
				default: 'assetCreated',
			},
			{
				displayName: 'States',
				name: 'states',
				type: 'multiOptions',
				options: METASTUDIO_ASSET_STATES.map((state) => ({ name: state, value: state })),
				default: [],
				description:
					'Only changes into one of these states (FAILED: upload or review failed; DELETING: in the recycle bin). Empty = any state.',
				displayOptions: { show: { event: ['assetStateChanged'] } },
			},
			{
				displayName: 'Simplify',
				name: 'simple',
				type: 'boolean',
				default: true,
				description: 'Whether to return a simplified version of the response instead of the raw data',
				hint: 'Simplified: ID, name, type, state, created and updated time, tags, file IDs and names',
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [
					assetTypeFilter,
					nameFilter,
					tagFilter,
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: metaStudioProjectOptions({ objects: 'assets', project: 'Project to watch' }),
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollAssets.call(this);
	}
}
