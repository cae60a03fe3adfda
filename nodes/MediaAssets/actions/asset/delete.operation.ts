import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runItems } from '../../engine/runItems';
import type { ItemOperation, ItemTarget, Outcome, TargetCalls } from '../../engine/types';
import { KYY_ASSET_STATUSES } from '../../helpers/constants';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import type { CallFailure } from '../../helpers/interfaces';
import { alreadyDeletedItem, deletedItem } from '../../helpers/items';
import { deleteAsset, getAsset } from '../../transport/kyyVideo2';
import { deletionNotice, dryRunOption, ignoreNotFoundOption, itemOptions } from '../common.descriptions';
import { callOutcome, dryRunItem } from '../outcomes';
import { kyyAssetIdProperty, kyyRequestsPerSecond, kyyRequestsPerSecondOption, resolveKyyAssetTarget } from './common';

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

/** The asset to delete, with the two checks this operation offers around the delete. */
interface KyyDeleteTarget extends ItemTarget {
	onlyIfStatus: string[];
	verifyDeletion: boolean;
}

const CHECK_STATUS = 'check the status of';

/** The detail endpoint, paced and retried like the delete itself (the same API and limit). */
async function lookup(ctx: IExecuteFunctions, target: ItemTarget, calls: TargetCalls) {
	return (await calls.retried(async () => await getAsset(ctx, target.url, calls.settings))).result;
}

const notThere: CallFailure = {
	reason: 'notFound',
	summary: 'the asset does not exist',
	retryable: false,
	outcomeUnknown: false,
	hint: 'Turn on the Ignore Not Found option to count missing IDs as already deleted.',
};

/** Only If Status: delete only an asset in a selected status (read first, also in Dry Run). */
async function precheck(this: IExecuteFunctions, target: KyyDeleteTarget, calls: TargetCalls) {
	if (target.onlyIfStatus.length === 0) return {};
	const { dryRun, ignoreNotFound } = calls.settings;
	const looked = await lookup(this, target, calls);
	if (looked.outcome === 'failed') return { outcome: { ok: false, failure: looked.failure, attempts: 0, action: CHECK_STATUS } as Outcome };
	if (looked.outcome === 'absent') {
		if (!ignoreNotFound) return { outcome: { ok: false, failure: notThere, attempts: 0, action: CHECK_STATUS } as Outcome };
		const json = alreadyDeletedItem('assetId', target.id, undefined, 0);
		return { outcome: { ok: true, json: dryRun ? { ...json, deleted: false, dryRun: true, deletedAt: null } : json } as Outcome };
	}
	const status = looked.status;
	if (status !== undefined && target.onlyIfStatus.includes(status)) return { facts: { status } };
	const json: IDataObject = {
		assetId: target.id,
		deleted: false,
		skipped: true,
		...(dryRun ? { dryRun: true } : {}),
		status: status ?? null,
		reason: `Status "${status ?? 'unknown'}" is not one of the selected statuses (${target.onlyIfStatus.join(', ')})`,
		attempts: 0,
	};
	return { outcome: { ok: true, json } as Outcome };
}

/** Verify Deletion: a delete the API accepted counts only once the detail endpoint no longer finds the asset. */
async function verified(ctx: IExecuteFunctions, target: KyyDeleteTarget, calls: TargetCalls, outcome: Outcome): Promise<Outcome> {
	if (!outcome.ok || !target.verifyDeletion) return outcome;
	const looked = await lookup(ctx, target, calls);
	if (looked.outcome === 'absent') return outcome;
	const attempts = Number(outcome.json.attempts ?? 0);
	const failure: CallFailure =
		looked.outcome === 'failed'
			? { ...looked.failure, summary: `the delete was accepted but could not be verified: ${looked.failure.summary}` }
			: {
					reason: 'stillExists',
					summary: 'the delete was accepted but the asset still exists',
					retryable: true,
					outcomeUnknown: false,
					hint: 'The service may delete asynchronously: check it later, or run the item again.',
				};
	return { ok: false, failure, attempts };
}

export const deleteAssetOperation: ItemOperation<KyyDeleteTarget> = {
	idField: 'assetId',
	noun: 'asset',
	action: 'delete',
	changesData: true,
	async resolveTarget(this: IExecuteFunctions, itemIndex, options) {
		const statuses = options.onlyIfStatus;
		return {
			...(await resolveKyyAssetTarget(this, itemIndex, 'DELETE')),
			onlyIfStatus: Array.isArray(statuses) ? statuses.map(String) : [],
			verifyDeletion: options.verifyDeletion === true,
		};
	},
	defaultRequestsPerSecond: kyyRequestsPerSecond,
	precheck,
	dryRunJson: dryRunItem('assetId', 'deleted'),
	async callTarget(this: IExecuteFunctions, target, calls) {
		const outcome = await callOutcome(this, target, calls, {
			call: async (one, settings) => await deleteAsset(this, one.url, settings),
			successJson: (one, attempt, attempts) => deletedItem('assetId', one.id, attempt.fields, attempt.httpStatus, attempts),
			alreadyDoneJson: (one, failure, attempts) => alreadyDeletedItem('assetId', one.id, failure, attempts),
			// KyyVideo2 answers every refusal with a non-"0" code: the detail endpoint tells "gone" apart.
			isAbsent: async (one) => (await lookup(this, one, calls)).outcome === 'absent',
		});
		return await verified(this, target, calls, outcome);
	},
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems.call(this, deleteAssetOperation);
}
