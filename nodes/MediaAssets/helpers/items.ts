import type { IDataObject } from 'n8n-workflow';

import type { CallFailure } from './interfaces';

/** The success item of a delete: the ID, `deleted: true`, the operation's facts, then the answer's. */
export function deletedItem(idField: string, id: string, facts: IDataObject, httpStatus: number | null): IDataObject {
	return { [idField]: id, deleted: true, ...facts, httpStatus, deletedAt: new Date().toISOString() };
}

/**
 * The item of a delete whose target was already gone (Ignore Not Found, or our own earlier attempt
 * whose answer was lost). With the API's "not found" answer when there was one.
 */
export function alreadyDeletedItem(idField: string, id: string, failure: CallFailure | undefined): IDataObject {
	return {
		[idField]: id,
		deleted: true,
		alreadyDeleted: true,
		...(failure
			? { httpStatus: failure.httpStatus ?? null, code: failure.code ?? null, message: failure.apiMessage ?? null }
			: {}),
		deletedAt: new Date().toISOString(),
	};
}
