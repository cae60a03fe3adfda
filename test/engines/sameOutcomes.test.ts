/**
 * What was seen in a real n8n 1.123.81, run on both engine lines: faults that the
 * node must ride out (500, 503, dropped connections) and an IAM token that expires mid-batch.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { KyyVideo2Emulator } from '../emulators/kyyVideo2';
import { MetaStudioEmulator } from '../emulators/metaStudio';
import { runMediaAssets } from '../harness/runWorkflow';
import type { RunResult } from '../harness/runWorkflow';
import { ENGINE_LINE } from './line';

const ids = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);
const rowOf = (item: INodeExecutionData) => (item.pairedItem as { item: number }).item;
const errorOf = (item: INodeExecutionData) => item.json.error as IDataObject;

const FAULTS = { probability: 0.25, kinds: ['http500' as const, 'http503' as const, 'drop' as const], seed: 8 };
const MAX_RETRIES = 3;

/**
 * Every item comes out exactly once; what is reported deleted is gone and was deleted once; what is
 * reported failed is still there and failed only after every allowed attempt of a retryable fault.
 */
function expectEveryItemAccountedFor(
	result: RunResult,
	targets: string[],
	idField: string,
	emulator: { hasAsset?(id: string): boolean; hasFile?(id: string): boolean; deletesLanded(id: string): number },
) {
	const exists = (id: string) => (emulator.hasFile ?? emulator.hasAsset)!.call(emulator, id);
	const [success, failed = []] = result.outputs;
	expect(result.error).toBeUndefined();
	expect([...success, ...failed].map(rowOf).sort((a, b) => a - b)).toEqual(targets.map((_, i) => i));
	for (const item of success) {
		expect(item.json[idField]).toBe(targets[rowOf(item)]);
		expect(exists(targets[rowOf(item)])).toBe(false);
	}
	for (const item of failed) {
		expect(exists(targets[rowOf(item)])).toBe(true);
		expect(errorOf(item)).toMatchObject({ retryable: true, attempts: MAX_RETRIES + 1 });
	}
	for (const id of targets) expect(emulator.deletesLanded(id)).toBeLessThanOrEqual(1);
}

describe(`the same outcomes on n8n ${ENGINE_LINE}`, () => {
	describe('under 25 % injected 500, 503 and dropped connections', () => {
		it('should account for every Seedance asset of 60, delete none twice and leave none behind as deleted', async () => {
			const assets = ids(60, 'asset-chaos-');
			const api = await KyyVideo2Emulator.start({ apiKey: 'kyy-chaos-key', assets });
			try {
				api.setFaults({ random: FAULTS, methods: ['DELETE', 'GET'] });
				const result = await runMediaAssets({
					items: assets.map((assetId) => ({ assetId })),
					parameters: { resource: 'asset', operation: 'delete', assetId: '={{ $json.assetId }}', options: { maxRetries: MAX_RETRIES } } as never,
					onError: 'continueErrorOutput',
					credentials: { kyyVideo2Api: { apiKey: 'kyy-chaos-key', baseUrl: api.baseUrl } },
				});

				expect(api.faultsInjected.drop).toBeGreaterThan(0);
				expectEveryItemAccountedFor(result, assets, 'assetId', api);
			} finally {
				await api.stop();
			}
		});

		it('should account for every MetaStudio file of 60, delete none twice and leave none behind as deleted', async () => {
			const files = ids(60, 'file-chaos-');
			const cloud = await MetaStudioEmulator.start({
				accessKeyId: 'AKCHAOS0000000000001',
				secretAccessKey: 'sk-chaos-secret-00000000000000000000000',
				projectId: 'p0000000000000000000000000000008',
				files,
			});
			try {
				cloud.setFaults({ random: FAULTS });
				const result = await runMediaAssets({
					items: files.map((fileId) => ({ fileId })),
					parameters: {
						resource: 'mediaFile',
						operation: 'delete',
						authentication: 'akSk',
						fileId: '={{ $json.fileId }}',
						options: { maxRetries: MAX_RETRIES, requestsPerSecond: 0 },
					} as never,
					onError: 'continueErrorOutput',
					credentials: {
						huaweiCloudAkSkApi: {
							accessKeyId: 'AKCHAOS0000000000001',
							secretAccessKey: 'sk-chaos-secret-00000000000000000000000',
							region: 'cn-north-4',
							projectId: 'p0000000000000000000000000000008',
							endpoint: cloud.endpoint,
						},
					},
				});

				expect(cloud.faultsInjected.drop).toBeGreaterThan(0);
				expectEveryItemAccountedFor(result, files, 'fileId', cloud);
			} finally {
				await cloud.stop();
			}
		});
	});

	describe('an IAM token that expires in the middle of a batch', () => {
		it('should cost one refresh and fail no item', async () => {
			const project = 'p0000000000000000000000000000009';
			const files = ids(7, 'file-iam-');
			const user = { domainName: 'acme', userName: 'bot', password: 'iam-password-0000' };
			const cloud = await MetaStudioEmulator.start({
				accessKeyId: 'AKIAMEXPIRY000000001',
				secretAccessKey: 'sk-iam-expiry-secret-000000000000000000',
				projectId: project,
				files,
				iamUser: user,
			});
			const run = async (fileIds: string[], token: string) =>
				await runMediaAssets({
					items: fileIds.map((fileId) => ({ fileId })),
					parameters: { resource: 'mediaFile', operation: 'delete', authentication: 'iamToken', fileId: '={{ $json.fileId }}' } as never,
					onError: 'continueErrorOutput',
					credentials: {
						huaweiCloudIamApi: { ...user, region: 'cn-north-4', projectId: project, endpoint: cloud.endpoint, iamEndpoint: cloud.iamEndpoint, token },
					},
				});
			try {
				// A first run leaves a token in the credential, as n8n persists it.
				const first = await run(files.slice(0, 1), '');
				const token = (first.credentials.huaweiCloudIamApi as IDataObject).token as string;
				expect(token).toEqual(expect.any(String));

				cloud.expireTokensAfterDeletes(3);
				const batch = files.slice(1);
				const result = await run(batch, token);

				expect(result.error).toBeUndefined();
				expect(result.outputs[1] ?? []).toEqual([]);
				expect(result.outputs[0].map((item) => [item.json.fileId, item.json.deleted])).toEqual(batch.map((id) => [id, true]));
				expect(result.preAuthCalls).toBe(1);
				for (const id of files) expect(cloud.deletesLanded(id)).toBe(1);
			} finally {
				await cloud.stop();
			}
		});
	});
});
