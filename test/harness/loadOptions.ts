/**
 * The editor's "From list" request as n8n's server handles it (packages/cli
 * DynamicNodeParametersService.getResourceLocatorResults, behind POST
 * /rest/dynamic-node-parameters/resource-locator-results): a one-node throwaway Workflow holding the
 * editor's current parameters and credentials, n8n-core's own LoadOptionsContext on it, and the node
 * type's listSearch method called with the search text and pagination token. Credentials go through
 * the harness's credentials helper, so authentication runs exactly as in a workflow run.
 */
import { LoadOptionsContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	INode,
	INodeCredentials,
	INodeListSearchResult,
	INodeParameters,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { TestCredentialsHelper } from './credentialsHelper';
import { releaseEngineTimers } from './engineTimers';
import { createNodeTypes, MEDIA_ASSETS_NODE_TYPE } from './nodeTypes';

export interface ResourceLocatorRequest {
	methodName: string;
	/** The parameter path the editor sends, e.g. "parameters.assetId". */
	path?: string;
	nodeTypeAndVersion?: { name: string; version: number };
	currentNodeParameters: INodeParameters;
	/** Decrypted credential data by type: each is referenced from the node as n8n's editor does. */
	credentials: Record<string, ICredentialDataDecryptedObject>;
	filter?: string;
	paginationToken?: string;
}

export async function resourceLocatorResults(request: ResourceLocatorRequest): Promise<INodeListSearchResult> {
	releaseEngineTimers();
	const nodeTypes = createNodeTypes();
	const { name, version } = request.nodeTypeAndVersion ?? { name: MEDIA_ASSETS_NODE_TYPE, version: 2 };
	const nodeType = nodeTypes.getByNameAndVersion(name, version);
	const method = nodeType.methods?.listSearch?.[request.methodName];
	if (typeof method !== 'function') throw new Error(`Node type does not have method defined: ${request.methodName}`);

	const credentials: INodeCredentials = Object.fromEntries(
		Object.keys(request.credentials).map((type) => [type, { id: '1', name: type }]),
	);
	const node: INode = {
		parameters: request.currentNodeParameters,
		id: 'uuid-1234',
		name: 'Temp-Node',
		type: name,
		typeVersion: version,
		position: [0, 0],
		credentials,
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(structuredClone(request.credentials)),
		currentNodeParameters: request.currentNodeParameters,
		executionId: undefined,
		currentNodeExecutionIndex: 0,
		variables: {},
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
	} as unknown as IWorkflowExecuteAdditionalData;
	const context = new LoadOptionsContext(workflow, workflow.nodes['Temp-Node'], additionalData, request.path ?? 'parameters.assetId');
	return await method.call(context, request.filter, request.paginationToken);
}
