import type {
	IAuthenticate,
	ICredentialTestRequest,
	ICredentialType,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import {
	DEFAULT_METASTUDIO_REGION,
	METASTUDIO_REGION_OPTIONS,
	metaStudioEndpoint,
} from './common/huaweiCloud';
import type { N8nRequestOptions } from './common/huaweiSigner';
import { signRequestOptions } from './common/huaweiSigner';
import { text } from './common/values';

export class HuaweiCloudAkSkApi implements ICredentialType {
	name = 'huaweiCloudAkSkApi';

	displayName = 'Huawei Cloud AK/SK API';

	icon: Icon = { light: 'file:huaweiCloud.svg', dark: 'file:huaweiCloud.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-media-assets/n8n-nodes-media-assets#huawei-cloud-aksk-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Key ID',
			name: 'accessKeyId',
			type: 'string',
			required: true,
			default: '',
			description: 'The AK, from My Credentials > Access Keys in the Huawei Cloud console',
		},
		{
			displayName: 'Secret Access Key',
			name: 'secretAccessKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The SK downloaded with the access key. It signs each request and is never sent.',
		},
		{
			displayName: 'Security Token',
			name: 'securityToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for a temporary AK/SK: the security token issued with it, sent as X-Security-Token. Leave empty for a permanent access key.',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: METASTUDIO_REGION_OPTIONS,
			default: DEFAULT_METASTUDIO_REGION,
			description: 'Region of the MetaStudio media asset library',
		},
		{
			displayName: 'Project ID',
			name: 'projectId',
			type: 'string',
			required: true,
			default: '',
			placeholder: '6a6a1f8354f64dd9b9a614def7b59d83',
			description:
				'ID of the project of the selected region, from My Credentials > API Credentials in the Huawei Cloud console',
		},
		{
			displayName: 'Endpoint',
			name: 'endpoint',
			type: 'string',
			default: '',
			placeholder: 'https://metastudio.cn-north-4.myhuaweicloud.com',
			description:
				'Only for a private deployment or a proxy: the MetaStudio base URL to use instead of the region\'s. Leave empty to use the region.',
		},
	];

	// Signed here rather than through generic headers: every attempt gets a fresh X-Sdk-Date and signature,
	// and the signed path, query and body are exactly the ones sent. A class field, not a method: n8n lists
	// a credential under the HTTP Request node's "Predefined Credential Type" only when `authenticate`
	// survives the spread copy it builds the editor's credential list from, and a method on the prototype
	// does not. The HTTP Request node passes the legacy request shape (`uri`, `qs`, `form`), which the
	// signer reads too, and gets it back in that shape.
	authenticate: IAuthenticate = async (credentials, requestOptions) =>
		signRequestOptions(
			requestOptions as N8nRequestOptions,
			{
				accessKeyId: text(credentials.accessKeyId),
				secretAccessKey: text(credentials.secretAccessKey),
				securityToken: text(credentials.securityToken),
			},
			new Date(),
			metaStudioEndpoint(credentials),
		) as typeof requestOptions;

	// MetaStudio ListAssets with one result: documented, read-only, and it needs a valid signature and project.
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ ($credentials.endpoint || "https://metastudio." + $credentials.region + ".myhuaweicloud.com").trim().replace(/\\/+$/, "") }}',
			url: '=/v1/{{ $credentials.projectId.trim() }}/digital-assets',
			method: 'GET',
			qs: { limit: 1 },
			headers: { 'X-Project-Id': '={{ $credentials.projectId.trim() }}' },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Huawei Cloud rejected the signature. Check the Access Key ID and Secret Access Key (and the Security Token of a temporary key), and that the n8n host clock is within 15 minutes of real time.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The access key is valid but may not use MetaStudio in this project. Grant the IAM user MetaStudio permissions, or check the Project ID.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 400,
					message:
						'MetaStudio refused the request. Check that the Project ID is the project of the selected region (My Credentials > API Credentials).',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'No MetaStudio API was found. Check the region (MetaStudio runs in cn-north-4, cn-east-3 and ap-southeast-3) or the Endpoint.',
				},
			},
		],
	};
}
