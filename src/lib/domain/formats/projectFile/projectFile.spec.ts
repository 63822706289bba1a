import { describe, expect, it } from 'vitest';
import { collect } from '../fixtures';
import { sourceFilesOf } from '../sourceFiles';
import { PROJECT_PATHS, ProjectFileError, parseManifest } from './manifest';
import { readProjectFile } from './readProjectFile';
import { reseal, sampleProject, type SampleProject } from './fixtures';
import { writeProjectFile, type ProjectFileInput } from './writeProjectFile';

const inputOf = (sample: SampleProject, withModels = true): ProjectFileInput => ({
	project: sample.project,
	items: sample.items,
	annotations: sample.annotations,
	reviewEvents: sample.reviewEvents,
	predictions: sample.predictions,
	models: withModels ? [{ model: sample.model.model, version: sample.model.version }] : [],
	readBlob: async (kind, sha256) =>
		(kind === 'image'
			? sample.images
			: kind === 'thumbnail'
				? sample.thumbnails
				: sample.model.files
		).get(sha256),
	appVersion: '0.1.0',
	createdAt: 123
});

async function written(withModels = true) {
	const sample = await sampleProject();
	const files = await collect(writeProjectFile(inputOf(sample, withModels)));
	return { sample, files };
}

const encode = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

async function refusal(files: Map<string, Uint8Array>): Promise<ProjectFileError> {
	const error = await readProjectFile(sourceFilesOf(files)).then(
		() => null,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(ProjectFileError);
	return error as ProjectFileError;
}

/** Replaces line `n` (1-based) of a JSONL file. */
function editLine(
	files: Map<string, Uint8Array>,
	path: string,
	n: number,
	edit: (r: Record<string, unknown>) => void
) {
	const lines = decode(files.get(path)).split('\n');
	const record = JSON.parse(lines[n - 1] as string) as Record<string, unknown>;
	edit(record);
	lines[n - 1] = JSON.stringify(record);
	files.set(path, encode(lines.join('\n')));
}

describe('writeProjectFile', () => {
	it('writes records as JSONL, each image once, models, and the manifest last', async () => {
		const { files } = await written();
		const paths = [...files.keys()];
		expect(paths.slice(0, 4)).toEqual([
			'items.jsonl',
			'annotations.jsonl',
			'review-events.jsonl',
			'predictions.jsonl'
		]);
		expect(paths.at(-1)).toBe('manifest.json');
		expect(paths.filter((p) => p.startsWith('blobs/'))).toHaveLength(2);
		expect(paths.filter((p) => p.startsWith('thumbs/'))).toHaveLength(1);
		expect(paths.filter((p) => p.startsWith('models/1/')).sort()).toEqual([
			'models/1/config.json',
			'models/1/model.onnx',
			'models/1/modelship-model.json'
		]);
		const manifest = parseManifest(decode(files.get('manifest.json')));
		expect(manifest.files.map((f) => f.path)).toEqual(paths.slice(0, -1));
		expect(manifest.counts).toEqual({
			items: 4,
			images: 3,
			texts: 1,
			annotations: 3,
			reviewEvents: 6,
			predictions: 2,
			blobs: 2,
			thumbnails: 1,
			modelVersions: 1
		});
		expect(manifest.includesModels).toBe(true);
		expect(decode(files.get('items.jsonl')).trim().split('\n')).toHaveLength(4);
	});

	it('stores images and weights, compresses JSON', async () => {
		const sample = await sampleProject();
		const compress = new Map<string, boolean>();
		for await (const e of writeProjectFile(inputOf(sample))) compress.set(e.path, e.compress);
		expect(compress.get('items.jsonl')).toBe(true);
		expect(compress.get('manifest.json')).toBe(true);
		expect(compress.get('models/1/model.onnx')).toBe(false);
		expect([...compress].filter(([p]) => p.startsWith('blobs/')).every(([, c]) => !c)).toBe(true);
	});

	it('leaves out records of items not in the file, and undos of events left out', async () => {
		const sample = await sampleProject();
		const gone = 999;
		sample.reviewEvents.push(
			{ ...sample.reviewEvents[0]!, seq: 50, itemId: gone },
			{ ...sample.reviewEvents[0]!, seq: 51, itemId: gone, action: 'undo', undoes: 50 }
		);
		sample.annotations.push({ ...sample.annotations[0]!, id: 60, itemId: gone });
		const files = await collect(writeProjectFile(inputOf(sample)));
		const contents = await readProjectFile(sourceFilesOf(files));
		expect(contents.reviewEvents.map((e) => e.seq)).toEqual([40, 41, 42, 43, 44, 45]);
		expect(contents.annotations).toHaveLength(3);
	});

	it('refuses to write a project whose image bytes are missing', async () => {
		const sample = await sampleProject();
		sample.images.clear();
		const error = await collect(writeProjectFile(inputOf(sample))).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ProjectFileError);
		expect((error as ProjectFileError).code).toBe('missing-bytes');
	});

	it('is deterministic: same inputs, same bytes', async () => {
		const a = await written();
		const b = await written();
		expect(a.files).toEqual(b.files);
	});
});

