import { describe, expect, it } from 'vitest';
import type { AnnotationValue } from '../../schemas/annotation';
import type { LabelTask } from '../../schemas/project';
import { collect, fixtureSnapshot, type FixtureRecord } from '../fixtures';
import type { ExportFormat, ExportOptions, ExportSplit } from '../snapshot';
import { sourceFilesOf } from '../sourceFiles';
import { tagLabels } from '../writers/bioTags';
import { bratFormat, bratTypeNames } from '../writers/brat';
import { cocoFormat } from '../writers/coco';
import { hfTextClassificationFormat, hfTokenClassificationFormat } from '../writers/hfText';
import { imageFolderFormat } from '../writers/imageFolder';
import { pytorchFormat } from '../writers/pytorch';
import { conllFormat } from '../writers/conll';
import { imageCsvFormat } from '../writers/imageTable';
import { relationsJsonFormat } from '../writers/relationsJson';
import { spacyFormat } from '../writers/spacy';
import { textCsvFormat, textJsonlFormat } from '../writers/textTable';
import { nerTask, relTask, seeded, textClassTask } from '../writers/textFixtures';
import { vocFormat } from '../writers/voc';
import { yoloFormat } from '../writers/yolo';
import { readDataset, type ImportedLabel, type ImportedRecord, type ReaderId } from './dataset';

/**
 * Property test: for ~50 random small datasets per format, writer → reader → (class names
 * back to class ids) → writer gives byte-identical files. Whatever a format cannot hold
 * (sub-pixel corners in VOC, whitespace in CoNLL) is lost in the first write already, so the
 * second write matches exactly when the reader loses nothing the writer wrote.
 */

const RUNS = 50;
const SPLITS: ExportSplit[] = ['train', 'validation', 'test'];
const WORDS = [
	'Ada',
	'Lovelace',
	'born',
	'in',
	'London',
	'Zoë',
	'東京',
	'café',
	'😀',
	'New',
	'York',
	'data',
	'model',
	'Rand'
];

