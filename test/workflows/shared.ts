/**
 * Helpers the workflow tests of several resources share (test-only code). Helpers of one resource's
 * operations are in that resource's folder (`metaStudioAsset/shared.ts`).
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

/** `n` IDs `<prefix>00000`, `<prefix>00001`, … (the emulators' own numbering). */
export const ids = (n: number, prefix = 'asset-') => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(5, '0')}`);

/** The `error` object of a failed item. */
export const errorOf = (item: INodeExecutionData) => item.json.error as IDataObject;
