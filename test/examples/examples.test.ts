import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INode, INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { MediaAssets } from '../../nodes/MediaAssets/MediaAssets.node';
import { KyyVideo2Emulator } from '../emulators/kyyVideo2';
import { MetaStudioEmulator } from '../emulators/metaStudio';
import { runMediaAssets } from '../harness/runWorkflow';

const EXAMPLES_DIR = join(__dirname, '..', '..', 'examples');
const MEDIA_ASSETS_TYPE = 'n8n-nodes-media-assets.mediaAssets';
const TRIGGER_TYPE = 'n8n-nodes-media-assets.mediaAssetsTrigger';
// The examples are saved workflows of the released node version.
const description = NodeHelpers.getVersionedNodeType(new MediaAssets(), 1).description;

interface WorkflowFile {
	name: string;
	nodes: INode[];
	connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>;
}

const examples = readdirSync(EXAMPLES_DIR)
	.filter((file) => file.endsWith('.json'))
	.map((file) => ({ file, workflow: JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as WorkflowFile }));

/** Whether a property is shown for these parameter values (n8n's displayOptions.show, enough for this node). */
function isShown(property: INodeProperties, parameters: IDataObject): boolean {
	const show = property.displayOptions?.show ?? {};
	return Object.entries(show).every(([name, values]) => (values as unknown[]).includes(parameters[name]));
}

describe('example workflows', () => {
	it('should include the nine documented jobs', () => {
		expect(examples.map((e) => e.file).sort()).toEqual([
			'metastudio-backup-then-delete.json',
			'metastudio-delete-asset-files.json',
			'metastudio-delete-files-from-sheet.json',
			'metastudio-failed-review-slack-and-recycle.json',
			'metastudio-recycle-failed-assets.json',
			'metastudio-restore-from-backup.json',
			'metastudio-restore-from-recycle-bin.json',
			'preview-cleanup-dry-run.json',
			'seedance-cleanup-failed-assets.json',
		]);
	});

	describe.each(examples)('$file', ({ workflow }) => {
		const mediaNodes = workflow.nodes.filter((n) => n.type === MEDIA_ASSETS_TYPE);

		it('should be an importable workflow whose connections name existing nodes', () => {
			expect(typeof workflow.name).toBe('string');
			const names = new Set(workflow.nodes.map((n) => n.name));
			expect(names.size).toBe(workflow.nodes.length);
			for (const [from, outputs] of Object.entries(workflow.connections)) {
				expect(names.has(from)).toBe(true);
				for (const output of outputs.main) for (const target of output) expect(names.has(target.node)).toBe(true);
			}
		});

		it('should use only nodes shipped with n8n besides this one', () => {
			for (const node of workflow.nodes) {
				expect(node.type === MEDIA_ASSETS_TYPE || node.type === TRIGGER_TYPE || node.type.startsWith('n8n-nodes-base.')).toBe(true);
			}
			expect(mediaNodes.length).toBeGreaterThan(0);
		});

		it('should set only parameters and options the node declares, and route failures to the Error output', () => {
			for (const node of mediaNodes) {
				expect(node.typeVersion).toBe(description.version);
				expect(node.onError).toBe('continueErrorOutput');
				const parameters = node.parameters as IDataObject;
				const shown = description.properties.filter((p) => p.type !== 'notice' && isShown(p, parameters));
				for (const name of Object.keys(parameters)) {
					expect(shown.map((p) => p.name)).toContain(name);
				}
				const options = shown.find((p) => p.name === 'options')!;
				const declared = (options.options as INodeProperties[]).map((o) => o.name);
				for (const name of Object.keys((parameters.options as IDataObject) ?? {})) expect(declared).toContain(name);
				// Two outputs: success and Error.
				expect(workflow.connections[node.name].main).toHaveLength(2);
			}
		});
	});
});

