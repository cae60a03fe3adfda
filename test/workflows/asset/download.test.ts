/**
 * Seedance (KyyVideo2) asset → Download through the n8n engine: the detail on the KyyVideo2 emulator,
 * its `url` on a file host of its own, stored as n8n binary data and checked against Content-Length.
 * The Bearer key never reaches the file host.
 */
import { createHash } from 'node:crypto';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { FileHost } from '../../emulators/fileHost';
import { KyyVideo2Emulator } from '../../emulators/kyyVideo2';
import type { RunResult } from '../../harness/runWorkflow';
import { runMediaAssets, visibleText } from '../../harness/runWorkflow';

const KEY = 'sk-kyy-downloads-key-7f3a9c';

describe('Seedance asset → Download', () => {
	let api: KyyVideo2Emulator;
	let host: FileHost;

	afterEach(async () => {
		await api?.stop();
		await host?.stop();
	});

	const bytes = (seed: string, size: number) => {
		const out = Buffer.alloc(size);
		for (let i = 0; i < size; i++) out[i] = createHash('md5').update(`${seed}:${Math.floor(i / 16)}`).digest()[i % 16];
		return out;
	};

	async function start(assets: Array<{ id: string; status?: 'Processing' | 'Active' | 'Failed'; size?: number; url?: string }>) {
		host = await FileHost.start();
		const content = new Map<string, Buffer>();
		const seeds = assets.map(({ id, status = 'Active', size = 50_000, url }) => {
			const data = bytes(id, size);
			content.set(id, data);
			host.put(`/cdn/kyy/${id}.mp4`, data);
			return { assetId: id, status, url: url ?? host.url(`/cdn/kyy/${id}.mp4`) };
		});
		api = await KyyVideo2Emulator.start({ apiKey: KEY, assets: seeds });
		return content;
	}

	async function download(ids: string[], options: IDataObject = {}): Promise<RunResult> {
		return await runMediaAssets({
			items: ids.map((assetId) => ({ assetId })),
			parameters: { resource: 'asset', operation: 'download', assetId: '={{ $json.assetId }}', options: { maxRetries: 1, ...options } },
			onError: 'continueErrorOutput',
			credentials: { kyyVideo2Api: { apiKey: KEY, baseUrl: api.baseUrl } },
		});
	}

	const errorOf = (item: INodeExecutionData) => item.json.error as IDataObject;
	const stored = (item: INodeExecutionData) => Buffer.from(item.binary!.data.data, 'base64');

	it('should download an Active asset, its size checked against Content-Length, and send the file host no key', async () => {
		const content = await start([{ id: 'asset-20260330142158-q75m8', size: 123_456 }]);

		const result = await download(['asset-20260330142158-q75m8']);

		const [item] = result.outputs[0];
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({ assetId: 'asset-20260330142158-q75m8', status: 'Active' });
		expect(item.json.files).toEqual([
			{
				fileName: 'asset-20260330142158-q75m8.mp4',
				size: 123_456,
				mimeType: 'video/mp4',
				md5: createHash('md5').update(content.get('asset-20260330142158-q75m8')!).digest('base64'),
				verified: true,
				binaryProperty: 'data',
			},
		]);
		expect(stored(item).equals(content.get('asset-20260330142158-q75m8')!)).toBe(true);
		expect(host.credentialHeaders()).toEqual([]);
		expect(JSON.stringify(host.requests)).not.toContain(KEY);
	});

	it.each<['Processing' | 'Failed', boolean]>([
		['Processing', true],
		['Failed', false],
	])('should fail an asset that is %s with a clear error, downloading nothing', async (status, retryable) => {
		await start([{ id: 'asset-1', status }]);

		const result = await download(['asset-1']);

		expect(result.outputs[0]).toEqual([]);
		expect(errorOf(result.outputs[1][0])).toMatchObject({ assetId: 'asset-1', retryable });
		expect(String(errorOf(result.outputs[1][0]).message)).toBe(`Could not download asset "asset-1": the asset is ${status}, not Active, so it has no file to download`);
		expect(host.requests).toEqual([]);
	});

	it('should refuse a URL that is not http(s) without fetching it', async () => {
		await start([{ id: 'asset-1', url: 'file:///etc/passwd' }]);

		const result = await download(['asset-1']);

		expect(String(errorOf(result.outputs[1][0]).message)).toMatch(/the download URL is not an http\(s\) URL/);
	});

	it('should retry a body with a wrong length and never output it', async () => {
		await start([{ id: 'asset-1', size: 10_000 }]);
		host.fault('/cdn/kyy/asset-1.mp4', 'truncate', 5);

		const result = await download(['asset-1']);

		expect(result.outputs[0]).toEqual([]);
		expect(result.outputs[1][0].binary).toBeUndefined();
		expect(host.requests).toHaveLength(2);
		expect(visibleText(result)).not.toMatch(/Signature=/);
	});

	it('should say in a Dry Run which file would be downloaded, without its signature', async () => {
		await start([{ id: 'asset-1' }]);

		const result = await download(['asset-1'], { dryRun: true });

		expect(result.outputs[0][0].json).toMatchObject({ assetId: 'asset-1', dryRun: true, files: [{ fileName: 'asset-1.mp4', url: `${host.baseUrl}/cdn/kyy/asset-1.mp4` }] });
		expect(host.requests).toEqual([]);
	});
});
