import type {
	IAuthenticate,
	ICredentialTestRequest,
	ICredentialType,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { KYY_DEFAULT_BASE_URL } from './common/kyyVideo2';

export class KyyVideo2Api implements ICredentialType {
	name = 'kyyVideo2Api';

	displayName = 'KyyVideo2 (Seedance 2.0) API';

	icon: Icon = { light: 'file:kyyVideo2.svg', dark: 'file:kyyVideo2.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-media-assets/n8n-nodes-media-assets#kyyvideo2-seedance-20-api';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The key from the GlobalAiOpc console, sent as "Authorization: Bearer <key>"',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: KYY_DEFAULT_BASE_URL,
			description: 'Shared prefix of the API; change it only for a proxy or a private deployment',
		},
	];

	// A function rather than the generic `={{$credentials.apiKey}}` form: n8n resolves a generic header
	// through its expression engine on every request, a large share of the CPU per delete. As a class field it is kept when n8n lists credential types for the
	// HTTP Request node; it reads only `headers`, so it serves that node's legacy request shape too.
	authenticate: IAuthenticate = async (credentials, requestOptions) => ({
		...requestOptions,
		headers: { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.apiKey ?? '')}` },
	});

	// Reads the detail of an ID that cannot exist: a good key gets an answer (a "not found" code),
	// a bad key gets 401. Nothing is changed.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/kyyVideo2/asset/asset-n8n-credential-check',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'The API key was rejected. Copy it again from the GlobalAiOpc console.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'No KyyVideo2 API at this base URL. It should end in /kyyReactApiServer.',
				},
			},
		],
	};
}
