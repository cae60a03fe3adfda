/**
 * BatchExecuteAssetAction's request checks and answer shape (test-only code; the per-ID work is done by
 * the emulator with the asset library's lifecycle, metaStudio.ts and metaStudioAssets.ts).
 *
 * Body `{ action, asset_ids: [string, …], params?: string }`, checked in this order, each refusal an
 * `Invalid parameter: <name>` (400 `MSS.00000003`, nothing done):
 * - `body`: not JSON, or not a JSON object;
 * - `action`: not one of BATCH_ACTIONS (exact, upper case);
 * - `asset_ids`: missing, not an array, empty, an item not a non-empty string, or more items (as sent,
 *   repeats included) than the emulator's maximum (`batchMaxAssetIds`, default 100: the real maximum is
 *   not documented);
 * - `params`: present (not null) and not a string. Its content is not checked.
 * Other fields are ignored. A repeated ID is processed once and listed once (first appearance).
 *
 * The answer groups the IDs by outcome: first one SUCCESS group with every ID that succeeded (in
 * request order), then one FAILED group per distinct `error_code`, in the order each code first
 * occurred, carrying the `error_msg` of the first ID that got it. Empty groups are left out.
 */

export const BATCH_ACTIONS = ['DELETE', 'DELETE_FORCE', 'RESTORE', 'UNACTIVE', 'ACTIVE', 'SHARE', 'UNSHARE'] as const;
export type BatchAction = (typeof BATCH_ACTIONS)[number];

export const DEFAULT_BATCH_MAX_ASSET_IDS = 100;

export interface BatchRequest {
	action: BatchAction;
	/** Distinct IDs, in order of first appearance. */
	assetIds: string[];
	params?: string;
}

export type BatchParseResult = ({ ok: true } & BatchRequest) | { ok: false; parameter: string };

export interface BatchErrorInfo {
	error_code: string;
	error_msg: string;
}

export interface AssetActionResult {
	ret_status: 'SUCCESS' | 'FAILED';
	asset_ids: string[];
	error_info?: BatchErrorInfo;
}

/** The fault-script key of the n-th BatchExecuteAssetAction request (1-based, in arrival order). */
export function batchActionFaultKey(n: number): string {
	return `batch-action#${n}`;
}

export function parseBatchBody(body: string, maxAssetIds: number): BatchParseResult {
	const invalid = (parameter: string): BatchParseResult => ({ ok: false, parameter });
	let parsed: unknown;
	try {
		parsed = JSON.parse(body);
	} catch {
		return invalid('body');
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return invalid('body');
	const { action, asset_ids: ids, params } = parsed as Record<string, unknown>;
	if (typeof action !== 'string' || !(BATCH_ACTIONS as readonly string[]).includes(action)) return invalid('action');
	if (!Array.isArray(ids) || ids.length === 0 || ids.length > maxAssetIds) return invalid('asset_ids');
	if (ids.some((id) => typeof id !== 'string' || id === '')) return invalid('asset_ids');
	if (params !== undefined && params !== null && typeof params !== 'string') return invalid('params');
	return {
		ok: true,
		action: action as BatchAction,
		assetIds: [...new Set(ids as string[])],
		...(typeof params === 'string' ? { params } : {}),
	};
}

/** Groups per-ID outcomes (undefined error = success) as the answer's `results`. */
export function groupResults(outcomes: Array<{ assetId: string; error?: BatchErrorInfo }>): AssetActionResult[] {
	const succeeded = outcomes.filter((outcome) => outcome.error === undefined).map((outcome) => outcome.assetId);
	const failed = new Map<string, AssetActionResult>();
	for (const { assetId, error } of outcomes) {
		if (error === undefined) continue;
		const group = failed.get(error.error_code);
		if (group) group.asset_ids.push(assetId);
		else failed.set(error.error_code, { ret_status: 'FAILED', asset_ids: [assetId], error_info: { ...error } });
	}
	return [...(succeeded.length > 0 ? [{ ret_status: 'SUCCESS' as const, asset_ids: succeeded }] : []), ...failed.values()];
}
