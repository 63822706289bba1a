import { describe, expect, it } from 'vitest';
import { compareVersions, suggestNextVersion, timestampVersion } from './versionString';
import { ModelVersion } from './manifest';

describe('timestampVersion', () => {
	it('formats UTC time as YYYYMMDD-HHMMSS that the schema accepts', () => {
		const v = timestampVersion(new Date(Date.UTC(2026, 10, 29, 14, 30, 22)));
		expect(v).toBe('20261129-143022');
		expect(ModelVersion.safeParse(v).success).toBe(true);
	});
});

describe('compareVersions', () => {
	it('orders semver by precedence, pre-releases before the release', () => {
		const sorted = [
			'1.10.0',
			'1.2.0',
			'2.1.3-beta',
			'2.1.3',
			'2.1.3-alpha.2',
			'2.1.3-alpha.10',
			'0.9.9'
		].sort(compareVersions);
		expect(sorted).toEqual([
			'0.9.9',
			'1.2.0',
			'1.10.0',
			'2.1.3-alpha.2',
			'2.1.3-alpha.10',
			'2.1.3-beta',
			'2.1.3'
		]);
	});

	it('orders timestamps by time and after semver', () => {
		expect(compareVersions('20261129-143022', '20261130-000000')).toBeLessThan(0);
		expect(compareVersions('9.0.0', '20200101-000000')).toBeLessThan(0);
		expect(compareVersions('1.0.0', '1.0.0')).toBe(0);
	});
});

describe('suggestNextVersion', () => {
	const now = new Date(Date.UTC(2026, 10, 29, 8, 0, 0));
	it('starts at 1.0.0 and bumps the minor of the newest release', () => {
		expect(suggestNextVersion([], now)).toBe('1.0.0');
		expect(suggestNextVersion(['1.0.0', '1.4.2', '1.3.0'], now)).toBe('1.5.0');
		expect(suggestNextVersion(['2.0.0-beta'], now)).toBe('2.1.0');
	});
	it('falls back to a timestamp for timestamp-versioned models', () => {
		expect(suggestNextVersion(['20261128-120000'], now)).toBe('20261129-080000');
	});
});
