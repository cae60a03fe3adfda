import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { TargetCalls } from '../engine/types';
import type { Answer, CallFailure } from '../helpers/interfaces';
import { failed } from '../helpers/interfaces';
import type { StoredFile } from '../transport/files';
import { downloadFile } from '../transport/files';

/** Where each downloaded file goes on the output item, as n8n's own download operations name it. */
export const binaryPropertyOption: INodeProperties = {
	displayName: 'Put Output File in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	hint: 'The name of the output binary field to put the file in',
	description: "With All Files: the first file goes into this field, the others into the same name followed by _1, _2, … in the order of the item's files",
};

export const downloadDryRunOption: INodeProperties = {
	displayName: 'Dry Run',
	name: 'dryRun',
	type: 'boolean',
	default: false,
	description: 'Whether to read the asset and output what would be downloaded (file names, sizes, URLs without their signature) instead of downloading it',
};

/** What the service says a file is; a download is verified against whichever of these it gives. */
export interface ExpectedFile {
	url: string;
	fileName: string;
	mimeType?: string;
	size?: number;
	/** Base64 of the MD5 digest (RFC 1864). */
	md5?: string;
}

/** A file downloaded and checked: what was stored, and whether a size and a digest from the service matched. */
export interface VerifiedFile extends StoredFile {
	/** Every check the service made possible passed, and there was at least one. */
	verified: boolean;
}

function corrupt(file: ExpectedFile, found: string): CallFailure {
	return {
		reason: 'corruptDownload',
		summary: `the download of ${file.fileName} is not the file the service describes (${found})`,
		retryable: true,
		outcomeUnknown: false,
		hint: 'The download was not kept. Raise Max Retries, or run the item again later.',
	};
}

/** The stored file against what the service says: size (or the host's Content-Length) and MD5. */
function verify(file: ExpectedFile, answer: Answer<StoredFile>): Answer<VerifiedFile> {
	if (answer.outcome === 'failed') return answer;
	const stored = answer.value;
	const size = file.size ?? stored.contentLength;
	if (size !== undefined && stored.bytes !== size) return failed(corrupt(file, `${stored.bytes} bytes where ${size} were expected`));
	if (file.md5 !== undefined && stored.md5 !== file.md5) return failed(corrupt(file, `MD5 ${stored.md5} where ${file.md5} was expected`));
	return { ...answer, value: { ...stored, verified: size !== undefined || file.md5 !== undefined } };
}

/**
 * Downloads one file on the transfer lane, verified, retried from the start while Max Retries lasts. A
 * 403 from the host (an expired link) is answered once by `renew`, which reads a fresh link.
 */
export async function downloadVerified(
	ctx: IExecuteFunctions,
	calls: TargetCalls,
	file: ExpectedFile,
	renew?: () => Promise<ExpectedFile | undefined>,
): Promise<Answer<VerifiedFile>> {
	let current = file;
	let renewed = false;
	for (;;) {
		const expected = current;
		const answer = await calls.send(async () => verify(expected, await downloadFile(ctx, expected.url, expected, calls.settings)), 'transfer');
		if (answer.outcome === 'done' || answer.failure.httpStatus !== 403 || renewed || !renew) return answer;
		renewed = true;
		const fresh = await renew();
		if (!fresh) return answer;
		current = fresh;
	}
}

/** The json of one downloaded file on the item. */
export function downloadedFileJson(stored: VerifiedFile, binaryProperty: string, facts: IDataObject): IDataObject {
	return {
		...facts,
		fileName: stored.binary.fileName ?? null,
		size: stored.bytes,
		mimeType: stored.binary.mimeType,
		md5: stored.md5,
		verified: stored.verified,
		binaryProperty,
	};
}

/** The binary property of the `index`th file: the chosen field, then `<field>_1`, `<field>_2`, … */
export function binaryPropertyOf(field: string, index: number): string {
	return index === 0 ? field : `${field}_${index}`;
}
