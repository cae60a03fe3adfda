import { toRfc3339Utc } from '../../nodes/MediaAssets/helpers/dates';
import { UnsafePathSegmentError, UnusableBaseUrlError } from '../../nodes/MediaAssets/helpers/errors';
import { documentedUrl } from '../../nodes/MediaAssets/transport/urls';

const id = (value: string) => ({ value, label: 'asset ID' });

describe('documentedUrl', () => {
	it('should put each value in exactly one encoded segment below the base path', () => {
		expect(documentedUrl('https://h.example/kyyReactApiServer/', ['kyyVideo2', 'asset', id('a b/c')])).toBe(
			'https://h.example/kyyReactApiServer/kyyVideo2/asset/a%20b%2Fc',
		);
	});

	it.each(['.', '..'])('should refuse %p, which a URL parser turns into a folder step', (value) => {
		expect(() => documentedUrl('https://h.example/base', ['asset', id(value)])).toThrow(UnsafePathSegmentError);
	});

	it.each(['...', '.a', 'a.', '%2e', '~'])('should keep %p as a segment of its own', (value) => {
		const url = documentedUrl('https://h.example/base', ['asset', id(value)]);
		expect(new URL(url).pathname).toBe(`/base/asset/${encodeURIComponent(value)}`);
	});

	it('should refuse an empty value and a lone surrogate', () => {
		expect(() => documentedUrl('https://h.example', ['asset', id('')])).toThrow(UnsafePathSegmentError);
		expect(() => documentedUrl('https://h.example', ['asset', id('\ud800')])).toThrow(UnsafePathSegmentError);
	});

	it.each(['not a url', 'ftp://h.example', 'https://h.example/base?x=1', 'https://h.example/#f', 'https://u:p@h.example'])(
		'should refuse the base URL %p',
		(base) => {
			expect(() => documentedUrl(base, ['asset', id('a')])).toThrow(UnusableBaseUrlError);
		},
	);

	it('should append a query after the documented path', () => {
		expect(documentedUrl('http://127.0.0.1:9/', ['v1', id('p'), 'digital-assets', id('x')], 'mode=force')).toBe(
			'http://127.0.0.1:9/v1/p/digital-assets/x?mode=force',
		);
	});
});

describe('toRfc3339Utc', () => {
	it('should read a wall time in the workflow time zone', () => {
		expect(toRfc3339Utc('2026-10-01T08:00:00', 'Asia/Shanghai')).toBe('2026-10-01T00:00:00Z');
		expect(toRfc3339Utc('2026-01-15T12:30:00', 'America/New_York')).toBe('2026-01-15T17:30:00Z');
		expect(toRfc3339Utc('2026-07-15T12:30:00', 'America/New_York')).toBe('2026-07-15T16:30:00Z');
	});

	it('should keep an explicit offset', () => {
		expect(toRfc3339Utc('2026-10-01T08:00:00+08:00', 'Europe/Berlin')).toBe('2026-10-01T00:00:00Z');
		expect(toRfc3339Utc('2026-10-01T00:00:00.123Z', 'Europe/Berlin')).toBe('2026-10-01T00:00:00Z');
	});

	it('should refuse what is not a date', () => {
		expect(toRfc3339Utc('yesterday', 'UTC')).toBeUndefined();
		expect(toRfc3339Utc(42, 'UTC')).toBeUndefined();
	});
});

describe('toRfc3339Utc with a Luxon-like DateTime', () => {
	it('should read what $now.minus(...) gives', () => {
		const dateTime = { toMillis: () => Date.UTC(2026, 9, 1, 0, 0, 0) };
		expect(toRfc3339Utc(dateTime, 'Europe/Berlin')).toBe('2026-10-01T00:00:00Z');
	});
});
