/**
 * An in-memory stand-in for n8n's CLI CredentialsHelper (packages/cli/src/credentials-helper.ts):
 * the same decisions (defaults, credential expressions, generic and function `authenticate`, when
 * `preAuthentication` runs and what it persists), with a plain object as the credential database.
 */
import { getAdditionalKeys } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsEncrypted,
	ICredentialsExpressionResolveValues,
	ICredentialType,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IWorkflowDataProxyAdditionalKeys,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ICredentials, ICredentialsHelper, isExpression, NodeHelpers, Workflow } from 'n8n-workflow';

import { loadPackageExport } from './nodeTypes';

/** Decrypted credential data by credential type name: the test's "credentials database". */
export type CredentialStore = Record<string, ICredentialDataDecryptedObject>;

/** The package's credential classes, by file; a file not written yet is skipped. */
const PACKAGE_CREDENTIALS: Array<[file: string, className: string]> = [
	['credentials/KyyVideo2Api.credentials', 'KyyVideo2Api'],
	['credentials/HuaweiCloudAkSkApi.credentials', 'HuaweiCloudAkSkApi'],
	['credentials/HuaweiCloudIamApi.credentials', 'HuaweiCloudIamApi'],
];

/** The package's real credential types, by name. */
export const credentialTypes: Record<string, ICredentialType> = Object.fromEntries(
	PACKAGE_CREDENTIALS.flatMap(([file, className]) => {
		const loaded = loadPackageExport<new () => ICredentialType>(file, className);
		const type = new loaded.value();
		return [[type.name, type]];
	}),
);

// n8n resolves credential expressions outside a run against a one-node throwaway workflow; so do we.
const MOCK_NODE: INode = { id: 'mock', name: '', type: 'mock', typeVersion: 1, position: [0, 0], parameters: {} };
const MOCK_NODE_TYPES: INodeTypes = {
	getByName: () => ({ description: { properties: [] } }) as unknown as INodeType,
	getByNameAndVersion: () => ({ description: { properties: [] } }) as unknown as INodeType,
	getKnownTypes: () => ({}),
};
function mockWorkflow(): Workflow {
	return new Workflow({ nodes: [MOCK_NODE], connections: {}, active: false, nodeTypes: MOCK_NODE_TYPES });
}

/**
 * Resolves one `={{ … }}` value with `$credentials` in scope, through n8n's expression engine, as
 * n8n does for generic `authenticate` properties and credential `test` requests. Returns the value
 * unchanged when it is not an expression.
 */
export function resolveCredentialExpression(value: unknown, credentials: ICredentialDataDecryptedObject): unknown {
	if (typeof value !== 'string' || !isExpression(value)) return value;
	return mockWorkflow().expression.getComplexParameterValue(
		MOCK_NODE,
		value,
		'internal',
		{ $credentials: credentials } as IWorkflowDataProxyAdditionalKeys,
		undefined,
		undefined,
	);
}

/** Thrown like n8n's CredentialNotFoundError when a node references a credential the test did not set. */
export class CredentialNotFoundError extends Error {
	constructor(id: string | null, type: string) {
		super(`Credential with ID "${id}" does not exist for type "${type}".`);
		this.name = 'CredentialNotFoundError';
	}
}

/**
 * A stored credential record as n8n's `Credentials` exposes it. `data` holds plain JSON where n8n
 * holds ciphertext: the JSON round trip keeps what a database would (no shared references, no
 * functions or Dates), without the encryption key file n8n-core's Cipher would need.
 */
class StoredCredentials extends ICredentials {
	async getData(): Promise<ICredentialDataDecryptedObject> {
		return JSON.parse(this.data ?? '{}') as ICredentialDataDecryptedObject;
	}

	getDataToSave(): ICredentialsEncrypted {
		return { id: this.id, name: this.name, type: this.type, data: this.data };
	}

	async setData(data: ICredentialDataDecryptedObject): Promise<void> {
		this.data = JSON.stringify(data);
	}

	async updateData(toUpdate: ICredentialDataDecryptedObject, toDelete: string[] = []): Promise<void> {
		const data = { ...(await this.getData()), ...toUpdate };
		for (const key of toDelete) delete data[key];
		await this.setData(data);
	}
}

export class TestCredentialsHelper extends ICredentialsHelper {
	/** How many times a credential type's `preAuthentication` ran (e.g. token fetches). */
	preAuthCalls = 0;

	/** Credential types this helper knows: the package's, plus any fixtures the test passes. */
	readonly types: Record<string, ICredentialType>;

	/**
	 * @param store Decrypted credential data by type name. It is the live "database": refreshed
	 *   tokens are written back into it, so a test can read them after the run.
	 * @param extraTypes Fixture credential types; they replace package types of the same name.
	 */
	constructor(
		readonly store: CredentialStore,
		extraTypes: ICredentialType[] = [],
	) {
		super();
		this.types = { ...credentialTypes, ...Object.fromEntries(extraTypes.map((type) => [type.name, type])) };
	}

	getCredentialType(typeName: string): ICredentialType {
		const type = this.types[typeName];
		if (!type) throw new Error(`Unrecognized credential type: ${typeName}`);
		return type;
	}

