import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { TargetCalls } from '../../engine/types';
import { METASTUDIO_MAX_PAGE_SIZE } from '../../helpers/constants';
import { ASSET_NOT_FOUND, callMetaStudio, listAssetsPageCall, metaStudioRequests } from '../../transport/metaStudio';
import type { MetaStudioTarget } from '../metaStudio.common';

/** An asset as it is now: its record, `null` when it does not exist, undefined when it could not be read. */
export type AssetState = IDataObject | null | undefined;

/** ShowAsset for one target, paced as a query API. */
export async function showAssetState(ctx: IExecuteFunctions, target: MetaStudioTarget, calls: TargetCalls): Promise<AssetState> {
	const request = metaStudioRequests.showAsset(target.project, target.id);
	const { result } = await calls.retried(async () => await callMetaStudio(ctx, request, calls.settings, ASSET_NOT_FOUND), 'lookup');
	if (result.outcome === 'done') return (result.fields.body ?? {}) as IDataObject;
	return result.outcome === 'notFound' ? null : undefined;
}

/**
 * ListAssets for up to a page of targets of one project by their exact IDs (`asset_id`, repeated as
 * Huawei's SDK sends arrays; every source, so that no asset is missed). An ID not listed does not
 * exist. A listing that holds an asset nobody asked for did not apply the filter: undefined, so that
 * the caller reads each asset on its own instead of taking a missing ID for a deleted one.
 */
async function listAssetStates(
	ctx: IExecuteFunctions,
	targets: MetaStudioTarget[],
	calls: TargetCalls,
): Promise<AssetState[] | undefined> {
	const ids = targets.map((target) => target.id);
	const parameters: Array<[string, string]> = [
		['asset_source', 'ALL'],
		...ids.map((id): [string, string] => ['asset_id', id]),
		['offset', '0'],
		['limit', String(METASTUDIO_MAX_PAGE_SIZE)],
	];
	const call = async () => await listAssetsPageCall(ctx, targets[0].project, parameters, calls.settings);
	const { result } = await calls.retried(call, 'lookup');
	if (result.outcome !== 'done') return undefined;
	const wanted = new Set(ids);
	const byId = new Map(result.records.map((asset) => [String(asset.asset_id), asset]));
	if ([...byId.keys()].some((id) => !wanted.has(id)) || result.total > byId.size) return undefined;
	return ids.map((id) => byId.get(id) ?? null);
}

/** The state of each target's asset: by listing where the targets share a project, else one by one. */
export async function readAssetStates(
	ctx: IExecuteFunctions,
	targets: MetaStudioTarget[],
	calls: TargetCalls,
): Promise<AssetState[]> {
	const states: AssetState[] = [];
	for (let start = 0; start < targets.length; start += METASTUDIO_MAX_PAGE_SIZE) {
		const page = targets.slice(start, start + METASTUDIO_MAX_PAGE_SIZE);
		const sameProject = page.every((target) => target.project.projectId === page[0].project.projectId);
		const listed = sameProject ? await listAssetStates(ctx, page, calls) : undefined;
		states.push(...(listed ?? (await Promise.all(page.map(async (target) => await showAssetState(ctx, target, calls))))));
	}
	return states;
}
