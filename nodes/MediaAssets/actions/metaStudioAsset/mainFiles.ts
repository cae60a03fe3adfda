/**
 * What MetaStudio documents for an asset's MAIN file, by asset type: the extensions it takes and the
 * largest size. Files over 5 GiB need CreateLargeFile, whose part upload is not documented.
 */
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
export const MAX_SINGLE_UPLOAD = 5 * GiB;

const MAIN_FILES: Record<string, { extensions: string[]; maxBytes: number; limit: string }> = {
	VIDEO: { extensions: ['mp4', 'm4v', 'mkv', 'mov', 'flv', '3gp', 'wmv', 'avi', 'webm'], maxBytes: 5 * GiB, limit: '5 GB' },
	IMAGE: { extensions: ['jpeg', 'jpg', 'png', 'bmp', 'gif'], maxBytes: 50 * MiB, limit: '50 MB' },
	MUSIC: { extensions: ['wav', 'mp3', 'm4a'], maxBytes: 100 * MiB, limit: '100 MB' },
	AUDIO: { extensions: ['wav', 'mp3', 'm4a'], maxBytes: 100 * MiB, limit: '100 MB' },
	PPT: { extensions: ['ppt', 'pptx', 'pdf'], maxBytes: 100 * MiB, limit: '100 MB' },
};

/** The asset type a file's extension suggests (audio files: AUDIO), or undefined. */
export function typeForExtension(extension: string): string | undefined {
	for (const type of ['VIDEO', 'IMAGE', 'AUDIO', 'PPT']) if (MAIN_FILES[type].extensions.includes(extension)) return type;
	return undefined;
}

/** Why a file cannot be an asset's MAIN file, or undefined when it can. */
export function mainFileRule(assetType: string, extension: string, size: number): { problem: string; hint: string } | undefined {
	if (size < 1) return { problem: 'the file is empty', hint: 'Check the input binary field: it holds no bytes.' };
	if (size > MAX_SINGLE_UPLOAD) {
		return { problem: `the file has ${size} bytes; one upload takes at most 5 GiB`, hint: 'Larger files need MetaStudio\'s multi-part upload, which is not documented: upload it in the MetaStudio console.' };
	}
	const rule = MAIN_FILES[assetType];
	if (!rule) return undefined;
	if (!rule.extensions.includes(extension)) {
		return { problem: `a ${assetType} asset's main file must be ${rule.extensions.join(', ')}, not .${extension || '(none)'}`, hint: 'Choose another Asset Type, or convert the file.' };
	}
	if (size > rule.maxBytes) return { problem: `a ${assetType} main file may have at most ${rule.limit}; this one has ${size} bytes`, hint: 'Compress or shorten the file.' };
	return undefined;
}
