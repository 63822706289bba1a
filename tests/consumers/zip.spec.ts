import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeZip } from '../../src/lib/domain/formats/zipStream';
import type { ExportEntry } from '../../src/lib/domain/formats/snapshot';
import { pythonHas, runPython, writeTree } from './python';

const enc = (s: string) => new TextEncoder().encode(s);

async function zipOf(entries: AsyncIterable<ExportEntry>): Promise<Uint8Array> {
	const parts: Uint8Array[] = [];
	await writeZip(entries, (c) => void parts.push(c.slice()));
	return Buffer.concat(parts);
}

/** Python's zipfile is an independent reader: it checks every CRC and the ZIP64 records. */
const CHECK = `
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
bad = z.testzip()
assert bad is None, 'bad CRC in ' + bad
infos = z.infolist()
methods = sorted({i.compress_type for i in infos})
print(len(infos), methods, z.read(infos[-1].filename).decode('utf-8', 'replace')[:40])
`;

describe.skipIf(!pythonHas(['zipfile']))("exports' zips in Python's zipfile", () => {
	it('reads deflated text, stored images and UTF-8 names with valid CRCs', async () => {
		async function* entries(): AsyncIterable<ExportEntry> {
			yield {
				path: 'data/train.jsonl',
				bytes: enc('{"text":"héllo"}\n'.repeat(5000)),
				compress: true
			};
			yield {
				path: 'images/ünïcode 1.png',
				bytes: Uint8Array.from({ length: 3000 }, (_, i) => i % 256),
				compress: false
			};
			yield { path: 'README.md', bytes: enc('# Card'), compress: true };
		}
		const dir = writeTree(new Map());
		writeFileSync(join(dir, 'a.zip'), await zipOf(entries()));
		expect(runPython(CHECK, dir, ['a.zip']).trim()).toBe('3 [0, 8] # Card');
	});

	it('reads a ZIP64 zip of 70,000 entries', async () => {
		async function* entries(): AsyncIterable<ExportEntry> {
			for (let i = 0; i < 70_000; i++)
				yield { path: `t/${i}.txt`, bytes: enc(`text ${i}`), compress: false };
		}
		const dir = writeTree(new Map());
		writeFileSync(join(dir, 'b.zip'), await zipOf(entries()));
		expect(runPython(CHECK, dir, ['b.zip']).trim()).toBe('70000 [0] text 69999');
	}, 60_000);
});
