import { createProject, expect, test } from './fixtures';
import { makeZip } from './data';
import { makePng } from '../fixtures/png';
import { addTask, readStore } from './setup';

// Labelled datasets from other tools, imported as a person would: pick the files, read what
// the import page found, choose where the labels go, import.

type StoredProject = {
	id: number;
	tasks: {
		id: string;
		name: string;
		kind: string;
		multiLabel: boolean;
		classes: { id: string; name: string }[];
	}[];
};
type StoredItem = { id: number; name: string; kind: string; text: string | null; split: string };
type StoredAnnotation = {
	itemId: number;
	taskId: string;
	source: string;
	status: string;
	origin: string | null;
	value:
		| { type: 'boxes'; boxes: { classId: string }[] }
		| { type: 'spans'; spans: { classId: string; start: number; end: number }[] };
};

const pngBytes = (rgb: [number, number, number]) => makePng(40, 30, rgb);

test('a COCO zip comes in with its boxes, classes in id order, and its split', async ({
	page,
	axe
}) => {
	const id = await createProject(page, 'Street');
	// Category ids start at 0 and are listed out of order: classes follow the ids.
	const coco = {
		images: [
			{ id: 0, file_name: 'a.png', width: 40, height: 30 },
			{ id: 1, file_name: 'b.png', width: 40, height: 30 },
			{ id: 2, file_name: 'gone.png', width: 40, height: 30 }
		],
		annotations: [
			{ id: 1, image_id: 0, category_id: 0, bbox: [1, 2, 10, 8] },
			{ id: 2, image_id: 0, category_id: 1, bbox: [20, 5, 6, 12] },
			{ id: 3, image_id: 1, category_id: 0, bbox: [3, 3, 5, 5] }
		],
		categories: [
			{ id: 1, name: 'person' },
			{ id: 0, name: 'car' }
		]
	};
	const zip = await makeZip([
		['annotations/instances_train.json', JSON.stringify(coco)],
		['images/train/a.png', pngBytes([200, 30, 30])],
		['images/train/b.png', pngBytes([30, 30, 200])]
	]);

	await page.goto(`/project/import?id=${id}`);
	await page
		.getByLabel('Choose files')
		.setInputFiles({ name: 'street-coco.zip', mimeType: 'application/zip', buffer: zip });

	const panel = page.getByRole('region', { name: 'Labelled dataset' });
	await expect(panel.getByTestId('dataset-summary')).toHaveText(
		'Found a COCO dataset: object detection, 2 classes (car, person), 2 images (train 2), 2 labelled'
	);
	await expect(panel.getByRole('list', { name: 'Dataset warnings' })).toContainText(
		'1 image listed in the COCO files is missing from the files'
	);
	await expect(panel.getByLabel('Dataset format')).toHaveValue('coco');
	await expect(panel.getByLabel('Import with labels')).toBeChecked();
	// No object detection task yet: a new one is proposed.
	const target = panel.getByLabel('Labels go to', { exact: true });
	await expect(target.locator('option:checked')).toHaveText('New task…');
	const name = panel.getByLabel('New task name');
	await expect(name).toHaveValue('Objects');
	// The plain-file options do not apply to a dataset.
	await expect(page.getByRole('group', { name: 'Labeled image folders' })).toHaveCount(0);
	await axe(page);

	await name.focus();
	await page.keyboard.press('ControlOrMeta+a');
	await page.keyboard.type('Vehicles');
	await page.getByRole('button', { name: 'Start import' }).click();
	await expect(page.getByRole('heading', { name: 'Import finished' })).toBeVisible();
	await expect(page.getByTestId('count-imported')).toHaveText('2');
	await expect(page.getByTestId('count-labeled')).toHaveText('2');
	await expect(page.getByRole('region', { name: 'Import problems' })).toContainText(
		'1 image listed in the COCO files is missing from the files'
	);

	const project = (await readStore<StoredProject>(page, 'projects')).find((p) => p.id === id);
	const vehicles = project?.tasks.find((t) => t.name === 'Vehicles');
	expect(vehicles?.kind).toBe('object-detection');
	expect(vehicles?.classes.map((c) => c.name)).toEqual(['car', 'person']);
	const classNames = new Map(vehicles?.classes.map((c) => [c.id, c.name]));

	const items = await readStore<StoredItem>(page, 'items');
	expect(items.map((i) => [i.name, i.split]).sort()).toEqual([
		['images/train/a.png', 'train'],
		['images/train/b.png', 'train']
	]);
	const annotations = await readStore<StoredAnnotation>(page, 'annotations');
	expect(annotations).toHaveLength(2);
	for (const a of annotations) {
		expect(a).toMatchObject({
			taskId: vehicles?.id,
			source: 'human',
			status: 'approved',
			origin: 'coco'
		});
		expect(a.value.type).toBe('boxes');
	}
	const boxesOf = (itemName: string) => {
		const item = items.find((i) => i.name === itemName);
		const value = annotations.find((a) => a.itemId === item?.id)?.value;
		return value?.type === 'boxes' ? value.boxes.map((b) => classNames.get(b.classId)) : [];
	};
	expect(boxesOf('images/train/a.png')).toEqual(['car', 'person']);
	expect(boxesOf('images/train/b.png')).toEqual(['car']);
});

