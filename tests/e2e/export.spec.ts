import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import {
	BlobWriter,
	Uint8ArrayReader,
	Uint8ArrayWriter,
	ZipReader,
	ZipWriter
} from '@zip.js/zip.js/lib/zip-core-native.js';
import { makeZip } from './data';
import { createProject, expect, test } from './fixtures';
import { addTask, importFiles, png, readStore } from './setup';

// Exporting as a person does on the export page: datasets in four formats, each download
// opened and checked file by file, its checksum against the history card; then the project
// file, imported losslessly in a fresh browser, and a tampered copy refused.

test.use({ serviceWorkers: 'block' });

type Stored = { id: number; name: string };
type StoredProject = Stored & {
	tasks: { id: string; name: string; classes: { id: string; name: string }[] }[];
};
type StoredAnnotation = {
	itemId: number;
	taskId: string;
	status: string;
	reviewer: string | null;
	value: { type: string; classIds?: string[] };
};

/** Every file of a zip, by path. */
async function unzip(bytes: Uint8Array): Promise<Map<string, Buffer>> {
	const reader = new ZipReader(new Uint8ArrayReader(bytes));
	const files = new Map<string, Buffer>();
	for (const entry of await reader.getEntries()) {
		if (entry.directory || !entry.getData) continue;
		files.set(entry.filename, Buffer.from(await entry.getData(new Uint8ArrayWriter())));
	}
	await reader.close();
	return files;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Runs `action` and returns the file it made the browser download. */
async function download(
	page: Page,
	action: () => Promise<void>
): Promise<{ name: string; bytes: Buffer }> {
	const [file] = await Promise.all([page.waitForEvent('download'), action()]);
	return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
}

/** Picks task and format, lets `configure` change the rest, then exports and downloads. */
async function exportDataset(
	page: Page,
	task: string,
	format: string,
	configure?: () => Promise<void>
): Promise<{ name: string; bytes: Buffer }> {
	await page.getByLabel('Label task').selectOption({ label: task });
	await page.getByRole('radio', { name: format, exact: true }).check();
	await configure?.();
	const button = page.getByRole('button', { name: 'Export dataset' });
	await expect(button).toBeEnabled();
	return download(page, () => button.click());
}

/** Adds annotations with the raw IndexedDB API, as if labelled earlier. */
async function putAnnotations(page: Page, records: object[]): Promise<void> {
	await page.evaluate(async (list) => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const request = indexedDB.open('modelship');
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		const tx = db.transaction('annotations', 'readwrite');
		for (const record of list) tx.objectStore('annotations').add(record);
		await new Promise((resolve, reject) => {
			tx.oncomplete = resolve;
			tx.onerror = () => reject(tx.error);
		});
		db.close();
	}, records);
}

/**
 * An image project: "Animal" (cat/dog) with one label given on the review page and four from
 * folder names, and "Objects" boxes on two images. Returns its id.
 */
