import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runItems } from '../../engine/runItems';
import type { ItemOperation, ItemTarget, Outcome, TargetCalls } from '../../engine/types';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import type { Done } from '../../helpers/interfaces';
import { failed } from '../../helpers/interfaces';
import { fileNameOf, shownUrl } from '../../transport/files';
import { getAsset } from '../../transport/kyyVideo2';
import { itemOptions } from '../common.descriptions';
import { binaryPropertyOption, downloadDryRunOption, downloadedFileJson, downloadVerified } from '../downloads';
import { kyyAssetIdProperty, kyyRequestsPerSecond, kyyRequestsPerSecondOption, resolveKyyAssetTarget } from './common';

const properties: INodeProperties[] = [
	kyyAssetIdProperty(
		'ID of the Seedance 2.0 / KyyVideo2 asset to download, like asset-20260330142158-q75m8. Only an Active asset has a file. The result holds it as binary data, with its name, size, MIME type and verified: true once its size matches the Content-Length. Back up assets before deleting them: deletes are permanent.',
	),
	itemOptions(kyyRequestsPerSecondOption, [binaryPropertyOption, downloadDryRunOption]),
];

export const description = updateDisplayOptions({ show: { resource: ['asset'], operation: ['download'] } }, properties);

interface KyyDownloadTarget extends ItemTarget {
	binaryProperty: string;
	dryRun: boolean;
}

const KYY_ACTIVE = 'Active';

function kyyAssetFields(asset: IDataObject): IDataObject {
	return { assetId: asset.assetId ?? null, name: asset.name ?? null, assetType: asset.assetType ?? null, status: asset.status ?? null };
}

/** The file name: the URL's last segment, else the asset's name. */
function fileNameFor(asset: IDataObject, url: string): string {
	return fileNameOf(url) || String(asset.name ?? asset.assetId ?? 'asset');
}

/** The detail's answer, then its `url` downloaded; only an Active asset has a file to download. */
async function downloadAsset(this: IExecuteFunctions, target: KyyDownloadTarget, answer: Done, calls: TargetCalls): Promise<Outcome> {
	const asset = answer.value;
	const url = typeof asset.url === 'string' && asset.url !== '' ? asset.url : undefined;
	if (asset.status !== KYY_ACTIVE || !url) {
		return failed({
			reason: 'apiError',
			summary: asset.status !== KYY_ACTIVE ? `the asset is ${String(asset.status ?? 'in no status')}, not Active, so it has no file to download` : 'the asset has no URL',
			retryable: asset.status === 'Processing',
			outcomeUnknown: false,
			hint: asset.status === 'Processing' ? 'The asset is still being uploaded or reviewed: run the item again later.' : undefined,
		});
	}
	if (target.dryRun) {
		return { outcome: 'done', value: { ...kyyAssetFields(asset), dryRun: true, files: [{ fileName: fileNameFor(asset, url), url: shownUrl(url) }] }, httpStatus: answer.httpStatus };
	}
	const stored = await downloadVerified(this, calls, { url, fileName: fileNameFor(asset, url) });
	if (stored.outcome === 'failed') return stored;
	const files = [downloadedFileJson(stored.value, target.binaryProperty, {})];
	return { outcome: 'done', value: { ...kyyAssetFields(asset), files }, httpStatus: answer.httpStatus, binary: { [target.binaryProperty]: stored.value.binary } };
}

export const downloadAssetOperation: ItemOperation<KyyDownloadTarget> = {
	idField: 'assetId',
	noun: 'asset',
	action: 'download',
	async resolveTarget(this: IExecuteFunctions, itemIndex, options) {
		return {
			...(await resolveKyyAssetTarget(this, itemIndex, 'GET')),
			binaryProperty: String(options.binaryPropertyName ?? '').trim() || 'data',
			dryRun: options.dryRun === true,
		};
	},
	defaultRequestsPerSecond: kyyRequestsPerSecond,
	async send(this: IExecuteFunctions, target, settings) {
		return await getAsset(this, target.url, settings);
	},
	// The detail as it came: `follow` downloads what it names and makes the item.
	successJson: (_target, answer) => answer?.value ?? {},
	follow: downloadAsset,
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems.call(this, downloadAssetOperation);
}