	/** The `extends` chain, nearest parent first, as n8n's CredentialTypes.getParentTypes returns it. */
	getParentTypes(typeName: string): string[] {
		const parents = this.types[typeName]?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		const type = this.types[credentialType];
		// Unknown types pass here, as in n8n: the real error surfaces where the type is used.
		if (!type?.restrictToSupportedNodes) return true;
		// supportedNodes holds short node names; nodeType is the full "<package>.<name>".
		return (type.supportedNodes ?? []).some((name) => nodeType === name || nodeType.endsWith(`.${name}`));
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.getCredentialType(typeName);
		if (typeof authenticate === 'function') {
			// Called without `this` and its result used as the whole request, as n8n does.
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (authenticate?.type === 'generic') {
			// n8n-core always passes the workflow and node; direct callers (credential tests) may not.
			const expressionWorkflow = workflow ?? mockWorkflow();
			const expressionNode = node ?? MOCK_NODE;
			const resolve = (value: string): string => {
				if (!isExpression(value)) return value;
				const resolved = expressionWorkflow.expression.getSimpleParameterValue(
					expressionNode,
					value,
					'internal',
					{ $credentials: credentials } as IWorkflowDataProxyAdditionalKeys,
					undefined,
					'',
				);
				return resolved ? resolved.toString() : '';
			};
			// Mutates the request in place like n8n: on a 401 retry n8n-core authenticates the same
			// options object again, and the fresh value must overwrite the stale one.
			const target = requestOptions as unknown as Record<string, Record<string, unknown> | undefined>;
			target.headers ??= {};
			for (const [outerKey, properties] of Object.entries(authenticate.properties)) {
				for (const [key, value] of Object.entries(properties as Record<string, string>)) {
					target[outerKey] ??= {};
					target[outerKey][resolve(key)] = resolve(value);
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	/**
	 * n8n-core calls this before every authenticated request (`credentialsExpired` false) and again
	 * after a 401 (true). The credential type's hook runs only when the type has a hidden expirable
	 * property and that property is empty or expired; its result is persisted and merged into
	 * `credentials`.
	 */
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.getCredentialType(typeName);
		const expirable = type.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;

		// n8n's credential tester runs requests as a NoOp node with this marker; it always refreshes.
		const isTestingCredentials = node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
		if (credentials[expirable.name] !== '' && !credentialsExpired && !isTestingCredentials) return undefined;

		const output = await this.runPreAuthentication(helpers, credentials, typeName);
		// Without the expirable property in the output n8n persists nothing and keeps the old values.
		if (output?.[expirable.name] === undefined) return undefined;

		// n8n finds the stored record through node.credentials; the store is keyed by type, so a
		// direct call without node credentials (a credential test) still persists.
		const nodeCredentials = node?.credentials?.[typeName] ?? { id: '1', name: typeName };
		const stored = await (await this.getCredentials(nodeCredentials, typeName)).getData();
		const toPersist: ICredentialDataDecryptedObject = { ...stored };
		for (const [key, value] of Object.entries(output)) {
			// A field the user stored as an expression keeps its expression, not this run's value.
			if (key === expirable.name || !isExpression(stored[key])) toPersist[key] = value;
		}
		await this.updateCredentials(nodeCredentials, typeName, toPersist);
		return Object.assign(credentials, output);
	}

	/** Runs the type's `preAuthentication` unconditionally, with `this` = `{ helpers }`, as n8n does. */
	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const { preAuthentication } = this.getCredentialType(typeName);
		if (typeof preAuthentication !== 'function') return undefined;
		this.preAuthCalls++;
		// n8n narrows the hook's helpers to httpRequest alone; the credential cannot reach more.
		const narrowed: IHttpRequestHelper = {
			helpers: { httpRequest: async (options: IHttpRequestOptions) => await helpers.helpers.httpRequest(options) },
		};
		return ((await preAuthentication.call(narrowed, credentials)) as ICredentialDataDecryptedObject) ?? undefined;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		const data = this.store[type];
		if (!data) throw new CredentialNotFoundError(nodeCredentials.id, type);
		const credentials = new StoredCredentials({ id: nodeCredentials.id ?? '1', name: nodeCredentials.name }, type);
		await credentials.setData(data);
		return credentials;
	}

	/**
	 * What a node's `getCredentials` returns: a fresh copy of the stored data with the type's defaults
	 * for missing fields and credential expressions resolved (n8n's applyDefaultsAndOverwrites, minus
	 * instance-level overwrites). `raw` skips both, as in n8n.
	 */
	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = await (await this.getCredentials(nodeCredentials, type)).getData();
		if (raw === true) return stored;

		// Like n8n, this keeps only fields the type defines (plus OAuth token data) and fills defaults.
		let data = NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type),
			stored as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		if (stored.oauthTokenData !== undefined) data.oauthTokenData = stored.oauthTokenData;

		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });
		if (expressionResolveValues) {
			const { workflow, runExecutionData, runIndex, itemIndex, node, connectionInputData } = expressionResolveValues;
			try {
				data = workflow.expression.getParameterValue(
					data as INodeParameters,
					runExecutionData,
					runIndex,
					itemIndex,
					node.name,
					connectionInputData,
					mode,
					additionalKeys,
					executeData,
					false,
					data,
				) as ICredentialDataDecryptedObject;
			} catch (error) {
				(error as Error).message += ' [Error resolving credentials]';
				throw error;
			}
		} else {
			data = mockWorkflow().expression.getComplexParameterValue(
				MOCK_NODE,
				data as INodeParameters,
				mode,
				additionalKeys,
				undefined,
				undefined,
				data,
			) as ICredentialDataDecryptedObject;
		}
		return data;
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const credentials = await this.getCredentials(nodeCredentials, type);
		await credentials.setData(data);
		this.store[type] = await credentials.getData();
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const credentials = await this.getCredentials(nodeCredentials, type);
		await credentials.updateData({ oauthTokenData: data.oauthTokenData });
		this.store[type] = await credentials.getData();
	}

	/** The type's properties, merged over those of the types it extends (the child's win). */
	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.getCredentialType(type);
		if (!credentialType.extends) return credentialType.properties;
		const combined: INodeProperties[] = [];
		for (const parent of credentialType.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
		return combined;
	}
}
