import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../import/hash';
import { checkFiles, describeProblems, versionDigest } from './integrity';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('versionDigest', () => {
	it('does not depend on the order files are listed in, but on paths and hashes', async () => {
		const a = { path: 'a.onnx', sha256: '1'.repeat(64) };
		const b = { path: 'config.json', sha256: '2'.repeat(64) };
		expect(await versionDigest([a, b])).toBe(await versionDigest([b, a]));
		expect(await versionDigest([a, b])).not.toBe(
			await versionDigest([{ ...a, path: 'renamed.onnx' }, b])
		);
		expect(await versionDigest([a])).toMatch(/^[0-9a-f]{64}$/);
	});
});

describe('checkFiles', () => {
	it('accepts bytes that match and names the file that does not', async () => {
		const good = bytes('weights');
		const expected = [
			{ path: 'model.onnx', sha256: await sha256Hex(good) },
			{ path: 'config.json', sha256: await sha256Hex(bytes('{}')) }
		];
		expect(
			await checkFiles(
				expected,
				new Map([
					['model.onnx', good],
					['config.json', bytes('{}')]
				])
			)
		).toEqual([]);

		const tampered = new Map([
			['model.onnx', bytes('weightz')],
			['config.json', bytes('{}')]
		]);
		const problems = await checkFiles(expected, tampered);
		expect(problems).toHaveLength(1);
		expect(problems[0]).toMatchObject({ kind: 'mismatch', path: 'model.onnx' });
		expect(await checkFiles(expected, new Map([['model.onnx', good]]))).toEqual([
			{ kind: 'missing', path: 'config.json' }
		]);
		expect(describeProblems('Sentiment 1.2.0', problems)).toMatch(
			/^Sentiment 1\.2\.0: model\.onnx does not match its SHA-256 \(expected [0-9a-f]{12}…, got [0-9a-f]{12}…\)\. The version was refused/
		);
	});
});
