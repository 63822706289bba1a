import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelShipDB, useDatabase } from '$lib/db/database';
import { addProject } from '$lib/db/projects';
import { createTask } from '$lib/domain/labels/taskEditing';
import type { Item, ItemKind } from '$lib/domain/schemas';
import { NO_FILTER } from './itemQuery';
import { scopeItems } from './autolabelService';

// Which items a job covers: the scope, the kinds the chosen tasks label, and per task the
// items still without a label for it.

let database: ModelShipDB;
let projectId: number;
const colour = createTask({ name: 'Colour', kind: 'image-classification', multiLabel: false }, [
	'red'
]);
const objects = createTask({ name: 'Objects', kind: 'object-detection', multiLabel: false }, [
	'car'
]);
const sentiment = createTask(
	{ name: 'Sentiment', kind: 'text-classification', multiLabel: false },
	['positive']
);
let images: number[];
let texts: number[];

let serial = 0;
const item = (name: string, kind: ItemKind): Item => ({
	projectId,
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
	createdAt: 0
});

async function label(itemId: number, taskId: string): Promise<void> {
	await database.annotations.add({
		projectId,
		itemId,
		taskId,
		value: { type: 'classes', classIds: [] },
		source: 'human',
		status: 'approved',
		reviewer: null,
		updatedAt: 0
	});
}

beforeEach(async () => {
	database = new ModelShipDB(`test-${Math.random()}`);
	useDatabase(database);
	projectId = await addProject('Scope', [colour, objects, sentiment]);
	// Interleaved kinds, so "ascending ids" and "kind" are both exercised.
	const ids = (await database.items.bulkAdd(
		[
			item('a.png', 'image'),
			item('a.txt', 'text'),
			item('b.png', 'image'),
			item('b.txt', 'text'),
			item('c.png', 'image')
		],
		{ allKeys: true }
	)) as number[];
	images = [ids[0], ids[2], ids[4]] as number[];
	texts = [ids[1], ids[3]] as number[];
	// Another project's items never enter a job.
	const other = await addProject('Other', [colour]);
	await database.items.add({ ...item('x.png', 'image'), projectId: other });
});

afterEach(async () => {
	database.close();
	await database.delete();
});

describe('scopeItems', () => {
	it('takes the items of the kinds the chosen tasks label, ascending', async () => {
		const scoped = await scopeItems(projectId, [colour], 'all', null);
		expect(scoped.itemIds).toEqual(images);
		expect(scoped.perTask[colour.id]).toEqual({ count: 3, sample: images });
		const both = await scopeItems(projectId, [colour, sentiment], 'all', null);
		expect(both.itemIds).toEqual([...images, ...texts].sort((a, b) => a - b));
		expect(both.perTask[sentiment.id]?.count).toBe(2);
	});

	it('unlabeled keeps, per task, the items without a label for that task', async () => {
		await label(images[0] as number, colour.id);
		await label(images[1] as number, colour.id);
		await label(images[1] as number, objects.id);
		const scoped = await scopeItems(projectId, [colour, objects], 'unlabeled', null);
		// a.png still needs Objects; b.png has both; c.png has neither.
		expect(scoped.itemIds).toEqual([images[0], images[2]]);
		expect(scoped.perTask[colour.id]?.count).toBe(1);
		expect(scoped.perTask[objects.id]?.count).toBe(2);
	});

	it('the browser filter narrows the scope', async () => {
		const scoped = await scopeItems(projectId, [colour, sentiment], 'filter', {
			...NO_FILTER,
			search: 'b.'
		});
		expect(scoped.itemIds).toEqual([images[1], texts[1]].sort((a, b) => (a ?? 0) - (b ?? 0)));
	});

	it('nothing to label when the tasks take another kind of item', async () => {
		await database.items.bulkDelete(texts);
		const scoped = await scopeItems(projectId, [sentiment], 'all', null);
		expect(scoped.itemIds).toEqual([]);
		expect(scoped.perTask[sentiment.id]).toEqual({ count: 0, sample: [] });
	});
});
