/**
 * Runs workflows through n8n's real engine: `Workflow` from n8n-workflow and `WorkflowExecute` from
 * n8n-core, with the package's real node and credential types, set up the way n8n starts a manual
 * run. n8n's own NodeTestHarness is not published, so this is the small equivalent for a community
 * package.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { ExecutionLifecycleHooks, ExternalSecretsProxy, WorkflowExecute } from 'n8n-core';
import type {
	ExecutionStatus,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IConnections,
	IDataObject,
	INode,
	INodeCredentials,
	INodeExecutionData,
	INodeParameters,
	IRun,
	IRunData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	LogMetadata,
	Logger as WorkflowLogger,
} from 'n8n-workflow';
import { createRunExecutionData, LoggerProxy, NodeConnectionTypes, Workflow } from 'n8n-workflow';

import type { CredentialStore } from './credentialsHelper';
import { TestCredentialsHelper } from './credentialsHelper';
import type { AnyNodeType, TestNodeTypes } from './nodeTypes';
import { releaseEngineTimers } from './engineTimers';
import { createNodeTypes, MEDIA_ASSETS_NODE_TYPE, SOURCE_NODE_TYPE } from './nodeTypes';
import { itemsSourceParameters } from './sourceNode';

export type OnError = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
export type PackageCredentialType = 'kyyVideo2Api' | 'huaweiCloudAkSkApi' | 'huaweiCloudIamApi';
export type { CredentialStore };
export { MEDIA_ASSETS_NODE_TYPE, SOURCE_NODE_TYPE };

export const MEDIA_ASSETS_NODE_NAME = 'Media Assets';
export const SOURCE_NODE_NAME = 'Items Source';

// ---------------------------------------------------------------------------------------------
// Logs. n8n logs through two doors: LoggerProxy (n8n-workflow; WorkflowExecute's own messages) and
// the DI `Logger` of @n8n/backend-common (ErrorReporter, which logs every node error, and
// `this.logger` inside nodes). n8n points both at one logger at startup; here both feed one array,
// so tests can assert that no secret reaches n8n's logs. Set HARNESS_PRINT_LOGS=1 to also print them.
// ---------------------------------------------------------------------------------------------
const capturedLogs: string[] = [];

/** Error objects serialise to "{}" by default, which would hide exactly the text a leak test needs. */
function logText(value: unknown): string {
	const seen = new WeakSet<object>();
	try {
		return JSON.stringify(value, (_key, inner: unknown) => {
			if (inner instanceof Error) {
				return { ...inner, name: inner.name, message: inner.message, stack: inner.stack };
			}
			if (typeof inner === 'object' && inner !== null) {
				if (seen.has(inner)) return '[Circular]';
				seen.add(inner);
			}
			return typeof inner === 'bigint' ? inner.toString() : inner;
		});
	} catch {
		return String(value);
	}
}

class RecordingLogger implements WorkflowLogger {
	private record(level: string, message: string, metadata?: LogMetadata): void {
		const line = `${level}: ${message}${metadata === undefined ? '' : ` ${logText(metadata)}`}`;
		capturedLogs.push(line);
		if (process.env.HARNESS_PRINT_LOGS) process.stderr.write(`${line}\n`);
	}

	error(message: string, metadata?: LogMetadata): void {
		this.record('error', message, metadata);
	}

	warn(message: string, metadata?: LogMetadata): void {
		this.record('warn', message, metadata);
	}

	info(message: string, metadata?: LogMetadata): void {
		this.record('info', message, metadata);
	}

	debug(message: string, metadata?: LogMetadata): void {
		this.record('debug', message, metadata);
	}

	scoped(): this {
		return this;
	}
}

const recordingLogger = new RecordingLogger();
LoggerProxy.init(recordingLogger);
// Must happen before anything resolves Logger from the container: services keep the instance they got.
Container.set(Logger, recordingLogger as unknown as Logger);

/** Everything n8n logged since the harness was loaded (each run's result has its own slice). */
export function allCapturedLogs(): readonly string[] {
	return capturedLogs;
}

/**
 * n8n-core's InstanceSettings creates an encryption key file under N8N_USER_FOLDER (default ~/.n8n)
 * on first use. jestSetup.ts points it at a temp folder; this covers callers that do not (scripts).
 */
function ensureUserFolder(): void {
	process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-media-assets-harness-'));
}

// ---------------------------------------------------------------------------------------------
// Generic runner
// ---------------------------------------------------------------------------------------------

export interface RunWorkflowOptions {
	/** Decrypted credential data by credential type name; nodes reference them by type. */
	credentials?: Partial<Record<PackageCredentialType | (string & {}), ICredentialDataDecryptedObject>>;
	/** More node types by the type name used in the workflow; they may replace the package's. */
	extraNodeTypes?: Record<string, AnyNodeType>;
	/** Fixture credential types, in addition to (or replacing) the package's. */
	extraCredentialTypes?: ICredentialType[];
	/**
	 * Cancels the execution, as the editor's Stop button does, as soon as this returns true: on an event
	 * (an emulator got its third request), never after a time, which a loaded machine cannot keep to.
	 * Checked every millisecond while the run lasts, so before any emulator latency of a few ms ends.
	 */
	cancelWhen?: () => boolean;
	/** Name of the node to start from; by default the node without inputs that feeds the others. */
	startNode?: string;
}

