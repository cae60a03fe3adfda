import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runItems } from '../../engine/runItems';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import type { ItemOperation } from '../../helpers/interfaces';
import { alreadyDeletedItem, deletedItem } from '../../helpers/items';
import { callMetaStudio, FILE_NOT_FOUND } from '../../transport/metaStudio';
import { deletionNotice, dryRunOption, ignoreNotFoundOption, itemOptions } from '../common.descriptions';
import type { MetaStudioTarget } from '../metaStudio.common';
import {
	metaStudioRequestOptions,
	metaStudioRequestsPerSecond,
	regionRateLimit,
	resolveMetaStudioTarget,
} from '../metaStudio.common';

const properties: INodeProperties[] = [
	deletionNotice('a media file'),
	{
		displayName: 'File ID',
		name: 'fileId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '24bad716-87b1-45e5-8912-6102f7693265',
		description:
			"ID of the file in the MetaStudio media asset library to delete, a UUID like 24bad716-87b1-45e5-8912-6102f7693265 (an asset's files[].file_id). The result has deleted: true once the file is gone; failures carry error.message and error.retryable.",
		hint: 'Map it from the input, e.g. {{ $json.fileId }}',
	},
	itemOptions(metaStudioRequestsPerSecond('10/s in cn-north-4, 5/s elsewhere'), [
		dryRunOption,
		ignoreNotFoundOption,
		...metaStudioRequestOptions,
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['mediaFile'], operation: ['delete'] } },
	properties,
);

export const deleteMediaFileOperation: ItemOperation<MetaStudioTarget> = {
	idField: 'fileId',
	noun: 'media file',
	action: 'delete',
	changesData: true,
	async resolveTarget(this: IExecuteFunctions, itemIndex, options) {
		return await resolveMetaStudioTarget(this, itemIndex, options, { parameter: 'fileId', label: 'file ID' }, (fileId) => ({
			method: 'DELETE',
			path: ['files', { value: fileId, label: 'file ID' }],
		}));
	},
	async defaultRequestsPerSecond(this: IExecuteFunctions) {
		return await regionRateLimit(this, 'change');
	},
	async callOnce(this: IExecuteFunctions, target, settings) {
		return await callMetaStudio(this, target, settings, FILE_NOT_FOUND);
	},
	successJson(target, attempt, attempts) {
		return deletedItem('fileId', target.id, { requestId: attempt.fields.requestId }, attempt.httpStatus, attempts);
	},
	alreadyDoneJson(target, failure, attempts) {
		return alreadyDeletedItem('fileId', target.id, failure, attempts);
	},
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems.call(this, deleteMediaFileOperation);
}
