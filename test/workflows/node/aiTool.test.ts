import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { MediaAssets } from '../../../nodes/MediaAssets/MediaAssets.node';
import { KyyVideo2Emulator } from '../../emulators/kyyVideo2';
import { runWorkflow } from '../../harness/runWorkflow';

const API_KEY = 'sk-kyy-tool-test-key-42';

/**
 * The tool variant n8n's loader derives from a node with `usableAsTool` (packages/cli
 * load-nodes-and-credentials: convertNodeToAiTool): same execute, name + "Tool", no inputs, one
 * ai_tool output, and a tool description parameter.
 */
function asTool(node: INodeType): INodeType {
	const { description } = node;
	return {
		...node,
		execute: node.execute,
		description: {
			...description,
			name: `${description.name}Tool`,
			displayName: `${description.displayName} Tool`,
			inputs: [],
			outputs: [NodeConnectionTypes.AiTool],
			properties: [
				{ displayName: 'Description', name: 'toolDescription', type: 'string', default: description.description },
				...description.properties,
			],
		},
	};
}

/** Stands in for the AI Agent: asks n8n for its connected tools and calls them with the model's arguments. */
function agentCalling(args: IDataObject[]): INodeType {
	return {
		description: {
			displayName: 'Test Agent',
			name: 'testAgent',
			group: ['transform'],
			version: 1,
			description: 'Calls its tools',
			defaults: { name: 'Agent' },
			inputs: [NodeConnectionTypes.Main, NodeConnectionTypes.AiTool],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const tools = (await this.getInputConnectionData(NodeConnectionTypes.AiTool, 0)) as Array<{
				name: string;
				description: string;
				schema: unknown;
				invoke(input: IDataObject): Promise<unknown>;
			}>;
			const tool = tools[0];
			const results: INodeExecutionData[] = [];
			for (const input of args) {
				// Like n8n's AI Agent, a tool error goes back to the model as text it can act on.
				const answer = await tool.invoke(input).catch((error: Error) => `Error: ${error.message}`);
				results.push({ json: { tool: tool.name, description: tool.description, answer: answer as string }, pairedItem: { item: 0 } });
			}
			return [results];
		},
	};
}

describe('Media Assets as an AI agent tool', () => {
	let api: KyyVideo2Emulator;

	beforeEach(async () => {
		api = await KyyVideo2Emulator.start({ apiKey: API_KEY, assets: ['asset-20260330142158-q75m8'] });
	});

	afterEach(async () => {
		await api.stop();
	});

	async function runAgent(args: IDataObject[]) {
		const result = await runWorkflow(
			{
				nodes: [
					{ id: '1', name: 'Start', type: 'test.start', typeVersion: 1, position: [0, 0], parameters: {} },
					{ id: '2', name: 'Agent', type: 'test.agent', typeVersion: 1, position: [200, 0], parameters: {} },
					{
						id: '3',
						name: 'Delete Seedance asset',
						type: 'n8n-nodes-media-assets.mediaAssetsTool',
						typeVersion: 1,
						position: [200, 200],
						parameters: {
							resource: 'asset',
							operation: 'delete',
							assetId: "={{ $fromAI('assetId', 'ID of the Seedance asset to delete, like asset-20260330142158-q75m8', 'string') }}",
							options: {},
						},
						credentials: { kyyVideo2Api: { id: '1', name: 'kyy' } },
					},
				],
				connections: {
					Start: { main: [[{ node: 'Agent', type: NodeConnectionTypes.Main, index: 0 }]] },
					'Delete Seedance asset': {
						[NodeConnectionTypes.AiTool]: [[{ node: 'Agent', type: NodeConnectionTypes.AiTool, index: 0 }]],
					},
				},
			},
			{
				credentials: { kyyVideo2Api: { apiKey: API_KEY, baseUrl: api.baseUrl } },
				extraNodeTypes: {
					'n8n-nodes-media-assets.mediaAssetsTool': asTool(new MediaAssets()),
					'test.agent': agentCalling(args),
					'test.start': {
						description: {
							displayName: 'Start',
							name: 'start',
							group: ['trigger'],
							version: 1,
							description: '',
							defaults: { name: 'Start' },
							inputs: [],
							outputs: [NodeConnectionTypes.Main],
							properties: [],
						},
						async execute() {
							return [[{ json: {} }]];
						},
					},
				},
			},
		);
		return result;
	}

	it('should delete the asset the model names and answer with the result item', async () => {
		const result = await runAgent([{ assetId: 'asset-20260330142158-q75m8' }]);

		expect(result.error).toBeUndefined();
		const [answer] = result.runData.Agent[0].data!.main[0]!;
		expect(answer.json.tool).toBe('Delete_Seedance_asset');
		const parsed = JSON.parse(answer.json.answer as string) as IDataObject[];
		expect(parsed).toEqual([expect.objectContaining({ assetId: 'asset-20260330142158-q75m8', deleted: true })]);
		expect(api.hasAsset('asset-20260330142158-q75m8')).toBe(false);
	});

	it('should answer the model with an error it can act on, and send nothing, for a bad ID', async () => {
		const result = await runAgent([{ assetId: 'asset-1/../asset-2' }]);

		const [answer] = result.runData.Agent[0].data!.main[0]!;
		expect(String(answer.json.answer)).toMatch(/^Error: The asset ID "asset-1\/\.\.\/asset-2" contains a character that is not allowed/);
		expect(String(answer.json.answer)).toMatch(/Pass the bare ID/);
		expect(api.requests.filter((r) => r.method === 'DELETE')).toHaveLength(0);
		expect(JSON.stringify(result.runData)).not.toContain(API_KEY);
	});
});
