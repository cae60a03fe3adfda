/**
 * What the MetaStudio asset workflow tests share (test-only code): the emulator, a run of the node, and
 * what the emulator's request log says went where. Each group of tests keeps the emulator keys its file
 * had: the batch tests (Delete, Restore, Activate and Deactivate in groups, and under faults), the asset
 * library tests (one asset at a time) and the editor tests (resource locators, Simplify, hints).
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { AssetSeed, IamUser, MetaStudioOptions } from '../../emulators/metaStudio';
import { batchActionFaultKey, listAssetsFaultKey, MetaStudioEmulator } from '../../emulators/metaStudio';
import type { FaultKind } from '../../emulators/faults';
import { generateAssets } from '../../emulators/metaStudioAssets';
import type { OnError, RunResult } from '../../harness/runWorkflow';
import { runMediaAssets } from '../../harness/runWorkflow';
export const PROJECT = '6a6a1f8354f64dd9b9a614def7b59d83';
const AK = 'HPUAXLPZQ7TESTAK0009';
const SK = 'secretKeyBatchActions0123456789abcdefgh';

/** cn-north-4: DeleteAsset 10/s, BatchExecuteAssetAction 1/s of 50 IDs: a sixth of the assets go one by one. */
export const AUTOMATIC_SHARE_CN_NORTH_4 = 10 / (10 + 50);

export const rowOf = (item: INodeExecutionData) => (item.pairedItem as { item: number }).item;

/** The IDs `generateAssets(count)` seeds. */
export const idsOf = (count: number) => generateAssets(count).map((seed) => seed.asset_id!);

export async function startCloud(assets: AssetSeed[], options: Partial<MetaStudioOptions> = {}): Promise<MetaStudioEmulator> {
	return await MetaStudioEmulator.start({ accessKeyId: AK, secretAccessKey: SK, projectId: PROJECT, assets, ...options });
}

export interface RunOptions {
	onError?: OnError;
	nodeSettings?: IDataObject;
	/** The credential's region (its limits decide the automatic batch plan). Default cn-north-4. */
	region?: string;
}

/** Runs the node on `items`, each `{ id }` (or any json: the Asset ID expression reads `$json.id`). */
export async function runAssets(
	cloud: MetaStudioEmulator,
	operation: 'delete' | 'restore' | 'activate' | 'deactivate',
	items: IDataObject[],
	options: IDataObject,
	parameters: IDataObject = {},
	{ onError = 'continueErrorOutput', nodeSettings, region }: RunOptions = {},
): Promise<RunResult> {
	return await runMediaAssets({
		items,
		parameters: { resource: 'metaStudioAsset', operation, assetId: '={{ $json.id }}', ...parameters, options } as never,
		onError,
		nodeSettings,
		credentials: { huaweiCloudAkSkApi: cloud.akSkCredential(region) },
	});
}

/** Every output item, in input order (success and error outputs merged). */
export function byRow(result: RunResult): INodeExecutionData[] {
	return result.outputs.flat().sort((a, b) => rowOf(a) - rowOf(b));
}

/** Every input row comes out exactly once, on one output, paired with its input item. */
export function expectEachRowOnce(result: RunResult, count: number): void {
	expect(result.error).toBeUndefined();
	expect(result.outputs.flat().map(rowOf).sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i));
}

export interface Sent {
	/** BatchExecuteAssetAction requests: their action and IDs as sent, in arrival order. */
	batches: Array<{ action: string; ids: string[] }>;
	/** IDs of every batch request, flattened. */
	batchIds: string[];
	/** IDs of DeleteAsset / RestoreAsset requests (one each). */
	perAssetIds: string[];
	/** IDs read back by ListAssets (`asset_id`) and ShowAsset. */
	readIds: string[];
}