export interface WorkflowRunResult {
	run: IRun;
	runData: IRunData;
	/** The execution's error, else the first node error. */
	error?: Error;
	status: ExecutionStatus;
	/** Whether cancelWhen fired before the run ended. */
	canceled: boolean;
	preAuthCalls: number;
	/** The credential store after the run: refreshed tokens are visible here. */
	credentials: CredentialStore;
	/** What n8n logged during this run. */
	logs: string[];
	/** What nodes sent to the editor UI (`this.sendMessageToUI`). */
	uiMessages: unknown[];
	executionId: string;
	nodeTypes: TestNodeTypes;
}

export interface WorkflowJson {
	id?: string;
	name?: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
}

let executionCounter = 0;

/**
 * Where a manual run starts: the named node, else a node whose type has no inputs and which feeds
 * another node over `main` (a tool sub-node has no inputs either but connects over ai_tool), else
 * any node without inputs.
 */
function pickStartNode(workflowData: WorkflowJson, nodeTypes: TestNodeTypes, startNode?: string): INode {
	if (startNode !== undefined) {
		const node = workflowData.nodes.find((n) => n.name === startNode);
		if (!node) throw new Error(`No node named "${startNode}" in the workflow`);
		return node;
	}
	const withoutInputs = workflowData.nodes.filter((node) => {
		if (node.disabled) return false;
		const { inputs } = nodeTypes.getByNameAndVersion(node.type, node.typeVersion).description;
		return Array.isArray(inputs) && inputs.length === 0;
	});
	const feeding = withoutInputs.find((node) => (workflowData.connections[node.name]?.main ?? []).some((c) => c?.length));
	const node = feeding ?? withoutInputs[0];
	if (!node) throw new Error('The workflow has no node without inputs to start from');
	return node;
}

/** What n8n hands WorkflowExecute and every node context of one execution, minus the database. */
export function createAdditionalData(options: {
	hooks: ExecutionLifecycleHooks;
	credentialsHelper: TestCredentialsHelper;
	executionId: string;
	workflowId: string;
	settings: IWorkflowSettings;
	uiMessages: unknown[];
}): IWorkflowExecuteAdditionalData {
	const { hooks, credentialsHelper, executionId, workflowId, settings, uiMessages } = options;
	const baseUrl = 'http://localhost:5678';
	return {
		hooks,
		credentialsHelper,
		executionId,
		workflowId,
		workflowSettings: settings,
		currentNodeExecutionIndex: 0,
		variables: {},
		// No secrets provider is configured, so `$secrets.*` fails as on an instance without one.
		externalSecretsProxy: Container.get(ExternalSecretsProxy),
		restApiUrl: `${baseUrl}/rest`,
		instanceBaseUrl: `${baseUrl}/`,
		formBaseUrl: `${baseUrl}/form`,
		formWaitingBaseUrl: `${baseUrl}/form-waiting`,
		formTestBaseUrl: `${baseUrl}/form-test`,
		webhookBaseUrl: `${baseUrl}/webhook`,
		webhookWaitingBaseUrl: `${baseUrl}/webhook-waiting`,
		webhookTestBaseUrl: `${baseUrl}/webhook-test`,
		mcpBaseUrl: `${baseUrl}/mcp`,
		mcpTestBaseUrl: `${baseUrl}/mcp-test`,
		// A manual run in n8n pushes these to the editor; nodes log a warning when it is missing.
		sendDataToUI: (_type: string, data: IDataObject | IDataObject[]) => {
			uiMessages.push(data);
		},
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not available in the test harness');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => undefined,
		startRunnerTask: async () => {
			throw new Error('Task runners are not available in the test harness');
		},
	};
}

