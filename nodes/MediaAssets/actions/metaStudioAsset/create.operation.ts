import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runItems } from '../../engine/runItems';
import type { ItemOperation, Outcome, TargetCalls, TargetState } from '../../engine/types';
import { toRfc3339 } from '../../helpers/dates';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { invalidInputError } from '../../helpers/errors';
import type { CallFailure, Done } from '../../helpers/interfaces';
import { failed } from '../../helpers/interfaces';
import { binaryContent, binaryDigest, uploadContentType, uploadFile } from '../../transport/files';
import { ASSET_NOT_FOUND, callMetaStudio, FILE_NOT_FOUND, listAssetsPage, listAssetsPageCall, listAssetsParameters, metaStudioRequests } from '../../transport/metaStudio';
import { METASTUDIO_MAX_PAGE_SIZE } from '../../helpers/constants';
import { dryRunOption, itemOptions, sortedByName } from '../common.descriptions';
import type { MetaStudioTarget } from '../metaStudio.common';
import { metaStudioLanes, metaStudioProject, metaStudioRequestOptions, metaStudioRequestsPerSecond, sendAssetRequest } from '../metaStudio.common';
import { checkedAssetFields, tagList } from './assetFields';
import { mainFileRule, typeForExtension } from './mainFiles';

const CREATABLE_TYPES = ['VIDEO', 'IMAGE', 'AUDIO', 'MUSIC', 'PPT', 'MATERIAL'] as const;

const properties: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the input binary field holding the file to upload',
		description: "The file becomes the new asset's MAIN file; its size and MD5 are read from it",
	},
	{
		displayName: 'Asset Type',
		name: 'assetType',
		type: 'options',
		options: [
			{ name: 'From File Extension', value: 'auto', description: 'VIDEO for mp4, mov, …; IMAGE for jpg, png, …; AUDIO for mp3, wav, m4a; PPT for ppt, pptx, pdf' },
			...CREATABLE_TYPES.map((type) => ({ name: type, value: type })),
		],
		default: 'auto',
	},
	{
		displayName: 'Name',
		name: 'assetName',
		type: 'string',
		default: '',
		description: "Name of the new asset, 1 to 256 characters; empty = the file's name without its extension",
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: sortedByName([
			{ displayName: 'Description', name: 'assetDescription', type: 'string', typeOptions: { rows: 2 }, default: '', description: 'Up to 4,096 characters' },
			{ displayName: 'Tags', name: 'tags', type: 'string', default: '', description: 'Comma-separated, or a list from an expression: up to 50 tags of up to 128 characters' },
		]),
	},
	itemOptions(metaStudioRequestsPerSecond('change'), [dryRunOption, ...metaStudioRequestOptions]),
];

export const description = updateDisplayOptions({ show: { resource: ['metaStudioAsset'], operation: ['create'] } }, properties);

interface UploadFacts {
	binary: IBinaryData;
	fileName: string;
	extension: string;
	size: number;
	md5: string;
}

type CreateTarget = MetaStudioTarget & { body: IDataObject; file: UploadFacts; since: number };

