import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { stateOf } from '../../engine/settle';
import type { TargetCalls, TargetState, TargetStateReader } from '../../engine/types';
import { METASTUDIO_MAX_PAGE_SIZE } from '../../helpers/constants';
import { ASSET_NOT_FOUND, callMetaStudio, listAssetsPageCall, metaStudioRequests } from '../../transport/metaStudio';
import type { MetaStudioTarget } from '../metaStudio.common';

/** ShowAsset for one target, paced as a query API. */
async function showAssetState(ctx: IExecuteFunctions, target: MetaStudioTarget, calls: TargetCalls): Promise<TargetState> {
	const request = metaStudioRequests.showAsset(target.project, target.id);
	return stateOf(await calls.send(async () => await callMetaStudio(ctx, request, calls.settings, ASSET_NOT_FOUND)));
}

/**
 * ListAssets for up to a page of targets of one project by their exact IDs (`asset_id`, repeated as
 * Huawei's SDK sends arrays; every source, so that no asset is missed). An ID not listed does not
 * exist. A listing that holds an asset nobody asked for did not apply the filter: undefined, so that
 * the caller reads each asset on its own instead of taking a missing ID for a deleted one.
 */
async function listAssetStates(ctx: IExecuteFunctions, targets: MetaStudioTarget[], calls: TargetCalls): Promise<TargetState[] | undefined> {
	const ids = targets.map((target) => target.id);
	const parameters: Array<[string, string]> = [
		['asset_source', 'ALL'],
		...ids.map((id): [string, string] => ['asset_id', id]),
		['offset', '0'],
		['limit', String(METASTUDIO_MAX_PAGE_SIZE)],
	];
	const answer = await calls.send(async () => await listAssetsPageCall(ctx, targets[0].project, parameters, calls.settings));
	if (answer.outcome !== 'done') return undefined;
	const wanted = new Set(ids);
	const byId = new Map(answer.value.records.map((asset) => [String(asset.asset_id), asset]));
	if ([...byId.keys()].some((id) => !wanted.has(id)) || answer.value.total > byId.size) return undefined;
	return ids.map((id) => byId.get(id) ?? null);
}

/** The state of each target's asset: one ShowAsset for one, a listing where many share a project. */
async function readAssetStates(this: IExecuteFunctions, targets: MetaStudioTarget[], calls: TargetCalls): Promise<TargetState[]> {
	if (targets.length === 1) return [await showAssetState(this, targets[0], calls)];
	const states: TargetState[] = [];
	for (let start = 0; start < targets.length; start += METASTUDIO_MAX_PAGE_SIZE) {
		const page = targets.slice(start, start + METASTUDIO_MAX_PAGE_SIZE);
		const sameProject = page.every((target) => target.project.projectId === page[0].project.projectId);
		const listed = sameProject ? await listAssetStates(this, page, calls) : undefined;
		states.push(...(listed ?? (await Promise.all(page.map(async (target) => await showAssetState(this, target, calls))))));
	}
	return states;
}

/** How a MetaStudio asset change is settled: read the assets, and ask whether their state shows it done. */
export function metaStudioAssetState<T extends MetaStudioTarget>(landed: (state: IDataObject | null, target: T) => boolean): TargetStateReader<T> {
	return { read: readAssetStates, landed };
}
