import type { IDataObject } from 'n8n-workflow';

/** The short record of an asset (Simplify): what a notification or a follow-up action needs. */
export function simplifyAsset(record: IDataObject): IDataObject {
	const files = Array.isArray(record.files) ? (record.files as IDataObject[]) : [];
	return {
		assetId: record.asset_id ?? null,
		name: record.asset_name ?? null,
		type: record.asset_type ?? null,
		state: record.asset_state ?? null,
		createdAt: record.create_time ?? null,
		updatedAt: record.update_time ?? null,
		tags: Array.isArray(record.tags) ? record.tags : [],
		files: files.map((file) => ({ fileId: file.file_id ?? null, fileName: file.file_name ?? null })),
	};
}
