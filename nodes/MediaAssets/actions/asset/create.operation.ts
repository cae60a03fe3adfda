import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runItems } from '../../engine/runItems';
import type { ItemOperation, ItemTarget, Outcome, TargetCalls } from '../../engine/types';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { invalidInputError, unsafeUrlError } from '../../helpers/errors';
import type { Done } from '../../helpers/interfaces';
import { failed } from '../../helpers/interfaces';
import { runCredentialData } from '../../transport/credentials';
import { checkSourceUrl, shownUrl } from '../../transport/files';
import { assetUrl, getAsset, KYY_CREDENTIAL_TYPE, uploadAsset, uploadUrl } from '../../transport/kyyVideo2';
import { dryRunOption, itemOptions } from '../common.descriptions';
import { kyyRequestsPerSecond, kyyRequestsPerSecondOption } from './common';

const KYY_ASSET_TYPES = ['Image', 'Video', 'Audio', 'Document'] as const;

const properties: INodeProperties[] = [
	{
		displayName: 'File URL',
		name: 'fileUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://example.com/media/clip.mp4',
		description: 'Public http(s) URL of the file; the service fetches it from there. The result has the new assetId.',
		hint: 'Map it from the input, e.g. {{ $json.url }}',
	},
	{
		displayName: 'Asset Type',
		name: 'assetType',
		type: 'options',
		options: KYY_ASSET_TYPES.map((type) => ({ name: type, value: type })),
		default: 'Image',
		description: 'Image: jpeg, png, webp, bmp, tiff, gif. Video: 480p or 720p. Audio: wav, mp3.',
	},
	{
		displayName: 'Name',
		name: 'assetName',
		type: 'string',
		default: '',
		description: 'Name of the new asset (optional)',
	},
	itemOptions(kyyRequestsPerSecondOption, [
		dryRunOption,
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollInterval',
			type: 'number',
			typeOptions: { minValue: 0.5, numberPrecision: 1 },
			default: 5,
			description: 'With Wait Until Active: how often the asset detail is read',
		},
		{
			displayName: 'Wait Timeout (Seconds)',
			name: 'waitTimeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 600,
			description: 'With Wait Until Active: how long to wait before the item comes out still Processing (waitTimedOut: true)',
		},
		{
			displayName: 'Wait Until Active',
			name: 'waitUntilActive',
			type: 'boolean',
			default: false,
			description:
				'Whether to read the new asset until it is Active (usable as asset://ID) or Failed (refused in review: the item fails). Without it the item comes out at once, status Processing.',
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['asset'], operation: ['create'] } }, properties);

interface KyyCreateTarget extends ItemTarget {
	body: IDataObject;
	baseUrl: string;
	wait?: { timeoutMs: number; intervalMs: number };
}

async function uploadTarget(this: IExecuteFunctions, itemIndex: number, options: IDataObject): Promise<KyyCreateTarget> {
	const source = checkSourceUrl(this.getNodeParameter('fileUrl', itemIndex, ''));
	if (!source.ok) throw invalidInputError(this.getNode(), itemIndex, source.problem, 'Map a public http(s) URL of the file.');
	const assetType = String(this.getNodeParameter('assetType', itemIndex, 'Image'));
	const name = String(this.getNodeParameter('assetName', itemIndex, '') ?? '').trim();
	const body: IDataObject = { assetType, url: source.url, ...(name ? { name } : {}) };
	const { baseUrl } = await runCredentialData(this, KYY_CREDENTIAL_TYPE);
	let url: string;
	try {
		url = uploadUrl(baseUrl);
	} catch (error) {
		throw unsafeUrlError(this.getNode(), itemIndex, error);
	}
	const wait = options.waitUntilActive === true ? { timeoutMs: Number(options.waitTimeout ?? 600) * 1000, intervalMs: Number(options.pollInterval ?? 5) * 1000 } : undefined;
	// The same file of the same type and name, twice in a run, is one upload.
	return { id: shownUrl(source.url), dedupeKey: JSON.stringify(body), method: 'POST', url, body, baseUrl: String(baseUrl ?? ''), wait };
}

function createdItem(target: KyyCreateTarget, answer: Done | undefined): IDataObject {
	return {
		assetId: answer?.value.assetId ?? null,
		created: true,
		assetType: target.body.assetType,
		name: target.body.name ?? null,
		status: 'Processing',
		httpStatus: answer?.httpStatus ?? null,
		createdAt: new Date().toISOString(),
	};
}

/** Wait Until Active: the detail read at the poll interval until Active or Failed, or the timeout. */
async function waitUntilActive(this: IExecuteFunctions, target: KyyCreateTarget, success: Done, calls: TargetCalls): Promise<Outcome> {
	if (!target.wait) return success;
	const assetId = String(success.value.assetId);
	const detail = assetUrl(target.baseUrl, assetId);
	const deadline = Date.now() + target.wait.timeoutMs;
	for (;;) {
		const answer = await calls.send(async () => await getAsset(this, detail, calls.settings), 'main');
		const status = answer.outcome === 'done' ? String(answer.value.status ?? '') : undefined;
		if (status === 'Active') return { ...success, value: { ...success.value, status, activeAt: new Date().toISOString() } };
		if (status === 'Failed') {
			return failed({
				reason: 'apiError',
				summary: `the service made asset ${assetId} but refused it (status Failed)`,
				retryable: false,
				outcomeUnknown: false,
				hint: 'Check the file against the documented formats; the failed asset can be deleted.',
			});
		}
		if (Date.now() >= deadline || !(await calls.wait(target.wait.intervalMs))) {
			return { ...success, value: { ...success.value, status: status ?? 'Processing', waitTimedOut: true } };
		}
	}
}

export const createAssetOperation: ItemOperation<KyyCreateTarget> = {
	idField: 'url',
	noun: 'asset from',
	action: 'create',
	changeFlag: 'created',
	// KyyVideo2 has no listing to look for an asset whose creation lost its answer: that item fails.
	sendsOnce: true,
	resolveTarget: uploadTarget,
	defaultRequestsPerSecond: kyyRequestsPerSecond,
	async send(this: IExecuteFunctions, target, settings) {
		return await uploadAsset(this, target.url, target.body, settings);
	},
	successJson: createdItem,
	follow: waitUntilActive,
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems.call(this, createAssetOperation);
}
