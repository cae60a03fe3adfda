/**
 * Seedance (KyyVideo2) asset → Create from a URL through the n8n engine, against the KyyVideo2
 * emulator's upload: the new asset is Processing, then Active (or Failed for refused files).
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { KyyVideo2Emulator } from '../../emulators/kyyVideo2';
import type { RunResult } from '../../harness/runWorkflow';
import { runMediaAssets } from '../../harness/runWorkflow';

const KEY = 'sk-kyy-create-key-5d21aa';

describe('Seedance asset → Create', () => {
	let api: KyyVideo2Emulator;

	afterEach(async () => {
		await api?.stop();
	});

	async function create(items: IDataObject[], options: INodeParameters = {}, extra: INodeParameters = {}): Promise<RunResult> {
		return await runMediaAssets({
			items,
			parameters: { resource: 'asset', operation: 'create', fileUrl: '={{ $json.url }}', assetType: 'Video', assetName: '={{ $json.name }}', options, ...extra },
			onError: 'continueErrorOutput',
			credentials: { kyyVideo2Api: { apiKey: KEY, baseUrl: api.baseUrl } },
		});
	}

	const uploads = () => api.requests.filter((request) => request.method === 'POST');
	const errorOf = (item: INodeExecutionData) => item.json.error as IDataObject;

	it('should create an asset per URL, Processing, with its new ID, one item per input item in order', async () => {
		api = await KyyVideo2Emulator.start({ apiKey: KEY });

		const result = await create([
			{ url: 'https://media.example.com/a.mp4', name: 'Clip A' },
			{ url: 'https://media.example.com/b.mp4', name: 'Clip B' },
		]);

		expect(result.outputs[1] ?? []).toEqual([]);
		const items = result.outputs[0];
		expect(items.map((item) => [item.pairedItem, item.json.created, item.json.status, item.json.name])).toEqual([
			[{ item: 0 }, true, 'Processing', 'Clip A'],
			[{ item: 1 }, true, 'Processing', 'Clip B'],
		]);
		for (const item of items) expect(api.hasAsset(String(item.json.assetId))).toBe(true);
		expect(uploads()).toHaveLength(2);
	});

	it('should wait until the asset is Active when asked, reading the detail at the poll interval', async () => {
		api = await KyyVideo2Emulator.start({ apiKey: KEY, processingReads: 2 });

		const result = await create([{ url: 'https://media.example.com/a.mp4', name: 'Clip A' }], { waitUntilActive: true, pollInterval: 0.5 });

		const [item] = result.outputs[0];
		expect(item.json).toMatchObject({ created: true, status: 'Active', assetId: expect.stringMatching(/^asset-/) });
		expect(api.requests.filter((request) => request.method === 'GET')).toHaveLength(3);
	});

	it('should fail the item when the service refuses the file (Failed), naming the new asset', async () => {
		api = await KyyVideo2Emulator.start({ apiKey: KEY, processingReads: 1, failUrls: /broken/ });

		const result = await create([{ url: 'https://media.example.com/broken.mp4', name: 'Broken' }], { waitUntilActive: true, pollInterval: 0.5 });

		expect(result.outputs[0]).toEqual([]);
		expect(errorOf(result.outputs[1][0])).toMatchObject({ retryable: false, url: 'https://media.example.com/broken.mp4' });
		expect(String(errorOf(result.outputs[1][0]).message)).toMatch(/but refused it \(status Failed\)/);
	});

	it('should refuse a URL that is not http(s), and send nothing', async () => {
		api = await KyyVideo2Emulator.start({ apiKey: KEY });

		const result = await create([{ url: 'file:///etc/passwd' }, { url: '' }]);

		expect(result.outputs[1].map((item) => errorOf(item).reason)).toEqual(['invalidInput', 'invalidInput']);
		expect(uploads()).toEqual([]);
	});

	it('should never send an upload twice when its answer is lost, and say the asset may exist', async () => {
		api = await KyyVideo2Emulator.start({ apiKey: KEY });
		api.faultNext('upload', 'landedThenDrop', 1);

		const result = await create([{ url: 'https://media.example.com/a.mp4', name: 'Clip A' }], { maxRetries: 3 });

		expect(uploads()).toHaveLength(1);
		expect(api.assetIds()).toHaveLength(1);
		const error = errorOf(result.outputs[1][0]);
		expect(error).toMatchObject({ retryable: false });
		expect(String(error.description)).toMatch(/may have been carried out .* check before running the item again/);
	});

	it('should say in a Dry Run what would be sent, and send nothing', async () => {
		api = await KyyVideo2Emulator.start({ apiKey: KEY });

		const result = await create([{ url: 'https://media.example.com/a.mp4', name: 'Clip A' }], { dryRun: true });

		expect(result.outputs[0][0].json).toMatchObject({ dryRun: true, created: false, method: 'POST', body: { assetType: 'Video', url: 'https://media.example.com/a.mp4', name: 'Clip A' } });
		expect(uploads()).toEqual([]);
	});
});
