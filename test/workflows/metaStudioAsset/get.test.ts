/**
 * MetaStudio asset → Get through the n8n engine: the asset's fields as MetaStudio sends them, a missing
 * asset; the Asset ID from a resource locator or a plain string, and Simplify.
 */
import type { IDataObject } from 'n8n-workflow';

import type { MetaStudioEmulator } from '../../emulators/metaStudio';
import { generateAssets } from '../../emulators/metaStudioAssets';
import { emulatorSession, LIBRARY_KEYS, locator, LOCATOR_KEYS } from './shared';

describe('MetaStudio asset → Get', () => {
	let cloud: MetaStudioEmulator;

	afterEach(async () => {
		await cloud?.stop();
	});

	describe('through the n8n engine', () => {
		const { start, run } = emulatorSession(LIBRARY_KEYS, (started) => (cloud = started));

		it("should return the asset's fields as MetaStudio sends them, files included", async () => {
			await start(generateAssets(2, { filesPerAsset: 2 }));
			const result = await run({ operation: 'get', assetId: '={{ $json.id }}', simple: false, options: {} }, [{ id: 'asset-00001' }]);
			const [item] = result.outputs[0];
			expect(item.json).toEqual(cloud.asset('asset-00001'));
			expect((item.json.files as IDataObject[]).length).toBe(2);
			expect(item.pairedItem).toEqual({ item: 0 });
		});

		it('should make a missing asset an error item naming MSS.10001001', async () => {
			await start();
			const result = await run({ operation: 'get', assetId: '={{ $json.id }}', options: {} }, [{ id: 'asset-missing' }]);
			const error = result.outputs[1][0].json.error as IDataObject;
			expect(error).toMatchObject({ reason: 'notFound', code: 'MSS.10001001', httpStatus: 400, assetId: 'asset-missing' });
			expect(String(error.message)).toContain('Could not get asset "asset-missing"');
		});
	});

	describe('from a resource locator or a plain string', () => {
		const { start, run } = emulatorSession(LOCATOR_KEYS, (started) => (cloud = started));

		it('should read the same asset from a locator or a plain string, simplified unless Simplify is off', async () => {
			await start(generateAssets(3, { tags: ['promo'], filesPerAsset: 2 }));
			const plain = await run({ operation: 'get', assetId: 'asset-00001', simple: false, options: {} });
			const unsimplified = await run({ operation: 'get', assetId: locator('asset-00001'), simple: false, options: {} });
			const located = await run({ operation: 'get', assetId: locator('asset-00001'), options: {} });

			expect(unsimplified.outputs[0].map((i) => i.json)).toEqual(plain.outputs[0].map((i) => i.json));
			const raw = plain.outputs[0][0].json;
			expect((raw.files as IDataObject[])[0]).toHaveProperty('download_url');
			expect(located.outputs[0][0].json).toEqual({
				asset_id: 'asset-00001',
				asset_name: raw.asset_name,
				asset_type: raw.asset_type,
				asset_state: 'ACTIVED',
				create_time: raw.create_time,
				update_time: raw.update_time,
				tags: ['promo'],
				files: (raw.files as IDataObject[]).map((f) => ({ file_id: f.file_id, file_name: f.file_name })),
			});
			expect(located.outputs[0][0].pairedItem).toEqual({ item: 0 });
		});

		it('should map By ID from the input with an expression, and check it as a plain field is checked', async () => {
			await start();
			const items = [{ asset_id: 'asset-00002' }, { asset_id: 'asset-1/../x' }];
			const plain = await run({ operation: 'get', assetId: '={{ $json.asset_id }}', options: {} }, items);
			const located = await run({ operation: 'get', assetId: locator('={{ $json.asset_id }}', 'id'), simple: false, options: {} }, items);

			for (const result of [plain, located]) {
				expect(result.outputs[0].map((i) => i.json.asset_id)).toEqual(['asset-00002']);
				expect(result.outputs[1]).toHaveLength(1);
				expect(result.outputs[1][0].pairedItem).toEqual({ item: 1 });
			}
			expect(located.outputs[1][0].json.error).toEqual(plain.outputs[1][0].json.error);
		});
	});
});
