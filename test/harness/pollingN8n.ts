/**
 * n8n's polling path for one active workflow, as n8n's CLI runs it (packages/cli
 * active-workflow-manager.ts), on either engine line: the workflow is activated through n8n-core's own
 * trigger registry (`ActiveWorkflowTriggers.addAllTriggers` on 2.x, `ActiveWorkflows.add` on 1.x), which
 * reads Poll Times, runs the first poll at activation and registers one cron per poll time; each poll
 * gets n8n-core's real `PollContext`, built as the CLI's `getExecutePollFunctions` builds it: `__emit`
 * saves the workflow's static data and runs the workflow from the trigger node with the emitted items
 * (WorkflowExecute, mode 'trigger'), `__emitError` records a failed poll.
 *
 * What stands in for the rest of n8n: the database is `stored` (the workflow's static data as JSON,
 * saved when n8n saves it: after activation and on each emit), and the cron clock is `tick()` (n8n-core's
 * ScheduledTaskManager is replaced in the DI container by one that keeps the callbacks instead of
 * starting cron jobs). `restart()` drops everything in memory and activates again from `stored`, as
 * `n8n start` does ('init').
 */
import { Container } from '@n8n/di';
import * as core from 'n8n-core';
import { ExecutionLifecycleHooks, PollContext, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	IPollFunctions,
	IRun,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowActivateMode,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';

import { MediaAssetsTrigger } from '../../nodes/MediaAssetsTrigger/MediaAssetsTrigger.node';
import { TestCredentialsHelper } from './credentialsHelper';
import { releaseEngineTimers } from './engineTimers';
import type { AnyNodeType } from './nodeTypes';
import { createNodeTypes } from './nodeTypes';
import { createAdditionalData } from './runWorkflow';

export const TRIGGER_NODE_TYPE = 'n8n-nodes-media-assets.mediaAssetsTrigger';

/* eslint-disable @typescript-eslint/no-require-imports -- deep paths of n8n-core, the same on both lines */
const { ScheduledTaskManager } = require('n8n-core/dist/execution-engine/scheduled-task-manager') as { ScheduledTaskManager: new (...args: never[]) => unknown };
const { commonPollingParameters } = require('n8n-core/dist/nodes-loader/constants') as { commonPollingParameters: INodeType['description']['properties'] };
/* eslint-enable @typescript-eslint/no-require-imports */

type Tick = () => unknown;

/** Keeps each registered poll time's callback instead of starting a cron job (both lines' APIs). */
class ManualCron {
	readonly registered: Array<{ workflowId: string; expression: string; onTick: Tick }> = [];

	// n8n 2.x
	register(ctx: { group: { id: string }; expression: string }, onTick: Tick): boolean {
		this.registered.push({ workflowId: ctx.group.id, expression: ctx.expression, onTick });
		return true;
	}

	deregisterGroup(group: { id: string }): boolean {
		const before = this.registered.length;
		this.drop(group.id);
		return this.registered.length !== before;
	}

	deregisterTarget(group: { id: string }): void {
		this.drop(group.id);
	}

	getTargetIds(): string[] {
		return [];
	}

	hasTarget(): boolean {
		return false;
	}

	hasGroup(group: { id: string }): boolean {
		return this.registered.some((cron) => cron.workflowId === group.id);
	}

	getGroupIds(): string[] {
		return [...new Set(this.registered.map((cron) => cron.workflowId))];
	}

	deregisterGroups(): void {
		this.registered.length = 0;
	}

	// n8n 1.x
	registerCron(ctx: { workflowId: string; expression: string }, onTick: Tick): void {
		this.registered.push({ workflowId: ctx.workflowId, expression: ctx.expression, onTick });
	}

	deregisterCrons(workflowId: string): void {
		this.drop(workflowId);
	}

	deregisterAllCrons(): void {
		this.registered.length = 0;
	}

	private drop(workflowId: string): void {
		for (let i = this.registered.length - 1; i >= 0; i--) if (this.registered[i].workflowId === workflowId) this.registered.splice(i, 1);
	}
}

const cron = new ManualCron();
Container.set(ScheduledTaskManager as never, cron as never);

interface TriggerRegistry {
	remove(workflowId: string): Promise<unknown>;
}

/** n8n-core's registry of active triggers and pollers, whichever line is loaded. */
function triggerRegistry(): {
	registry: TriggerRegistry;
	add: (...args: unknown[]) => Promise<void>;
} {
	const modern = (core as Record<string, unknown>).ActiveWorkflowTriggers as (new (...args: never[]) => unknown) | undefined;
	const legacy = (core as Record<string, unknown>).ActiveWorkflows as (new (...args: never[]) => unknown) | undefined;
	const registry = Container.get((modern ?? legacy)! as never) as TriggerRegistry & Record<string, (...args: unknown[]) => Promise<void>>;
	const add = modern ? registry.addAllTriggers : registry.add;
	return { registry, add: async (...args) => await add.call(registry, ...args) };
}

/** The trigger's node type as n8n's loader prepares it (Poll Times added), with its polls observable. */
function observedTrigger(onPoll: (settled: Promise<unknown>) => void): INodeType {
	const real = new MediaAssetsTrigger();
	const description = { ...real.description, properties: [...commonPollingParameters, ...real.description.properties] };
	return {
		description,
		async poll(this: IPollFunctions) {
			const result = real.poll.call(this);
			onPoll(result.catch(() => undefined));
			return await result;
		},
	};
}

export interface Execution {
	/** The items the poll emitted, as the trigger node's output. */
	items: INodeExecutionData[];
	run: IRun;
}

export interface PollingN8nOptions {
	/** The trigger's parameters (Poll Times are added when missing: every minute). */
	parameters: IDataObject;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** More nodes after the trigger, and their connections; the trigger is named TRIGGER_NAME. */
	nodes?: INode[];
	connections?: IConnections;
	/** A whole workflow (an example file) instead: its trigger node's parameters are used as they are. */
	workflow?: { nodes: INode[]; connections: IConnections };
	extraNodeTypes?: Record<string, AnyNodeType>;
}

export const TRIGGER_NAME = 'Media Assets Trigger';

let executionCounter = 0;

export class PollingN8n {
	/** What the database holds for the workflow: its static data as n8n last saved it. */
	stored: { staticData: IDataObject } = { staticData: {} };

	/** Every execution the trigger started, in order. */
	readonly executions: Execution[] = [];

	/** Every failed poll n8n recorded (the CLI makes each an error execution). */
	readonly failedPolls: Error[] = [];

	private workflow?: Workflow;

	private readonly polls: Array<Promise<unknown>> = [];

	private readonly running: Array<Promise<unknown>> = [];

	private readonly workflowId = `trigger-workflow-${++executionCounter}`;

	private readonly nodes: INode[];

	private readonly connections: IConnections;

	readonly triggerName: string;

	private readonly credentialsHelper: TestCredentialsHelper;

	constructor(private readonly options: PollingN8nOptions) {
		const credentialRefs = Object.fromEntries(Object.keys(options.credentials).map((type) => [type, { id: '1', name: type }]));
		const trigger: INode = {
			id: 'media-assets-trigger',
			name: TRIGGER_NAME,
			type: TRIGGER_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, ...options.parameters } as INode['parameters'],
			credentials: credentialRefs,
		};
		this.nodes = options.workflow
			? options.workflow.nodes.map((node) => ({ ...node, credentials: node.credentials && Object.fromEntries(Object.keys(node.credentials).map((type) => [type, { id: '1', name: type }])) }))
			: [trigger, ...(options.nodes ?? [])];
		this.connections = options.workflow?.connections ?? options.connections ?? {};
		this.triggerName = this.nodes.find((node) => node.type === TRIGGER_NODE_TYPE)!.name;
		this.credentialsHelper = new TestCredentialsHelper(structuredClone(options.credentials));
	}

	/** The cron expressions n8n registered for the workflow's Poll Times. */
	get cronExpressions(): string[] {
		return cron.registered.filter((entry) => entry.workflowId === this.workflowId).map((entry) => entry.expression);
	}

	/** The trigger's position as the database holds it. */
	get storedPosition(): unknown {
		return (this.stored.staticData[`node:${this.triggerName}`] as IDataObject | undefined)?.position;
	}

	/** Activates the workflow ('activate': switched on in the editor; 'init': n8n starting up). */
	async activate(activation: WorkflowActivateMode = 'activate'): Promise<void> {
		releaseEngineTimers();
		const nodeTypes = createNodeTypes({
			...this.options.extraNodeTypes,
			[TRIGGER_NODE_TYPE]: observedTrigger((settled) => this.polls.push(settled)),
		});
		const workflow = new Workflow({
			id: this.workflowId,
			name: 'Trigger test workflow',
			nodes: this.nodes,
			connections: this.connections,
			active: true,
			nodeTypes,
			staticData: structuredClone(this.stored.staticData),
			settings: { executionOrder: 'v1' },
		});
		this.workflow = workflow;
		const additionalData = this.additionalData('activation');
		const { add } = triggerRegistry();
		await add(this.workflowId, workflow, additionalData, 'trigger', activation, undefined, this.getPollFunctions(additionalData, activation));
		this.saveStaticData(workflow);
		await this.settle();
	}

	/** One poll time comes round: runs the poll and whatever it started. */
	async tick(): Promise<void> {
		const entry = cron.registered.find((candidate) => candidate.workflowId === this.workflowId);
		if (!entry) throw new Error('The workflow has no registered poll time (not active?)');
		const pollsBefore = this.polls.length;
		entry.onTick();
		await new Promise((resolve) => setImmediate(resolve));
		if (this.polls.length === pollsBefore) throw new Error('The poll time did not start a poll');
		await this.settle();
	}

	/** Deactivates the workflow (its in-memory static data is lost unless n8n saved it). */
	async stop(): Promise<void> {
		await triggerRegistry().registry.remove(this.workflowId);
		this.workflow = undefined;
	}

	/** n8n stops and starts again: the workflow is activated from the database ('init'). */
	async restart(): Promise<void> {
		await this.stop();
		await this.activate('init');
	}

	/**
	 * "Fetch Test Event" in the editor: a manual execution of the trigger node on the active workflow
	 * (WorkflowExecute runs poll() with a PollContext in mode 'manual'). Returns the node's items.
	 */
	async fetchTestEvent(): Promise<{ items: IDataObject[]; error?: Error }> {
		const workflow = this.workflow;
		if (!workflow) throw new Error('Activate the workflow first');
		const node = workflow.getNode(this.triggerName)!;
		const executionId = `${this.workflowId}-manual-${++executionCounter}`;
		const hooks = new ExecutionLifecycleHooks('manual', executionId, this.workflowBase());
		const runExecutionData = createRunExecutionData({
			executionData: { nodeExecutionStack: [{ node, data: { main: [[{ json: {} }]] }, source: null }] },
		});
		const run = await new WorkflowExecute(this.additionalData(executionId, hooks), 'manual', runExecutionData).processRunExecutionData(workflow);
		const task = run.data.resultData.runData[this.triggerName]?.[0];
		return {
			items: (task?.data?.main?.[0] ?? []).map((item) => item.json),
			error: (task?.error ?? run.data.resultData.error) as Error | undefined,
		};
	}

	/** The trigger's position in the active workflow's memory. */
	get livePosition(): unknown {
		return this.workflow ? (this.workflow.getStaticData('node', this.workflow.getNode(this.triggerName)!) as IDataObject).position : undefined;
	}

	/** Every item emitted so far, over all executions. */
	emittedItems(): IDataObject[] {
		return this.executions.flatMap((execution) => execution.items.map((item) => item.json));
	}

	private async settle(): Promise<void> {
		for (;;) {
			const pending = [...this.polls.splice(0), ...this.running.splice(0)];
			if (pending.length === 0) return;
			await Promise.all(pending);
			// The executor emits (or records the error) right after the poll settles.
			await new Promise((resolve) => setImmediate(resolve));
		}
	}

	private additionalData(executionId: string, hooks?: ExecutionLifecycleHooks): IWorkflowExecuteAdditionalData {
		return createAdditionalData({
			hooks: hooks ?? new ExecutionLifecycleHooks('trigger', executionId, this.workflowBase()),
			credentialsHelper: this.credentialsHelper,
			executionId,
			workflowId: this.workflowId,
			settings: { executionOrder: 'v1' },
			uiMessages: [],
		});
	}

	private workflowBase(): IWorkflowBase {
		return {
			id: this.workflowId,
			name: 'Trigger test workflow',
			active: true,
			activeVersionId: null,
			isArchived: false,
			nodes: this.nodes,
			connections: this.connections,
			settings: { executionOrder: 'v1' },
			createdAt: new Date(),
			updatedAt: new Date(),
		} as IWorkflowBase;
	}

	/** n8n's WorkflowStaticDataService.saveStaticData: only when something changed. */
	private saveStaticData(workflow: Workflow): void {
		const staticData = workflow.staticData as IDataObject & { __dataChanged?: boolean };
		if (staticData.__dataChanged !== true) return;
		this.stored = { staticData: JSON.parse(JSON.stringify(staticData)) as IDataObject };
		staticData.__dataChanged = false;
	}

	/** As the CLI's getExecutePollFunctions: a PollContext whose emit saves static data and runs the workflow. */
	private getPollFunctions(additionalData: IWorkflowExecuteAdditionalData, activation: WorkflowActivateMode) {
		return (workflow: Workflow, node: INode) => {
			const emit = (data: INodeExecutionData[][]) => {
				this.saveStaticData(workflow);
				this.running.push(this.runFrom(workflow, node, data));
			};
			const emitError = (error: Error) => {
				this.failedPolls.push(error);
			};
			return new PollContext(workflow, node, additionalData, 'trigger', activation, emit as never, emitError as never);
		};
	}

	private async runFrom(workflow: Workflow, node: INode, data: INodeExecutionData[][]): Promise<void> {
		const executionId = `${this.workflowId}-${this.executions.length + 1}`;
		const additionalData = this.additionalData(executionId);
		const runExecutionData = createRunExecutionData({
			executionData: { nodeExecutionStack: [{ node, data: { main: data }, source: null }] },
		});
		const run = await new WorkflowExecute(additionalData, 'trigger', runExecutionData).processRunExecutionData(workflow);
		this.executions.push({ items: run.data.resultData.runData[node.name]?.[0]?.data?.main?.[0] ?? [], run });
	}
}
