import { mainFileRule, MAX_SINGLE_UPLOAD, typeForExtension } from '../../nodes/MediaAssets/actions/metaStudioAsset/mainFiles';
import { checkedAssetFields, tagList } from '../../nodes/MediaAssets/actions/metaStudioAsset/assetFields';

const MiB = 1024 ** 2;
const node = { id: 'n', name: 'Media Assets', type: 'mediaAssets', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };

describe("MetaStudio's main-file rules (mainFileRule)", () => {
	it.each([
		['VIDEO', 'mp4', 5 * 1024 * MiB, undefined],
		['VIDEO', 'mp4', 5 * 1024 * MiB + 1, /at most 5 GiB|CreateLargeFile|multi-part/],
		['IMAGE', 'png', 50 * MiB, undefined],
		['IMAGE', 'png', 50 * MiB + 1, /IMAGE main file may have at most 50 MB/],
		['AUDIO', 'm4a', 100 * MiB + 1, /at most 100 MB/],
		['PPT', 'pdf', 100 * MiB, undefined],
		['PPT', 'key', 10, /must be ppt, pptx, pdf, not \.key/],
		['MATERIAL', 'zip', MAX_SINGLE_UPLOAD, undefined],
		['MATERIAL', 'zip', 0, /the file is empty/],
	])('should judge a %s .%s of %i bytes', (type, extension, size, expected) => {
		const problem = mainFileRule(type, extension, size);
		if (expected === undefined) expect(problem).toBeUndefined();
		else expect(`${problem?.problem} ${problem?.hint}`).toMatch(expected);
	});

	it('should suggest a type from the extension, and none for an unknown one', () => {
		expect(['mov', 'jpg', 'wav', 'pptx', 'txt'].map(typeForExtension)).toEqual(['VIDEO', 'IMAGE', 'AUDIO', 'PPT', undefined]);
	});
});

describe('asset fields (checkedAssetFields, tagList)', () => {
	it('should read tags from text or a list, dropping blanks', () => {
		expect(tagList(' a, ,b ,')).toEqual(['a', 'b']);
		expect(tagList(['x', ' y '])).toEqual(['x', 'y']);
		expect(tagList(undefined)).toEqual([]);
	});

	it('should keep only the fields given, and refuse values over the documented limits', () => {
		expect(checkedAssetFields(node, 0, { name: ' Clip ', tags: ['t'] })).toEqual({ asset_name: 'Clip', tags: ['t'] });
		expect(() => checkedAssetFields(node, 0, { name: '' })).toThrow(/1 to 256 characters/);
		expect(() => checkedAssetFields(node, 0, { tags: Array.from({ length: 51 }, (_, i) => `t${i}`) })).toThrow(/51 tags/);
	});
});