/** The input file, read once before anything is sent: its name, extension, size and MD5. */
async function inputFile(ctx: IExecuteFunctions, itemIndex: number): Promise<UploadFacts> {
	const property = String(ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim() || 'data';
	const binary = ctx.helpers.assertBinaryData(itemIndex, property);
	const fileName = String(binary.fileName ?? '').trim() || `file.${binary.fileExtension ?? 'bin'}`;
	const extension = (/\.([a-z0-9]+)$/i.exec(fileName)?.[1] ?? binary.fileExtension ?? '').toLowerCase();
	const { md5, bytes } = await binaryDigest(ctx, binary);
	return { binary, fileName, extension, size: bytes, md5 };
}

async function creationTarget(this: IExecuteFunctions, itemIndex: number, options: IDataObject): Promise<CreateTarget> {
	const file = await inputFile(this, itemIndex);
	const chosen = String(this.getNodeParameter('assetType', itemIndex, 'auto'));
	const assetType = chosen === 'auto' ? typeForExtension(file.extension) : chosen;
	if (!assetType) {
		throw invalidInputError(this.getNode(), itemIndex, `The asset type of a .${file.extension || '(no extension)'} file cannot be told from its extension`, 'Choose the Asset Type.');
	}
	const problem = mainFileRule(assetType, file.extension, file.size);
	if (problem) throw invalidInputError(this.getNode(), itemIndex, `${file.fileName}: ${problem.problem}`, problem.hint);
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const name = String(this.getNodeParameter('assetName', itemIndex, '') ?? '').trim() || file.fileName.replace(/\.[^.]*$/, '');
	const fields = checkedAssetFields(this.getNode(), itemIndex, {
		name,
		description: extra.assetDescription,
		tags: extra.tags === undefined ? undefined : tagList(extra.tags),
	});
	const body: IDataObject = { ...fields, asset_type: assetType };
	const project = await metaStudioProject(this, itemIndex, options);
	const request = metaStudioRequests.createAsset(project, body);
	// One file with one name and type, twice in a run, is one asset.
	const dedupeKey = `${project.projectId} ${assetType} ${String(fields.asset_name)} ${file.md5}`;
	return { ...request, body, project, id: String(fields.asset_name), dedupeKey, file, since: Date.now() };
}

/**
 * After CreateDigitalAsset lost its answer: the new asset, found by its exact name and type among the
 * project's assets still CREATING since the item was read; null when there is none, unknown when several.
 */
async function findCreated(this: IExecuteFunctions, targets: CreateTarget[], calls: TargetCalls): Promise<TargetState[]> {
	return await Promise.all(
		targets.map(async (target) => {
			const since = toRfc3339(target.since - 10 * 60_000);
			const filters = listAssetsParameters({ name: target.body.asset_name, assetState: ['CREATING'], startTime: since });
			const parameters = listAssetsPage(filters, { offset: 0, limit: METASTUDIO_MAX_PAGE_SIZE });
			const page = await calls.send(async () => await listAssetsPageCall(this, target.project, parameters, calls.settings));
			if (page.outcome === 'failed') return undefined;
			const ours = page.value.records.filter((asset) => asset.asset_name === target.body.asset_name && asset.asset_type === target.body.asset_type);
			return ours.length === 0 ? null : ours.length === 1 ? ours[0] : undefined;
		}),
	);
}

function createdAsset(target: CreateTarget, answer: Done | undefined, state?: IDataObject | null): IDataObject {
	return {
		asset_id: answer?.value.asset_id ?? state?.asset_id ?? null,
		asset_name: target.body.asset_name,
		asset_type: target.body.asset_type,
		produce_id: answer?.value.produce_id ?? null,
		requestId: answer?.requestId ?? null,
	};
}

/** A step failed for good after the asset was made: the file is marked FAILED and the asset deleted for good. */
async function undo(ctx: IExecuteFunctions, target: CreateTarget, assetId: string, calls: TargetCalls, step: { failure: CallFailure; fileId?: string }): Promise<Outcome> {
	const { project } = target;
	if (step.fileId) {
		const fileId = step.fileId;
		await calls.send(async () => await callMetaStudio(ctx, metaStudioRequests.confirmFileUpload(project, fileId, 'FAILED'), calls.settings, FILE_NOT_FOUND), 'main');
	}
	const removed = await calls.send(async () => await callMetaStudio(ctx, metaStudioRequests.deleteAsset(project, assetId, true), calls.settings, ASSET_NOT_FOUND), 'main');
	const cleaned = removed.outcome === 'done' || removed.failure.reason === 'notFound';
	const after = cleaned ? `the new asset ${assetId} was deleted again` : `the new asset ${assetId} could not be deleted (${removed.failure.summary}): delete it by hand`;
	return failed({ ...step.failure, summary: `${step.failure.summary}; ${after}`, outcomeUnknown: false });
}

/** CreateFile → PUT the bytes to its upload URL → ConfirmFileUpload CREATED; anything failing for good is undone. */
async function uploadMainFile(this: IExecuteFunctions, target: CreateTarget, success: Done, calls: TargetCalls): Promise<Outcome> {
	const assetId = String(success.value.asset_id);
	const { file, project } = target;
	const fileBody = { file_name: file.fileName, file_md5: file.md5, file_size: file.size, file_type: file.extension, asset_id: assetId, asset_file_category: 'MAIN' };
	const createFile = async () => await callMetaStudio(this, metaStudioRequests.createFile(project, fileBody), calls.settings, FILE_NOT_FOUND);
	const made = await calls.send(createFile, 'main', { once: true });
	if (made.outcome === 'failed') return await undo(this, target, assetId, calls, { failure: made.failure });
	const fileId = String(made.value.file_id);
	const upload = { md5: file.md5, size: file.size, contentType: uploadContentType(file.fileName) };
	const put = await calls.send(async () => await uploadFile(this, String(made.value.upload_url), async () => await binaryContent(this, file.binary), upload, calls.settings), 'transfer');
	if (put.outcome === 'failed') return await undo(this, target, assetId, calls, { failure: put.failure, fileId });
	const confirm = async () => await callMetaStudio(this, metaStudioRequests.confirmFileUpload(project, fileId, 'CREATED'), calls.settings, FILE_NOT_FOUND);
	const confirmed = await calls.send(confirm, 'main');
	if (confirmed.outcome === 'failed') return await undo(this, target, assetId, calls, { failure: confirmed.failure, fileId });
	const json = { ...success.value, created: true, file_id: fileId, file_name: file.fileName, file_size: file.size, file_md5: file.md5, createdAt: new Date().toISOString() };
	return { outcome: 'done', value: json, httpStatus: 200 };
}

export const createMetaStudioAssetOperation: ItemOperation<CreateTarget> = {
	idField: 'asset_name',
	noun: 'asset',
	action: 'create',
	changeFlag: 'created',
	sendsOnce: true,
	resolveTarget: creationTarget,
	defaultRequestsPerSecond: metaStudioLanes('change'),
	send: sendAssetRequest,
	successJson: createdAsset,
	state: { read: findCreated, landed: (state) => state !== null },
	follow: uploadMainFile,
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems.call(this, createMetaStudioAssetOperation);
}
