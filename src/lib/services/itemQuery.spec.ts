import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelShipDB, useDatabase } from '$lib/db/database';
import type {
	Annotation,
	AnnotationStatus,
	AnnotationValue,
	Item,
	ItemKind,
	PredictionRecord
} from '$lib/domain/schemas';
import { NO_FILTER, decodeFilter, encodeFilter, queryItemIds, type ItemFilter } from './itemQuery';

let database: ModelShipDB;
const PROJECT = 1;
const OTHER_PROJECT = 2;

beforeEach(() => {
	database = new ModelShipDB(`test-${Math.random()}`);
	useDatabase(database);
});

afterEach(async () => {
	database.close();
	await database.delete();
});

let serial = 0;
const item = (name: string, kind: ItemKind, extra: Partial<Item> = {}): Omit<Item, 'id'> => ({
	projectId: PROJECT,
	kind,
	name,
	sha256: (serial++).toString(16).padStart(64, '0'),
	mime: kind === 'image' ? 'image/png' : 'text/plain',
	size: 10,
	width: kind === 'image' ? 4 : null,
	height: kind === 'image' ? 4 : null,
	text: kind === 'text' ? `text of ${name}` : null,
	split: null,
	batchId: 1,
	createdAt: 0,
	...extra
});

const annotation = (
	itemId: number,
	value: AnnotationValue,
	status: AnnotationStatus = 'pending',
	extra: Partial<Annotation> = {}
): Omit<Annotation, 'id'> => ({
	projectId: PROJECT,
	itemId,
	taskId: 't1',
	value,
	source: 'model',
	status,
	reviewer: null,
	updatedAt: 0,
	...extra
});

let predictionSerial = 0;
const prediction = (
	itemId: number,
	level: PredictionRecord['level'],
	extra: Partial<PredictionRecord> = {}
): Omit<PredictionRecord, 'id'> => ({
	projectId: PROJECT,
	itemId,
	taskId: 't1',
	modelVersionId: 'm1',
	jobId: 1,
	output: null,
	score: { high: 0.97, medium: 0.85, low: 0.62, uncertain: 0.3 }[level],
	level,
	needsReview: level === 'low' || level === 'uncertain',
	reviewReason: null,
	failed: null,
	backend: null,
	latencyMs: 1,
	createdAt: ++predictionSerial,
	...extra
});

const classes = (...classIds: string[]): AnnotationValue => ({ type: 'classes', classIds });
const boxes = (...classIds: string[]): AnnotationValue => ({
	type: 'boxes',
	boxes: classIds.map((classId) => ({ classId, x: 0, y: 0, w: 1, h: 1, score: null }))
});

/** Adds items in order and returns their ids, one per item (typed as a tuple to destructure). */
async function seed<const T extends readonly Omit<Item, 'id'>[]>(
	items: T
): Promise<{ [K in keyof T]: number }> {
	const ids = await database.items.bulkAdd([...items] as Item[], { allKeys: true });
	return ids as { [K in keyof T]: number };
}

const query = (filter: Partial<ItemFilter>, sort: 'oldest' | 'newest' | 'name' = 'oldest') =>
	queryItemIds(PROJECT, { ...NO_FILTER, ...filter }, sort);

