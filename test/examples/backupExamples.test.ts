/**
 * The examples "back up, then delete" (examples/metastudio-backup-then-delete.json) and "restore from
 * backup" (metastudio-restore-from-backup.json), run whole through
 * the engine with n8n's own Read/Write Files from Disk node: every asset that failed review is
 * downloaded (verified), written to disk, and only then deleted for good. An asset whose download
 * failed never reaches Delete, and neither does any asset when the Download step cannot run at all.
 */
import { BACKUP_ROOT } from './backupFolder';

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IConnections, IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { FileHost } from '../emulators/fileHost';
import { MetaStudioEmulator } from '../emulators/metaStudio';
import type { AssetSeed } from '../emulators/metaStudioAssets';
import type { AnyNodeType } from '../harness/nodeTypes';
import type { WorkflowRunResult } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';

/* eslint-disable @typescript-eslint/no-require-imports -- n8n's nodes are loaded by package path, as n8n does */
const n8nNodes: Record<string, AnyNodeType> = {
	'n8n-nodes-base.manualTrigger': new (require('n8n-nodes-base/dist/nodes/ManualTrigger/ManualTrigger.node.js').ManualTrigger)(),
	'n8n-nodes-base.readWriteFile': new (require('n8n-nodes-base/dist/nodes/Files/ReadWriteFile/ReadWriteFile.node.js').ReadWriteFile)(),
	'n8n-nodes-base.noOp': new (require('n8n-nodes-base/dist/nodes/NoOp/NoOp.node.js').NoOp)(),
	'n8n-nodes-base.set': new (require('n8n-nodes-base/dist/nodes/Set/Set.node.js').Set)(),
};
/* eslint-enable @typescript-eslint/no-require-imports */

const PROJECT = 'p0000000000000000000000000000031';
const AK = 'AKEXAMPLE00000000031';
const SK = 'example-backup-secret-000000000000000000';
const DOWNLOAD = 'Download main file (verified)';
const DELETE = 'Delete permanently';
const NOT_BACKED_UP = 'Not backed up, left alone (replace with Slack or e-mail)';

/**
 * The example, its backup folder (which must exist) moved from n8n's default (~/.n8n-files) into the
 * test's own. The backup files are created empty first: n8n-core's resolvePath recognises a file that
 * does not exist yet by `error instanceof Error`, which fails under jest (Node's fs errors come from
 * another realm than the test's Error); in n8n it creates them.
 */
function example(folder: string, files: string[]): { nodes: INode[]; connections: IConnections } {
	mkdirSync(folder, { recursive: true });
	for (const file of files) writeFileSync(join(folder, file), '');
	const text = readFileSync(join(__dirname, '..', '..', 'examples', 'metastudio-backup-then-delete.json'), 'utf8');
	return JSON.parse(text.replace('/home/node/.n8n-files/metastudio-backup/', `${folder}/`)) as { nodes: INode[]; connections: IConnections };
}

const output = (result: WorkflowRunResult, node: string, index = 0): INodeExecutionData[] => result.runData[node]?.[0]?.data?.main?.[index] ?? [];

