/**
 * The example "MetaStudio asset failed review → Slack message → move to the recycle bin", active on
 * n8n's polling path against the MetaStudio emulator. Slack is the one outside service: its node is
 * replaced by one with the real Slack node's description that records each message instead of sending it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IConnections, IExecuteFunctions, INode, INodeExecutionData, INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { MetaStudioEmulator } from '../emulators/metaStudio';
import { PollingN8n } from '../harness/pollingN8n';

const FILE = 'metastudio-failed-review-slack-and-recycle.json';
const HOUR = 3600_000;

function example(): { nodes: INode[]; connections: IConnections } {
	return JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', FILE), 'utf8')) as { nodes: INode[]; connections: IConnections };
}

/**
 * A Slack node with Slack's own message fields (so the example's parameters are read as n8n reads them)
 * that keeps each message instead of sending it. Only the field descriptions are loaded: the Slack node
 * itself pulls ES modules that Jest does not load.
 */
function recordingSlack(messages: Array<{ channel: unknown; text: unknown }>): INodeType {
	// eslint-disable-next-line @typescript-eslint/no-require-imports -- n8n's own field descriptions, by package path
	const slack = require('n8n-nodes-base/dist/nodes/Slack/V2/MessageDescription.js') as Record<string, INodeProperties[]>;
	const description: INodeTypeDescription = {
		displayName: 'Slack',
		name: 'slack',
		group: ['output'],
		version: [2, 2.1, 2.2],
		description: 'Records Slack messages',
		defaults: { name: 'Slack' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'slackApi', required: true }],
		properties: [
			{ displayName: 'Resource', name: 'resource', type: 'options', options: [{ name: 'Message', value: 'message' }], default: 'message' },
			...slack.messageOperations,
			...slack.messageFields,
		],
	};
	return {
		description,
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const items = this.getInputData();
			return [
				items.map((item, i) => {
					messages.push({
						channel: this.getNodeParameter('channelId', i, '', { extractValue: true }),
						text: this.getNodeParameter('text', i),
					});
					return { json: { ok: true, channel: 'C0MEDIA', message: { text: this.getNodeParameter('text', i) } }, pairedItem: { item: i } };
				}),
			];
		},
	};
}

describe(FILE, () => {
	let cloud: MetaStudioEmulator;
	let n8n: PollingN8n | undefined;
	let messages: Array<{ channel: unknown; text: unknown }>;

	afterEach(async () => {
		await n8n?.stop().catch(() => undefined);
		await cloud?.stop();
	});

	/** The example active since before `intro` failed review and `cover` passed it, polled twice. */
	async function runAfterReview(workflow = example()) {
		cloud = await MetaStudioEmulator.start({
			accessKeyId: 'AKEXAMPLE00000000016',
			secretAccessKey: 'example-trigger-secret-000000000000016',
			projectId: 'p0000000000000000000000000000061',
			assets: [
				{ asset_id: 'failed-before', asset_name: 'old intro', asset_state: 'FAILED', create_time: Date.now() - 2 * HOUR },
				{ asset_id: 'intro', asset_name: 'spring intro', asset_type: 'VIDEO', asset_state: 'CREATING', create_time: Date.now() - HOUR },
				{ asset_id: 'cover', asset_name: 'spring cover', asset_type: 'IMAGE', asset_state: 'CREATING', create_time: Date.now() - HOUR },
			],
		});
		cloud.freezeClock(Math.floor(Date.now() / 1000) * 1000 + 200);
		messages = [];
		n8n = new PollingN8n({
			parameters: {},
			workflow,
			credentials: { huaweiCloudAkSkApi: cloud.akSkCredential(), slackApi: { accessToken: 'xoxb-not-used' } },
			extraNodeTypes: { 'n8n-nodes-base.slack': recordingSlack(messages) },
		});
		await n8n.activate();
		expect(n8n.cronExpressions).toHaveLength(1);

		cloud.advanceClock(1000);
		cloud.setAssetState('intro', 'FAILED');
		cloud.setAssetState('cover', 'ACTIVED');
		await n8n.tick();
		await n8n.tick();

		expect(n8n.executions).toHaveLength(1);
		return n8n.executions[0];
	}

	it('should post one Slack message and move the asset to the recycle bin when an asset fails review after activation', async () => {
		const execution = await runAfterReview();

		expect(execution.run.status).toBe('success');
		expect(messages).toEqual([
			{
				channel: '#media-review',
				text: `MetaStudio asset "spring intro" (VIDEO, intro) failed review at ${cloud.asset('intro')!.update_time}. It is being moved to the recycle bin, where it can be restored for 7 days.`,
			},
		]);
		expect(execution.run.data.resultData.runData['Move to recycle bin'][0].data!.main[0]!.map((item) => item.json)).toMatchObject([
			{ assetId: 'intro', deleted: true, deleteMode: 'recycleBin' },
		]);
		expect(cloud.assetState('intro')).toBe('DELETING');
		expect(cloud.assetState('failed-before')).toBe('FAILED');
	});

	it('should name the asset in the second Slack message when moving it to the recycle bin fails', async () => {
		const workflow = example();
		const move = workflow.nodes.find((node) => node.name === 'Move to recycle bin')!;
		// A project the credential does not belong to: MetaStudio refuses the request.
		move.parameters = { ...move.parameters, options: { ...(move.parameters.options as object), projectId: 'ffffffffffffffffffffffffffffffff' } };

		const execution = await runAfterReview(workflow);

		expect(execution.run.status).toBe('success');
		expect(messages).toHaveLength(2);
		expect(messages[1]).toEqual({
			channel: '#media-review',
			text: expect.stringMatching(/^Could not move the MetaStudio asset intro that failed review to the recycle bin: Could not delete asset "intro": /),
		});
		expect(cloud.assetState('intro')).toBe('FAILED');
	});
});
