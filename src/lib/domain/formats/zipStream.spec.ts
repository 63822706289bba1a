import { describe, expect, it } from 'vitest';
import { writeZip, zipSourceFiles, ZipFormatError } from './zipStream';
import type { ExportEntry } from './snapshot';

async function* entriesOf(list: readonly ExportEntry[]): AsyncIterable<ExportEntry> {
	yield* list;
}

/** A writable that keeps what it is given, like a file would. */
function memorySink(): { writable: (chunk: Uint8Array) => void; bytes(): Uint8Array<ArrayBuffer> } {
	const parts: Uint8Array[] = [];
	return {
		writable: (chunk) => void parts.push(chunk.slice()),
		bytes: () => {
			const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
			let at = 0;
			for (const p of parts) {
				out.set(p, at);
				at += p.length;
			}
			return out;
		}
	};
}

const enc = (s: string) => new TextEncoder().encode(s);
const sample: ExportEntry[] = [
	{ path: 'data/train.jsonl', bytes: enc('{"text":"a"}\n'.repeat(1000)), compress: true },
	{
		path: 'images/1.png',
		bytes: Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) % 251),
		compress: false
	},
	{ path: 'README.md', bytes: enc('# Dataset\n'), compress: true }
];

describe('writeZip', () => {
	it('writes entries that read back byte for byte, deflating text and storing images', async () => {
		const sink = memorySink();
		const progress: number[] = [];
		const counts = await writeZip(entriesOf(sample), sink.writable, {
			onEntry: (p) => progress.push(p.files)
		});
		expect(counts).toMatchObject({
			files: 3,
			bytes: sample.reduce((n, e) => n + e.bytes.length, 0)
		});
		expect(progress).toEqual([1, 2, 3]);
		const zip = sink.bytes();
		expect(zip.length).toBeLessThan(5000 + 2000);
		const files = await zipSourceFiles(new Blob([zip]));
		expect(files.paths).toEqual(['README.md', 'data/train.jsonl', 'images/1.png']);
		for (const e of sample) expect(await files.read(e.path)).toEqual(e.bytes);
	});

	it('gives the same bytes for the same entries', async () => {
		const a = memorySink();
		const b = memorySink();
		await writeZip(entriesOf(sample), a.writable);
		await new Promise((r) => setTimeout(r, 1100));
		await writeZip(entriesOf(sample), b.writable);
		expect(Buffer.from(a.bytes()).equals(Buffer.from(b.bytes()))).toBe(true);
	});

	it('switches to ZIP64 for more than 65,535 entries', async () => {
		const sink = memorySink();
		async function* many(): AsyncIterable<ExportEntry> {
			for (let i = 0; i < 70_000; i++)
				yield { path: `t/${i}.txt`, bytes: enc(String(i)), compress: false };
		}
		await writeZip(many(), sink.writable);
		const files = await zipSourceFiles(new Blob([sink.bytes()]));
		expect(files.paths.length).toBe(70_000);
		expect(new TextDecoder().decode(await files.read('t/69999.txt'))).toBe('69999');
	}, 60_000);
});

describe('zipSourceFiles', () => {
	it('stops a member that unpacks past the limit, with its name', async () => {
		const sink = memorySink();
		await writeZip(entriesOf(sample), sink.writable);
		const files = await zipSourceFiles(new Blob([sink.bytes()]), { memberLimit: 4000 });
		await expect(files.read('data/train.jsonl')).rejects.toThrow(
			'data/train.jsonl in the zip is larger than'
		);
		expect(await files.read('README.md')).toEqual(sample[2]?.bytes);
	});

	it('leaves out members whose names climb out of the archive', async () => {
		const sink = memorySink();
		await writeZip(
			entriesOf([{ path: '../../etc/passwd', bytes: enc('x'), compress: false }, ...sample]),
			sink.writable
		);
		const files = await zipSourceFiles(new Blob([sink.bytes()]));
		expect(files.paths).not.toContain('../../etc/passwd');
		expect(files.refused[0]).toMatch(/goes outside the archive/);
	});

	it('refuses a file that is not a zip with a clear error', async () => {
		await expect(zipSourceFiles(new Blob([enc('not a zip at all')]))).rejects.toThrow(
			ZipFormatError
		);
	});
});
