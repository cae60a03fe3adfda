import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { DEFAULT_TIMEOUT_MS, METASTUDIO_RECYCLE_BIN_STATE } from '../helpers/constants';
import { apiFailureError, invalidInputError, unsafeUrlError } from '../helpers/errors';
import type { Answer } from '../helpers/interfaces';
import type { AssetsPage, ListAssetsParameters } from '../transport/metaStudio';
import { listAssetsPage, listAssetsPageCall, metaStudioProjectFor } from '../transport/metaStudio';

/** Assets per page of the picker (ListAssets allows 1–100). */
const PICKER_PAGE_SIZE = 50;

/** A literal parameter value; an expression cannot be resolved without an input item, so it is left out. */
function literal(value: unknown): string {
	return typeof value === 'string' && !value.startsWith('=') ? value.trim() : '';
}

function pickerEntry(asset: IDataObject): INodeListSearchItems {
	const id = String(asset.asset_id ?? '');
	const name = typeof asset.asset_name === 'string' && asset.asset_name.trim() !== '' ? asset.asset_name : id;
	return {
		name,
		value: id,
		description: `${String(asset.asset_type ?? 'unknown type')} · ${String(asset.asset_state ?? 'unknown state')}`,
	};
}

/**
 * One page of ListAssets for the editor's picker, with the credential, project and app user the
 * node would use: MetaStudio's fuzzy `name` filter for the search text, offset paging behind
 * n8n's pagination token. Problems are thrown, for the editor to show.
 */
async function searchPage(
	ctx: ILoadOptionsFunctions,
	params: ListAssetsParameters,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const node = ctx.getNode();
	const options = (ctx.getCurrentNodeParameter('options') ?? {}) as IDataObject;
	const checked = await metaStudioProjectFor(ctx, {
		authentication: ctx.getCurrentNodeParameter('authentication'),
		options: { projectId: literal(options.projectId), appUserId: literal(options.appUserId) },
	});
	if (!checked.ok) throw invalidInputError(node, 0, checked.problem, checked.hint);

	const offset = Math.max(0, Number.parseInt(paginationToken ?? '0', 10) || 0);
	const search = (filter ?? '').trim();
	const parameters: ListAssetsParameters = [...params, ...(search === '' ? [] : ([['name', search]] as ListAssetsParameters))];
	let answer: Answer<AssetsPage>;
	try {
		answer = await listAssetsPageCall(ctx, checked.project, listAssetsPage(parameters, { offset, limit: PICKER_PAGE_SIZE }), {
			timeoutMs: DEFAULT_TIMEOUT_MS,
		});
	} catch (error) {
		throw unsafeUrlError(node, 0, error);
	}
	if (answer.outcome !== 'done') throw apiFailureError(node, 0, { noun: 'assets', id: '', action: 'list' }, answer.failure, 1);
	const { records, total } = answer.value;
	const next = offset + records.length;
	return {
		results: records.map(pickerEntry),
		paginationToken: records.length > 0 && next < total ? String(next) : undefined,
	};
}

/** Every asset of the project (MetaStudio's default source: the account's own), for Get and Delete. */
export async function searchAssets(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchPage(this, [], filter, paginationToken);
}

/** Only assets in the recycle bin (state DELETING): the ones Restore can take out. */
export async function searchRecycleBinAssets(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchPage(this, [['asset_state', METASTUDIO_RECYCLE_BIN_STATE]], filter, paginationToken);
}
