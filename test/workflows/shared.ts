/**
 * Helpers the workflow tests of several resources share (test-only code). Helpers of one resource's
 * operations are in that resource's folder (`metaStudioAsset/shared.ts`).
 */
import { createHash } from 'node:crypto';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

/** `n` IDs `<prefix>00000`, `<prefix>00001`, … (the emulators' own numbering). */
export const ids = (n: number, prefix = 'asset-') => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(5, '0')}`);

/** The `error` object of a failed item. */
export const errorOf = (item: INodeExecutionData) => item.json.error as IDataObject;

/** Deterministic bytes of a size, distinct for every seed: a file's content for upload and download tests. */
export function bytesOf(seed: string, size: number): Buffer {
	const out = Buffer.alloc(size);
	let block = createHash('sha256').update(seed).digest();
	for (let offset = 0; offset < size; offset += block.length) {
		block.copy(out, offset);
		block = createHash('sha256').update(block).digest();
	}
	return out;
}

/** Base64 of the MD5 digest, as MetaStudio's `file_md5` (RFC 1864). */
export const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('base64');