describe('queryItemIds', () => {
	it('filters by kind and leaves other projects out', async () => {
		const [img, txt] = await seed([
			item('a.png', 'image'),
			item('b.txt', 'text'),
			item('c.png', 'image', { projectId: OTHER_PROJECT })
		]);
		expect(await query({})).toEqual([img, txt]);
		expect(await query({ kind: 'image' })).toEqual([img]);
		expect(await query({ kind: 'text' })).toEqual([txt]);
	});

	it('filters by batch, alone and with a kind', async () => {
		const [a, b, c, d] = await seed([
			item('a.png', 'image', { batchId: 1 }),
			item('b.png', 'image', { batchId: 2 }),
			item('c.txt', 'text', { batchId: 2 }),
			item('d.png', 'image', { batchId: 2 })
		]);
		expect(await query({ batchId: 1 })).toEqual([a]);
		expect(await query({ batchId: 2 })).toEqual([b, c, d]);
		expect(await query({ batchId: 2, kind: 'image' })).toEqual([b, d]);
		expect(await query({ batchId: 2, kind: 'text' })).toEqual([c]);
	});

	it('searches names and texts, ignoring case and surrounding spaces', async () => {
		const [cat, dog, note] = await seed([
			item('photos/Cat.png', 'image'),
			item('photos/dog.png', 'image'),
			item('note.txt', 'text', { text: 'A CAT sat on the mat' })
		]);
		expect(await query({ search: 'cat' })).toEqual([cat, note]);
		expect(await query({ search: '  PHOTOS ' })).toEqual([cat, dog]);
		expect(await query({ search: 'mat', kind: 'text' })).toEqual([note]);
		expect(await query({ search: 'zebra' })).toEqual([]);
	});

	it('sorts by name in natural order, after filtering', async () => {
		const [a10, a2, b1, a1txt] = await seed([
			item('a10.png', 'image'),
			item('a2.png', 'image'),
			item('b1.png', 'image'),
			item('a1.txt', 'text')
		]);
		expect(await query({}, 'name')).toEqual([a1txt, a2, a10, b1]);
		expect(await query({ kind: 'image' }, 'name')).toEqual([a2, a10, b1]);
		expect(await query({ search: 'a' }, 'name')).toEqual([a1txt, a2, a10]);
	});

	it('keeps insertion order among equal names', async () => {
		const [first, second] = await seed([item('same.png', 'image'), item('same.png', 'image')]);
		expect(await query({}, 'name')).toEqual([first, second]);
	});

	it('sorts oldest and newest by insertion', async () => {
		const ids = await seed([
			item('x.png', 'image'),
			item('y.png', 'image'),
			item('z.png', 'image')
		]);
		expect(await query({}, 'oldest')).toEqual(ids);
		expect(await query({}, 'newest')).toEqual([...ids].reverse());
	});

	it('filters unlabeled, labeled and by status', async () => {
		const [none, pending, approved, both] = await seed([
			item('none.png', 'image'),
			item('pending.png', 'image'),
			item('approved.png', 'image'),
			item('both.png', 'image')
		]);
		await database.annotations.bulkAdd([
			annotation(pending, classes('cat')),
			annotation(approved, classes('dog'), 'approved'),
			annotation(both, classes('cat'), 'pending'),
			annotation(both, classes('dog'), 'approved', { taskId: 't2' })
		] as Annotation[]);
		expect(await query({ label: 'unlabeled' })).toEqual([none]);
		expect(await query({ label: 'labeled' })).toEqual([pending, approved, both]);
		expect(await query({ label: 'approved' })).toEqual([approved, both]);
		expect(await query({ label: 'pending' })).toEqual([pending, both]);
		expect(await query({ label: 'rejected' })).toEqual([]);
		expect(await query({ label: 'labeled' }, 'newest')).toEqual([both, approved, pending]);
	});

	it('filters by class across classes and boxes annotations', async () => {
		const [tagged, boxed, other, wrongTask] = await seed([
			item('tagged.png', 'image'),
			item('boxed.png', 'image'),
			item('other.png', 'image'),
			item('wrong-task.png', 'image')
		]);
		await database.annotations.bulkAdd([
			annotation(tagged, classes('cat', 'dog')),
			annotation(boxed, boxes('bird', 'cat'), 'approved'),
			annotation(other, classes('dog')),
			annotation(wrongTask, classes('cat'), 'pending', { taskId: 't2' })
		] as Annotation[]);
		expect(await query({ classRef: 't1:cat' })).toEqual([tagged, boxed]);
		expect(await query({ classRef: 't1:cat', label: 'labeled' })).toEqual([tagged, boxed]);
		expect(await query({ classRef: 't1:cat', label: 'approved' })).toEqual([boxed]);
		expect(await query({ classRef: 't2:cat' })).toEqual([wrongTask]);
		expect(await query({ classRef: 't1:cat' }, 'name')).toEqual([boxed, tagged]);
	});

	it('ignores labels of other projects whose item ids fall between its own', async () => {
		const [first] = await seed([item('first.png', 'image')]);
		const [foreign] = await seed([item('foreign.png', 'image', { projectId: OTHER_PROJECT })]);
		const [last] = await seed([item('last.png', 'image')]);
		await database.annotations.bulkAdd([
			annotation(foreign, classes('cat'), 'pending', { projectId: OTHER_PROJECT }),
			annotation(last, classes('dog'))
		] as Annotation[]);
		expect(await query({ label: 'unlabeled' })).toEqual([first]);
		expect(await query({ label: 'labeled' })).toEqual([last]);
		expect(await query({ classRef: 't1:cat' })).toEqual([]);
	});

	it('answers an empty project', async () => {
		expect(await query({ label: 'unlabeled' }, 'name')).toEqual([]);
		expect(await query({ label: 'labeled' })).toEqual([]);
	});
});

