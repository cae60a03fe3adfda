import { checkAppUserId, checkAssetId, checkResourceId } from '../../nodes/MediaAssets/helpers/validators';

describe('checkAssetId', () => {
	it('should accept a real asset ID and trim surrounding whitespace', () => {
		expect(checkAssetId('  asset-20260330142158-q75m8\n')).toEqual({ valid: true, id: 'asset-20260330142158-q75m8' });
	});

	it('should strip a leading asset:// when the ID comes from a generation request', () => {
		expect(checkAssetId('asset://asset-20260330142158-q75m8')).toEqual({ valid: true, id: 'asset-20260330142158-q75m8' });
		expect(checkAssetId(' ASSET://asset-1 ')).toEqual({ valid: true, id: 'asset-1' });
	});

	it.each([
		['empty', ''],
		['whitespace only', '   \t '],
		['only the prefix', 'asset://'],
		['a slash', 'asset-1/../asset-2'],
		['a backslash', 'asset-1\\x'],
		['a question mark', 'asset-1?force=true'],
		['a hash', 'asset-1#x'],
		['an encoded slash', 'asset-1%2Fasset-2'],
		['a percent sign', 'asset-1%'],
		['a double dot', '..'],
		['dots inside', 'a..b'],
		['a space inside', 'asset 1'],
		['a tab inside', 'asset\t1'],
		['a newline inside', 'asset-1\nasset-2'],
		['a NUL character', 'asset-1\u0000'],
		['a DEL character', 'asset-1\u007f'],
		['a zero-width space', 'asset\u200b-1'],
		['a right-to-left mark', 'asset\u200f-1'],
		['a non-breaking space', 'asset\u00a0-1'],
		['too long', `asset-${'x'.repeat(200)}`],
	])('should refuse an ID with %s', (_case, value) => {
		const result = checkAssetId(value);
		expect(result.valid).toBe(false);
	});

	it.each([
		['a number', 123],
		['null', null],
		['undefined', undefined],
		['an object', { id: 'asset-1' }],
		['a list', ['asset-1']],
		['a boolean', true],
	])('should refuse a value that is %s, saying what it got', (_case, value) => {
		const result = checkAssetId(value);
		expect(result.valid).toBe(false);
		if (!result.valid) expect(result.problem).toMatch(/must be text/);
	});

	it('should show control characters escaped in the message, never raw', () => {
		const result = checkAssetId('bad\u0007id');
		expect(result.valid).toBe(false);
		if (!result.valid) expect(result.problem).toContain('\\u0007');
	});
});

describe('checkResourceId', () => {
	it('should accept a UUID file ID', () => {
		expect(checkResourceId('24bad716-87b1-45e5-8912-6102f7693265', 'file ID')).toEqual({
			valid: true,
			id: '24bad716-87b1-45e5-8912-6102f7693265',
		});
	});

	it('should name the field in its message', () => {
		const result = checkResourceId('', 'file ID');
		expect(result.valid === false && result.problem).toBe('The file ID is empty');
	});
});

describe('checkAppUserId', () => {
	it('should accept an ASCII user ID', () => {
		expect(checkAppUserId('user-42')).toEqual({ valid: true, id: 'user-42' });
	});

	it.each([['用户42'], ['user，42'], ['bad\u0001user']])('should refuse %j', (value) => {
		expect(checkAppUserId(value).valid).toBe(false);
	});
});