/** What the emulator's request log says was sent, by which API. */
export function sent(cloud: MetaStudioEmulator): Sent {
	const batches = cloud.requestsTo('BatchExecuteAssetAction').map((request) => {
		const body = JSON.parse(request.body) as { action: string; asset_ids: string[] };
		return { action: body.action, ids: body.asset_ids };
	});
	const idOfPath = (path: string) => decodeURIComponent(path.split('/')[4]);
	const perAssetIds = cloud.requests
		.filter((request) => request.api === 'DeleteAsset' || request.api === 'RestoreAsset')
		.map((request) => idOfPath(request.path));
	const listed = cloud.requestsTo('ListAssets').flatMap((request) => new URLSearchParams(request.rawQuery).getAll('asset_id'));
	const shown = cloud.requestsTo('ShowAsset').map((request) => idOfPath(request.path));
	return { batches, batchIds: batches.flatMap((batch) => batch.ids), perAssetIds, readIds: [...listed, ...shown] };
}

/** How many of the items must go one by one beside the batches: the plan's share, as the engine counts. */
export function aloneCount(count: number, perItemShare: number): number {
	let alone = 0;
	for (let seen = 1; seen <= count; seen++) if (alone < seen * perItemShare) alone++;
	return alone;
}

export function counts(ids: string[]): Map<string, number> {
	const map = new Map<string, number>();
	for (const id of ids) map.set(id, (map.get(id) ?? 0) + 1);
	return map;
}

/** Emulator keys of a group of tests. */
export interface EmulatorKeys {
	accessKeyId: string;
	secretAccessKey: string;
	iamUser?: IamUser;
}

/** The asset library tests: Get Many, Get, Delete and Restore one asset at a time, with AK/SK or an IAM token. */
export const LIBRARY_KEYS: EmulatorKeys = {
	accessKeyId: 'HPUAXLPZQ7TESTAK0005',
	secretAccessKey: 'secretKeyAssetLibrary0123456789abcdefgh',
	iamUser: { domainName: 'acme-account', userName: 'library-bot', password: 'P@ss-asset-library-never-leak' },
};

/** The editor tests: resource locators, Simplify, ListAssets' filters and execution hints. */
export const LOCATOR_KEYS: EmulatorKeys = {
	accessKeyId: 'HPUAXLPZQ7TESTAK0016',
	secretAccessKey: 'secretKeyVersions0123456789abcdefghijkl',
};

/**
 * What a describe block needs to run the node one operation at a time on an emulator started with
 * `keys`: `start` seeds and starts it and hands it to `onStarted` (the block's tests read it, its
 * afterEach stops it); the other helpers use the emulator last started.
 */
export function emulatorSession(keys: EmulatorKeys, onStarted: (cloud: MetaStudioEmulator) => void) {
	let cloud: MetaStudioEmulator;

	async function start(assets = generateAssets(5)) {
		cloud = await MetaStudioEmulator.start({ ...keys, projectId: PROJECT, assets });
		onStarted(cloud);
	}

	function credentials(authentication: 'akSk' | 'iamToken' = 'akSk') {
		return authentication === 'akSk'
			? {
					huaweiCloudAkSkApi: cloud.akSkCredential(),
				}
			: {
					huaweiCloudIamApi: {
						...keys.iamUser,
						region: 'cn-north-4',
						projectId: PROJECT,
						endpoint: cloud.endpoint,
						iamEndpoint: cloud.iamEndpoint,
						token: '',
					},
				};
	}

	async function run(
		parameters: INodeParameters,
		items: IDataObject[] = [{}],
		{ onError = 'continueErrorOutput', authentication = 'akSk' }: { onError?: OnError; authentication?: 'akSk' | 'iamToken' } = {},
	): Promise<RunResult> {
		return await runMediaAssets({
			items,
			parameters: { resource: 'metaStudioAsset', authentication, ...parameters },
			onError,
			credentials: credentials(authentication),
		});
	}

	/** ListAssets requests, in the order sent. */
	const listRequests = () => cloud.requests.filter((r) => r.method === 'GET' && /\/digital-assets\?/.test(r.rawPath));
	/** The query strings of the ListAssets requests. */
	const listQueries = () => listRequests().map((r) => new URL(r.rawPath, 'http://x').search);

	return { start, credentials, run, listRequests, listQueries };
}

/** An Asset ID resource locator value, as the editor saves it. */
export const locator = (value: string, mode: 'list' | 'id' = 'list') => ({ __rl: true, mode, value });

/** The execution hints the node left on its run. */
export const hintsOf = (result: RunResult) => (result.runData['Media Assets']?.[0]?.hints ?? []).map((hint) => hint.message);

