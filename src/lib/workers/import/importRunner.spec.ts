import 'fake-indexeddb/auto';
import {
	BlobReader,
	BlobWriter,
	Uint8ArrayReader,
	ZipWriter
} from '@zip.js/zip.js/lib/zip-core-native.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makePng, pngSize } from '../../../../tests/fixtures/png';
import { ModelShipDB, useDatabase } from '$lib/db/database';
import { addProject } from '$lib/db/projects';
import { createImportJob, getImportJob } from '$lib/db/jobs';
import { createTask } from '$lib/domain/labels/taskEditing';
import { DEFAULT_LIMITS, type ImportMessage, type ImportOptions } from '$lib/domain/schemas';
import { ImportRunner, type ImportSource } from './importRunner';

// The whole import pipeline in Node against fake-indexeddb; only image decoding is swapped
// for a PNG header reader (Node has no createImageBitmap). The browser path is covered by
// the end-to-end suite.
const decodePng = async (blob: Blob) => {
	const size = pngSize(new Uint8Array(await blob.arrayBuffer()));
	return { ...size, thumbnail: new Blob(['thumb'], { type: 'image/jpeg' }) };
};

let database: ModelShipDB;
let projectId: number;
const imageTask = createTask({ name: 'Animal', kind: 'image-classification', multiLabel: false });
const textTask = createTask({ name: 'Sentiment', kind: 'text-classification', multiLabel: false });

beforeEach(async () => {
	database = new ModelShipDB(`test-${Math.random()}`);
	useDatabase(database);
	projectId = await addProject('Test', [imageTask, textTask]);
});

afterEach(async () => {
	database.close();
	await database.delete();
});

const file = (path: string, content: Uint8Array | string): ImportSource => ({
	path,
	file: new Blob([typeof content === 'string' ? content : (content as Uint8Array<ArrayBuffer>)])
});

async function zip(
	entries: [string, Uint8Array | string | Blob][],
	level = 6
): Promise<Uint8Array> {
	const writer = new ZipWriter(new BlobWriter('application/zip'), { level });
	for (const [name, content] of entries) {
		const reader =
			content instanceof Blob
				? new BlobReader(content)
				: new Uint8ArrayReader(
						typeof content === 'string' ? new TextEncoder().encode(content) : content
					);
		await writer.add(name, reader);
	}
	return new Uint8Array(await (await writer.close()).arrayBuffer());
}

async function runImport(sources: ImportSource[], patch: Partial<ImportOptions> = {}) {
	const jobId = await createImportJob(projectId, 'test');
	const messages: ImportMessage[] = [];
	const options: ImportOptions = {
		projectId,
		textMode: 'file',
		table: { textColumn: 'text', labelColumn: null },
		folderLabelTaskId: null,
		columnLabelTaskId: null,
		limits: DEFAULT_LIMITS,
		...patch
	};
	const runner = new ImportRunner(jobId, options, (m) => void messages.push(m), decodePng);
	await runner.run(sources);
	const done = messages.find((m) => m.status === 'done');
	if (done?.status !== 'done') throw new Error('no done message');
	const errors = messages.flatMap((m) => (m.status === 'errors' ? m.errors : []));
	return { done, errors, job: await getImportJob(jobId), runner };
}