describe('queryItemIds by confidence', () => {
	it('matches the worst current level over tasks, failures and review flags', async () => {
		const [high, medium, mixed, failed, superseded, none] = await seed([
			item('high.png', 'image'),
			item('medium.png', 'image'),
			item('mixed.png', 'image'),
			item('failed.png', 'image'),
			item('superseded.png', 'image'),
			item('none.png', 'image')
		]);
		await database.predictions.bulkAdd([
			prediction(high, 'high'),
			prediction(medium, 'medium'),
			prediction(mixed, 'high'),
			prediction(mixed, 'low', { taskId: 't2' }),
			prediction(failed, 'uncertain', {
				score: 0,
				needsReview: true,
				failed: { code: 'run-failed', message: 'boom' }
			}),
			prediction(failed, 'high', { taskId: 't2' }),
			// An older version said uncertain; the newer one is sure.
			prediction(superseded, 'uncertain', { modelVersionId: 'm1' }),
			prediction(superseded, 'high', { modelVersionId: 'm2' })
		] as PredictionRecord[]);
		expect(await query({ confidence: 'any' })).toEqual([
			high,
			medium,
			mixed,
			failed,
			superseded,
			none
		]);
		expect(await query({ confidence: 'high' })).toEqual([high, superseded]);
		expect(await query({ confidence: 'medium' })).toEqual([medium]);
		expect(await query({ confidence: 'low' })).toEqual([mixed]);
		expect(await query({ confidence: 'uncertain' })).toEqual([]);
		expect(await query({ confidence: 'failed' })).toEqual([failed]);
		expect(await query({ confidence: 'needs-review' })).toEqual([mixed, failed]);
		expect(await query({ confidence: 'unpredicted' })).toEqual([none]);
		expect(await query({ confidence: 'high' }, 'newest')).toEqual([superseded, high]);
	});

	it('breaks a createdAt tie by the larger prediction id', async () => {
		const [tied] = await seed([item('tied.png', 'image')]);
		await database.predictions.bulkAdd([
			prediction(tied, 'high', { modelVersionId: 'm1', createdAt: 5 }),
			prediction(tied, 'low', { modelVersionId: 'm2', createdAt: 5 })
		] as PredictionRecord[]);
		expect(await query({ confidence: 'low' })).toEqual([tied]);
		expect(await query({ confidence: 'high' })).toEqual([]);
	});

	it('combines with the other filters and ignores other projects', async () => {
		const [lowLabeled, lowBare] = await seed([
			item('low-labeled.png', 'image'),
			item('low-bare.txt', 'text')
		]);
		const [foreign] = await seed([item('foreign.png', 'image', { projectId: OTHER_PROJECT })]);
		const [unpredicted] = await seed([item('unpredicted.png', 'image')]);
		await database.annotations.bulkAdd([annotation(lowLabeled, classes('cat'))] as Annotation[]);
		await database.predictions.bulkAdd([
			prediction(lowLabeled, 'low'),
			prediction(lowBare, 'low'),
			prediction(foreign, 'low', { projectId: OTHER_PROJECT })
		] as PredictionRecord[]);
		expect(await query({ confidence: 'low' })).toEqual([lowLabeled, lowBare]);
		expect(await query({ confidence: 'low', label: 'labeled' })).toEqual([lowLabeled]);
		expect(await query({ confidence: 'low', label: 'unlabeled' })).toEqual([lowBare]);
		expect(await query({ confidence: 'low', kind: 'text' })).toEqual([lowBare]);
		expect(await query({ confidence: 'low', search: 'labeled' }, 'name')).toEqual([lowLabeled]);
		expect(await query({ confidence: 'unpredicted' })).toEqual([unpredicted]);
		expect(await query({ confidence: 'unpredicted', kind: 'text' })).toEqual([]);
	});
});

describe('encodeFilter and decodeFilter', () => {
	const filter: ItemFilter = {
		kind: 'text',
		label: 'pending',
		classRef: 't1:cat',
		search: 'a "quoted" & ünïcode search',
		batchId: 7,
		confidence: 'needs-review'
	};

	it('round-trips a filter, also through a URL parameter', () => {
		expect(decodeFilter(encodeFilter(filter))).toEqual(filter);
		expect(decodeFilter(encodeFilter(NO_FILTER))).toEqual(NO_FILTER);
		const url = new URL('https://example.test/project/autolabel');
		url.searchParams.set('id', '3');
		url.searchParams.set('filter', encodeFilter(filter));
		expect(decodeFilter(new URL(url.href).searchParams.get('filter'))).toEqual(filter);
	});

	it('fills fields a link left out with their defaults', () => {
		expect(decodeFilter('{}')).toEqual(NO_FILTER);
		expect(decodeFilter('{"kind":"image"}')).toEqual({ ...NO_FILTER, kind: 'image' });
	});

	it('answers null for no, malformed or invalid filters', () => {
		expect(decodeFilter(null)).toBeNull();
		expect(decodeFilter('')).toBeNull();
		expect(decodeFilter('{not json')).toBeNull();
		expect(decodeFilter('[]')).toBeNull();
		expect(decodeFilter('null')).toBeNull();
		expect(decodeFilter('{"kind":"video"}')).toBeNull();
		expect(decodeFilter('{"confidence":"sure"}')).toBeNull();
		expect(decodeFilter('{"batchId":-1}')).toBeNull();
		expect(decodeFilter('{"label":"done"}')).toBeNull();
	});
});
