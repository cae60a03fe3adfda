import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runItems } from '../../engine/runItems';
import type { ItemOperation, Outcome, TargetCalls } from '../../engine/types';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import type { Done } from '../../helpers/interfaces';
import { failed } from '../../helpers/interfaces';
import { shownUrl } from '../../transport/files';
import { metaStudioRequests } from '../../transport/metaStudio';
import { itemOptions } from '../common.descriptions';
import type { ExpectedFile } from '../downloads';
import { binaryPropertyOf, binaryPropertyOption, downloadDryRunOption, downloadedFileJson, downloadVerified } from '../downloads';
import type { MetaStudioTarget } from '../metaStudio.common';
import { metaStudioLanes, metaStudioRequestOptions, metaStudioRequestsPerSecond, resolveMetaStudioTarget, sendAssetRequest } from '../metaStudio.common';
import { metaStudioAssetIdProperty } from './common';

const properties: INodeProperties[] = [
	metaStudioAssetIdProperty(
		"ID of the MetaStudio asset to download (asset_id). The result holds the file(s) as binary data and, per file, its name, size, MIME type, MD5 and verified: true once its size and MD5 match the asset's files[]. Back up assets before deleting them.",
	),
	{
		displayName: 'Files',
		name: 'files',
		type: 'options',
		options: [
			{ name: 'Main File', value: 'main', description: "The asset's MAIN file (asset_file_category MAIN)" },
			{ name: 'All Files', value: 'all', description: 'Every file of the asset with a download URL: MAIN first, then the others in files[] order' },
		],
		default: 'main',
		description: 'Which files of the asset to download',
	},
	itemOptions(metaStudioRequestsPerSecond('query'), [binaryPropertyOption, downloadDryRunOption, ...metaStudioRequestOptions]),
];

export const description = updateDisplayOptions({ show: { resource: ['metaStudioAsset'], operation: ['download'] } }, properties);

type DownloadTarget = MetaStudioTarget & { allFiles: boolean; binaryProperty: string; dryRun: boolean };

/** The asset's files to download: MAIN first, and with All Files the others, in files[] order. */
function filesToDownload(asset: IDataObject, allFiles: boolean): IDataObject[] {
	const files = (Array.isArray(asset.files) ? (asset.files as IDataObject[]) : []).filter((file) => typeof file?.download_url === 'string');
	const main = files.filter((file) => file.asset_file_category === 'MAIN');
	return allFiles ? [...main, ...files.filter((file) => file.asset_file_category !== 'MAIN')] : main.slice(0, 1);
}

function expectedFile(file: IDataObject): ExpectedFile {
	const size = Number(file.file_size);
	return {
		url: String(file.download_url),
		fileName: String(file.file_name ?? file.file_id ?? 'file'),
		size: Number.isFinite(size) && file.file_size !== null && file.file_size !== undefined ? size : undefined,
		md5: typeof file.file_md5 === 'string' ? file.file_md5 : undefined,
	};
}

function metaStudioAssetFields(asset: IDataObject): IDataObject {
	return { asset_id: asset.asset_id, asset_name: asset.asset_name ?? null, asset_type: asset.asset_type ?? null, asset_state: asset.asset_state ?? null };
}

const fileFacts = (file: IDataObject): IDataObject => ({ file_id: file.file_id ?? null, asset_file_category: file.asset_file_category ?? null });

/** A fresh download link for the file: download links are valid for 24 h, ShowAsset gives new ones. */
function renewal(ctx: IExecuteFunctions, target: DownloadTarget, calls: TargetCalls, fileId: unknown) {
	return async (): Promise<ExpectedFile | undefined> => {
		const answer = await calls.send(async () => await sendAssetRequest.call(ctx, target, calls.settings), 'main');
		if (answer.outcome === 'failed') return undefined;
		const fresh = filesToDownload(answer.value, true).find((file) => file.file_id === fileId);
		return fresh ? expectedFile(fresh) : undefined;
	};
}

/** ShowAsset's answer, then each chosen file downloaded and verified; the item fails with the first file that fails. */
async function downloadFiles(this: IExecuteFunctions, target: DownloadTarget, answer: Done, calls: TargetCalls): Promise<Outcome> {
	const asset = answer.value;
	const chosen = filesToDownload(asset, target.allFiles);
	if (chosen.length === 0) {
		return failed({
			reason: 'notFound',
			summary: `the asset has no ${target.allFiles ? '' : 'MAIN '}file with a download URL`,
			retryable: false,
			outcomeUnknown: false,
			hint: 'Check the asset in MetaStudio: files still uploading or in review have no download URL.',
		});
	}
	if (target.dryRun) {
		const files = chosen.map((file) => ({ ...fileFacts(file), file_name: file.file_name ?? null, file_size: file.file_size ?? null, url: shownUrl(String(file.download_url)) }));
		return { outcome: 'done', value: { ...metaStudioAssetFields(asset), dryRun: true, files }, httpStatus: answer.httpStatus };
	}
	const binary: IBinaryKeyData = {};
	const files: IDataObject[] = [];
	for (const [index, file] of chosen.entries()) {
		const stored = await downloadVerified(this, calls, expectedFile(file), renewal(this, target, calls, file.file_id));
		if (stored.outcome === 'failed') return stored;
		const property = binaryPropertyOf(target.binaryProperty, index);
		binary[property] = stored.value.binary;
		files.push(downloadedFileJson(stored.value, property, fileFacts(file)));
	}
	return { outcome: 'done', value: { ...metaStudioAssetFields(asset), files }, httpStatus: answer.httpStatus, binary };
}

export const downloadMetaStudioAssetOperation: ItemOperation<DownloadTarget> = {
	idField: 'assetId',
	noun: 'asset',
	action: 'download',
	async resolveTarget(this: IExecuteFunctions, itemIndex, options) {
		const id = { parameter: 'assetId', label: 'asset ID' };
		const target = await resolveMetaStudioTarget(this, itemIndex, options, id, metaStudioRequests.showAsset);
		return {
			...target,
			allFiles: this.getNodeParameter('files', itemIndex, 'main') === 'all',
			binaryProperty: String(options.binaryPropertyName ?? '').trim() || 'data',
			dryRun: options.dryRun === true,
		};
	},
	defaultRequestsPerSecond: metaStudioLanes('query'),
	send: sendAssetRequest,
	// The detail as it came: `follow` downloads what it names and makes the item.
	successJson: (_target, answer) => answer?.value ?? {},
	follow: downloadFiles,
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems.call(this, downloadMetaStudioAssetOperation);
}