describe('ImportRunner', () => {
	it('imports images and texts, skipping duplicates within and across imports', async () => {
		const red = makePng(4, 3, [255, 0, 0]);
		const first = await runImport([
			file('a.png', red),
			file('copy-of-a.jpg', red),
			file('b.png', makePng(8, 8, [0, 0, 255])),
			file('note.txt', 'hello world')
		]);
		expect(first.done.counts).toMatchObject({
			imported: 3,
			images: 2,
			texts: 1,
			duplicates: 1,
			failed: 0
		});
		const items = await database.items.toArray();
		expect(items.find((i) => i.name === 'a.png')).toMatchObject({
			width: 4,
			height: 3,
			mime: 'image/png'
		});
		expect(await database.blobs.count()).toBe(4); // 2 originals + 2 thumbnails

		const second = await runImport([file('again.png', red), file('new.txt', 'something new')]);
		expect(second.done.counts).toMatchObject({ imported: 1, duplicates: 1 });
		expect(await database.items.count()).toBe(4);
	});

	it('gives every bad file its own specific error and still imports the good ones', async () => {
		const corrupt = new Uint8Array([...makePng(2, 2, [1, 2, 3]).subarray(0, 20)]);
		const latin1 = new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]);
		// A small file whose header declares 40000×40000 pixels (6.4 GB once decoded).
		const pixelBomb = makePng(2, 2, [5, 5, 5]);
		new DataView(pixelBomb.buffer).setUint32(16, 40000);
		new DataView(pixelBomb.buffer).setUint32(20, 40000);
		const utf16 = new Uint8Array([0xff, 0xfe, ...[...'hé'].flatMap((c) => [c.charCodeAt(0), 0])]);
		const { done, errors } = await runImport(
			[
				file('good.png', makePng(2, 2, [9, 9, 9])),
				file('empty.txt', ''),
				file('broken.png', corrupt),
				file('program.exe', 'MZ\u0000\u0000binary'),
				file('latin1.txt', latin1),
				file('utf16.txt', utf16),
				file('big.txt', 'x'.repeat(2048)),
				file('pixel-bomb.png', pixelBomb)
			],
			{ limits: { ...DEFAULT_LIMITS, maxFileBytes: 1024 } }
		);
		expect(done.counts).toMatchObject({ imported: 2, failed: 6 });
		const byPath = Object.fromEntries(errors.map((e) => [e.path, e]));
		expect(byPath['empty.txt']?.code).toBe('empty-file');
		expect(byPath['broken.png']?.code).toBe('corrupt-image');
		expect(byPath['program.exe']?.code).toBe('unsupported-type');
		expect(byPath['latin1.txt']).toMatchObject({ code: 'invalid-encoding', line: 1 });
		expect(byPath['big.txt']?.code).toBe('too-large');
		expect(byPath['pixel-bomb.png']).toMatchObject({
			code: 'too-large',
			message: 'image is 40000×40000 px (1600 megapixels), over the 100 megapixel limit'
		});
		// UTF-16 with a BOM is decoded, not rejected.
		expect(await database.items.filter((i) => i.text === 'hé').count()).toBe(1);
	});

	it('reads CSV rows with their labels and reports bad rows by line', async () => {
		const csv =
			'text,label\n"Great, really great",pos\n"line one\nline two",neg\nbad,row,extra\n,pos\nfine,neg\n';
		const { done, errors } = await runImport([file('reviews.csv', csv)], {
			table: { textColumn: 'text', labelColumn: 'label' },
			columnLabelTaskId: textTask.id
		});
		expect(done.counts).toMatchObject({ imported: 3, labeled: 3 });
		expect(errors.map((e) => [e.code, e.line])).toEqual([
			['csv-syntax', 5],
			['empty-text', 6]
		]);
		const project = await database.projects.get(projectId);
		const classes = project?.tasks.find((t) => t.id === textTask.id)?.classes.map((c) => c.name);
		expect(classes).toEqual(['pos', 'neg']);
		const multiline = await database.items.filter((i) => i.text === 'line one\nline two').first();
		expect(multiline?.name).toBe('reviews.csv:3');
	});

	it('imports an image-folder zip with labels and guards against zip-slip, bombs and deep nesting', async () => {
		const inner = await zip([['deeper.zip', await zip([['x.txt', 'too deep']])]]);
		const archive = await zip([
			['dataset/cat/1.png', makePng(3, 3, [1, 1, 1])],
			['dataset/dog/sub/2.png', makePng(3, 3, [2, 2, 2])],
			['dataset/dog/3.png', makePng(3, 3, [3, 3, 3])],
			['../evil.png', makePng(3, 3, [4, 4, 4])],
			['__MACOSX/dataset/._1.png', 'junk'],
			['nested.zip', inner]
		]);
		const bomb = await zip([['zeros.txt', new Uint8Array(5 * 1024 * 1024)]], 9);
		const { done, errors } = await runImport([file('data.zip', archive), file('bomb.zip', bomb)], {
			folderLabelTaskId: imageTask.id,
			limits: { ...DEFAULT_LIMITS, zipMaxDepth: 2 }
		});
		expect(done.counts).toMatchObject({ imported: 3, images: 3, labeled: 3 });
		const codes = errors.map((e) => `${e.code} ${e.path}`).sort();
		expect(codes).toEqual([
			'zip-bomb bomb.zip',
			'zip-slip data.zip/../evil.png',
			'zip-too-deep data.zip/nested.zip/deeper.zip'
		]);
		const project = await database.projects.get(projectId);
		const task = project?.tasks.find((t) => t.id === imageTask.id);
		expect(task?.classes.map((c) => c.name).sort()).toEqual(['cat', 'dog', 'sub']);
		const annotations = await database.annotations.toArray();
		expect(annotations).toHaveLength(3);
		expect(annotations.every((a) => a.source === 'human' && a.status === 'approved')).toBe(true);
	});

	it('reports a file that can no longer be read and goes on with the rest', async () => {
		class Unreadable extends Blob {
			override arrayBuffer(): Promise<ArrayBuffer> {
				return Promise.reject(new DOMException('gone', 'NotReadableError'));
			}
			override slice(): Blob {
				return new Unreadable(['gone']);
			}
		}
		const { done, errors } = await runImport([
			{ path: 'moved.txt', file: new Unreadable(['was here']) },
			file('still-here.txt', 'fine')
		]);
		expect(done.counts).toMatchObject({ imported: 1, failed: 1 });
		expect(errors[0]).toMatchObject({ path: 'moved.txt', code: 'read-failed' });
	});

	it('stores errors and final counts on the job record', async () => {
		const { job } = await runImport([file('a.txt', 'one'), file('b.bin', 'garbage\u0000')]);
		expect(job).toMatchObject({ status: 'completed', counts: { imported: 1, failed: 1 } });
		expect(job?.errors[0]?.code).toBe('unsupported-type');
	});
});
