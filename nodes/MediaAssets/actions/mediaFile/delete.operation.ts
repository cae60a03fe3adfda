import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import {
	deleteFileRateLimitPerSecond,
	metaStudioEndpoint,
} from '../../../../credentials/common/huaweiCloud';
import { runDeleteItems } from '../../engine/runItems';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { invalidInputError } from '../../helpers/errors';
import type { DeleteOperation, DeleteTarget } from '../../helpers/interfaces';
import { checkAppUserId, checkResourceId } from '../../helpers/validators';
import type { HuaweiAuthentication } from '../../transport/metaStudio';
import { deleteMediaFile, HUAWEI_CREDENTIAL_TYPES, mediaFileUrl } from '../../transport/metaStudio';
import { runCredentialData } from '../../transport/credentials';
import { batchOptions, deletionNotice, sortedByName } from '../common.descriptions';

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
			'ID of the file in the MetaStudio media asset library to delete, a UUID like 24bad716-87b1-45e5-8912-6102f7693265. The result has deleted: true once the file is gone; failures carry error.message and error.retryable.',
		hint: 'Map it from the input, e.g. {{ $json.fileId }}',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: sortedByName([
			{
				displayName: 'App User ID',
				name: 'appUserId',
				type: 'string',
				default: '',
				description:
					'Third-party user ID sent as X-App-UserId, for files that belong to one of your app\'s users. No Chinese characters.',
			},
			...batchOptions({
				displayName: 'Requests per Second',
				name: 'requestsPerSecond',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 2 },
				default: 5,
				description:
					"Upper limit on requests per second across all items (0 = no limit). Leave the option out to use MetaStudio's documented Delete File limit for the credential's region: 10/s in cn-north-4, 5/s elsewhere.",
			}),
			{
				displayName: 'Project ID',
				name: 'projectId',
				type: 'string',
				default: '',
				placeholder: '6a6a1f8354f64dd9b9a614def7b59d83',
				description: 'Project to delete from, instead of the credential\'s project',
			},
		]),
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['mediaFile'], operation: ['delete'] } },
	properties,
);

interface MediaFileTarget extends DeleteTarget {
	authentication: HuaweiAuthentication;
	headers: IDataObject;
}

function authenticationOf(ctx: IExecuteFunctions): HuaweiAuthentication {
	return ctx.getNodeParameter('authentication', 0, 'akSk') === 'iamToken' ? 'iamToken' : 'akSk';
}

async function credentialsFor(ctx: IExecuteFunctions): Promise<ICredentialDataDecryptedObject> {
	return await runCredentialData(ctx, HUAWEI_CREDENTIAL_TYPES[authenticationOf(ctx)]);
}

export const deleteMediaFileOperation: DeleteOperation<MediaFileTarget> = {
	idField: 'fileId',
	noun: 'media file',
	async resolveTarget(this: IExecuteFunctions, itemIndex: number, options: IDataObject): Promise<MediaFileTarget> {
		const node = this.getNode();
		const fileId = checkResourceId(this.getNodeParameter('fileId', itemIndex, ''), 'file ID');
		if (!fileId.valid) throw invalidInputError(node, itemIndex, fileId.problem, fileId.hint);

		const credentials = await credentialsFor(this);
		const projectOverride = typeof options.projectId === 'string' ? options.projectId.trim() : '';
		const project = checkResourceId(projectOverride || credentials.projectId, 'project ID');
		if (!project.valid) throw invalidInputError(node, itemIndex, project.problem, project.hint);

		const headers: IDataObject = {};
		const authentication = authenticationOf(this);
		// Huawei's SDKs send the project with AK/SK requests; the signer signs it with the rest.
		if (authentication === 'akSk') headers['X-Project-Id'] = project.id;
		if (options.appUserId !== undefined && options.appUserId !== '') {
			const appUser = checkAppUserId(options.appUserId);
			if (!appUser.valid) throw invalidInputError(node, itemIndex, appUser.problem, appUser.hint);
			headers['X-App-UserId'] = appUser.id;
		}

		const url = mediaFileUrl(metaStudioEndpoint(credentials), project.id, fileId.id);
		return { id: fileId.id, dedupeKey: url, method: 'DELETE', url, authentication, headers };
	},
	async defaultRequestsPerSecond(this: IExecuteFunctions) {
		const credentials = await credentialsFor(this);
		return deleteFileRateLimitPerSecond(String(credentials.region ?? ''));
	},
	async deleteOnce(this: IExecuteFunctions, target, settings) {
		return await deleteMediaFile(this, target, settings);
	},
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runDeleteItems.call(this, deleteMediaFileOperation);
}
