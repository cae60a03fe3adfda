import type { IDataObject } from 'n8n-workflow';

/** Fields of a simplified record, in output order: only those the record has are output. */
const METASTUDIO_ASSET_FIELDS = ['asset_id', 'asset_name', 'asset_type', 'asset_state', 'create_time', 'update_time', 'tags'];
const KYY_ASSET_FIELDS = ['assetId', 'name', 'assetType', 'status', 'createTime'];

function pick(record: IDataObject, fields: string[]): IDataObject {
	const short: IDataObject = {};
	for (const field of fields) if (record[field] !== undefined) short[field] = record[field];
	return short;
}

/**
 * A MetaStudio DigitalAssetInfo reduced to what a workflow usually needs: ID, name, type, state,
 * created and updated time, tags, and each file's ID and name. Field names stay MetaStudio's, so an
 * expression such as `{{ $json.asset_id }}` reads the same with Simplify on or off.
 */
export function simplifyMetaStudioAsset(record: IDataObject): IDataObject {
	const short = pick(record, METASTUDIO_ASSET_FIELDS);
	if (Array.isArray(record.files)) {
		short.files = (record.files as IDataObject[]).map((file) => pick(file ?? {}, ['file_id', 'file_name']));
	}
	return short;
}

/** A KyyVideo2 asset without its URL: ID, name, type, status and creation time. */
export function simplifyKyyAsset(record: IDataObject): IDataObject {
	return pick(record, KYY_ASSET_FIELDS);
}
