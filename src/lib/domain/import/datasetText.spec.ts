import { describe, expect, it } from 'vitest';
import type { DatasetSummary } from '../formats/readers/summary';
import { createTask } from '../labels/taskEditing';
import { defaultTaskName, describeDataset, matchingTasks } from './datasetText';

const summary = (over: Partial<DatasetSummary>): DatasetSummary => ({
	format: 'coco',
	taskKind: 'object-detection',
	multiLabel: false,
	classes: ['car', 'person', 'bus'],
	relationTypes: [],
	records: 120,
	labelled: 118,
	images: 120,
	texts: 0,
	splits: { train: 100, validation: 20, test: 0, none: 0 },
	warnings: [],
	warningCount: 0,
	...over
});

describe('describeDataset', () => {
	it('names the format, kind, classes, counts and splits', () => {
		expect(describeDataset(summary({}))).toBe(
			'Found a COCO dataset: object detection, 3 classes (car, person, bus), 120 images (train 100 · validation 20), 118 labelled'
		);
	});

	it('cuts long class lists and counts items without a split', () => {
		const classes = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
		const text = describeDataset(
			summary({ classes, splits: { train: 100, validation: 0, test: 0, none: 20 } })
		);
		expect(text).toContain('7 classes (a, b, c, d, e, f, …)');
		expect(text).toContain('120 images (train 100 · no split 20)');
	});

	it('speaks of entity classes, relation types and texts for text datasets', () => {
		const text = describeDataset(
			summary({
				format: 'relations-json',
				taskKind: 'relations',
				classes: ['PER', 'ORG'],
				relationTypes: ['works_for'],
				images: 0,
				texts: 1,
				labelled: 1,
				splits: { train: 0, validation: 0, test: 0, none: 1 }
			})
		);
		expect(text).toBe(
			'Found a Relations JSON dataset: relations between entities, 2 entity classes (PER, ORG), 1 relation type (works_for), 1 text, 1 labelled'
		);
	});

	it('says when classification is multi-label', () => {
		expect(
			describeDataset(summary({ taskKind: 'image-classification', multiLabel: true }))
		).toContain('image classification (multi-label), 3 classes');
	});
});

describe('matchingTasks', () => {
	const single = createTask({ name: 'One', kind: 'image-classification', multiLabel: false });
	const multi = createTask({ name: 'Many', kind: 'image-classification', multiLabel: true });
	const boxes = createTask({ name: 'Boxes', kind: 'object-detection', multiLabel: false });

	it('keeps tasks of the same kind, and of the same single/multi-label for classification', () => {
		const tasks = [single, multi, boxes];
		expect(matchingTasks(tasks, 'image-classification', true)).toEqual([multi]);
		expect(matchingTasks(tasks, 'image-classification', false)).toEqual([single]);
		expect(matchingTasks(tasks, 'object-detection', false)).toEqual([boxes]);
		expect(matchingTasks(tasks, 'named-entities', false)).toEqual([]);
	});

	it('proposes a name for a new task of each kind', () => {
		expect(defaultTaskName('object-detection')).toBe('Objects');
		expect(defaultTaskName('named-entities')).toBe('Entities');
	});
});
