import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentials,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeProperties,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { ICredentialsHelper } from 'n8n-workflow';

import { HuaweiCloudAkSkApi } from '../../credentials/HuaweiCloudAkSkApi.credentials';
import { HuaweiCloudIamApi } from '../../credentials/HuaweiCloudIamApi.credentials';
import { KyyVideo2Api } from '../../credentials/KyyVideo2Api.credentials';

export type CredentialStore = Record<string, ICredentialDataDecryptedObject>;

/** The package's real credential types, by name. */
export const credentialTypes: Record<string, ICredentialType> = Object.fromEntries(
	[new KyyVideo2Api(), new HuaweiCloudAkSkApi(), new HuaweiCloudIamApi()].map((type) => [type.name, type]),
);

/**
 * Resolves a `={{ … }}` credential expression the way n8n does for generic `authenticate` and
 * credential `test` requests: with `$credentials` in scope. Test-only: n8n uses its expression engine.
 */
export function resolveCredentialExpression(value: unknown, credentials: ICredentialDataDecryptedObject): unknown {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	const template = value.slice(1);
	const evaluate = (code: string) =>
		new Function('$credentials', `return (${code});`)(credentials) as unknown;
	const whole = /^\{\{([\s\S]*)\}\}$/.exec(template.trim());
	if (whole && !whole[1].includes('}}')) return evaluate(whole[1]);
	return template.replace(/\{\{([\s\S]*?)\}\}/g, (_, code: string) => String(evaluate(code)));
}

function resolveAll(values: IDataObject | undefined, credentials: ICredentialDataDecryptedObject): IDataObject {
	return Object.fromEntries(
		Object.entries(values ?? {}).map(([key, value]) => [key, resolveCredentialExpression(value, credentials)]),
	) as IDataObject;
}

/**
 * An in-memory stand-in for n8n's CLI CredentialsHelper: it applies each credential type's
 * `authenticate` (function or generic form), runs `preAuthentication` for expirable fields the way
 * n8n does (when the field is empty, or when a request answered 401), and persists what it returns.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	preAuthCalls = 0;

	constructor(readonly store: CredentialStore) {
		super();
	}

	getParentTypes(name: string): string[] {
		const extendsList = credentialTypes[name]?.extends ?? [];
		return extendsList.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
	): Promise<IHttpRequestOptions> {
		const type = credentialTypes[typeName];
		const options = requestOptions as IHttpRequestOptions;
		if (!type?.authenticate) return options;
		if (typeof type.authenticate === 'function') {
			return await type.authenticate(credentials, options);
		}
		if (type.authenticate.type !== 'generic') return options;
		const { headers, qs, body } = type.authenticate.properties;
		return {
			...options,
			headers: { ...options.headers, ...resolveAll(headers as IDataObject, credentials) },
			qs: qs ? { ...options.qs, ...resolveAll(qs as IDataObject, credentials) } : options.qs,
			body: body ? { ...(options.body as IDataObject), ...resolveAll(body as IDataObject, credentials) } : options.body,
		};
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		_node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = credentialTypes[typeName];
		const expirable = type?.properties.find((p) => p.typeOptions?.expirable === true);
		if (!type?.preAuthentication || !expirable) return undefined;
		if (credentials[expirable.name] !== '' && credentials[expirable.name] !== undefined && !credentialsExpired) {
			return undefined;
		}
		const output = await this.runPreAuthentication(helpers, credentials, typeName);
		if (output) this.store[typeName] = { ...this.store[typeName], ...output };
		return output;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = credentialTypes[typeName];
		if (!type?.preAuthentication) return undefined;
		this.preAuthCalls++;
		return (await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
	}

	async getCredentials(_details: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		const data = this.store[type];
		return {
			id: '1',
			name: type,
			type,
			data: '',
			getData: () => ({ ...data }),
			getDataToSave: () => ({ id: '1', name: type, type, data: '' }),
			setData: () => undefined,
		} as unknown as ICredentials;
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_details: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.store[type];
		if (!data) throw new Error(`No test credentials of type ${type}`);
		// Fill defaults of fields the test left out, as n8n does from the type's properties.
		const defaults = Object.fromEntries(
			(credentialTypes[type]?.properties ?? [])
				.filter((p) => p.default !== undefined)
				.map((p) => [p.name, p.default]),
		);
		return { ...defaults, ...data } as ICredentialDataDecryptedObject;
	}

	async updateCredentials(_details: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject) {
		this.store[type] = { ...data };
	}

	async updateCredentialsOauthTokenData(
		_details: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	) {
		this.store[type] = { ...this.store[type], ...data };
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return credentialTypes[type]?.properties ?? [];
	}
}
