/**
 * MetaStudio asset → Create from an input item's file, through the n8n engine: CreateDigitalAsset,
 * CreateFile, the PUT to the upload host (Content-MD5 checked there), ConfirmFileUpload. Nothing
 * half-made is left behind when a later step fails; a lost CreateDigitalAsset answer is never sent
 * again blindly. Ends with the round trip Download → permanent Delete → Create.
 */
import type { IConnections, IDataObject, INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { FileHost } from '../../emulators/fileHost';
import { MetaStudioEmulator } from '../../emulators/metaStudio';
import type { AssetSeed } from '../../emulators/metaStudioAssets';
import { BINARY_SOURCE_NODE_TYPE, BinarySource } from '../../harness/binarySource';
import type { WorkflowRunResult } from '../../harness/runWorkflow';
import { MEDIA_ASSETS_NODE_TYPE, runWorkflow } from '../../harness/runWorkflow';
import { bytesOf, md5 } from '../shared';

const PROJECT = '8c8c3f8354f64dd9b9a614def7b59d85';
const AK = 'HPUAXLPZQ7TESTAK0051';
const SK = 'secretKeyCreates0123456789abcdefghijklm';
const SECURITY_TOKEN = 'security-token-creates-never-at-the-upload-host';


describe('MetaStudio asset → Create', () => {
	let cloud: MetaStudioEmulator;

	let stopHost: (() => Promise<void>) | undefined;

	afterEach(async () => {
		await cloud?.stop();
		await stopHost?.();
		stopHost = undefined;
	});

	async function start(assets: AssetSeed[] = []) {
		cloud = await MetaStudioEmulator.start({ accessKeyId: AK, secretAccessKey: SK, securityToken: SECURITY_TOKEN, projectId: PROJECT, assets, stateAfterMainFile: 'UNACTIVED' });
	}

	/** Binary Source (the files) → Media Assets with these parameters. */
	async function create(files: Array<{ fileName: string; bytes: Buffer; json?: Record<string, string> }>, parameters: INodeParameters = {}): Promise<WorkflowRunResult> {
		const nodes: INode[] = [
			{
				id: 'files',
				name: 'Files',
				type: BINARY_SOURCE_NODE_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: { files: JSON.stringify(files.map((file) => ({ fileName: file.fileName, base64: file.bytes.toString('base64'), json: file.json }))) },
			},
			{
				id: 'create',
				name: 'Create',
				type: MEDIA_ASSETS_NODE_TYPE,
				typeVersion: 1,
				position: [200, 0],
				parameters: { resource: 'metaStudioAsset', operation: 'create', authentication: 'akSk', options: {}, ...parameters },
				credentials: { huaweiCloudAkSkApi: { id: '1', name: 'ak' } },
				onError: 'continueErrorOutput',
			},
		];
		const connections: IConnections = { Files: { main: [[{ node: 'Create', type: 'main', index: 0 }]] } };
		return await runWorkflow({ nodes, connections }, { extraNodeTypes: { [BINARY_SOURCE_NODE_TYPE]: new BinarySource() }, credentials: { huaweiCloudAkSkApi: cloud.akSkCredential() } });
	}

	const out = (result: WorkflowRunResult, index = 0): INodeExecutionData[] => result.runData.Create?.[0]?.data?.main?.[index] ?? [];
	const errorOf = (item: INodeExecutionData) => item.json.error as IDataObject;
	const apiRequests = () => cloud.requests.filter((request) => request.api !== undefined);

	it('should create an asset whose MAIN file has the input file\'s size and MD5, typed by its extension', async () => {
		await start();
		const clip = bytesOf('clip', 250_000);

		const result = await create([{ fileName: 'promo clip.mp4', bytes: clip }], { options: {} });

		const [item] = out(result);
		expect(out(result, 1)).toEqual([]);
		expect(item.json).toMatchObject({ asset_name: 'promo clip', asset_type: 'VIDEO', created: true, file_name: 'promo clip.mp4', file_size: 250_000, file_md5: md5(clip), attempts: 1 });
		const asset = cloud.asset(String(item.json.asset_id))!;
		expect(asset.asset_state).toBe('UNACTIVED');
		expect(asset.files.map((file) => [file.asset_file_category, file.file_size, file.file_md5, file.state])).toEqual([['MAIN', 250_000, md5(clip), 'CREATED']]);
		// The upload host got the bytes with their MD5 and type, and no credential.
		const upload = cloud.uploadHost.requests.find((request) => request.method === 'PUT')!;
		expect(upload.headers['content-md5']).toBe(md5(clip));
		expect(upload.headers['content-type']).toBe('video/mp4');
		expect(cloud.uploadHost.credentialHeaders()).toEqual([]);
		expect(JSON.stringify(cloud.uploadHost.requests)).not.toContain(SECURITY_TOKEN);
	});

	it('should take the name, type, description and tags given, checked against the documented limits', async () => {
		await start();

		const result = await create([{ fileName: 'slide.png', bytes: bytesOf('s', 999) }], {
			assetName: 'Slide 1',
			assetType: 'IMAGE',
			additionalFields: { assetDescription: 'Title slide', tags: 'deck, q4' },
		});

		const asset = cloud.asset(String(out(result)[0].json.asset_id))!;
		expect(asset).toMatchObject({ asset_name: 'Slide 1', asset_type: 'IMAGE', asset_description: 'Title slide', tags: ['deck', 'q4'] });
	});

	it.each<[string, string, Buffer, INodeParameters, RegExp]>([
		['an empty file', 'clip.mp4', Buffer.alloc(0), {}, /the file is empty/],
		['an extension the type does not take', 'notes.txt', bytesOf('n', 10), { assetType: 'IMAGE' }, /IMAGE asset's main file must be jpeg, jpg, png, bmp, gif, not \.txt/],
		['an extension that tells no type', 'notes.txt', bytesOf('n', 10), {}, /cannot be told from its extension/],
		['a name over 256 characters', 'clip.mp4', bytesOf('c', 10), { assetName: 'x'.repeat(257) }, /name must be 1 to 256 characters/],
		['more than 50 tags', 'clip.mp4', bytesOf('c', 10), { additionalFields: { tags: Array.from({ length: 51 }, (_, i) => `t${i}`).join(',') } }, /51 tags; MetaStudio allows 50/],
	])('should refuse %s with a clear error and send nothing', async (_case, fileName, bytes, parameters, message) => {
		await start();

		const result = await create([{ fileName, bytes }], parameters);

		expect(out(result)).toEqual([]);
		expect(errorOf(out(result, 1)[0])).toMatchObject({ reason: 'invalidInput', attempts: 0 });
		expect(String(errorOf(out(result, 1)[0]).message)).toMatch(message);
		expect(apiRequests()).toEqual([]);
		expect(cloud.createdAssetIds()).toEqual([]);
	});

	it('should refuse an item without the binary field, and send nothing', async () => {
		await start();

		const result = await create([{ fileName: 'clip.mp4', bytes: bytesOf('c', 10) }], { binaryPropertyName: 'missing' });

		expect(String(errorOf(out(result, 1)[0]).message)).toMatch(/no binary field 'missing'/);
		expect(apiRequests()).toEqual([]);
	});

	it.each<[string, 'refuseUpload' | 'dropUpload' | 'corruptUpload', RegExp]>([
		['refused', 'refuseUpload', /refused the upload \(HTTP 403\)/],
		['dropped', 'dropUpload', /connection|closed/i],
		['stored with a wrong MD5', 'corruptUpload', /md5 mismatch/],
	])('should leave nothing half-made when the upload is %s for good, and report it once', async (_case, fault, message) => {
		await start();
		cloud.uploadHost.faultUpload(fault, { times: 10 });

		const result = await create([{ fileName: 'clip.mp4', bytes: bytesOf('c', 40_000) }], { options: { maxRetries: 1 } });

		expect(out(result)).toEqual([]);
		const failures = out(result, 1);
		expect(failures).toHaveLength(1);
		expect(String(errorOf(failures[0]).message)).toMatch(message);
		expect(String(errorOf(failures[0]).message)).toMatch(/the new asset \w+ was deleted again/);
		const [created] = cloud.createdAssetIds();
		expect(cloud.hasAsset(created)).toBe(false);
		expect(cloud.fileUploads(created).every((upload) => upload.state !== 'CREATED')).toBe(true);
	});

	it('should find the asset whose CreateDigitalAsset answer was lost instead of creating it again', async () => {
		await start();
		cloud.faultNext('CreateDigitalAsset', 'landedThenDrop', 1);
		const clip = bytesOf('lost', 5_000);

		const result = await create([{ fileName: 'lost.mp4', bytes: clip }], { options: { maxRetries: 3 } });

		expect(cloud.requestsTo('CreateDigitalAsset')).toHaveLength(1);
		expect(cloud.createdAssetIds()).toHaveLength(1);
		const [item] = out(result);
		expect(item.json).toMatchObject({ asset_id: cloud.createdAssetIds()[0], created: true, file_md5: md5(clip) });
		expect(cloud.asset(cloud.createdAssetIds()[0])!.files).toHaveLength(1);
	});

	it('should say in a Dry Run what would be created, and send nothing', async () => {
		await start();

		const result = await create([{ fileName: 'clip.mp4', bytes: bytesOf('c', 10) }], { options: { dryRun: true } });

		expect(out(result)[0].json).toMatchObject({ dryRun: true, created: false, method: 'POST', body: { asset_name: 'clip', asset_type: 'VIDEO' } });
		expect(apiRequests()).toEqual([]);
	});

	describe('round trip', () => {
		it('should give a permanently deleted asset back from its download: a new asset whose MAIN file has the same size and MD5', async () => {
			const original = bytesOf('original', 180_000);
			const host = await FileHost.start();
			host.put('/backup/original.mp4', original);
			cloud = await MetaStudioEmulator.start({
				accessKeyId: AK,
				secretAccessKey: SK,
				securityToken: SECURITY_TOKEN,
				projectId: PROJECT,
				uploadHost: host,
				stateAfterMainFile: 'UNACTIVED',
				assets: [{ asset_id: 'orig-1', asset_name: 'Original', asset_type: 'VIDEO', files: [{ file_id: 'orig-1-main', file_name: 'original.mp4', file_size: original.length, file_md5: md5(original) }] }],
				downloadUrl: () => host.url('/backup/original.mp4'),
			});
			stopHost = async () => await host.stop();
			const step = (name: string, parameters: INodeParameters, x: number): INode => ({
				id: name,
				name,
				type: MEDIA_ASSETS_NODE_TYPE,
				typeVersion: 1,
				position: [x, 0],
				parameters: { resource: 'metaStudioAsset', authentication: 'akSk', options: {}, ...parameters },
				credentials: { huaweiCloudAkSkApi: { id: '1', name: 'ak' } },
				onError: 'continueErrorOutput',
			});
			const nodes: INode[] = [
				{ id: 'start', name: 'Start', type: BINARY_SOURCE_NODE_TYPE, typeVersion: 1, position: [0, 0], parameters: { files: JSON.stringify([{ fileName: 'none.txt', base64: '', json: { asset_id: 'orig-1' } }]) } },
				step('Download', { operation: 'download', assetId: '={{ $json.asset_id }}' }, 200),
				step('Delete', { operation: 'delete', deleteMode: 'permanent', assetId: '={{ $json.asset_id }}' }, 400),
				{ ...step('Create', { operation: 'create', assetName: '={{ $json.asset_name }}', binaryPropertyName: 'data' }, 400), position: [400, 200] },
			];
			// Download feeds both: Delete (above, so n8n runs it first) drops the original for good, then Create makes it again
			// from the downloaded file (an action node does not pass its input's files on).
			const connections: IConnections = {
				Start: { main: [[{ node: 'Download', type: 'main', index: 0 }]] },
				Download: {
					main: [
						[
							{ node: 'Delete', type: 'main', index: 0 },
							{ node: 'Create', type: 'main', index: 0 },
						],
					],
				},
			};

			const result = await runWorkflow({ nodes, connections }, { extraNodeTypes: { [BINARY_SOURCE_NODE_TYPE]: new BinarySource() }, credentials: { huaweiCloudAkSkApi: cloud.akSkCredential() } });

			expect(cloud.hasAsset('orig-1')).toBe(false);
			const apis = cloud.requests.map((request) => request.api);
			expect(apis.indexOf('DeleteAsset')).toBeLessThan(apis.indexOf('CreateDigitalAsset'));
			const created = result.runData.Create?.[0]?.data?.main?.[0] ?? [];
			expect(created).toHaveLength(1);
			const fresh = cloud.asset(String(created[0].json.asset_id))!;
			expect(fresh.asset_name).toBe('Original');
			const main = fresh.files.find((file) => file.asset_file_category === 'MAIN')!;
			expect([main.file_size, main.file_md5]).toEqual([original.length, md5(original)]);
		});
	});
});