/** Runs a workflow (nodes and connections, as n8n exports them) from its node without inputs. */
export async function runWorkflow(workflowData: WorkflowJson, options: RunWorkflowOptions = {}): Promise<WorkflowRunResult> {
	ensureUserFolder();
	releaseEngineTimers();
	const logStart = capturedLogs.length;
	const nodeTypes = createNodeTypes(options.extraNodeTypes);
	const settings: IWorkflowSettings = { executionOrder: 'v1', ...workflowData.settings };
	const workflow = new Workflow({
		id: workflowData.id ?? 'test-workflow',
		name: workflowData.name ?? 'Test workflow',
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		active: false,
		nodeTypes,
		settings,
	});

	// Copies, so a test's credential objects are never mutated; the copy is returned after the run.
	const store: CredentialStore = {};
	for (const [type, data] of Object.entries(options.credentials ?? {})) {
		if (data) store[type] = structuredClone(data);
	}
	const credentialsHelper = new TestCredentialsHelper(store, options.extraCredentialTypes);

	const executionId = `${++executionCounter}`;
	const workflowBase: IWorkflowBase = {
		id: workflow.id,
		name: workflow.name ?? 'Test workflow',
		active: false,
		activeVersionId: null,
		isArchived: false,
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		settings,
		createdAt: new Date(),
		updatedAt: new Date(),
	};
	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowBase);

	const uiMessages: unknown[] = [];
	const additionalData = createAdditionalData({
		hooks,
		credentialsHelper,
		executionId,
		workflowId: workflow.id,
		settings,
		uiMessages,
	});

	const startNode = pickStartNode(workflowData, nodeTypes, options.startNode);
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: startNode, data: { main: [[{ json: {} }]] }, source: null }],
		},
	});

	// processRunExecutionData returns a PCancelable. n8n's Stop calls its cancel(): WorkflowExecute
	// then aborts the AbortController behind every node's getExecutionCancelSignal() (and the
	// abortSignal n8n-core attaches to helper requests), fires workflowExecuteAfter with the run so far,
	// and stops scheduling nodes. The promise itself (shouldReject = false) resolves only once the
	// running node returns, with status "canceled"; awaiting it shows what the node did after the abort.
	const execution = new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
	let canceled = false;
	const { cancelWhen } = options;
	const watch =
		cancelWhen === undefined
			? undefined
			: setInterval(() => {
					if (canceled || !cancelWhen()) return;
					canceled = true;
					execution.cancel();
				}, 1);
	let run: IRun;
	try {
		run = await execution;
	} finally {
		clearInterval(watch);
	}

	const runData = run.data.resultData.runData;
	const nodeError = Object.values(runData)
		.flat()
		.find((task) => task?.error)?.error;
	return {
		run,
		runData,
		error: (run.data.resultData.error ?? nodeError) as Error | undefined,
		status: run.status,
		canceled,
		preAuthCalls: credentialsHelper.preAuthCalls,
		credentials: store,
		logs: capturedLogs.slice(logStart),
		uiMessages,
		executionId,
		nodeTypes,
	};
}

// ---------------------------------------------------------------------------------------------
// "Items Source → Media Assets"
// ---------------------------------------------------------------------------------------------

export interface RunMediaAssetsOptions extends RunWorkflowOptions {
	/** json of the input items, fed by the source node. */
	items: IDataObject[];
	/** Media Assets node parameters. */
	parameters: INodeParameters;
	/** The node's On Error setting; default 'stopWorkflow'. */
	onError?: OnError;
	credentials: Partial<Record<PackageCredentialType | (string & {}), ICredentialDataDecryptedObject>>;
	/** More node settings, e.g. { retryOnFail: true, maxTries: 3 }. */
	nodeSettings?: Partial<INode>;
}

export interface RunResult {
	/** The Media Assets node's outputs: [main] or, with the Error output, [main, error]. */
	outputs: INodeExecutionData[][];
	/** The node's error, else the execution's, when the run failed. */
	error?: Error;
	preAuthCalls: number;
	credentials: CredentialStore;
	logs: string[];
	runData: IRunData;
	run: IRun;
	status: ExecutionStatus;
	canceled: boolean;
}

/**
 * Runs "Items Source → Media Assets" as a manual execution and returns what Media Assets put on
 * each output. The node is the package's unless extraNodeTypes replaces MEDIA_ASSETS_NODE_TYPE.
 */
export async function runMediaAssets(options: RunMediaAssetsOptions): Promise<RunResult> {
	const { items, parameters, onError = 'stopWorkflow', nodeSettings, ...runOptions } = options;
	const credentialRefs: INodeCredentials = Object.fromEntries(
		Object.entries(options.credentials ?? {})
			.filter(([, data]) => data !== undefined)
			.map(([type]) => [type, { id: '1', name: type }]),
	);
	const nodes: INode[] = [
		{
			id: 'items-source',
			name: SOURCE_NODE_NAME,
			type: SOURCE_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: itemsSourceParameters(items),
		},
		{
			id: 'media-assets',
			name: MEDIA_ASSETS_NODE_NAME,
			type: MEDIA_ASSETS_NODE_TYPE,
			typeVersion: 1,
			position: [220, 0],
			parameters,
			credentials: credentialRefs,
			onError,
			...nodeSettings,
		},
	];
	const connections: IConnections = {
		[SOURCE_NODE_NAME]: { main: [[{ node: MEDIA_ASSETS_NODE_NAME, type: NodeConnectionTypes.Main, index: 0 }]] },
	};

	const result = await runWorkflow({ nodes, connections }, { ...runOptions, startNode: SOURCE_NODE_NAME });
	const task = result.runData[MEDIA_ASSETS_NODE_NAME]?.[0];
	return {
		outputs: (task?.data?.main ?? []).map((output) => output ?? []),
		error: (task?.error ?? result.run.data.resultData.error) as Error | undefined,
		preAuthCalls: result.preAuthCalls,
		credentials: result.credentials,
		logs: result.logs,
		runData: result.runData,
		run: result.run,
		status: result.status,
		canceled: result.canceled,
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
