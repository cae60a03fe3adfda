/**
 * Runs workflows through n8n's real engine: `Workflow` from n8n-workflow and `WorkflowExecute` from
 * n8n-core, with the package's real node and credential types. n8n's own NodeTestHarness is not
 * published, so this is the small equivalent for a community package.
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IConnections,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
	IRunData,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { createRunExecutionData, LoggerProxy, NodeConnectionTypes, Workflow } from 'n8n-workflow';

import { MediaAssets } from '../../nodes/MediaAssets/MediaAssets.node';
import type { CredentialStore } from './credentialsHelper';
import { TestCredentialsHelper } from './credentialsHelper';

export type OnError = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
export type { CredentialStore };

export const MEDIA_ASSETS_TYPE = 'n8n-nodes-media-assets.mediaAssets';
export const SOURCE_TYPE = 'test.itemsSource';
const MEDIA_ASSETS_NODE = 'Media Assets';
const SOURCE_NODE = 'Items source';

/** Everything n8n logged through its logger proxy, as text, so tests can look for leaked secrets. */
const logs: string[] = [];
const record =
	(level: string) =>
	(message: string, meta?: object): void => {
		let metaText = '';
		try {
			metaText = meta ? JSON.stringify(meta) : '';
		} catch {
			metaText = String(meta);
		}
		logs.push(`${level}: ${message} ${metaText}`);
	};
LoggerProxy.init({
	error: record('error'),
	warn: record('warn'),
	info: record('info'),
	debug: record('debug'),
	scoped: () => LoggerProxy,
} as never);

/** Stands in for a trigger: emits the given items on its main output. */
function itemsSource(items: IDataObject[]): INodeType {
	return {
		description: {
			displayName: 'Items Source',
			name: 'itemsSource',
			group: ['trigger'],
			version: 1,
			description: 'Emits fixed items',
			defaults: { name: SOURCE_NODE },
			inputs: [],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			return [items.map((json) => ({ json: structuredClone(json) }))];
		},
	};
}

function nodeTypesOf(types: Record<string, INodeType>): INodeTypes {
	const get = (name: string) => {
		const type = types[name];
		if (!type) throw new Error(`Unknown node type ${name}`);
		return type;
	};
	return {
		getByName: get,
		getByNameAndVersion: (name: string) => get(name),
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
}

export interface RunWorkflowOptions {
	credentials?: Partial<Record<string, ICredentialDataDecryptedObject>>;
	/** More node types, by the type name used in the workflow. */
	nodeTypes?: Record<string, INodeType>;
	/** Cancels the execution (its abort signal fires) after this delay. */
	cancelAfterMs?: number;
}

export interface WorkflowRunResult {
	run: IRun;
	runData: IRunData;
	error?: Error;
	preAuthCalls: number;
	credentials: CredentialStore;
	logs: string[];
}

/** Runs a workflow (nodes and connections, as exported by n8n) from its node without inputs. */
export async function runWorkflow(
	workflowData: { nodes: INode[]; connections: IConnections },
	options: RunWorkflowOptions = {},
): Promise<WorkflowRunResult> {
	const logStart = logs.length;
	const types: Record<string, INodeType> = { [MEDIA_ASSETS_TYPE]: new MediaAssets(), ...options.nodeTypes };
	const workflow = new Workflow({
		id: 'test-workflow',
		name: 'test',
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		active: false,
		nodeTypes: nodeTypesOf(types),
		settings: { executionOrder: 'v1' },
	});

	const store: CredentialStore = {};
	for (const [type, data] of Object.entries(options.credentials ?? {})) if (data) store[type] = { ...data };
	const credentialsHelper = new TestCredentialsHelper(store);

	const executionId = `test-${Math.random().toString(36).slice(2)}`;
	const hooks = new ExecutionLifecycleHooks('manual', executionId, {
		id: workflow.id,
		name: 'test',
		active: false,
		isArchived: false,
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		settings: { executionOrder: 'v1' },
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);

	const additionalData = {
		credentialsHelper,
		hooks,
		executionId,
		currentNodeExecutionIndex: 0,
		variables: {},
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formBaseUrl: 'http://127.0.0.1:5678/form',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not available in tests');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => undefined,
		startRunnerTask: async () => {
			throw new Error('Task runners are not available in tests');
		},
	} as unknown as IWorkflowExecuteAdditionalData;

	const startNode = workflowData.nodes.find((node) => {
		const type = types[node.type];
		return type && (type.description.inputs as unknown[]).length === 0;
	});
	if (!startNode) throw new Error('The workflow has no node without inputs to start from');

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: startNode, data: { main: [[{ json: {} }]] }, source: null }],
		},
	});

	const execution = new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
	const timer = options.cancelAfterMs === undefined ? undefined : setTimeout(() => execution.cancel(), options.cancelAfterMs);
	let run: IRun;
	try {
		run = await execution;
	} finally {
		if (timer) clearTimeout(timer);
	}

	const runData = run.data.resultData.runData;
	const nodeError = Object.values(runData)
		.flat()
		.find((task) => task?.error)?.error;
	return {
		run,
		runData,
		error: (run.data.resultData.error ?? nodeError) as Error | undefined,
		preAuthCalls: credentialsHelper.preAuthCalls,
		credentials: store,
		logs: logs.slice(logStart),
	};
}

