/**
 * MetaStudio asset → Download through the n8n engine: ShowAsset on the MetaStudio emulator, the files
 * from a file host (OBS's stand-in) on its own port, stored as n8n binary data and verified by size and
 * MD5 against the asset's files[]. No credential may reach the file host.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { FileFault, HostedFile } from '../../emulators/fileHost';
import { FileHost } from '../../emulators/fileHost';
import { MetaStudioEmulator } from '../../emulators/metaStudio';
import type { AssetSeed } from '../../emulators/metaStudioAssets';
import type { OnError, RunResult } from '../../harness/runWorkflow';
import { runMediaAssets, visibleText } from '../../harness/runWorkflow';
import { bytesOf, md5 } from '../shared';

const PROJECT = '7b7b2f8354f64dd9b9a614def7b59d84';
const AK = 'HPUAXLPZQ7TESTAK0041';
const SK = 'secretKeyDownloads0123456789abcdefghijk';
const SECURITY_TOKEN = 'security-token-downloads-never-at-the-file-host';
const IAM_USER = { domainName: 'acme-account', userName: 'backup-bot', password: 'P@ss-downloads-never-leak' };


describe('MetaStudio asset → Download', () => {
	let cloud: MetaStudioEmulator;
	let host: FileHost;
	/** Bytes served for each file, by file ID. */
	let served: Map<string, { bytes: Buffer; hosted: HostedFile }>;

	afterEach(async () => {
		await cloud?.stop();
		await host?.stop();
	});

	const pathOf = (fileId: string) => `/obs-bucket/${PROJECT}/${fileId}`;

	/** Assets whose files live on the file host, with MetaStudio's documented size and MD5 of those bytes. */
	async function start(assets: Array<{ id: string; files: Array<{ name: string; size: number; category?: string }>; extra?: AssetSeed }>) {
		host = await FileHost.start({ slowMs: 50 });
		served = new Map();
		const seeds: AssetSeed[] = assets.map(({ id, files, extra }) => ({
			asset_id: id,
			asset_name: `Asset ${id}`,
			...extra,
			files: files.map((file, index) => {
				const fileId = `${id}-f${index}`;
				const bytes = bytesOf(fileId, file.size);
				const hosted = host.put(pathOf(fileId), bytes);
				served.set(fileId, { bytes, hosted });
				return { file_id: fileId, file_name: file.name, file_size: file.size, file_md5: md5(bytes), asset_file_category: file.category };
			}),
		}));
		cloud = await MetaStudioEmulator.start({
			accessKeyId: AK,
			secretAccessKey: SK,
			securityToken: SECURITY_TOKEN,
			projectId: PROJECT,
			assets: seeds,
			iamUser: IAM_USER,
			downloadUrl: ({ fileId }) => host.url(pathOf(fileId)),
		});
	}

	type Auth = 'akSk' | 'iamToken';

	function credentials(authentication: Auth) {
		if (authentication === 'akSk') return { huaweiCloudAkSkApi: cloud.akSkCredential() };
		return {
			huaweiCloudIamApi: { ...IAM_USER, region: 'cn-north-4', projectId: PROJECT, endpoint: cloud.endpoint, iamEndpoint: cloud.iamEndpoint, token: '' },
		};
	}

	async function download(
		ids: string[],
		parameters: INodeParameters = {},
		{ onError = 'continueErrorOutput', authentication = 'akSk' }: { onError?: OnError; authentication?: Auth } = {},
	): Promise<RunResult> {
		return await runMediaAssets({
			items: ids.map((id) => ({ id })),
			parameters: { resource: 'metaStudioAsset', operation: 'download', authentication, assetId: '={{ $json.id }}', options: { maxRetries: 2 }, ...parameters },
			onError,
			credentials: credentials(authentication),
		});
	}

	const errorOf = (item: INodeExecutionData) => item.json.error as IDataObject;
	const fileRequests = (fileId: string) => host.requests.filter((request) => request.path === pathOf(fileId));

	/** The stored binary's bytes, whichever way n8n kept them. */
	const storedBytes = (item: INodeExecutionData, property = 'data') => Buffer.from(item.binary![property].data, 'base64');

	it('should download the MAIN file of each asset, verified, one item per input item in order', async () => {
		await start([
			{ id: 'a1', files: [{ name: 'clip.mp4', size: 200_000 }, { name: 'cover.png', size: 3_000 }] },
			{ id: 'a2', files: [{ name: 'talk.mp4', size: 1_500_000 }] },
		]);

		const result = await download(['a1', 'a2']);

		expect(result.outputs[1] ?? []).toEqual([]);
		const [first, second] = result.outputs[0];
		expect(first.pairedItem).toEqual({ item: 0 });
		expect(second.pairedItem).toEqual({ item: 1 });
		expect(first.json).toEqual({
			asset_id: 'a1',
			asset_name: 'Asset a1',
			asset_type: 'VIDEO',
			asset_state: 'ACTIVED',
			files: [
				{
					file_id: 'a1-f0',
					asset_file_category: 'MAIN',
					fileName: 'clip.mp4',
					size: 200_000,
					mimeType: 'video/mp4',
					md5: md5(served.get('a1-f0')!.bytes),
					verified: true,
					binaryProperty: 'data',
				},
			],
		});
		expect(Object.keys(first.binary!)).toEqual(['data']);
		expect(storedBytes(first).equals(served.get('a1-f0')!.bytes)).toBe(true);
		expect(storedBytes(second).equals(served.get('a2-f0')!.bytes)).toBe(true);
		expect(first.binary!.data.fileName).toBe('clip.mp4');
		// The COVER was not fetched.
		expect(fileRequests('a1-f1')).toEqual([]);
	});

	it('should download every file with All Files, MAIN first, each into its own binary property', async () => {
		await start([
			{
				id: 'a1',
				files: [
					{ name: 'cover.png', size: 4_000, category: 'COVER' },
					{ name: 'clip.mp4', size: 50_000, category: 'MAIN' },
					{ name: 'notes.txt', size: 700, category: 'OTHER' },
				],
			},
		]);

		const result = await download(['a1'], { files: 'all', options: { binaryPropertyName: 'backup' } });

		const [item] = result.outputs[0];
		const files = item.json.files as IDataObject[];
		expect(files.map((file) => [file.file_id, file.asset_file_category, file.binaryProperty, file.verified])).toEqual([
			['a1-f1', 'MAIN', 'backup', true],
			['a1-f0', 'COVER', 'backup_1', true],
			['a1-f2', 'OTHER', 'backup_2', true],
		]);
		expect(storedBytes(item, 'backup').equals(served.get('a1-f1')!.bytes)).toBe(true);
		expect(storedBytes(item, 'backup_1').equals(served.get('a1-f0')!.bytes)).toBe(true);
		expect(storedBytes(item, 'backup_2').equals(served.get('a1-f2')!.bytes)).toBe(true);
	});

	it.each<[FileFault, string]>([
		['truncate', 'a body that breaks off'],
		['wrongBytes', 'altered bytes'],
		['shortBody', 'a wrong length'],
	])('should retry %s (%s) from the start and output only the whole, verified file', async (fault) => {
		await start([{ id: 'a1', files: [{ name: 'clip.mp4', size: 300_000 }] }]);
		host.fault(pathOf('a1-f0'), fault, 1);

		const result = await download(['a1']);

		expect(result.outputs[1] ?? []).toEqual([]);
		const [item] = result.outputs[0];
		expect((item.json.files as IDataObject[])[0]).toMatchObject({ verified: true, size: 300_000 });
		expect(storedBytes(item).equals(served.get('a1-f0')!.bytes)).toBe(true);
		expect(fileRequests('a1-f0')).toHaveLength(2);
	});

	it.each<[FileFault, RegExp]>([
		['truncate', /connection|closed|aborted/i],
		['wrongBytes', /MD5 .* where .* was expected/],
		['shortBody', /299999 bytes where 300000 were expected/],
	])('should never output a file that stays %s as a success: an error item once Max Retries is spent', async (fault, message) => {
		await start([{ id: 'a1', files: [{ name: 'clip.mp4', size: 300_000 }] }]);
		host.fault(pathOf('a1-f0'), fault, 10);

		const result = await download(['a1']);

		expect(result.outputs[0]).toEqual([]);
		const [failed] = result.outputs[1];
		expect(failed.pairedItem).toEqual({ item: 0 });
		expect(failed.binary).toBeUndefined();
		expect(errorOf(failed)).toMatchObject({ assetId: 'a1', retryable: true, attempts: 1 });
		expect(String(errorOf(failed).message)).toMatch(/^Could not download asset "a1": /);
		expect(String(errorOf(failed).message)).toMatch(message);
		if (fault !== 'truncate') expect(errorOf(failed).reason).toBe('corruptDownload');
		// Max Retries 2: three downloads of the file, then the failure.
		expect(fileRequests('a1-f0')).toHaveLength(3);
	});

	it('should read ShowAsset again once for a link that expired, then download with the fresh link', async () => {
		await start([{ id: 'a1', files: [{ name: 'clip.mp4', size: 20_000 }] }]);
		host.fault(pathOf('a1-f0'), 'expired', 1);

		const result = await download(['a1']);

		expect(result.outputs[0]).toHaveLength(1);
		expect(storedBytes(result.outputs[0][0]).equals(served.get('a1-f0')!.bytes)).toBe(true);
		expect(cloud.requestsTo('ShowAsset')).toHaveLength(2);
		const [stale, fresh] = fileRequests('a1-f0');
		expect(stale.status).toBe(403);
		expect(fresh.status).toBe(200);
		expect(fresh.query).not.toBe(stale.query);
	});

	it('should renew an expired link only once, and say so without the link', async () => {
		await start([{ id: 'a1', files: [{ name: 'clip.mp4', size: 20_000 }] }]);
		host.fault(pathOf('a1-f0'), 'expired', 5);

		const result = await download(['a1']);

		const [failed] = result.outputs[1];
		expect(errorOf(failed)).toMatchObject({ httpStatus: 403, retryable: false });
		expect(String(errorOf(failed).message)).toMatch(/link may have expired/);
		expect(cloud.requestsTo('ShowAsset')).toHaveLength(2);
		expect(fileRequests('a1-f0')).toHaveLength(2);
		// No signature anywhere a user sees it.
		expect(visibleText(result)).not.toMatch(/Signature=|AccessKeyId=/);
	});

	it('should follow a redirect to another host, sending it no credential either', async () => {
		await start([{ id: 'a1', files: [{ name: 'clip.mp4', size: 40_000 }] }]);
		const mirror = await FileHost.start();
		try {
			mirror.put('/mirror/clip.mp4', served.get('a1-f0')!.bytes);
			host.redirect(pathOf('a1-f0'), mirror.url('/mirror/clip.mp4'), 1);

			const result = await download(['a1']);

			expect(storedBytes(result.outputs[0][0]).equals(served.get('a1-f0')!.bytes)).toBe(true);
			expect(mirror.requests.map((request) => request.status)).toEqual([200]);
			expect(mirror.credentialHeaders()).toEqual([]);
		} finally {
			await mirror.stop();
		}
	});

	it.each<[Auth]>([['akSk'], ['iamToken']])('should send the file host no credential header with %s authentication', async (authentication) => {
		await start([{ id: 'a1', files: [{ name: 'clip.mp4', size: 10_000 }] }]);

		const result = await download(['a1'], {}, { authentication });

		expect(result.outputs[0]).toHaveLength(1);
		expect(host.requests).toHaveLength(1);
		expect(host.credentialHeaders()).toEqual([]);
		const text = JSON.stringify(host.requests);
		for (const secret of [SK, SECURITY_TOKEN, IAM_USER.password]) expect(text).not.toContain(secret);
	});

	it('should fail an asset without a downloadable file, clearly and without a download', async () => {
		await start([
			{ id: 'none', files: [], extra: { asset_state: 'CREATING' } },
			{ id: 'cover-only', files: [{ name: 'cover.png', size: 100, category: 'COVER' }] },
		]);

		const result = await download(['none', 'cover-only']);

		expect(result.outputs[0]).toEqual([]);
		expect(result.outputs[1].map((item) => [item.pairedItem, errorOf(item).reason, errorOf(item).retryable])).toEqual([
			[{ item: 0 }, 'notFound', false],
			[{ item: 1 }, 'notFound', false],
		]);
		expect(String(errorOf(result.outputs[1][0]).message)).toBe('Could not download asset "none": the asset has no MAIN file with a download URL');
		expect(host.requests).toEqual([]);
	});

	it('should say in a Dry Run what would be downloaded, without the links\' signatures, and download nothing', async () => {
		await start([{ id: 'a1', files: [{ name: 'clip.mp4', size: 12_345 }, { name: 'cover.png', size: 99 }] }]);

		const result = await download(['a1'], { files: 'all', options: { dryRun: true } });

		expect(result.outputs[0][0].json).toEqual({
			asset_id: 'a1',
			asset_name: 'Asset a1',
			asset_type: 'VIDEO',
			asset_state: 'ACTIVED',
			dryRun: true,
			files: [
				{ file_id: 'a1-f0', asset_file_category: 'MAIN', file_name: 'clip.mp4', file_size: 12_345, url: `${host.baseUrl}${pathOf('a1-f0')}` },
				{ file_id: 'a1-f1', asset_file_category: 'COVER', file_name: 'cover.png', file_size: 99, url: `${host.baseUrl}${pathOf('a1-f1')}` },
			],
		});
		expect(result.outputs[0][0].binary).toBeUndefined();
		expect(host.requests).toEqual([]);
	});

	it('should give an unknown asset its own error item and download the others', async () => {
		await start([{ id: 'a1', files: [{ name: 'clip.mp4', size: 1_000 }] }]);

		const result = await download(['missing', 'a1']);

		expect(result.outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
		expect(result.outputs[1].map((item) => [item.pairedItem, errorOf(item).reason])).toEqual([[{ item: 0 }, 'notFound']]);
	});
});
