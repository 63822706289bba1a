import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelShipDB, useDatabase } from '$lib/db/database';
import type {
	Annotation,
	AnnotationStatus,
	AnnotationValue,
	Item,
	ItemKind
} from '$lib/domain/schemas';
import { NO_FILTER, queryItemIds, type ItemFilter } from './itemQuery';

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
