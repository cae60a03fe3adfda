import { metaStudioUrl } from './metaStudio';

/**
 * ListAssets (`GET /v1/{project_id}/digital-assets`) with its query parameters in the order given.
 * A name may repeat: array parameters (`asset_id`) go as repeated keys, `asset_id=a&asset_id=b`, the
 * form Huawei's SDK sends (Node's querystring.stringify of an array).
 */
export function listAssetsUrl(endpoint: string, projectId: string, params: Array<[string, string]>): string {
	const query = params.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
	return metaStudioUrl(endpoint, projectId, ['digital-assets'], query);
}
