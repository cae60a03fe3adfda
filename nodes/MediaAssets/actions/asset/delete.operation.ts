import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runItems } from '../../engine/runItems';
import type { ItemOperation, ItemTarget, Outcome, TargetCalls } from '../../engine/types';
import { KYY_ASSET_STATUSES } from '../../helpers/constants';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { failed } from '../../helpers/interfaces';
import { alreadyDeletedItem, deletedItem } from '../../helpers/items';
import { deleteAsset, getAsset } from '../../transport/kyyVideo2';
import { deletionNotice, dryRunOption, ignoreNotFoundOption, itemOptions } from '../common.descriptions';
import { kyyAssetIdProperty, kyyAssetState, kyyRequestsPerSecond, kyyRequestsPerSecondOption, resolveKyyAssetTarget } from './common';

const properties: INodeProperties[] = [
	deletionNotice('an asset'),
	kyyAssetIdProperty(
		'ID of the Seedance 2.0 / KyyVideo2 asset to delete, like asset-20260330142158-q75m8 (a leading asset:// is removed). The result has deleted: true once the asset is gone; failures carry error.message and error.retryable.',
	),
	itemOptions(kyyRequestsPerSecondOption, [
		dryRunOption,
		ignoreNotFoundOption,
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
];

export const description = updateDisplayOptions({ show: { resource: ['asset'], operation: ['delete'] } }, properties);

/** The asset to delete, with Only If Status read before it. */
interface KyyDeleteTarget extends ItemTarget {
	onlyIfStatus: string[];
}

/** Only If Status: delete only an asset in a selected status (read first, also in Dry Run). */
async function onlyIfStatus(this: IExecuteFunctions, target: KyyDeleteTarget, calls: TargetCalls): Promise<{ outcome?: Outcome; facts?: IDataObject }> {
	if (target.onlyIfStatus.length === 0) return {};
	const { dryRun, ignoreNotFound } = calls.settings;
	const looked = await calls.send(async () => await getAsset(this, target.url, calls.settings), 'main');
	if (looked.outcome === 'failed') {
		const { failure } = looked;
		if (failure.reason !== 'notFound') return { outcome: failed({ ...failure, summary: `its status could not be checked: ${failure.summary}` }) };
		if (!ignoreNotFound) return { outcome: failed({ ...failure, hint: 'Turn on the Ignore Not Found option to count missing IDs as already deleted.' }) };
		const json = alreadyDeletedItem('assetId', target.id, undefined);
		return { outcome: itemOf(dryRun ? { ...json, deleted: false, dryRun: true, deletedAt: null } : json) };
	}
	const status = looked.value.status === undefined ? undefined : String(looked.value.status);
	if (status !== undefined && target.onlyIfStatus.includes(status)) return { facts: { status } };
	return {
		outcome: itemOf({
			assetId: target.id,
			deleted: false,
			skipped: true,
			...(dryRun ? { dryRun: true } : {}),
			status: status ?? null,
			reason: `Status "${status ?? 'unknown'}" is not one of the selected statuses (${target.onlyIfStatus.join(', ')})`,
		}),
	};
}

function itemOf(json: IDataObject): Outcome {
	return { outcome: 'done', value: json, httpStatus: 200 };
}

export const deleteAssetOperation: ItemOperation<KyyDeleteTarget> = {
	idField: 'assetId',
	noun: 'asset',
	action: 'delete',
	changeFlag: 'deleted',
	async resolveTarget(this: IExecuteFunctions, itemIndex, options) {
		const statuses = options.onlyIfStatus;
		return {
			...(await resolveKyyAssetTarget(this, itemIndex, 'DELETE')),
			onlyIfStatus: Array.isArray(statuses) ? statuses.map(String) : [],
			verify: options.verifyDeletion === true,
		};
	},
	defaultRequestsPerSecond: kyyRequestsPerSecond,
	check: onlyIfStatus,
	async send(this: IExecuteFunctions, target, settings) {
		return await deleteAsset(this, target.url, settings);
	},
	successJson: (target, answer) => deletedItem('assetId', target.id, answer?.value ?? {}, answer?.httpStatus ?? null),
	// KyyVideo2 answers every refusal with a non-"0" code: the detail endpoint tells "gone" apart.
	state: kyyAssetState,
	alreadyDoneJson: (target, failure) => alreadyDeletedItem('assetId', target.id, failure),
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems.call(this, deleteAssetOperation);
}