test('a CoNLL file goes into an existing entities task at exact offsets', async ({ page }) => {
	const id = await createProject(page, 'News');
	await addTask(page, id, 'Entities', 'Named entities (spans)', ['PER']);

	await page.goto(`/project/import?id=${id}`);
	const conll = [
		'Ana B-PER',
		'lives O',
		'in O',
		'New B-LOC',
		'York I-LOC',
		'',
		'Bob B-PER',
		'runs O',
		''
	];
	await page.getByLabel('Choose files').setInputFiles({
		name: 'train.conll',
		mimeType: 'text/plain',
		buffer: Buffer.from(conll.join('\n'))
	});
	const panel = page.getByRole('region', { name: 'Labelled dataset' });
	await expect(panel.getByTestId('dataset-summary')).toHaveText(
		'Found a CoNLL dataset: named entities, 2 entity classes (PER, LOC), 2 texts (train 2), 2 labelled'
	);
	const target = panel.getByLabel('Labels go to', { exact: true });
	await expect(target.locator('option:checked')).toHaveText('Entities');
	await expect(panel.getByLabel('New task name')).toHaveCount(0);
	await page.getByRole('button', { name: 'Start import' }).click();
	await expect(page.getByRole('heading', { name: 'Import finished' })).toBeVisible();
	await expect(page.getByTestId('count-labeled')).toHaveText('2');

	const project = (await readStore<StoredProject>(page, 'projects')).find((p) => p.id === id);
	expect(project?.tasks).toHaveLength(1);
	const entities = project?.tasks[0];
	expect(entities?.classes.map((c) => c.name)).toEqual(['PER', 'LOC']);
	const classNames = new Map(entities?.classes.map((c) => [c.id, c.name]));

	const items = await readStore<StoredItem>(page, 'items');
	const annotations = await readStore<StoredAnnotation>(page, 'annotations');
	const spansOf = (text: string) => {
		const item = items.find((i) => i.text === text);
		const a = annotations.find((x) => x.itemId === item?.id);
		expect(a).toMatchObject({ taskId: entities?.id, origin: 'conll', source: 'human' });
		return a?.value.type === 'spans'
			? a.value.spans.map((s) => [classNames.get(s.classId), s.start, s.end])
			: [];
	};
	expect(spansOf('Ana lives in New York')).toEqual([
		['PER', 0, 3],
		['LOC', 13, 21]
	]);
	expect(spansOf('Bob runs')).toEqual([['PER', 0, 3]]);
	expect(items.every((i) => i.split === 'train')).toBe(true);
});

test('a malformed YOLO data.yaml is named, and the files can still come in plainly', async ({
	page,
	axe
}) => {
	const id = await createProject(page, 'Broken');
	await page.goto(`/project/import?id=${id}`);
	const zip = await makeZip([
		['data.yaml', 'path: .\ntrain: images/train\nnames: [car, bus\n'],
		['images/train/a.png', pngBytes([10, 200, 10])],
		['labels/train/a.txt', '0 0.5 0.5 0.2 0.2\n']
	]);
	await page
		.getByLabel('Choose files')
		.setInputFiles({ name: 'broken-yolo.zip', mimeType: 'application/zip', buffer: zip });
	const panel = page.getByRole('region', { name: 'Labelled dataset' });
	await expect(panel.getByRole('alert')).toContainText('data.yaml');
	await expect(panel.getByLabel('Dataset format')).toHaveValue('yolo');
	await expect(panel.getByLabel('Import with labels')).toHaveCount(0);
	await axe(page);

	await page.getByRole('button', { name: 'Start import' }).click();
	await expect(page.getByRole('heading', { name: 'Import finished' })).toBeVisible();
	await expect(page.getByTestId('count-labeled')).toHaveText('0');
	expect(await readStore(page, 'annotations')).toEqual([]);
	const project = (await readStore<StoredProject>(page, 'projects')).find((p) => p.id === id);
	expect(project?.tasks).toEqual([]);
});
