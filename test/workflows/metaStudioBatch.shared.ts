/**
 * What the MetaStudio batch workflow tests share: the emulator, a run of the node, and what the
 * emulator's request log says went where (test-only code).
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { AssetSeed, MetaStudioOptions } from '../emulators/metaStudio';
import { MetaStudioEmulator } from '../emulators/metaStudio';
import type { OnError, RunResult } from '../harness/runWorkflow';
import { runMediaAssets } from '../harness/runWorkflow';

export const PROJECT = '6a6a1f8354f64dd9b9a614def7b59d83';
const AK = 'HPUAXLPZQ7TESTAK0009';
const SK = 'secretKeyBatchActions0123456789abcdefgh';

export const rowOf = (item: INodeExecutionData) => (item.pairedItem as { item: number }).item;
export const errorOf = (item: INodeExecutionData) => item.json.error as IDataObject;

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
