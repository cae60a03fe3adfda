/**
 * MetaStudio asset → Get Many through the n8n engine: pages and the Limit, every filter as ListAssets
 * documents it, an IAM token, a page that keeps failing; Simplify, sorting, tag combination, exact asset
 * IDs and the Limit's execution hint.
 */
import type { IDataObject } from 'n8n-workflow';

import type { MetaStudioEmulator } from '../../emulators/metaStudio';
import { generateAssets } from '../../emulators/metaStudioAssets';
import { emulatorSession, hintsOf, LIBRARY_KEYS, LOCATOR_KEYS } from './shared';

describe('MetaStudio asset → Get Many', () => {
	let cloud: MetaStudioEmulator;

	afterEach(async () => {
		await cloud?.stop();
	});

	describe('through the n8n engine', () => {
		const { start, run, listRequests } = emulatorSession(LIBRARY_KEYS, (started) => (cloud = started));

		it('should page by 100 until count is reached when returning all, pairing every asset with the input item', async () => {
			await start(generateAssets(250));
			const result = await run({ operation: 'getAll', returnAll: true, filters: {}, options: {} });

			expect(result.error).toBeUndefined();
			const items = result.outputs[0];
			expect(items).toHaveLength(250);
			expect(items.map((item) => item.json.asset_id)).toEqual(generateAssets(250).map((seed) => seed.asset_id));
			expect(items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
			expect(items[0].json).toMatchObject({ asset_id: 'asset-00000', asset_state: 'ACTIVED', files: [expect.objectContaining({ file_id: expect.any(String) })] });
			const pages = listRequests().map((r) => new URL(r.rawPath, 'http://x').searchParams);
			expect(pages.map((query) => [query.get('offset'), query.get('limit')])).toEqual([
				['0', '100'],
				['100', '100'],
				['200', '100'],
			]);
		});

		it('should stop at the limit, asking only for what it still needs', async () => {
			await start(generateAssets(250));
			const result = await run({ operation: 'getAll', returnAll: false, limit: 120, filters: {}, options: {} });

			expect(result.outputs[0]).toHaveLength(120);
			const pages = listRequests().map((r) => new URL(r.rawPath, 'http://x').searchParams);
			expect(pages.map((query) => [query.get('offset'), query.get('limit')])).toEqual([
				['0', '100'],
				['100', '20'],
			]);
		});

		it('should send every filter as documented and return only matching assets', async () => {
			await start(
				generateAssets(40, {
					start: '2026-09-01T00:00:00Z',
					stepMs: 24 * 3600_000,
					each: (i) => ({
						asset_state: i % 4 === 0 ? 'FAILED' : 'ACTIVED',
						asset_type: i % 2 === 0 ? 'VIDEO' : 'IMAGE',
						asset_name: i % 3 === 0 ? `promo clip ${i}` : `asset ${i}`,
						tags: i % 5 === 0 ? ['campaign-x'] : [],
					}),
				}),
			);
			const result = await run({
				operation: 'getAll',
				returnAll: true,
				filters: {
					assetState: ['FAILED'],
					assetType: ['VIDEO'],
					name: 'promo',
					tag: 'campaign-x',
					// A wall time, read in the workflow's time zone (n8n's default: America/New_York).
					createdAfter: '2026-08-31T00:00:00',
					createdBefore: '2026-10-31T00:00:00Z',
				},
				options: {},
			});

			const query = new URL(listRequests()[0].rawPath, 'http://x').searchParams;
			expect(query.get('asset_state')).toBe('FAILED');
			expect(query.get('asset_type')).toBe('VIDEO');
			expect(query.get('name')).toBe('promo');
			expect(query.get('tag')).toBe('campaign-x');
			expect(query.get('start_time')).toBe('2026-08-31T04:00:00Z');
			expect(query.get('end_time')).toBe('2026-10-31T00:00:00Z');
			const ids = result.outputs[0].map((item) => item.json.asset_id);
			// i divisible by 4 (FAILED), 2 (VIDEO), 3 (promo), 5 (tag): i = 0 and i = 60 → only 0 is seeded.
			expect(ids).toEqual(['asset-00000']);
		});

		it('should send several states comma-separated', async () => {
			await start(generateAssets(6, { each: (i) => ({ asset_state: (['FAILED', 'DELETING', 'ACTIVED'] as const)[i % 3] }) }));
			const result = await run({ operation: 'getAll', returnAll: true, filters: { assetState: ['FAILED', 'DELETING'] }, options: {} });
			expect(new URL(listRequests()[0].rawPath, 'http://x').searchParams.get('asset_state')).toBe('FAILED,DELETING');
			expect(result.outputs[0].map((item) => item.json.asset_state)).toEqual(['FAILED', 'DELETING', 'FAILED', 'DELETING']);
		});

		it('should list with an IAM token as well', async () => {
			await start(generateAssets(3));
			const result = await run({ operation: 'getAll', returnAll: true, filters: {}, options: {} }, [{}], { authentication: 'iamToken' });
			expect(result.outputs[0]).toHaveLength(3);
			expect(listRequests()[0].headers['x-auth-token']).toEqual(expect.any(String));
		});

		it('should fail the input item, not pass a partial listing, when a page keeps failing', async () => {
			await start(generateAssets(150));
			cloud.setFaults({ methods: ['GET'], random: { probability: 1, kinds: ['http500'] } });
			const result = await run({ operation: 'getAll', returnAll: true, filters: {}, options: { maxRetries: 1 } });

			const [success, failed] = result.outputs;
			expect(success).toEqual([]);
			expect(failed).toHaveLength(1);
			expect(failed[0].pairedItem).toEqual({ item: 0 });
			expect(failed[0].json.error).toMatchObject({ reason: 'serverError', retryable: true, attempts: 2, httpStatus: 500 });
			expect(String((failed[0].json.error as IDataObject).message)).toMatch(/^Could not list assets: /);
		});

		it('should refuse a date filter that is not a date, with no request', async () => {
			await start();
			const result = await run({ operation: 'getAll', returnAll: true, filters: { createdAfter: 'last tuesday' }, options: {} });
			expect(result.outputs[1][0].json.error).toMatchObject({ reason: 'invalidInput' });
			expect(cloud.requests).toHaveLength(0);
		});
	});

	describe('with Simplify, ListAssets filters and hints', () => {
		const { start, run, listQueries } = emulatorSession(LOCATOR_KEYS, (started) => (cloud = started));

		it('should send the same request with Simplify on or off, and simplify each asset', async () => {
			await start(generateAssets(30));
			const plain = await run({ operation: 'getAll', returnAll: true, simple: false, filters: { assetState: ['ACTIVED'] }, options: {} });
			const located = await run({ operation: 'getAll', returnAll: true, filters: { assetState: ['ACTIVED'] }, options: {} });
			const [q1, q2] = listQueries();
			expect(q2).toBe(q1);
			expect(located.outputs[0].map((i) => i.json.asset_id)).toEqual(plain.outputs[0].map((i) => i.json.asset_id));
			expect(Object.keys(located.outputs[0][0].json)).toEqual(['asset_id', 'asset_name', 'asset_type', 'asset_state', 'create_time', 'update_time', 'tags', 'files']);
			const unsimplified = await run({ operation: 'getAll', returnAll: true, simple: false, filters: { assetState: ['ACTIVED'] }, options: {} });
			expect(unsimplified.outputs[0].map((i) => i.json)).toEqual(plain.outputs[0].map((i) => i.json));
		});

		it('should send sort, source, tag combination and exact asset IDs as ListAssets documents them', async () => {
			await start(
				generateAssets(10, {
					each: (i) => ({ tags: i % 3 === 0 ? ['a'] : i % 3 === 1 ? ['b'] : ['a', 'b'], update_time: Date.parse('2026-06-01T00:00:00Z') - i * 1000 }),
				}),
			);
			const result = await run({
				operation: 'getAll',
				returnAll: true,
				filters: {
					tag: 'a,b',
					tagCombination: 'UNION_SET',
					sortKey: 'update_time',
					sortDir: 'desc',
					assetSource: 'ALL',
					assetIds: 'asset-00001, asset-00002,asset-00003',
				},
				options: {},
			});
			// The AK/SK signer sends the query in canonical (sorted) order; array values as repeated keys.
			expect(listQueries()[0]).toBe(
				'?asset_id=asset-00001&asset_id=asset-00002&asset_id=asset-00003&asset_source=ALL&limit=100&offset=0&sort_dir=desc&sort_key=update_time&tag=a%2Cb&tag_combination_type=UNION_SET',
			);
			// Newest update first: asset 1 was updated last.
			expect(result.outputs[0].map((i) => i.json.asset_id)).toEqual(['asset-00001', 'asset-00002', 'asset-00003']);

			const both = await run({ operation: 'getAll', returnAll: true, filters: { tag: 'a,b', tagCombination: 'INTERSECTION' }, options: {} });
			expect(both.outputs[0].map((i) => i.json.asset_id)).toEqual(['asset-00002', 'asset-00005', 'asset-00008']);
		});

		it('should refuse a bad ID in the Asset IDs filter before sending anything', async () => {
			await start();
			const result = await run({ operation: 'getAll', returnAll: true, filters: { assetIds: 'asset-1/../x' }, options: {} });
			expect(result.outputs[1]).toHaveLength(1);
			expect(String((result.outputs[1][0].json.error as IDataObject).message)).toMatch(/asset ID in the Asset IDs filter/);
			expect(listQueries()).toHaveLength(0);
		});

		it('should hint when the Limit stopped the listing while more assets matched', async () => {
			await start(generateAssets(30));
			const located = await run({ operation: 'getAll', returnAll: false, limit: 10, filters: {}, options: {} });
			expect(located.outputs[0]).toHaveLength(10);
			expect(hintsOf(located)).toEqual([
				'Get Many stopped at the Limit of 10 MetaStudio assets; 30 matched. Turn on Return All, or raise the Limit, to get the rest.',
			]);
			const all = await run({ operation: 'getAll', returnAll: false, limit: 30, filters: {}, options: {} });
			expect(hintsOf(all)).toEqual([]);
		});
	});
});
