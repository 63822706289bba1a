import { describe, it, expect } from 'vitest';
import { safeEntryPath, ZipBombError, ZipBudget } from './zipSafety';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

describe('safeEntryPath', () => {
	it.each([
		['cats/a.png', 'cats/a.png'],
		['a.png', 'a.png'],
		['./cats/./a.png', 'cats/a.png'],
		['cats//a.png', 'cats/a.png'],
		['cats\\windows\\a.png', 'cats/windows/a.png'],
		['dir/', 'dir'],
		['..hidden/a..b.png', '..hidden/a..b.png'],
		['.../x', '.../x'],
		['café/☃.png', 'café/☃.png']
	])('accepts %s as %s', (name, path) => {
		expect(safeEntryPath(name)).toEqual({ ok: true, path });
	});

	it.each([
		'../x',
		'../../evil.png',
		'a/../../b',
		'a/..',
		'a/../b',
		'..\\..\\evil.png',
		'./../x',
		'..'
	])('rejects %s as leaving the archive', (name) => {
		expect(safeEntryPath(name)).toEqual({
			ok: false,
			message: `unsafe path "${name}" in zip (goes outside the archive)`
		});
	});

	it.each([
		'/etc/passwd',
		'//server/share/x',
		'\\\\server\\x',
		'\\x',
		'C:\\x',
		'C:/x',
		'c:x',
		'Z:'
	])('rejects absolute %s', (name) => {
		expect(safeEntryPath(name)).toEqual({
			ok: false,
			message: `unsafe absolute path "${name}" in zip`
		});
	});

	it('rejects NUL characters and shows them visibly', () => {
		expect(safeEntryPath('evil.png\0.txt')).toEqual({
			ok: false,
			message: 'unsafe path "evil.png\\x00.txt" in zip (contains a NUL character)'
		});
	});

	it('rejects names that clean down to nothing', () => {
		expect(safeEntryPath('')).toEqual({ ok: false, message: 'empty path "" in zip' });
		expect(safeEntryPath('./')).toEqual({ ok: false, message: 'empty path "./" in zip' });
	});
});

describe('ZipBombError', () => {
	it('is an Error with a stable code', () => {
		const e = new ZipBombError('boom');
		expect(e).toBeInstanceOf(Error);
		expect(e.code).toBe('zip-bomb');
		expect(e.name).toBe('ZipBombError');
		expect(e.message).toBe('boom');
	});
});

describe('ZipBudget.checkDeclared', () => {
	const limits = { zipMaxTotalBytes: 4 * GIB, zipMaxRatio: 200 };

	it('accepts ordinary members', () => {
		const budget = new ZipBudget(limits);
		expect(() =>
			budget.checkDeclared({ path: 'a.png', compressedSize: 900_000, uncompressedSize: 1_000_000 })
		).not.toThrow();
	});

	it('refuses a member whose declared ratio is over the limit', () => {
		const budget = new ZipBudget(limits);
		const entry = { path: 'big.txt', compressedSize: 10_000, uncompressedSize: 10_000_000 };
		expect(() => budget.checkDeclared(entry)).toThrow(ZipBombError);
		expect(() => budget.checkDeclared(entry)).toThrow(
			'"big.txt" expands 1000× (limit 200×): looks like a zip bomb'
		);
	});

	it('lets tiny but highly compressible members through', () => {
		const budget = new ZipBudget(limits);
		expect(() =>
			budget.checkDeclared({ path: 'blank.txt', compressedSize: 10, uncompressedSize: MIB })
		).not.toThrow();
	});

	it('treats a large member declared with zero compressed bytes as a bomb', () => {
		const budget = new ZipBudget(limits);
		expect(() =>
			budget.checkDeclared({ path: 'zero', compressedSize: 0, uncompressedSize: 2 * MIB })
		).toThrow(ZipBombError);
	});

	it('refuses a member that would push the declared total over the limit', () => {
		const budget = new ZipBudget(limits);
		const entry = (i: number) => ({
			path: `part${i}.bin`,
			compressedSize: GIB,
			uncompressedSize: GIB
		});
		for (let i = 0; i < 4; i++) budget.checkDeclared(entry(i));
		expect(() => budget.checkDeclared(entry(4))).toThrow(
			'archive expands past 4 GiB (limit): looks like a zip bomb'
		);
	});

	it('does not count declared sizes as used bytes', () => {
		const budget = new ZipBudget(limits);
		budget.checkDeclared({ path: 'a', compressedSize: 100, uncompressedSize: 100 });
		expect(budget.usedBytes).toBe(0);
	});
});

describe('ZipBudget.meter', () => {
	it('counts real bytes across members and nested archives', () => {
		const budget = new ZipBudget({ zipMaxTotalBytes: 10 * MIB, zipMaxRatio: 200 });
		const outer = budget.meter('inner.zip', MIB);
		outer(MIB);
		const inner = budget.meter('inner.zip/a.png', MIB);
		inner(512 * 1024);
		inner(512 * 1024);
		expect(budget.usedBytes).toBe(2 * MIB);
	});

	it('throws as soon as the actual total passes the limit, whatever was declared', () => {
		const budget = new ZipBudget({ zipMaxTotalBytes: 4 * MIB, zipMaxRatio: 1000 });
		// The header claimed 1 KiB; the stream keeps going.
		budget.checkDeclared({ path: 'liar.bin', compressedSize: 1024, uncompressedSize: 1024 });
		const onChunk = budget.meter('liar.bin', 64 * 1024);
		for (let i = 0; i < 4; i++) onChunk(MIB);
		expect(() => onChunk(1)).toThrow('archive expands past 4 MiB (limit): looks like a zip bomb');
	});

	it('shares the total between members', () => {
		const budget = new ZipBudget({ zipMaxTotalBytes: 3 * MIB, zipMaxRatio: 1000 });
		budget.meter('a', MIB)(2 * MIB);
		const b = budget.meter('b', MIB);
		expect(() => b(MIB)).not.toThrow();
		expect(() => b(1)).toThrow(ZipBombError);
	});

	it('throws when the actual ratio of a member goes over the limit', () => {
		const budget = new ZipBudget({ zipMaxTotalBytes: GIB, zipMaxRatio: 200 });
		const onChunk = budget.meter('big.txt', 10_000);
		// 1 MiB is exempt however it compresses; past that the ratio counts.
		onChunk(MIB);
		onChunk(MIB - 100_000);
		expect(() => onChunk(200_000)).toThrow(
			/^"big\.txt" expands 2\d\d× \(limit 200×\): looks like a zip bomb$/
		);
	});

	it('lets small members compress any amount', () => {
		const budget = new ZipBudget({ zipMaxTotalBytes: GIB, zipMaxRatio: 10 });
		const onChunk = budget.meter('blank.bmp', 1);
		expect(() => onChunk(MIB)).not.toThrow();
		expect(() => onChunk(1)).toThrow(ZipBombError);
	});
});
