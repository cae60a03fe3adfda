/**
 * The MetaStudio asset-library examples, run whole through the engine: n8n's own nodes from
 * n8n-nodes-base (Manual Trigger, Split Out, Aggregate, Edit Fields, No Op) and this package's node,
 * against the MetaStudio emulator.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IConnections, IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { MetaStudioEmulator } from '../emulators/metaStudio';
import { generateAssets } from '../emulators/metaStudioAssets';
import type { AnyNodeType } from '../harness/nodeTypes';
import type { WorkflowRunResult } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';

/* eslint-disable @typescript-eslint/no-require-imports -- n8n's nodes are loaded by package path, as n8n does */
const n8nNodes: Record<string, AnyNodeType> = {
	'n8n-nodes-base.manualTrigger': new (require('n8n-nodes-base/dist/nodes/ManualTrigger/ManualTrigger.node.js').ManualTrigger)(),
	'n8n-nodes-base.splitOut': new (require('n8n-nodes-base/dist/nodes/Transform/SplitOut/SplitOut.node.js').SplitOut)(),
	'n8n-nodes-base.aggregate': new (require('n8n-nodes-base/dist/nodes/Transform/Aggregate/Aggregate.node.js').Aggregate)(),
	'n8n-nodes-base.set': new (require('n8n-nodes-base/dist/nodes/Set/Set.node.js').Set)(),
	'n8n-nodes-base.noOp': new (require('n8n-nodes-base/dist/nodes/NoOp/NoOp.node.js').NoOp)(),
};
/* eslint-enable @typescript-eslint/no-require-imports */

const PROJECT = 'p0000000000000000000000000000009';
const AK = 'AKEXAMPLE00000000009';
const SK = 'example-library-secret-00000000000000000';
const DAY = 24 * 3600_000;

function example(file: string): { nodes: INode[]; connections: IConnections } {
	return JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', file), 'utf8')) as { nodes: INode[]; connections: IConnections };
}

const output = (result: WorkflowRunResult, node: string, index = 0): INodeExecutionData[] =>
	result.runData[node]?.[0]?.data?.main?.[index] ?? [];

describe('MetaStudio asset-library examples, run whole through the engine', () => {
	let cloud: MetaStudioEmulator;

	afterEach(async () => {
		await cloud?.stop();
	});

	const run = async (file: string) =>
		await runWorkflow(example(file), {
			extraNodeTypes: n8nNodes,
			credentials: {
				huaweiCloudAkSkApi: cloud.akSkCredential(),
			},
		});

	it('metastudio-recycle-failed-assets: moves only failed assets older than 30 days to the recycle bin and summarises them', async () => {
		const now = Date.now();
		cloud = await MetaStudioEmulator.start({
			accessKeyId: AK,
			secretAccessKey: SK,
			projectId: PROJECT,
			assets: [
				...generateAssets(3, { idPrefix: 'old-failed-', asset_state: 'FAILED', start: now - 90 * DAY }),
				...generateAssets(2, { idPrefix: 'new-failed-', asset_state: 'FAILED', start: now - 5 * DAY }),
				...generateAssets(2, { idPrefix: 'old-active-', asset_state: 'ACTIVED', start: now - 90 * DAY }),
			],
		});

		const result = await run('metastudio-recycle-failed-assets.json');

		expect(result.error).toBeUndefined();
		expect(cloud.assets().filter((a) => a.asset_state === 'DELETING').map((a) => a.asset_id).sort()).toEqual([
			'old-failed-00000',
			'old-failed-00001',
			'old-failed-00002',
		]);
		const [summary] = output(result, 'Summary for the notification');
		expect(summary.json).toEqual({
			count: 3,
			text: 'MetaStudio cleanup: 3 assets that failed review were moved to the recycle bin (restorable for 7 days): old-failed-00000, old-failed-00001, old-failed-00002',
		});
		expect(result.runData['Failures for the notification']).toBeUndefined();
	});

	it('metastudio-recycle-failed-assets: routes an asset that could not be moved to the failure summary', async () => {
		const now = Date.now();
		cloud = await MetaStudioEmulator.start({
			accessKeyId: AK,
			secretAccessKey: SK,
			projectId: PROJECT,
			assets: generateAssets(2, { idPrefix: 'old-failed-', asset_state: 'FAILED', start: now - 90 * DAY }),
			faults: { methods: ['DELETE'], script: { 'old-failed-00001': ['http500', 'http500', 'http500', 'http500', 'http500'] } },
		});

		const result = await run('metastudio-recycle-failed-assets.json');

		expect(output(result, 'Summary for the notification')[0].json.count).toBe(1);
		const [failures] = output(result, 'Failures for the notification');
		expect(failures.json.count).toBe(1);
		expect(String(failures.json.text)).toContain('Could not delete asset "old-failed-00001"');
	});

	it('metastudio-restore-from-recycle-bin: restores the matching assets in the recycle bin', async () => {
		cloud = await MetaStudioEmulator.start({
			accessKeyId: AK,
			secretAccessKey: SK,
			projectId: PROJECT,
			assets: [
				...generateAssets(2, { idPrefix: 'bin-campaign-', asset_name: 'spring campaign', asset_state: 'DELETING', stateBeforeDelete: 'ACTIVED' }),
				...generateAssets(1, { idPrefix: 'bin-other-', asset_name: 'other', asset_state: 'DELETING' }),
				...generateAssets(1, { idPrefix: 'live-campaign-', asset_name: 'campaign live' }),
			],
		});

		const result = await run('metastudio-restore-from-recycle-bin.json');

		expect(result.error).toBeUndefined();
		expect(cloud.assetState('bin-campaign-00000')).toBe('ACTIVED');
		expect(cloud.assetState('bin-campaign-00001')).toBe('ACTIVED');
		expect(cloud.assetState('bin-other-00000')).toBe('DELETING');
		expect(output(result, 'Summary for the notification')[0].json.count).toBe(2);
	});

	it('metastudio-delete-asset-files: lists assets, splits out their files and deletes each file once', async () => {
		cloud = await MetaStudioEmulator.start({
			accessKeyId: AK,
			secretAccessKey: SK,
			projectId: PROJECT,
			assets: [
				...generateAssets(2, { idPrefix: 'tagged-', tags: ['cleanup'], filesPerAsset: 2 }),
				...generateAssets(1, { idPrefix: 'kept-', tags: ['keep'], filesPerAsset: 2 }),
			],
		});
		const fileIdsOf = (id: string) => ((cloud.asset(id)?.files ?? []) as IDataObject[]).map((file) => String(file.file_id));
		const tagged = [...fileIdsOf('tagged-00000'), ...fileIdsOf('tagged-00001')];
		const kept = fileIdsOf('kept-00000');

		const result = await run('metastudio-delete-asset-files.json');

		expect(result.error).toBeUndefined();
		const deleted = output(result, 'Delete media file');
		expect(deleted.map((item) => item.json.fileId)).toEqual(tagged);
		expect(deleted.every((item) => item.json.deleted === true)).toBe(true);
		for (const fileId of tagged) expect(cloud.deletesLanded(fileId)).toBe(1);
		for (const fileId of kept) expect(cloud.deletesLanded(fileId)).toBe(0);
		expect(fileIdsOf('tagged-00000')).toEqual([]);
		expect(output(result, 'Collect deleted file IDs')[0].json.deletedFileIds).toEqual(tagged);
	});
});
