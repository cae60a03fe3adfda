import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runItems } from '../../engine/runItems';
import type { ItemOperation } from '../../engine/types';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { alreadyDeletedItem, deletedItem } from '../../helpers/items';
import { callMetaStudio, FILE_NOT_FOUND, metaStudioRequests } from '../../transport/metaStudio';
import { deletionNotice, dryRunOption, ignoreNotFoundOption, itemOptions } from '../common.descriptions';
import type { MetaStudioTarget } from '../metaStudio.common';
import { changeLanes, metaStudioRequestOptions, metaStudioRequestsPerSecond, resolveMetaStudioTarget } from '../metaStudio.common';
import { callOutcome, dryRunItem } from '../outcomes';

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
	changesData: true,
	async resolveTarget(this: IExecuteFunctions, itemIndex, options) {
		const id = { parameter: 'fileId', label: 'file ID' };
		return await resolveMetaStudioTarget(this, itemIndex, options, id, metaStudioRequests.deleteFile);
	},
	defaultRequestsPerSecond: changeLanes('change'),
	dryRunJson: dryRunItem('fileId', 'deleted'),
	// There is no API that reads a file: a lost answer followed by "not found" is taken as our delete.
	async callTarget(this: IExecuteFunctions, target, calls) {
		return await callOutcome(this, target, calls, {
			call: async (one, settings) => await callMetaStudio(this, one, settings, FILE_NOT_FOUND),
			successJson: (one, attempt, attempts) =>
				deletedItem('fileId', one.id, { requestId: attempt.fields.requestId }, attempt.httpStatus, attempts),
			alreadyDoneJson: (one, failure, attempts) => alreadyDeletedItem('fileId', one.id, failure, attempts),
		});
	},
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems.call(this, deleteMediaFileOperation);
}