describe('metastudio-backup-then-delete, run whole through the engine', () => {
	let cloud: MetaStudioEmulator;
	let host: FileHost;
	const content = new Map<string, Buffer>();

	afterEach(async () => {
		await cloud?.stop();
		await host?.stop();
	});

	async function start() {
		host = await FileHost.start();
		const seeds: AssetSeed[] = ['failed-1', 'failed-2', 'failed-3', 'active-1'].map((id) => {
			const bytes = createHash('sha512').update(id).digest().subarray(0, 48);
			const data = Buffer.concat(Array.from({ length: 1000 }, () => bytes));
			content.set(id, data);
			host.put(`/bucket/${id}/main.mp4`, data);
			return {
				asset_id: id,
				asset_name: `Clip ${id}`,
				asset_state: id.startsWith('failed') ? 'FAILED' : 'ACTIVED',
				files: [{ file_id: `${id}-main`, file_name: `${id}.mp4`, file_size: data.length, file_md5: createHash('md5').update(data).digest('base64') }],
			};
		});
		cloud = await MetaStudioEmulator.start({
			accessKeyId: AK,
			secretAccessKey: SK,
			projectId: PROJECT,
			assets: seeds,
			downloadUrl: ({ assetId }) => host.url(`/bucket/${assetId}/main.mp4`),
		});
	}

	it('should back up every failed asset, delete only those written to disk, and leave the one whose download stayed corrupt', async () => {
		await start();
		host.fault('/bucket/failed-2/main.mp4', 'wrongBytes', 10);
		const folder = join(BACKUP_ROOT, 'run-1');

		const files = ['failed-1', 'failed-2', 'failed-3'].map((id) => `${id}-${id}.mp4`);
		const result = await runWorkflow(example(folder, files), { extraNodeTypes: n8nNodes, credentials: { huaweiCloudAkSkApi: cloud.akSkCredential() } });

		expect(output(result, DELETE).map((item) => [item.json.assetId, item.json.deleted, item.json.deleteMode])).toEqual([
			['failed-1', true, 'permanent'],
			['failed-3', true, 'permanent'],
		]);
		for (const id of ['failed-1', 'failed-3']) {
			expect(readFileSync(join(folder, `${id}-${id}.mp4`)).equals(content.get(id)!)).toBe(true);
			expect(cloud.hasAsset(id)).toBe(false);
		}
		// The corrupt download: never written, never deleted, reported on the branch that leaves it alone.
		expect(statSync(join(folder, 'failed-2-failed-2.mp4')).size).toBe(0);
		expect(cloud.hasAsset('failed-2')).toBe(true);
		expect(output(result, NOT_BACKED_UP).map((item) => [item.json.asset_id, (item.json.error as IDataObject).reason])).toEqual([['failed-2', 'corruptDownload']]);
		expect(cloud.hasAsset('active-1')).toBe(true);
	});

	it('should delete nothing when the Download step cannot run at all (no credential)', async () => {
		await start();
		const workflow = example(join(BACKUP_ROOT, 'run-2'), []);
		const download = workflow.nodes.find((node) => node.name === DOWNLOAD)!;
		delete download.credentials;

		const result = await runWorkflow(workflow, { extraNodeTypes: n8nNodes, credentials: { huaweiCloudAkSkApi: cloud.akSkCredential() } });

		expect(output(result, DOWNLOAD)).toEqual([]);
		expect(output(result, DOWNLOAD, 1).map((item) => (item.json.error as IDataObject).reason)).toEqual(['nodeFailed', 'nodeFailed', 'nodeFailed']);
		expect(result.runData[DELETE]).toBeUndefined();
		expect(cloud.requests.filter((request) => request.method === 'DELETE')).toEqual([]);
		for (const id of ['failed-1', 'failed-2', 'failed-3']) expect(cloud.hasAsset(id)).toBe(true);
	});
});

describe('metastudio-restore-from-backup, run whole through the engine', () => {
	let cloud: MetaStudioEmulator;
	let host: FileHost;

	afterEach(async () => {
		await cloud?.stop();
		await host?.stop();
	});

	it('should give the permanently deleted asset back as a new asset whose MAIN file has the same size and MD5', async () => {
		host = await FileHost.start();
		const original = Buffer.concat(Array.from({ length: 3000 }, (_, i) => createHash('md5').update(`frame ${i}`).digest()));
		host.put('/bucket/orig/clip.mp4', original);
		const md5 = createHash('md5').update(original).digest('base64');
		cloud = await MetaStudioEmulator.start({
			accessKeyId: AK,
			secretAccessKey: SK,
			projectId: PROJECT,
			uploadHost: host,
			assets: [{ asset_id: 'orig-1', asset_name: 'Launch clip', asset_type: 'VIDEO', files: [{ file_id: 'orig-1-main', file_name: 'launch.mp4', file_size: original.length, file_md5: md5 }] }],
			downloadUrl: () => host.url('/bucket/orig/clip.mp4'),
		});
		const text = readFileSync(join(__dirname, '..', '..', 'examples', 'metastudio-restore-from-backup.json'), 'utf8').replace('replace-with-the-asset-id', 'orig-1');
		const result = await runWorkflow(JSON.parse(text) as { nodes: INode[]; connections: IConnections }, { extraNodeTypes: n8nNodes, credentials: { huaweiCloudAkSkApi: cloud.akSkCredential() } });

		expect(cloud.hasAsset('orig-1')).toBe(false);
		const [created] = output(result, 'Create it again from the download');
		const fresh = cloud.asset(String(created.json.asset_id))!;
		expect(fresh).toMatchObject({ asset_name: 'Launch clip', asset_type: 'VIDEO' });
		const main = fresh.files.find((file) => file.asset_file_category === 'MAIN')!;
		expect([main.file_size, main.file_md5]).toEqual([original.length, md5]);
		expect(output(result, 'Failures (replace with Slack or e-mail)')).toEqual([]);
	});
});
