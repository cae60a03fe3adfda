import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runItems } from '../../engine/runItems';
import type { ItemOperation } from '../../engine/types';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { alreadyDeletedItem, deletedItem } from '../../helpers/items';
import { callMetaStudio, FILE_NOT_FOUND, metaStudioRequests } from '../../transport/metaStudio';
import { deletionNotice, dryRunOption, ignoreNotFoundOption, itemOptions } from '../common.descriptions';
import type { MetaStudioTarget } from '../metaStudio.common';
import { metaStudioLanes, metaStudioRequestOptions, metaStudioRequestsPerSecond, resolveMetaStudioTarget } from '../metaStudio.common';

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
	itemOptions(metaStudioRequestsPerSecond('change'), [dryRunOption, ignoreNotFoundOption, ...metaStudioRequestOptions]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['mediaFile'], operation: ['delete'] } },
	properties,
);

export const deleteMediaFileOperation: ItemOperation<MetaStudioTarget> = {
	idField: 'fileId',
	noun: 'media file',
	action: 'delete',
	changeFlag: 'deleted',
	async resolveTarget(this: IExecuteFunctions, itemIndex, options) {
		const id = { parameter: 'fileId', label: 'file ID' };
		return await resolveMetaStudioTarget(this, itemIndex, options, id, metaStudioRequests.deleteFile);
	},
	defaultRequestsPerSecond: metaStudioLanes('change'),
	async send(this: IExecuteFunctions, target, settings) {
		return await callMetaStudio(this, target, settings, FILE_NOT_FOUND);
	},
	successJson: (target, answer) => deletedItem('fileId', target.id, { requestId: answer?.requestId ?? null }, answer?.httpStatus ?? null),
	// There is no API that reads a file: a lost answer followed by "not found" is taken as our delete.
	alreadyDoneJson: (target, failure) => alreadyDeletedItem('fileId', target.id, failure),
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems.call(this, deleteMediaFileOperation);
}
