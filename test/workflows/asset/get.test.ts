/**
 * Seedance (KyyVideo2) asset → Get through the n8n engine: the detail endpoint's data per item, errors,
 * the API key, and Simplify.
 */
import type { INodeParameters } from 'n8n-workflow';

import { KyyVideo2Emulator } from '../../emulators/kyyVideo2';
import { runMediaAssets, visibleText } from '../../harness/runWorkflow';

describe('Seedance asset → Get', () => {
	let api: KyyVideo2Emulator;

	afterEach(async () => {
		await api?.stop();
	});

	describe('through the n8n engine', () => {
		const API_KEY = 'sk-kyy-get-test-2b7e9c';

		beforeEach(async () => {
			api = await KyyVideo2Emulator.start({
				apiKey: API_KEY,
				assets: [{ assetId: 'asset-20260330142158-q75m8', status: 'Failed', assetType: 'Image' }, 'asset-b'],
			});
		});

		const run = async (ids: string[]) =>
			await runMediaAssets({
				items: ids.map((assetId) => ({ assetId })),
				parameters: { resource: 'asset', operation: 'get', assetId: '={{ $json.assetId }}', simple: false, options: {} },
				onError: 'continueErrorOutput',
				credentials: { kyyVideo2Api: { apiKey: API_KEY, baseUrl: api.baseUrl } },
			});

		it("should return the detail endpoint's data for each asset, paired and in order", async () => {
			const result = await run(['asset-20260330142158-q75m8', 'asset://asset-b']);

			const [first, second] = result.outputs[0];
			expect(first.json).toEqual({
				name: expect.any(String),
				assetId: 'asset-20260330142158-q75m8',
				status: 'Failed',
				assetType: 'Image',
				url: expect.any(String),
				createTime: expect.any(String),
			});
			expect(first.pairedItem).toEqual({ item: 0 });
			expect(second.json.assetId).toBe('asset-b');
			expect(second.pairedItem).toEqual({ item: 1 });
			expect(api.requests.map((r) => `${r.method} ${r.rawPath}`)).toEqual(
				expect.arrayContaining(['GET /kyyReactApiServer/kyyVideo2/asset/asset-20260330142158-q75m8']),
			);
			expect(api.requests.every((r) => r.method === 'GET')).toBe(true);
		});

		it('should make a missing asset an error item with the API code', async () => {
			const result = await run(['asset-missing']);
			const [failed] = result.outputs[1];
			expect(failed.json.error).toMatchObject({ assetId: 'asset-missing', reason: 'notFound', retryable: false, code: expect.any(String) });
			expect(String((failed.json.error as { message: string }).message)).toContain('Could not get asset "asset-missing"');
			expect(failed.pairedItem).toEqual({ item: 0 });
		});

		it('should keep the API key out of items and logs on a wrong key', async () => {
			const result = await runMediaAssets({
				items: [{ assetId: 'asset-b' }],
				parameters: { resource: 'asset', operation: 'get', assetId: '={{ $json.assetId }}', simple: false, options: {} },
				onError: 'continueErrorOutput',
				credentials: { kyyVideo2Api: { apiKey: 'sk-wrong-key-never-shown-4411', baseUrl: api.baseUrl } },
			});
			expect(result.outputs[1][0].json.error).toMatchObject({ reason: 'authentication', httpStatus: 401 });
			expect(visibleText(result)).not.toContain('sk-wrong-key-never-shown-4411');
		});
	});

	describe('Simplify', () => {
		const KYY_KEY = 'sk-kyy-locators-key-16';

		it('should simplify unless Simplify is off, which gives the whole detail', async () => {
			api = await KyyVideo2Emulator.start({ apiKey: KYY_KEY, assets: ['asset-20260330142158-q75m8'] });
			const kyy = async (extra: INodeParameters = {}) =>
				await runMediaAssets({
					items: [{}],
					parameters: { resource: 'asset', operation: 'get', assetId: 'asset-20260330142158-q75m8', options: {}, ...extra },
					credentials: { kyyVideo2Api: { apiKey: KYY_KEY, baseUrl: api.baseUrl } },
				});
			const located = await kyy();
			const unsimplified = await kyy({ simple: false });
			const { url, ...short } = unsimplified.outputs[0][0].json;
			expect(url).toEqual(expect.any(String));
			expect(located.outputs[0][0].json).toEqual(short);
		});
	});
});