describe('readProjectFile', () => {
	it('reads back exactly what was written', async () => {
		const { sample, files } = await written();
		const contents = await readProjectFile(sourceFilesOf(files));
		expect(contents.items).toEqual(sample.items);
		expect(contents.annotations).toEqual(sample.annotations);
		expect(contents.reviewEvents).toEqual(sample.reviewEvents);
		expect(contents.predictions).toEqual(sample.predictions);
		expect(contents.manifest.project).toEqual({
			name: sample.project.name,
			tasks: sample.project.tasks,
			createdAt: sample.project.createdAt
		});
		expect(contents.manifest.appVersion).toBe('0.1.0');
		for (const [sha256, bytes] of sample.images) {
			const blob = contents.blobs.get(sha256)!;
			expect(new Uint8Array(await blob.arrayBuffer())).toEqual(bytes);
			expect(blob.type).toBe('image/png');
		}
		const [thumbSha, thumb] = [...sample.thumbnails][0]!;
		expect(new Uint8Array(await contents.thumbnails.get(thumbSha!)!.arrayBuffer())).toEqual(thumb);
		expect(contents.models).toHaveLength(1);
		const [model] = contents.models;
		expect(model!.model).toEqual(sample.model.model);
		expect(model!.version).toEqual(sample.model.version);
		for (const [sha256, bytes] of sample.model.files) {
			expect(new Uint8Array(await model!.files.get(sha256)!.arrayBuffer())).toEqual(bytes);
		}
	});

	it('reads a file without models', async () => {
		const { files } = await written(false);
		const contents = await readProjectFile(sourceFilesOf(files));
		expect(contents.models).toEqual([]);
		expect(contents.manifest.includesModels).toBe(false);
	});

	it('refuses a tampered image', async () => {
		const { sample, files } = await written();
		const [sha256] = [...sample.images.keys()];
		const path = PROJECT_PATHS.blob(sha256!);
		const bytes = files.get(path)!.slice();
		bytes[bytes.length - 1]! ^= 1;
		files.set(path, bytes);
		const error = await refusal(files);
		expect(error.code).toBe('hash-mismatch');
		expect(error.message).toBe(
			`blobs/${sha256!.slice(0, 12)}… does not match its SHA-256 in the manifest (tampered or damaged).`
		);
		expect(error.path).toBe(path);
	});

	it('refuses a tampered JSONL line', async () => {
		const { files } = await written();
		editLine(files, 'annotations.jsonl', 2, (r) => (r.status = 'approved!'));
		const error = await refusal(files);
		expect(error.code).toBe('size-mismatch');
		expect(error.message).toContain('annotations.jsonl has');
		// Same length, different bytes.
		const { files: again } = await written();
		const text = decode(again.get('annotations.jsonl')).replace('"dog"', '"cat"');
		again.set('annotations.jsonl', encode(text));
		const second = await refusal(again);
		expect(second.code).toBe('hash-mismatch');
		expect(second.message).toBe(
			'annotations.jsonl does not match its SHA-256 in the manifest (tampered or damaged).'
		);
	});

	it('names the file and line of an invalid record', async () => {
		const { files } = await written();
		editLine(files, 'predictions.jsonl', 2, (r) => (r.score = 7));
		await reseal(files);
		const error = await refusal(files);
		expect(error.code).toBe('bad-record');
		expect(error.message).toMatch(/^predictions\.jsonl line 2: score: /);
		expect([error.path, error.line]).toEqual(['predictions.jsonl', 2]);
	});

	it('names the line that is not JSON', async () => {
		const { files } = await written();
		files.set('items.jsonl', encode(decode(files.get('items.jsonl')).replace(/\n$/, '\n{oops\n')));
		await reseal(files);
		const error = await refusal(files);
		expect(error.message).toBe('items.jsonl line 5 is not valid JSON.');
	});

	it('refuses a missing file', async () => {
		const { sample, files } = await written();
		const [sha256] = [...sample.images.keys()];
		files.delete(PROJECT_PATHS.blob(sha256!));
		const error = await refusal(files);
		expect(error.code).toBe('missing-file');
		expect(error.message).toContain('is listed in the manifest but missing from the file');
	});

	it('refuses a file the manifest does not list', async () => {
		const { files } = await written();
		files.set('blobs/extra', encode('hello'));
		const error = await refusal(files);
		expect(error.code).toBe('unlisted-file');
		expect(error.message).toContain('blobs/extra is not listed in the manifest');
	});

	it('refuses a newer format', async () => {
		const { files } = await written();
		await reseal(files, (m) => ((m as { version: number }).version = 2));
		const error = await refusal(files);
		expect(error.code).toBe('newer-version');
		expect(error.message).toBe(
			'This project file was made by a newer ModelShip (format 2); this version reads format 1'
		);
	});

	it('refuses a malformed manifest, and a file without one', async () => {
		const { files } = await written();
		await reseal(files, (m) => ((m.project as { name: string }).name = ''));
		const error = await refusal(files);
		expect(error.code).toBe('bad-manifest');
		expect(error.message).toBe('manifest.json is malformed: project.name: project name is empty');

		files.set('manifest.json', encode('{not json'));
		expect((await refusal(files)).message).toBe('manifest.json is not valid JSON');

		files.set('manifest.json', encode('{"format":"something-else"}'));
		expect((await refusal(files)).code).toBe('not-a-project-file');

		files.delete('manifest.json');
		expect((await refusal(files)).code).toBe('not-a-project-file');
	});

	it('refuses a label on an item that is not in the file', async () => {
		const { files } = await written();
		editLine(files, 'annotations.jsonl', 3, (r) => (r.itemId = 555));
		await reseal(files);
		const error = await refusal(files);
		expect(error.code).toBe('broken-reference');
		expect(error.message).toBe('annotations.jsonl line 3: item 555 is not in the file');
	});

	it('refuses an unknown task, and an undo of an event that is not in the file', async () => {
		const { files } = await written();
		editLine(files, 'predictions.jsonl', 1, (r) => (r.taskId = 'nope'));
		await reseal(files);
		expect((await refusal(files)).message).toBe(
			"predictions.jsonl line 1: task nope is not one of the project's tasks"
		);

		const { files: again } = await written();
		editLine(again, 'review-events.jsonl', 3, (r) => (r.undoes = 44));
		await reseal(again);
		expect((await refusal(again)).message).toBe(
			'review-events.jsonl line 3: this undo reverts event 44, which is not an earlier event of the file'
		);

		const { files: third } = await written();
		editLine(third, 'review-events.jsonl', 3, (r) => (r.undoes = 40));
		await reseal(third);
		expect((await refusal(third)).message).toBe(
			'review-events.jsonl line 3: this undo reverts event 40, which is about another item or task'
		);
	});

	it('refuses an image item whose bytes are not in the file', async () => {
		const { sample, files } = await written();
		const [sha256] = [...sample.images.keys()];
		files.delete(PROJECT_PATHS.blob(sha256!));
		files.delete(PROJECT_PATHS.thumbnail(sha256!));
		await reseal(files, (m) => {
			m.counts.blobs = 1;
			m.counts.thumbnails = 0;
		});
		const error = await refusal(files);
		expect(error.code).toBe('missing-file');
		expect(error.message).toBe(
			`The image ${sha256!.slice(0, 12)}… has no blobs/${sha256!.slice(0, 12)}… in the file.`
		);
	});

	it('refuses counts that do not match', async () => {
		const { files } = await written();
		await reseal(files, (m) => (m.counts.items = 5));
		const error = await refusal(files);
		expect(error.code).toBe('count-mismatch');
		expect(error.message).toBe('The manifest declares 5 items but the file holds 4.');
	});

	it('refuses a model version whose record does not match its files', async () => {
		const { files } = await written();
		files.set('models/1/model.onnx', new Uint8Array([9, 9, 9]));
		await reseal(files);
		const error = await refusal(files);
		expect(error.code).toBe('bad-model');
		expect(error.message).toBe(
			'models/1/: model.onnx does not match its SHA-256 in the version record (tampered or damaged)'
		);
	});
});