async function imageProject(page: Page): Promise<number> {
	const projectId = await createProject(page, 'Pets');
	await addTask(page, projectId, 'Animal', 'Image classification — single label', ['cat', 'dog']);
	await addTask(page, projectId, 'Objects', 'Object detection (boxes)', ['car', 'person']);

	// One label through the review page, by keyboard: 2 is the second class, dog.
	await importFiles(page, projectId, [png([200, 120, 40], 'extra.png')]);
	await page.goto(`/project/review?id=${projectId}`);
	await page.getByLabel('Your name').fill('Ana');
	await page.getByRole('button', { name: 'Start reviewing' }).click();
	await page.getByLabel('Task', { exact: true }).selectOption({ label: 'Animal' });
	await page.getByLabel('Queue', { exact: true }).selectOption('all');
	const stage = page.getByRole('region', { name: 'Item under review' });
	await expect(stage).toHaveAttribute('aria-busy', 'false');
	await expect(stage.getByRole('heading', { level: 2 })).toHaveText('extra.png');
	await stage.focus();
	await page.keyboard.press('2');
	await expect(page.getByTestId('review-announcement')).toContainText('extra.png');

	// Four more labelled by their folder on import.
	await page.goto(`/project/import?id=${projectId}`);
	const zip = await makeZip([
		['pets/cat/c1.png', png([250, 0, 0], 'c1.png').buffer],
		['pets/cat/c2.png', png([240, 10, 0], 'c2.png').buffer],
		['pets/dog/d1.png', png([0, 0, 250], 'd1.png').buffer],
		['pets/dog/d2.png', png([0, 10, 240], 'd2.png').buffer]
	]);
	await page
		.getByLabel('Choose files')
		.setInputFiles({ name: 'pets.zip', mimeType: 'application/zip', buffer: zip });
	await page.getByLabel("Use each image's folder name as its class").check();
	await page.getByLabel('Image task for folder labels').selectOption({ label: 'Animal' });
	await page.getByRole('button', { name: 'Start import' }).click();
	await expect(page.getByRole('heading', { name: 'Import finished' })).toBeVisible();

	// Boxes on two images, stored as earlier work would have left them.
	const items = await readStore<Stored>(page, 'items');
	const project = (await readStore<StoredProject>(page, 'projects')).find(
		(p) => p.id === projectId
	);
	const objects = project?.tasks.find((t) => t.name === 'Objects');
	const [car, person] = objects?.classes.map((c) => c.id) ?? [];
	const idOf = (name: string) => items.find((i) => i.name.endsWith(name))?.id;
	await putAnnotations(page, [
		{
			projectId,
			itemId: idOf('c1.png'),
			taskId: objects?.id,
			value: {
				type: 'boxes',
				boxes: [
					{ classId: car, x: 1, y: 2, w: 10, h: 8, score: null },
					{ classId: person, x: 12, y: 4, w: 6, h: 20, score: null }
				]
			},
			source: 'human',
			status: 'approved',
			reviewer: 'Ana',
			updatedAt: Date.now()
		},
		{
			projectId,
			itemId: idOf('d1.png'),
			taskId: objects?.id,
			value: { type: 'boxes', boxes: [{ classId: person, x: 0, y: 0, w: 5, h: 5, score: null }] },
			source: 'human',
			status: 'approved',
			reviewer: 'Ana',
			updatedAt: Date.now()
		}
	]);
	return projectId;
}