describe('the Media Assets part of each example, run through the engine', () => {
	const byFile = Object.fromEntries(examples.map((e) => [e.file, e.workflow]));
	const mediaNode = (file: string) => byFile[file].nodes.find((n) => n.type === MEDIA_ASSETS_TYPE)!;

	it('seedance-cleanup-failed-assets: deletes only Failed assets and routes the rest', async () => {
		const api = await KyyVideo2Emulator.start({
			apiKey: 'example-key',
			assets: [
				{ assetId: 'asset-20260330142158-q75m8', status: 'Active' },
				{ assetId: 'asset-20260330150012-a1b2c', status: 'Failed' },
			],
		});
		try {
			const node = mediaNode('seedance-cleanup-failed-assets.json');
			const result = await runMediaAssets({
				items: [
					{ assetId: 'asset-20260330142158-q75m8' },
					{ assetId: 'asset-20260330150012-a1b2c' },
					{ assetId: 'asset://asset-20260330161245-zz9y8' },
				],
				parameters: node.parameters,
				onError: node.onError as never,
				credentials: { kyyVideo2Api: { apiKey: 'example-key', baseUrl: api.baseUrl } },
			});
			expect(result.outputs[0].map((i) => i.json)).toEqual([
				expect.objectContaining({ assetId: 'asset-20260330142158-q75m8', skipped: true, status: 'Active' }),
				expect.objectContaining({ assetId: 'asset-20260330150012-a1b2c', deleted: true }),
				expect.objectContaining({ assetId: 'asset-20260330161245-zz9y8', alreadyDeleted: true }),
			]);
			expect(api.hasAsset('asset-20260330142158-q75m8')).toBe(true);
			expect(api.hasAsset('asset-20260330150012-a1b2c')).toBe(false);
		} finally {
			await api.stop();
		}
	});

	it('metastudio-delete-files-from-sheet: deletes the listed files with pacing', async () => {
		const cloud = await MetaStudioEmulator.start({
			accessKeyId: 'AKEXAMPLE00000000001',
			secretAccessKey: 'example-secret-key-000000000000000000000',
			projectId: 'p0000000000000000000000000000002',
			files: ['24bad716-87b1-45e5-8912-6102f7693265', '0f9c2a5e-1111-4c7b-9a3e-000000000001'],
		});
		try {
			const node = mediaNode('metastudio-delete-files-from-sheet.json');
			const result = await runMediaAssets({
				items: [
					{ row: 2, file_id: '24bad716-87b1-45e5-8912-6102f7693265' },
					{ row: 3, file_id: '0f9c2a5e-1111-4c7b-9a3e-000000000001' },
					{ row: 4, file_id: '0f9c2a5e-1111-4c7b-9a3e-000000000002' },
				],
				parameters: node.parameters,
				onError: node.onError as never,
				credentials: {
					huaweiCloudAkSkApi: {
						accessKeyId: 'AKEXAMPLE00000000001',
						secretAccessKey: 'example-secret-key-000000000000000000000',
						region: 'cn-north-4',
						projectId: 'p0000000000000000000000000000002',
						endpoint: cloud.endpoint,
					},
				},
			});
			expect(result.outputs[0].map((i) => [i.json.fileId, i.json.deleted, i.json.alreadyDeleted])).toEqual([
				['24bad716-87b1-45e5-8912-6102f7693265', true, undefined],
				['0f9c2a5e-1111-4c7b-9a3e-000000000001', true, undefined],
				['0f9c2a5e-1111-4c7b-9a3e-000000000002', true, true],
			]);
		} finally {
			await cloud.stop();
		}
	});

	it('preview-cleanup-dry-run: sends no DELETE and previews each request', async () => {
		const api = await KyyVideo2Emulator.start({
			apiKey: 'example-key',
			assets: [
				{ assetId: 'asset-20260330142158-q75m8', status: 'Active' },
				{ assetId: 'asset-20260330150012-a1b2c', status: 'Failed' },
				{ assetId: 'asset-20260330161245-zz9y8', status: 'Processing' },
			],
		});
		try {
			const node = mediaNode('preview-cleanup-dry-run.json');
			const result = await runMediaAssets({
				items: [
					{ assetId: 'asset-20260330142158-q75m8' },
					{ assetId: 'asset-20260330150012-a1b2c' },
					{ assetId: 'asset-20260330161245-zz9y8' },
					{ assetId: 'not a valid id' },
				],
				parameters: node.parameters,
				onError: node.onError as never,
				credentials: { kyyVideo2Api: { apiKey: 'example-key', baseUrl: api.baseUrl } },
			});
			expect(api.requests.filter((r) => r.method === 'DELETE')).toHaveLength(0);
			expect(result.outputs[0].map((i) => [i.json.assetId, i.json.dryRun, i.json.skipped ?? false])).toEqual([
				['asset-20260330142158-q75m8', true, true],
				['asset-20260330150012-a1b2c', true, false],
				['asset-20260330161245-zz9y8', true, false],
			]);
			expect(result.outputs[1]).toHaveLength(1);
		} finally {
			await api.stop();
		}
	});
});
