import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	Icon,
	IHttpRequestHelper,
	IN8nHttpFullResponse,
	INodeProperties,
} from 'n8n-workflow';

import { DEFAULT_METASTUDIO_REGION, METASTUDIO_REGION_OPTIONS, iamEndpoint } from './common/huaweiCloud';
import { headerValue, text } from './common/values';

/** What to change in the credential for an IAM answer, by HTTP status. */
function iamHint(statusCode: number, iamMessage: string): string {
	if (/project/i.test(iamMessage)) {
		return 'Check the Project ID: it must be a project of the selected region (My Credentials > API Credentials).';
	}
	if (statusCode === 401) {
		return 'Check the account name, the IAM user name and the password. The IAM user may also be locked or disabled.';
	}
	if (statusCode === 403) {
		return 'The IAM user may not get a token with a password: allow programmatic access for it, or use an AK/SK credential.';
	}
	if (statusCode === 404) return 'Check the region or the IAM Endpoint.';
	if (statusCode === 400) return 'Check the account name, the IAM user name and the Project ID.';
	return 'Try again later; if it persists, check the region or the IAM Endpoint.';
}

/** Never lets the password or a token into a message, whatever IAM echoes back. */
function withoutSecrets(message: string, secrets: string[]): string {
	let clean = message;
	for (const secret of secrets) {
		if (secret.length >= 4) clean = clean.split(secret).join('***');
	}
	return clean.replace(/[\r\n]+/g, ' ').slice(0, 300);
}

function iamError(response: IN8nHttpFullResponse, secrets: string[]): Error {
	const body = (typeof response.body === 'object' && response.body !== null ? response.body : {}) as {
		error?: { code?: unknown; message?: unknown; title?: unknown };
	};
	const detail = body.error ?? {};
	const iamMessage = withoutSecrets(
		[detail.title, detail.message].filter((part) => typeof part === 'string' && part !== '').join(': '),
		secrets,
	);
	const answer = iamMessage === '' ? `HTTP ${response.statusCode}` : `HTTP ${response.statusCode}: ${iamMessage}`;
	return new Error(
		`Huawei Cloud IAM refused to issue a token (${answer}). ${iamHint(response.statusCode, iamMessage)}`,
	);
}

function networkCode(error: unknown): string {
	for (const candidate of [error, (error as { cause?: unknown })?.cause]) {
		const code = (candidate as { code?: unknown })?.code;
		if (typeof code === 'string' && code !== '') return code;
	}
	return 'no answer';
}

export class HuaweiCloudIamApi implements ICredentialType {
	name = 'huaweiCloudIamApi';

	displayName = 'Huawei Cloud IAM (Token) API';

	icon: Icon = { light: 'file:huaweiCloud.svg', dark: 'file:huaweiCloud.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-media-assets/n8n-nodes-media-assets#huawei-cloud-iam-token-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Token',
			name: 'token',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Account Name',
			name: 'domainName',
			type: 'string',
			required: true,
			default: '',
			description: 'Name of the Huawei Cloud account (domain) the IAM user belongs to',
		},
		{
			displayName: 'IAM User Name',
			name: 'userName',
			type: 'string',
			required: true,
			default: '',
			description: 'IAM user with MetaStudio permissions and programmatic access',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Password of the IAM user. It is sent only to IAM, to get a token (valid for 24 hours).',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: METASTUDIO_REGION_OPTIONS,
			default: DEFAULT_METASTUDIO_REGION,
			description: 'Region of the MetaStudio media asset library; the token is issued for this region',
		},
		{
			displayName: 'Project ID',
			name: 'projectId',
			type: 'string',
			required: true,
			default: '',
			placeholder: '6a6a1f8354f64dd9b9a614def7b59d83',
			description:
				'ID of the project of the selected region, from My Credentials > API Credentials in the Huawei Cloud console. The token is scoped to it.',
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
		{
			displayName: 'IAM Endpoint',
			name: 'iamEndpoint',
			type: 'string',
			default: '',
			placeholder: 'https://iam.cn-north-4.myhuaweicloud.com',
			description:
				'Only for a private deployment or a proxy: the IAM base URL to use instead of the region\'s. Leave empty to use the region.',
		},
	];

	// n8n runs this when the token is empty, after a 401, and for a credential test; it stores the token.
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const password = typeof credentials.password === 'string' ? credentials.password : '';
		const secrets = [password, text(credentials.token)];
		const iam = iamEndpoint(credentials);
		let response: IN8nHttpFullResponse;
		try {
			response = (await this.helpers.httpRequest({
				method: 'POST',
				url: `${iam}/v3/auth/tokens?nocatalog=true`,
				headers: { 'Content-Type': 'application/json' },
				body: {
					auth: {
						identity: {
							methods: ['password'],
							password: {
								user: {
									name: text(credentials.userName),
									password,
									domain: { name: text(credentials.domainName) },
								},
							},
						},
						scope: { project: { id: text(credentials.projectId) } },
					},
				},
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			})) as IN8nHttpFullResponse;
		} catch (error) {
			// The original error carries the request, password included: only its code is passed on.
			throw new Error(
				`Could not reach Huawei Cloud IAM at ${iam} (${networkCode(error)}). Check the region or the IAM Endpoint.`,
			);
		}

		const token = headerValue(response.headers, 'x-subject-token');
		if (response.statusCode >= 200 && response.statusCode < 300 && token !== undefined) {
			return { token };
		}
		if (response.statusCode >= 200 && response.statusCode < 300) {
			throw new Error(
				`Huawei Cloud IAM answered HTTP ${response.statusCode} without an X-Subject-Token header. Check that the IAM Endpoint points to IAM.`,
			);
		}
		throw iamError(response, secrets);
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'X-Auth-Token': '={{$credentials.token}}',
			},
		},
	};

	// MetaStudio ListAssets with one result: documented, read-only, and it needs a valid token for this project.
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ ($credentials.endpoint || "https://metastudio." + $credentials.region + ".myhuaweicloud.com").trim().replace(/\\/+$/, "") }}',
			url: '=/v1/{{ $credentials.projectId.trim() }}/digital-assets',
			method: 'GET',
			qs: { limit: 1 },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'MetaStudio rejected the IAM token. Check the account name, IAM user name and password, and that the user has MetaStudio permissions.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The IAM user may not use MetaStudio in this project. Grant it MetaStudio permissions, or check the Project ID.',
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