test('dataset exports: image folders and COCO, CoNLL and JSONL; checksums and downloads again', async ({
	page,
	axe
}) => {
	test.setTimeout(180_000);
	const projectId = await imageProject(page);

	await page.goto(`/project?id=${projectId}`);
	await page
		.getByRole('navigation', { name: 'Project' })
		.getByRole('link', { name: 'Export' })
		.click();
	await expect(page).toHaveURL(/\/project\/export\?id=\d+/);
	await expect(page.getByRole('heading', { name: 'Export', exact: true })).toBeAttached();
	const history = page.getByRole('region', { name: 'Export history' });
	await expect(history.getByText('No exports yet')).toBeVisible();

	// Only formats that fit the task are offered.
	await page.getByLabel('Label task').selectOption({ label: 'Animal' });
	const formats = page.getByRole('group', { name: 'Format' });
	await expect(formats.getByRole('radio', { name: 'Image folders', exact: true })).toBeVisible();
	await expect(formats.getByRole('radio', { name: 'COCO' })).toHaveCount(0);
	await expect(formats.getByRole('radio', { name: 'CoNLL (NER)' })).toHaveCount(0);
	await expect(formats).toContainText('Loads in: torchvision ImageFolder');
	await expect(page.getByTestId('export-preview')).toHaveText(/^5 items · train \d+/);
	await expect(page.getByRole('img', { name: 'Items per class: cat 2, dog 3' })).toBeVisible();

	// Split percentages must add up to 100.
	const train = page.getByLabel('Train %');
	await train.fill('70');
	await expect(page.getByText('must add up to 100 % (now 90 %)')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Export dataset' })).toBeDisabled();
	await train.fill('80');
	await expect(page.getByText('must add up to 100 %')).toHaveCount(0);
	await axe(page);

	// Image folders: <split>/<class>/<image>, every image once, in its class's folder.
	const folders = await exportDataset(page, 'Animal', 'Image folders');
	expect(folders.name).toMatch(/^Pets-imagefolder-\d{4}-\d{2}-\d{2}\.zip$/);
	const folderFiles = await unzip(folders.bytes);
	const images = [...folderFiles.keys()].filter((p) => p.endsWith('.png'));
	expect(images).toHaveLength(5);
	for (const path of images) expect(path).toMatch(/^(train|validation|test)\/(cat|dog)\/.+\.png$/);
	expect(images.filter((p) => p.includes('/cat/')).map((p) => p.split('/').at(-1))).toEqual(
		expect.arrayContaining([expect.stringContaining('c1'), expect.stringContaining('c2')])
	);
	expect(images.find((p) => p.includes('extra'))).toMatch(/\/dog\//);

	// The history card: its checksum is that of the downloaded bytes; Download gives them again.
	const folderCard = history.getByRole('article', { name: 'Image folders · Animal' });
	await expect(folderCard.getByTestId('export-status')).toHaveText('Completed');
	await expect(folderCard.getByTestId('export-sha256')).toHaveText(sha256(folders.bytes));
	await expect(folderCard.getByTestId('export-items')).toHaveText(
		/^train \d+ · validation \d+ · test \d+$/
	);
	await expect(folderCard.getByTestId('export-options')).toHaveText(
		'split 80/10/10 · seed 42 · approved, corrected'
	);
	const again = await download(page, () =>
		folderCard.getByRole('button', { name: `Download ${folders.name}` }).click()
	);
	expect(again.bytes.equals(folders.bytes)).toBe(true);

	// COCO for the boxes, everything in train: ids count from 1.
	const coco = await exportDataset(page, 'Objects', 'COCO', async () => {
		await page.getByLabel('Train %').fill('100');
		await page.getByLabel('Validation %').fill('0');
		await page.getByLabel('Test %').fill('0');
		await expect(page.getByTestId('export-preview')).toHaveText(
			'2 items · train 2 · validation 0 · test 0'
		);
	});
	const cocoFiles = await unzip(coco.bytes);
	const instances = JSON.parse(
		cocoFiles.get('annotations/instances_train.json')?.toString() ?? '{}'
	) as {
		images: { id: number; file_name: string }[];
		annotations: { id: number; image_id: number; category_id: number; bbox: number[] }[];
		categories: { id: number; name: string }[];
	};
	expect(instances.categories).toEqual([
		expect.objectContaining({ id: 1, name: 'car' }),
		expect.objectContaining({ id: 2, name: 'person' })
	]);
	expect(instances.images.map((i) => i.id)).toEqual([1, 2]);
	expect(instances.annotations.map((a) => a.id)).toEqual([1, 2, 3]);
	expect(instances.annotations[0]).toMatchObject({
		image_id: 1,
		category_id: 1,
		bbox: [1, 2, 10, 8]
	});
	for (const image of instances.images) {
		expect(cocoFiles.has(`images/train/${image.file_name.split('/').at(-1)}`)).toBe(true);
	}
	const cocoCard = history.getByRole('article', { name: 'COCO · Objects' });
	await expect(cocoCard.getByTestId('export-sha256')).toHaveText(sha256(coco.bytes));

	// A text project: CoNLL for entities, JSONL for a classification task.
	const textId = await createProject(page, 'Reviews');
	await addTask(page, textId, 'Sentiment', 'Text classification — single label', [
		'positive',
		'negative'
	]);
	await addTask(page, textId, 'Entities', 'Named entities (spans)', ['PER', 'LOC']);
	await page.goto(`/project/import?id=${textId}`);
	await page.getByLabel('Choose files').setInputFiles({
		name: 'reviews.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from(
			'text,label\nAlice loved Paris,positive\nBob hated Rome,negative\nCarol liked Oslo,positive\n'
		)
	});
	await page.getByLabel('Label column').selectOption('label');
	await page.getByLabel('Labels go to task').selectOption({ label: 'Sentiment' });
	await page.getByRole('button', { name: 'Start import' }).click();
	await expect(page.getByRole('heading', { name: 'Import finished' })).toBeVisible();
	const texts = (await readStore<Stored & { text: string }>(page, 'items')).filter((i) =>
		['Alice', 'Bob', 'Carol'].some((n) => i.text?.startsWith(n))
	);
	const textTasks = (await readStore<StoredProject>(page, 'projects')).find(
		(p) => p.id === textId
	)?.tasks;
	const entities = textTasks?.find((t) => t.name === 'Entities');
	const [per, loc] = entities?.classes.map((c) => c.id) ?? [];
	await putAnnotations(
		page,
		texts.map((item) => {
			const [who, , where] = item.text.split(' ') as [string, string, string];
			return {
				projectId: textId,
				itemId: item.id,
				taskId: entities?.id,
				value: {
					type: 'spans',
					spans: [
						{ id: 's1', classId: per, start: 0, end: who.length },
						{
							id: 's2',
							classId: loc,
							start: item.text.length - where.length,
							end: item.text.length
						}
					],
					relations: []
				},
				source: 'human',
				status: 'corrected',
				reviewer: 'Bo',
				updatedAt: Date.now()
			};
		})
	);
	await page.goto(`/project/export?id=${textId}`);
	const conll = await exportDataset(page, 'Entities', 'CoNLL (NER)', async () => {
		await expect(page.getByLabel('Tag scheme')).toHaveValue('BIO');
		await page.getByLabel('Train %').fill('100');
		await page.getByLabel('Validation %').fill('0');
		await page.getByLabel('Test %').fill('0');
	});
	const conllFiles = await unzip(conll.bytes);
	const conllTrain = [...conllFiles.entries()].find(([p]) => /train.*\.conll$/.test(p))?.[1];
	const lines = conllTrain?.toString().split('\n') ?? [];
	expect(lines.filter((l) => l === '-DOCSTART- -X- O O')).toHaveLength(3);
	expect(lines).toContain('Alice -X- _ B-PER');
	expect(lines).toContain('Paris -X- _ B-LOC');
	expect(lines).toContain('loved -X- _ O');

	// JSONL by keyboard: the format radio, then Enter on the button.
	await page.getByLabel('Label task').selectOption({ label: 'Sentiment' });
	await page.getByRole('radio', { name: 'Text JSONL' }).focus();
	await page.keyboard.press('Space');
	await expect(page.getByRole('radio', { name: 'Text JSONL' })).toBeChecked();
	await expect(page.getByTestId('export-preview')).toHaveText(/^3 items/);
	const button = page.getByRole('button', { name: 'Export dataset' });
	await expect(button).toBeEnabled();
	await button.focus();
	const jsonl = await download(page, () => page.keyboard.press('Enter'));
	const jsonlFiles = await unzip(jsonl.bytes);
	const rows = [...jsonlFiles.entries()]
		.filter(([p]) => p.endsWith('.jsonl'))
		.flatMap(([, b]) =>
			b
				.toString()
				.split('\n')
				.filter(Boolean)
				.map((l) => JSON.parse(l) as { text: string; label: string })
		);
	expect(rows.map((r) => [r.text, r.label]).sort()).toEqual([
		['Alice loved Paris', 'positive'],
		['Bob hated Rome', 'negative'],
		['Carol liked Oslo', 'positive']
	]);
	const textHistory = page.getByRole('region', { name: 'Export history' });
	await expect(
		textHistory
			.getByRole('article', { name: 'Text JSONL · Sentiment' })
			.getByTestId('export-sha256')
	).toHaveText(sha256(jsonl.bytes));

	// Deleting asks first, then the card is gone.
	await textHistory.getByRole('button', { name: 'Delete export CoNLL (NER) · Entities' }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Delete export' }).click();
	await expect(textHistory.getByRole('article', { name: 'CoNLL (NER) · Entities' })).toHaveCount(0);
	await axe(page);
});

test('project file: imported losslessly in a fresh browser; a tampered copy is refused', async ({
	page,
	browser,
	axe
}) => {
	test.setTimeout(180_000);
	const projectId = await imageProject(page);
	await page.goto(`/project/export?id=${projectId}`);
	const file = await download(page, () =>
		page.getByRole('button', { name: 'Export project file' }).click()
	);
	expect(file.name).toMatch(/^Pets-project-\d{4}-\d{2}-\d{2}\.zip$/);
	const card = page.getByRole('article', { name: 'Project file' });
	await expect(card.getByTestId('export-sha256')).toHaveText(sha256(file.bytes));
	await expect(card.getByTestId('export-items')).toHaveText('5 items');
	await expect(card.getByTestId('export-options')).toHaveText('without model versions');

	const items = await readStore<Stored>(page, 'items');
	const annotations = await readStore<StoredAnnotation>(page, 'annotations');
	const events = await readStore<{ action: string }>(page, 'reviewEvents');
	const extraLabel = annotations.find(
		(a) => a.itemId === items.find((i) => i.name === 'extra.png')?.id
	);

	// A fresh profile: nothing there but what the file brings.
	const fresh = await browser.newContext({ serviceWorkers: 'block' });
	const other = await fresh.newPage();
	await other.goto('/');
	await other.getByLabel('Import project file').setInputFiles({
		name: file.name,
		mimeType: 'application/zip',
		buffer: file.bytes
	});
	await expect(other.getByRole('status').filter({ hasText: 'Imported “Pets”' })).toContainText(
		'5 items'
	);
	await axe(other);
	const importedProjects = await readStore<StoredProject>(other, 'projects');
	expect(importedProjects).toHaveLength(1);
	expect(importedProjects[0]?.tasks.map((t) => t.name)).toEqual(['Animal', 'Objects']);
	const importedItems = await readStore<Stored>(other, 'items');
	expect(importedItems).toHaveLength(items.length);
	const importedAnnotations = await readStore<StoredAnnotation>(other, 'annotations');
	expect(importedAnnotations).toHaveLength(annotations.length);
	const extra = importedAnnotations.find(
		(a) => a.itemId === importedItems.find((i) => i.name === 'extra.png')?.id
	);
	expect(extra?.value).toEqual(extraLabel?.value);
	expect(extra?.status).toBe(extraLabel?.status);
	expect(extra?.reviewer).toBe('Ana');
	expect(await readStore(other, 'reviewEvents')).toHaveLength(events.length);
	expect(events.length).toBeGreaterThan(0);
	await other.getByRole('link', { name: 'Open “Pets”' }).click();
	await expect(other.getByRole('heading', { level: 1, name: 'Pets' })).toBeVisible();

	// One byte flipped inside a stored image: refused, naming the file; nothing is imported.
	const entries = await unzip(file.bytes);
	const blob = [...entries.keys()].find((p) => p.startsWith('blobs/')) as string;
	const writer = new ZipWriter(new BlobWriter('application/zip'));
	for (const [path, bytes] of entries) {
		const copy = new Uint8Array(bytes);
		if (path === blob) copy[copy.length - 5] = (copy[copy.length - 5] as number) ^ 0xff;
		await writer.add(path, new Uint8ArrayReader(copy));
	}
	const tampered = Buffer.from(await (await writer.close()).arrayBuffer());
	await other.goto('/');
	await other.getByLabel('Import project file').setInputFiles({
		name: 'tampered.zip',
		mimeType: 'application/zip',
		buffer: tampered
	});
	const alert = other.getByRole('alert');
	await expect(alert).toContainText('Could not import “tampered.zip”');
	// The message names the image by the start of its checksum: blobs/0fcdf9346b5b…
	await expect(alert).toContainText(`${blob.slice(0, 18)}… does not match its SHA-256`);
	expect(await readStore(other, 'projects')).toHaveLength(1);
	expect(await readStore(other, 'items')).toHaveLength(items.length);
	await fresh.close();
});