type Rand = () => number;
const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
const int = (rand: Rand, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

const detectionTask: LabelTask = {
	id: 'det',
	name: 'Boxes',
	kind: 'object-detection',
	multiLabel: false,
	classes: [
		{ id: 'b-cat', name: 'cat', color: '#123456', key: null },
		{ id: 'b-dog', name: 'R&D "dog" <x>', color: '#123456', key: null },
		{ id: 'b-car', name: 'car, red', color: '#123456', key: null }
	],
	threshold: 0.8,
	productionModelVersionId: null
};
const imageClassTask = (multiLabel: boolean): LabelTask => ({
	...detectionTask,
	id: 'ic',
	kind: 'image-classification',
	multiLabel
});

function boxRecords(rand: Rand, task: LabelTask, integer: boolean): FixtureRecord[] {
	return Array.from({ length: int(rand, 1, 5) }, (_, i) => {
		const width = int(rand, 8, 40);
		const height = int(rand, 8, 40);
		const boxes = Array.from({ length: int(rand, 0, 3) }, () => {
			const w = integer ? int(rand, 1, width) : 0.5 + rand() * (width - 1);
			const h = integer ? int(rand, 1, height) : 0.5 + rand() * (height - 1);
			const x = integer ? int(rand, 0, width - w) : rand() * (width - w);
			const y = integer ? int(rand, 0, height - h) : rand() * (height - h);
			return { classId: pick(rand, task.classes).id, x, y, w, h, score: null };
		});
		return {
			name: `photos/img ${i}.png`,
			width,
			height,
			rgb: [i, 2, 3],
			split: pick(rand, SPLITS),
			value: { type: 'boxes', boxes }
		};
	});
}

function classRecords(rand: Rand, task: LabelTask, text: boolean): FixtureRecord[] {
	return Array.from({ length: int(rand, 1, 5) }, (_, i) => {
		const classIds = task.multiLabel
			? task.classes.filter(() => rand() < 0.4).map((c) => c.id)
			: [pick(rand, task.classes).id];
		const base = {
			name: `t${i}`,
			split: pick(rand, SPLITS),
			value: { type: 'classes', classIds } as AnnotationValue
		};
		return text
			? { ...base, text: sentence(rand) }
			: { ...base, name: `i${i}.png`, rgb: [i, 9, 9] as [number, number, number] };
	});
}

function sentence(rand: Rand): string {
	return Array.from({ length: int(rand, 1, 9) }, () => pick(rand, WORDS)).join(
		rand() < 0.2 ? '\n' : ' '
	);
}

/** Texts with non-overlapping word spans and (for relations) relations between them. */
function spanRecords(rand: Rand, relations: boolean): FixtureRecord[] {
	return Array.from({ length: int(rand, 1, 4) }, (_, i) => {
		const words = Array.from({ length: int(rand, 1, 10) }, () => pick(rand, WORDS));
		let text = '';
		const spans: { id: string; classId: string; start: number; end: number }[] = [];
		let open: { start: number; left: number; classId: string } | null = null;
		words.forEach((w, k) => {
			if (k > 0) text += ' ';
			const start = text.length;
			text += w;
			if (open) {
				open.left--;
			} else if (rand() < 0.35) {
				open = { start, left: int(rand, 0, 2), classId: pick(rand, nerTask.classes).id };
			}
			if (open && (open.left <= 0 || k === words.length - 1)) {
				spans.push({
					id: `s${spans.length + 1}`,
					classId: open.classId,
					start: open.start,
					end: text.length
				});
				open = null;
			}
		});
		const rels =
			relations && spans.length > 1
				? Array.from({ length: int(rand, 0, 2) }, () => ({
						head: pick(rand, spans).id,
						tail: pick(rand, spans).id,
						classId: pick(rand, relTask.classes).id
					}))
				: [];
		return {
			name: `doc${i}.txt`,
			text,
			split: pick(rand, SPLITS),
			value: { type: 'spans', spans, relations: rels }
		};
	});
}

/** CoNLL rebuilds texts from tokens: maps its offsets back onto the original text. */
function aligned(rebuilt: string, original: string): (offset: number) => number {
	const map = new Map<number, number>();
	let cursor = 0;
	for (const m of rebuilt.matchAll(/[^ \n]+/g)) {
		const at = original.indexOf(m[0], cursor);
		map.set(m.index, at);
		map.set(m.index + m[0].length, at + m[0].length);
		cursor = at + m[0].length;
	}
	return (offset) => map.get(offset) ?? -1;
}

type Case = {
	format: ExportFormat;
	reader: ReaderId;
	task: LabelTask;
	tasks?: LabelTask[];
	options?: Partial<ExportOptions>;
	gen: (rand: Rand) => FixtureRecord[];
	/** Class names as written (CoNLL makes them column-safe). */
	names?: (task: LabelTask) => string[];
};

function valueOf(
	label: ImportedLabel | null,
	c: Case,
	read: ImportedRecord,
	original: FixtureRecord
): AnnotationValue {
	const entityTask = c.task.kind === 'relations' ? nerTask : c.task;
	const names = c.names ?? ((t: LabelTask) => t.classes.map((k) => k.name));
	const idOf = (task: LabelTask, name: string) => {
		const i = names(task).indexOf(name);
		if (i < 0) throw new Error(`unknown class ${name}`);
		return (task.classes[i] as { id: string }).id;
	};
	if (label === null)
		return original.value.type === 'classes' ? { type: 'classes', classIds: [] } : original.value;
	if (label.type === 'boxes')
		return {
			type: 'boxes',
			boxes: label.boxes.map(({ name, ...b }) => ({
				classId: idOf(c.task, name),
				...b,
				score: null
			}))
		};
	if (label.type === 'classes')
		return { type: 'classes', classIds: label.names.map((n) => idOf(c.task, n)) };
	const at =
		c.reader === 'conll' || c.reader === 'hf-token-classification'
			? aligned(read.text ?? '', original.text ?? '')
			: (o: number) => o;
	return {
		type: 'spans',
		spans: label.spans.map((s) => ({
			id: s.id,
			classId: idOf(entityTask, s.name),
			start: at(s.start),
			end: at(s.end)
		})),
		relations: label.relations.map((r) => ({
			head: r.head,
			tail: r.tail,
			classId: idOf(relTask, r.name)
		}))
	};
}

const stemId = (path: string) => Number(/(\d{6})_[^/]*$/.exec(path)?.[1]);

async function roundTrip(c: Case, seed: number) {
	const rand = seeded(seed);
	const records = c.gen(rand);
	const snapshot = fixtureSnapshot(c.task, records, { format: c.format.id, ...c.options }, c.tasks);
	const first = await collect(c.format.write(snapshot));
	const dataset = await readDataset(sourceFilesOf(first), c.reader);
	// Match read records to the originals: images by the item id in their file name, texts by
	// their order within each split (writers keep item order).
	const matched = new Map<number, ImportedRecord>();
	if (c.task.kind === 'object-detection' || c.task.kind === 'image-classification') {
		for (const r of dataset.records) matched.set(stemId(r.name), r);
	} else {
		for (const split of SPLITS) {
			const originals = snapshot.records.filter((r) => r.split === split);
			const read = dataset.records.filter((r) => r.split === split);
			originals.forEach((o, i) => {
				const r = read[i];
				if (r) matched.set(o.item.id, r);
			});
		}
	}
	const again = records.map((original, i) => {
		const read = matched.get(i + 1);
		return read ? { ...original, value: valueOf(read.label, c, read, original) } : original;
	});
	const second = await collect(
		c.format.write(fixtureSnapshot(c.task, again, { format: c.format.id, ...c.options }, c.tasks))
	);
	const decode = (m: Map<string, Uint8Array>) =>
		Object.fromEntries([...m].map(([k, v]) => [k, new TextDecoder().decode(v)]));
	expect(decode(second), `seed ${seed}`).toEqual(decode(first));
	return dataset;
}

const cases: Case[] = [
	{
		format: cocoFormat,
		reader: 'coco',
		task: detectionTask,
		gen: (r) => boxRecords(r, detectionTask, false)
	},
	{
		format: yoloFormat,
		reader: 'yolo',
		task: detectionTask,
		gen: (r) => boxRecords(r, detectionTask, false)
	},
	{
		format: vocFormat,
		reader: 'voc',
		task: detectionTask,
		gen: (r) => boxRecords(r, detectionTask, false)
	},
	{
		format: imageCsvFormat,
		reader: 'csv',
		task: detectionTask,
		gen: (r) => boxRecords(r, detectionTask, true)
	},
	{
		format: imageCsvFormat,
		reader: 'csv',
		task: imageClassTask(false),
		gen: (r) => classRecords(r, imageClassTask(false), false)
	},
	{
		format: imageCsvFormat,
		reader: 'csv',
		task: imageClassTask(true),
		gen: (r) => classRecords(r, imageClassTask(true), false)
	},
	...(['BIO', 'BILOU', 'IO'] as const).map((tagScheme): Case => ({
		format: conllFormat,
		reader: 'conll',
		task: nerTask,
		options: { tagScheme },
		names: (t) => tagLabels(t.classes.map((k) => k.name)),
		gen: (r) => spanRecords(r, false)
	})),
	{ format: spacyFormat, reader: 'spacy-json', task: nerTask, gen: (r) => spanRecords(r, false) },
	{
		format: spacyFormat,
		reader: 'spacy-json',
		task: textClassTask(false),
		gen: (r) => classRecords(r, textClassTask(false), true)
	},
	{
		format: spacyFormat,
		reader: 'spacy-json',
		task: textClassTask(true),
		gen: (r) => classRecords(r, textClassTask(true), true)
	},
	{
		format: textJsonlFormat,
		reader: 'text-jsonl',
		task: nerTask,
		gen: (r) => spanRecords(r, false)
	},
	{
		format: textJsonlFormat,
		reader: 'text-jsonl',
		task: relTask,
		tasks: [nerTask, relTask],
		gen: (r) => spanRecords(r, true)
	},
	{
		format: textJsonlFormat,
		reader: 'text-jsonl',
		task: textClassTask(true),
		gen: (r) => classRecords(r, textClassTask(true), true)
	},
	{
		format: textCsvFormat,
		reader: 'csv',
		task: textClassTask(false),
		gen: (r) => classRecords(r, textClassTask(false), true)
	},
	{
		format: textCsvFormat,
		reader: 'csv',
		task: textClassTask(true),
		gen: (r) => classRecords(r, textClassTask(true), true)
	},
	{
		format: textCsvFormat,
		reader: 'csv',
		task: relTask,
		tasks: [nerTask, relTask],
		gen: (r) => spanRecords(r, true)
	},
	{
		format: relationsJsonFormat,
		reader: 'relations-json',
		task: relTask,
		tasks: [nerTask, relTask],
		gen: (r) => spanRecords(r, true)
	},
	{
		format: imageFolderFormat,
		reader: 'imagefolder',
		task: imageClassTask(false),
		gen: (r) => classRecords(r, imageClassTask(false), false)
	},
	{
		format: pytorchFormat,
		reader: 'pytorch',
		task: detectionTask,
		gen: (r) => boxRecords(r, detectionTask, false)
	},
	{
		format: pytorchFormat,
		reader: 'pytorch',
		task: imageClassTask(false),
		gen: (r) => classRecords(r, imageClassTask(false), false)
	},
	{
		format: pytorchFormat,
		reader: 'pytorch',
		task: imageClassTask(true),
		gen: (r) => classRecords(r, imageClassTask(true), false)
	},
	{
		format: bratFormat,
		reader: 'brat',
		task: nerTask,
		names: (t) => bratTypeNames(t.classes.map((k) => k.name)),
		gen: (r) => spanRecords(r, false)
	},
	{
		format: bratFormat,
		reader: 'brat',
		task: relTask,
		tasks: [nerTask, relTask],
		names: (t) => bratTypeNames(t.classes.map((k) => k.name)),
		gen: (r) => spanRecords(r, true)
	},
	{
		format: hfTokenClassificationFormat,
		reader: 'hf-token-classification',
		task: nerTask,
		names: (t) => tagLabels(t.classes.map((k) => k.name)),
		gen: (r) => spanRecords(r, false)
	},
	{
		format: hfTextClassificationFormat,
		reader: 'hf-text-classification',
		task: textClassTask(false),
		gen: (r) => classRecords(r, textClassTask(false), true)
	},
	{
		format: hfTextClassificationFormat,
		reader: 'hf-text-classification',
		task: textClassTask(true),
		gen: (r) => classRecords(r, textClassTask(true), true)
	}
];

describe('writer → reader → writer', () => {
	it.each(
		cases.map(
			(c) =>
				[
					`${c.format.id} ${c.task.id}${c.task.multiLabel ? ' multi' : ''} ${c.options?.tagScheme ?? ''}`.trim(),
					c
				] as const
		)
	)('%s keeps every annotation', async (_, c) => {
		let labelled = 0;
		for (let seed = 1; seed <= RUNS; seed++)
			labelled += (await roundTrip(c, seed)).records.filter((r) => r.label !== null).length;
		// A reader that read nothing would pass the byte comparison trivially.
		expect(labelled).toBeGreaterThan(RUNS);
	});

	it('detects each of our formats from its files', async () => {
		for (const c of cases) {
			const snapshot = fixtureSnapshot(
				c.task,
				c.gen(seeded(7)),
				{ format: c.format.id, ...c.options },
				c.tasks
			);
			const files = sourceFilesOf(await collect(c.format.write(snapshot)));
			expect((await readDataset(files)).format, c.format.id).toBe(c.reader);
		}
	});
});
