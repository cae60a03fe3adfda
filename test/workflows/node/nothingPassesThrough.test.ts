/**
 * A node that cannot run at all, with On Error set to continue, must not hand its input items on as if
 * it had processed them: n8n does exactly that with a thrown error, so a "check, then delete" chain
 * would delete what was never checked. Each failure of the run as a whole becomes one error item per
 * input item; the Delete behind it receives nothing it could act on.
 */
import type { IConnections, IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { MetaStudioEmulator } from '../../emulators/metaStudio';
import { generateAssets } from '../../emulators/metaStudioAssets';
import type { OnError } from '../../harness/runWorkflow';
import { MEDIA_ASSETS_NODE_TYPE, runWorkflow, SOURCE_NODE_TYPE } from '../../harness/runWorkflow';
import { itemsSourceParameters } from '../../harness/sourceNode';

const PROJECT = '6a6a1f8354f64dd9b9a614def7b59d83';
const AK = 'HPUAXLPZQ7TESTAK0031';
const SK = 'secretKeyPassThrough0123456789abcdefghi';
const IDS = ['asset-00000', 'asset-00001'];

type Failing = { name: string; parameters: INodeParameters; credentialSet: boolean; message: RegExp };

const FAILING: Failing[] = [
	{
		name: 'a Get whose credential is not set',
		parameters: { resource: 'metaStudioAsset', operation: 'get', assetId: '={{ $json.asset_id }}', options: {} },
		credentialSet: false,
		message: /credential/i,
	},
	{
		name: 'a Get Many whose credential is not set',
		parameters: { resource: 'metaStudioAsset', operation: 'getAll', returnAll: true, filters: {}, options: {} },
		credentialSet: false,
		message: /credential/i,
	},
	{
		name: 'an operation the resource does not offer',
		parameters: { resource: 'metaStudioAsset', operation: 'explode', options: {} },
		credentialSet: true,
		message: /The operation "explode" is not supported for the resource "metaStudioAsset"/,
	},
	{
		name: 'a run setting that cannot be read',
		parameters: {
			resource: 'metaStudioAsset',
			operation: 'get',
			assetId: '={{ $json.asset_id }}',
			options: { concurrency: '={{ $("No Such Node").item.json.concurrency }}' },
		},
		credentialSet: true,
		message: /Referenced node doesn't exist/,
	},
];

describe('Nothing passes through unprocessed', () => {
	let cloud: MetaStudioEmulator;

	beforeEach(async () => {
		cloud = await MetaStudioEmulator.start({ accessKeyId: AK, secretAccessKey: SK, projectId: PROJECT, assets: generateAssets(2) });
	});

	afterEach(async () => {
		await cloud.stop();
	});

	/** Items Source → Check (the failing node) → Delete permanently, both with the given On Error. */
	function checkThenDelete(check: Failing, onError: OnError) {
		const credentials = { huaweiCloudAkSkApi: { id: '1', name: 'huaweiCloudAkSkApi' } };
		const node = (name: string, parameters: INodeParameters, index: number, withCredential: boolean): INode => ({
			id: name,
			name,
			type: MEDIA_ASSETS_NODE_TYPE,
			typeVersion: 1,
			position: [200 * index, 0],
			parameters: { authentication: 'akSk', ...parameters },
			...(withCredential ? { credentials } : {}),
			onError,
		});
		const nodes: INode[] = [
			{ id: 'source', name: 'Items Source', type: SOURCE_NODE_TYPE, typeVersion: 1, position: [0, 0], parameters: itemsSourceParameters(IDS.map((asset_id) => ({ asset_id }))) },
			node('Check', check.parameters, 1, check.credentialSet),
			node('Delete', { resource: 'metaStudioAsset', operation: 'delete', deleteMode: 'permanent', assetId: '={{ $json.asset_id }}', options: {} }, 2, true),
		];
		const connections: IConnections = {
			'Items Source': { main: [[{ node: 'Check', type: 'main', index: 0 }]] },
			Check: { main: [[{ node: 'Delete', type: 'main', index: 0 }]] },
		};
		return { nodes, connections };
	}

	const changes = () => cloud.requests.filter((request) => request.method !== 'GET');

	describe.each(FAILING)('$name', (check) => {
		it('should send every input item to the Error output, paired, and delete nothing (continue using error output)', async () => {
			const result = await runWorkflow(checkThenDelete(check, 'continueErrorOutput'), { credentials: { huaweiCloudAkSkApi: cloud.akSkCredential() } });

			const [success, failed] = result.runData.Check[0].data!.main;
			expect(success ?? []).toEqual([]);
			expect(failed!.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			for (const [i, item] of failed!.entries()) {
				// n8n merges the input item's fields back in: the branch that handles the error knows the ID.
				expect(item.json.asset_id).toBe(IDS[i]);
				const error = item.json.error as IDataObject;
				expect(error).toMatchObject({ reason: 'nodeFailed', retryable: false, attempts: 0 });
				expect(String(error.message)).toMatch(/^This item was not processed: the node could not run/);
				expect(String(error.message)).toMatch(check.message);
				expect(String(error.description)).toMatch(/run the items again/);
			}
			expect(result.runData.Delete).toBeUndefined();
			expect(changes()).toEqual([]);
			for (const id of IDS) expect(cloud.hasAsset(id)).toBe(true);
		});

		it('should hand the next node only error items, which it cannot act on (continue on the regular output)', async () => {
			const result = await runWorkflow(checkThenDelete(check, 'continueRegularOutput'), { credentials: { huaweiCloudAkSkApi: cloud.akSkCredential() } });

			const checked = result.runData.Check[0].data!.main[0]!;
			expect(checked.map((item) => [item.pairedItem, (item.json.error as IDataObject).reason])).toEqual([
				[{ item: 0 }, 'nodeFailed'],
				[{ item: 1 }, 'nodeFailed'],
			]);
			const deleted = result.runData.Delete[0].data!.main[0]!;
			expect(deleted.map((item) => (item.json.error as IDataObject).reason)).toEqual(['invalidInput', 'invalidInput']);
			expect(changes()).toEqual([]);
			for (const id of IDS) expect(cloud.hasAsset(id)).toBe(true);
		});

		it('should stop the workflow and delete nothing without continue-on-fail', async () => {
			const result = await runWorkflow(checkThenDelete(check, 'stopWorkflow'), { credentials: { huaweiCloudAkSkApi: cloud.akSkCredential() } });

			expect(result.status).toBe('error');
			expect(result.runData.Check[0].error?.message).toMatch(check.message);
			expect(result.runData.Delete).toBeUndefined();
			expect(changes()).toEqual([]);
		});
	});
});
