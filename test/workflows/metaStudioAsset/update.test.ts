/**
 * MetaStudio asset → Update through the n8n engine: name, description and tags (replaced, or added to /
 * removed from the current ones by reading, merging and writing), against the emulator's
 * UpdateDigitalAsset.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { MetaStudioEmulator } from '../../emulators/metaStudio';
import type { RunResult } from '../../harness/runWorkflow';
import { runMediaAssets } from '../../harness/runWorkflow';

const PROJECT = '9d9d4f8354f64dd9b9a614def7b59d86';
const AK = 'HPUAXLPZQ7TESTAK0061';
const SK = 'secretKeyUpdates0123456789abcdefghijklm';

describe('MetaStudio asset → Update', () => {
	let cloud: MetaStudioEmulator;

	afterEach(async () => {
		await cloud?.stop();
	});

	async function start() {
		cloud = await MetaStudioEmulator.start({
			accessKeyId: AK,
			secretAccessKey: SK,
			projectId: PROJECT,
			assets: [
				{ asset_id: 'a1', asset_name: 'Old name', tags: ['keep', 'draft'] },
				{ asset_id: 'a2', asset_name: 'Second', tags: ['draft'] },
			],
			faults: { methods: ['PUT'] },
		});
	}

	async function update(ids: string[], updateFields: INodeParameters, options: INodeParameters = {}, extra: INodeParameters = {}): Promise<RunResult> {
		return await runMediaAssets({
			items: ids.map((id) => ({ id })),
			parameters: { resource: 'metaStudioAsset', operation: 'update', authentication: 'akSk', assetId: '={{ $json.id }}', updateFields, options, ...extra },
			onError: 'continueErrorOutput',
			credentials: { huaweiCloudAkSkApi: cloud.akSkCredential() },
		});
	}

	const puts = () => cloud.requestsTo('UpdateDigitalAsset');
	const errorOf = (item: INodeExecutionData) => item.json.error as IDataObject;

	it('should replace name, description and tags, and output what MetaStudio now holds', async () => {
		await start();

		const result = await update(['a1'], { assetName: 'New name', assetDescription: 'Reviewed', tags: 'final, q4' });

		const [item] = result.outputs[0];
		expect(item.json).toMatchObject({ assetId: 'a1', updated: true, asset_name: 'New name', asset_description: 'Reviewed', tags: ['final', 'q4'], attempts: 1 });
		expect(cloud.asset('a1')).toMatchObject({ asset_name: 'New name', asset_description: 'Reviewed', tags: ['final', 'q4'] });
		expect(cloud.requestsTo('ShowAsset')).toEqual([]);
	});

	it('should add tags to the current ones (read, merge, write), per asset', async () => {
		await start();

		const result = await update(['a1', 'a2'], { tags: 'cleanup-candidate, draft', tagsMode: 'add' });

		expect(result.outputs[0].map((item) => item.json.tags)).toEqual([
			['keep', 'draft', 'cleanup-candidate'],
			['draft', 'cleanup-candidate'],
		]);
		expect(cloud.asset('a1')!.tags).toEqual(['keep', 'draft', 'cleanup-candidate']);
		expect(cloud.requestsTo('ShowAsset')).toHaveLength(2);
	});

	it('should remove tags from the current ones', async () => {
		await start();

		await update(['a1'], { tags: 'draft', tagsMode: 'remove' });

		expect(cloud.asset('a1')!.tags).toEqual(['keep']);
	});

	it('should read the current tags in a Dry Run and show the request it would send, without sending it', async () => {
		await start();

		const result = await update(['a1'], { tags: 'extra', tagsMode: 'add' }, { dryRun: true });

		expect(result.outputs[0][0].json).toMatchObject({ dryRun: true, updated: false, method: 'PUT', body: { tags: ['keep', 'draft', 'extra'] }, tagsBefore: ['keep', 'draft'] });
		expect(puts()).toEqual([]);
		expect(cloud.asset('a1')!.tags).toEqual(['keep', 'draft']);
	});

	it.each<[string, INodeParameters, RegExp]>([
		['nothing to update', {}, /There is nothing to update/],
		['a tag over 128 characters', { tags: 'x'.repeat(129) }, /has 129 characters; MetaStudio allows 128/],
		['a description over 4096 characters', { assetDescription: 'd'.repeat(4097) }, /4097 characters; MetaStudio allows 4096/],
	])('should refuse %s with a clear error and send nothing', async (_case, fields, message) => {
		await start();

		const result = await update(['a1'], fields);

		expect(errorOf(result.outputs[1][0])).toMatchObject({ reason: 'invalidInput', assetId: null });
		expect(String(errorOf(result.outputs[1][0]).message)).toMatch(message);
		expect(cloud.requests.filter((request) => request.api !== undefined)).toEqual([]);
	});

	it('should fail an unknown asset as MetaStudio answers', async () => {
		await start();

		const result = await update(['missing'], { assetName: 'x' });

		expect(errorOf(result.outputs[1][0])).toMatchObject({ assetId: 'missing', reason: 'notFound', code: 'MSS.10001001' });
	});

	it('should settle an update whose answer was lost by reading the asset, not by writing again', async () => {
		await start();
		cloud.faultNext('UpdateDigitalAsset', 'landedThenDrop', 1);

		const result = await update(['a1'], { assetName: 'Renamed' }, { maxRetries: 0 });

		expect(result.outputs[0][0].json).toMatchObject({ assetId: 'a1', updated: true, asset_name: 'Renamed', requestId: null });
		expect(puts()).toHaveLength(1);
		expect(cloud.requestsTo('ShowAsset')).toHaveLength(1);
	});
});