/**
 * Batch Size 100 in cn-north-4: one asset in 11 one by one (10/(10+100)), the first; 1–10 share one
 * batch request, whose answer is lost after it landed; every read of them (ListAssets, ShowAsset)
 * gets a 500 `reads` times. `onStarted` gets the emulator as soon as it runs.
 */
export async function lostThenUnreadable(
	operation: 'delete' | 'restore',
	maxRetries: number,
	reads: number,
	onStarted: (cloud: MetaStudioEmulator) => void,
) {
	const seeds = generateAssets(11, operation === 'restore' ? { asset_state: 'DELETING', stateBeforeDelete: 'ACTIVED' } : {});
	const cloud = await startCloud(seeds);
	onStarted(cloud);
	const failures = (): FaultKind[] => Array.from({ length: reads }, () => 'http500');
	const script: Record<string, FaultKind[]> = { [batchActionFaultKey(1)]: ['landedThenDrop'], [listAssetsFaultKey(0)]: failures() };
	for (const seed of seeds.slice(1)) script[seed.asset_id!] = failures();
	cloud.setFaults({ methods: ['POST', 'GET'], script });
	const options = { batchSize: 100, maxRetries };
	const result = await runAssets(cloud, operation, seeds.map((seed) => ({ id: seed.asset_id })), options, { deleteMode: 'permanent' });
	expectEachRowOnce(result, seeds.length);
	expect(sent(cloud).batches[0].ids).toEqual(seeds.slice(1).map((seed) => seed.asset_id));
	return { result, ids: seeds.map((seed) => seed.asset_id!) };
}

/** Items without what differs between runs (times, request IDs). */
function comparable(items: INodeExecutionData[] | undefined) {
	return (items ?? []).map((item) => {
		const { deletedAt, restoredAt, requestId, ...json } = item.json;
		const marks = { deletedAt, restoredAt, requestId };
		for (const key of Object.keys(marks) as Array<keyof typeof marks>) {
			if (marks[key] === undefined) delete marks[key];
			else marks[key] = 'set' as never;
		}
		return { json: { ...json, ...marks }, pairedItem: item.pairedItem };
	});
}

/**
 * n8n's Retry On Fail over batch requests: an invalid first item makes n8n re-run the node; no asset
 * may be sent twice, and the items must be those of a single try (the same workflow without Retry On
 * Fail, on a fresh emulator). `onStarted` gets each emulator as soon as it runs.
 */
export async function expectRetryOnFailToSendNothingTwice(
	operation: 'delete' | 'restore',
	onError: OnError,
	onStarted: (cloud: MetaStudioEmulator) => void,
): Promise<void> {
	const RETRY_ON_FAIL = { retryOnFail: true, maxTries: 3, waitBetweenTries: 10 };
	const ids = idsOf(16);
	const seeds = () => generateAssets(16, operation === 'restore' ? { asset_state: 'DELETING', stateBeforeDelete: 'ACTIVED' } : {});
	const items = [{ id: '../x' }, ...ids.map((id) => ({ id }))];
	const options = { batchSize: 5, requestsPerSecond: 0 };
	let cloud = await startCloud(seeds());
	onStarted(cloud);

	const retried = await runAssets(cloud, operation, items, options, {}, { onError, nodeSettings: RETRY_ON_FAIL });

	expectEachRowOnce(retried, items.length);
	const { batchIds, perAssetIds } = sent(cloud);
	expect(batchIds.length).toBeGreaterThan(0);
	expect([...counts([...batchIds, ...perAssetIds]).values()].every((count) => count === 1)).toBe(true);
	expect([...batchIds, ...perAssetIds].sort()).toEqual(ids);
	for (const id of ids) expect(cloud.changesLandedOn(id)).toBe(1);
	const flag = operation === 'delete' ? 'deleted' : 'restored';
	const successes = retried.outputs.flat().filter((item) => item.json[flag] === true);
	expect(successes.map((item) => item.json.assetId)).toEqual(ids);

	// The same workflow without Retry On Fail, on a fresh emulator: the same items.
	await cloud.stop();
	cloud = await startCloud(seeds());
	onStarted(cloud);
	const single = await runAssets(cloud, operation, items, options, {}, { onError });
	expect(retried.outputs.map(comparable)).toEqual(single.outputs.map(comparable));
}