export interface RunMediaAssetsOptions extends RunWorkflowOptions {
	items: IDataObject[];
	parameters: INodeParameters;
	onError?: OnError;
	nodeSettings?: Partial<INode>;
}

export interface RunResult {
	/** The Media Assets node's outputs: [main] or, with the Error output, [main, error]. */
	outputs: INodeExecutionData[][];
	error?: Error;
	preAuthCalls: number;
	credentials: CredentialStore;
	logs: string[];
	runData: IRunData;
}

/** Runs "Items source → Media Assets" and returns what Media Assets put on each output. */
export async function runMediaAssets(options: RunMediaAssetsOptions): Promise<RunResult> {
	const credentialRefs = Object.fromEntries(
		Object.keys(options.credentials ?? {}).map((type) => [type, { id: '1', name: type }]),
	);
	const nodes: INode[] = [
		{ id: 'source', name: SOURCE_NODE, type: SOURCE_TYPE, typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'media-assets',
			name: MEDIA_ASSETS_NODE,
			type: MEDIA_ASSETS_TYPE,
			typeVersion: 1,
			position: [200, 0],
			parameters: options.parameters,
			credentials: credentialRefs,
			onError: options.onError ?? 'stopWorkflow',
			...options.nodeSettings,
		},
	];
	const connections: IConnections = {
		[SOURCE_NODE]: { main: [[{ node: MEDIA_ASSETS_NODE, type: NodeConnectionTypes.Main, index: 0 }]] },
	};
	const result = await runWorkflow(
		{ nodes, connections },
		{ ...options, nodeTypes: { [SOURCE_TYPE]: itemsSource(options.items), ...options.nodeTypes } },
	);
	const task = result.runData[MEDIA_ASSETS_NODE]?.[0];
	const outputs = (task?.data?.main ?? []).map((items) => items ?? []);
	return {
		outputs,
		error: result.error,
		preAuthCalls: result.preAuthCalls,
		credentials: result.credentials,
		logs: result.logs,
		runData: result.runData,
	};
}

/** Every piece of text a user could see after a run: output items, error texts, logs. */
export function visibleText(result: { outputs?: unknown; runData?: unknown; error?: Error; logs: string[] }): string {
	return JSON.stringify({
		outputs: result.outputs,
		runData: result.runData,
		error: result.error && {
			message: result.error.message,
			description: (result.error as { description?: string }).description,
			stack: result.error.stack,
		},
		logs: result.logs,
	});
}
