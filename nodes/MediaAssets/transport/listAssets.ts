import { metaStudioUrl } from './metaStudio';

/** ListAssets query parameters in the order they are sent; a name may repeat (`asset_id`). */
export type ListAssetsParams = Array<[string, string]>;

/** The query string of a ListAssets request (without `?`), each name and value percent-encoded. */
export function listAssetsQuery(params: ListAssetsParams): string {
	return params.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&');
}

/** `{endpoint}/v1/{project_id}/digital-assets?{params}` (ListAssets). */
export function listAssetsUrl(endpoint: string, projectId: string, params: ListAssetsParams): string {
	return metaStudioUrl(endpoint, projectId, ['digital-assets'], listAssetsQuery(params));
}
