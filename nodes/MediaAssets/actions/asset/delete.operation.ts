import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runDeleteItems } from '../../engine/runItems';
import { KYY_ASSET_STATUSES, KYY_DEFAULT_BASE_URL } from '../../helpers/constants';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { invalidInputError } from '../../helpers/errors';
import type { DeleteOperation, DeleteTarget } from '../../helpers/interfaces';
import { checkAssetId } from '../../helpers/validators';
import { assetUrl, deleteAsset, getAsset, KYY_CREDENTIAL_TYPE } from '../../transport/kyyVideo2';
import { runCredentialData } from '../../transport/credentials';
import { batchOptions, deletionNotice, sortedByName } from '../common.descriptions';

const properties: INodeProperties[] = [
	deletionNotice('an asset'),
	{
		displayName: 'Asset ID',
		name: 'assetId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'asset-20260330142158-q75m8',
		description:
			'ID of the Seedance 2.0 / KyyVideo2 asset to delete, like asset-20260330142158-q75m8 (a leading asset:// is removed). The result has deleted: true once the asset is gone; failures carry error.message and error.retryable.',
		hint: 'Map it from the input, e.g. {{ $json.assetId }}',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: sortedByName([
			...batchOptions({
				displayName: 'Requests per Second',
				name: 'requestsPerSecond',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 2 },
				default: 0,
				description:
					'Upper limit on requests per second across all items (0 = no limit). The API publishes no limit; the node slows down by itself when it gets 429s.',
			}),
			{
				displayName: 'Only If Status',
				name: 'onlyIfStatus',
				type: 'multiOptions',
				options: KYY_ASSET_STATUSES.map((status) => ({ name: status, value: status })),
				default: [],
				description:
					'Read the asset first and delete it only when its status is one of these; others come out with skipped: true. Empty = no check.',
			},
			{
				displayName: 'Verify Deletion',
				name: 'verifyDeletion',
				type: 'boolean',
				default: false,
				description:
					'Whether to confirm with the asset detail endpoint that the asset is gone after the delete; if it is still there, the item fails',
			},
		]),
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['asset'], operation: ['delete'] } },
	properties,
);

async function baseUrlFor(ctx: IExecuteFunctions): Promise<string> {
	const credentials = await runCredentialData(ctx, KYY_CREDENTIAL_TYPE);
	return String(credentials.baseUrl || KYY_DEFAULT_BASE_URL);
}

export const deleteAssetOperation: DeleteOperation = {
	idField: 'assetId',
	noun: 'asset',
	async resolveTarget(this: IExecuteFunctions, itemIndex: number): Promise<DeleteTarget> {
		const raw = this.getNodeParameter('assetId', itemIndex, '', { rawExpressions: false }) as unknown;
		const checked = checkAssetId(raw);
		if (!checked.valid) throw invalidInputError(this.getNode(), itemIndex, checked.problem, checked.hint);
		let url: string;
		try {
			url = assetUrl(await baseUrlFor(this), checked.id);
		} catch (error) {
			throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
		}
		return { id: checked.id, dedupeKey: url, method: 'DELETE', url };
	},
	async defaultRequestsPerSecond() {
		return 0;
	},
	async deleteOnce(this: IExecuteFunctions, target, settings) {
		return await deleteAsset(this, target.url, settings);
	},
	async lookup(this: IExecuteFunctions, target, settings) {
		return await getAsset(this, target.url, settings);
	},
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runDeleteItems.call(this, deleteAssetOperation);
}
