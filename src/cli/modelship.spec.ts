import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleProject } from '../lib/domain/formats/projectFile/fixtures';
import { writeProjectFile } from '../lib/domain/formats/projectFile/writeProjectFile';
import { writeZip, zipSourceFiles } from '../lib/domain/formats/zipStream';
import { main } from './modelship';

/** A project file on disk, written by the same code the app's "Export project file" runs. */
async function projectZip(): Promise<string> {
	const sample = await sampleProject();
	const parts: Uint8Array[] = [];
	await writeZip(
		writeProjectFile({
			project: sample.project,
			items: sample.items,
			annotations: sample.annotations,
			reviewEvents: sample.reviewEvents,
			predictions: sample.predictions,
			readBlob: async (kind, sha) =>
				kind === 'image'
					? sample.images.get(sha)
					: kind === 'thumbnail'
						? sample.thumbnails.get(sha)
						: undefined,
			appVersion: '0.1.0',
			createdAt: 1_700_000_000_000
		}),
		(chunk) => void parts.push(chunk.slice())
	);
	const dir = mkdtempSync(join(tmpdir(), 'modelship-cli-'));
	const path = join(dir, 'project.zip');
	writeFileSync(path, Buffer.concat(parts));
	return path;
}

function capture(): {
	io: { out(t: string): void; err(t: string): void };
	out: string[];
	err: string[];
} {
	const out: string[] = [];
	const err: string[] = [];
	return { io: { out: (t) => void out.push(t), err: (t) => void err.push(t) }, out, err };
}

async function zipPaths(path: string): Promise<string[]> {
	const files = await zipSourceFiles(new Blob([readFileSync(path)]));
	return [...files.paths];
}

describe('modelship export', () => {
	it('writes an ImageFolder zip of the image task from a project file', async () => {
		const project = await projectZip();
		const out = join(project, '..', 'pets.zip');
		const c = capture();
		const code = await main(
			['export', project, '--format', 'imagefolder', '--split', '1,0,0', '--seed', '7', '-o', out],
			c.io
		);
		expect(c.err.join('')).toBe('');
		expect(code).toBe(0);
		expect(c.out.join('')).toMatch(/ImageFolder|Image folders/);
		const paths = await zipPaths(out);
		expect(paths).toContain('dataset_info.json');
		expect(paths.some((p) => /^train\/cat\/.+\.png$/.test(p))).toBe(true);
		expect(paths.some((p) => /^train\/dog\/.+\.png$/.test(p))).toBe(true);
	});

	it('gives the same bytes for the same file, options and seed', async () => {
		const project = await projectZip();
		const a = join(project, '..', 'a.zip');
		const b = join(project, '..', 'b.zip');
		for (const out of [a, b])
			expect(await main(['export', project, '-f', 'text-jsonl', '-o', out], capture().io)).toBe(0);
		expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
	});

	it('explains bad usage with exit code 2', async () => {
		const project = await projectZip();
		const cases: [string[], RegExp][] = [
			[['export', project, '-o', 'x.zip'], /--format is required/],
			[['export', project, '-f', 'nope', '-o', 'x.zip'], /unknown format "nope"/],
			[
				['export', project, '-f', 'coco', '-o', 'x.zip'],
				/no task in this project can be written as COCO/
			],
			[
				['export', project, '-f', 'imagefolder', '--split', '0.5,0.5', '-o', 'x.zip'],
				/three ratios/
			],
			[
				['export', project, '-f', 'imagefolder', '--task', 'Birds', '-o', 'x.zip'],
				/no task "Birds"/
			],
			[['frobnicate'], /unknown command/]
		];
		for (const [args, message] of cases) {
			const c = capture();
			expect(await main(args, c.io)).toBe(2);
			expect(c.err.join('')).toMatch(message);
		}
	});

	it('refuses a file that is not a project file, with exit code 1', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'modelship-cli-'));
		const bogus = join(dir, 'bogus.zip');
		writeFileSync(bogus, 'plain text');
		const c = capture();
		expect(await main(['export', bogus, '-f', 'coco', '-o', join(dir, 'o.zip')], c.io)).toBe(1);
		expect(c.err.join('')).toMatch(/not a readable zip/);
	});
});

describe('npx modelship (the real command)', () => {
	it('lists the formats in --help and converts a project file', async () => {
		const help = execFileSync('node', ['src/cli/bin.mjs', '--help'], { encoding: 'utf8' });
		for (const id of ['coco', 'yolo', 'voc', 'imagefolder', 'conll', 'spacy', 'tfrecord'])
			expect(help).toContain(id);
		const project = await projectZip();
		const out = join(project, '..', 'cli.zip');
		const run = spawnSync(
			'node',
			[
				'src/cli/bin.mjs',
				'export',
				project,
				'--format',
				'hf-text-classification',
				'--split',
				'0.8,0.1,0.1',
				'--seed',
				'42',
				'-o',
				out
			],
			{
				encoding: 'utf8'
			}
		);
		expect(run.stderr).toBe('');
		expect(run.status).toBe(0);
		expect(await zipPaths(out)).toContain('README.md');
	}, 30_000);
});
