import { describe, expect, it } from 'vitest';
import type { LabelTask, ModelRecord, ModelVersionRecord } from '$lib/domain/schemas';
import type { ModelWithVersions } from '$lib/services/modelService';
import { taskRow, thresholdProblem, versionOptions } from './choices';

const task = (over: Partial<LabelTask> = {}): LabelTask => ({
	id: 't1',
	name: 'Colour',
	kind: 'image-classification',
	multiLabel: false,
	classes: [],
	threshold: 0.8,
	productionModelVersionId: null,
	...over
});

const entry = (name: string, kind: ModelRecord['task'], versions: string[]): ModelWithVersions => ({
	model: { id: name, name, task: kind } as ModelRecord,
	versions: versions.map((v) => ({ id: `${name}@${v}`, version: v }) as ModelVersionRecord)
});

const registry = [
	entry('classifier', 'image-classification', ['2.0.0', '1.0.0']),
	entry('detector', 'object-detection', ['1.0.0'])
];

describe('versionOptions', () => {
	it('lists the versions that fit the task and marks production', () => {
		expect(
			versionOptions(task({ productionModelVersionId: 'classifier@1.0.0' }), registry)
		).toEqual([
			{ id: 'classifier@2.0.0', label: 'classifier 2.0.0' },
			{ id: 'classifier@1.0.0', label: 'classifier 1.0.0 (production)' }
		]);
	});
});

describe('taskRow', () => {
	it('labels a task with a production version by default, with that version', () => {
		const row = taskRow(task({ productionModelVersionId: 'classifier@1.0.0' }), registry);
		expect(row).toMatchObject({ enabled: true, versionId: 'classifier@1.0.0', threshold: 0.8 });
	});

	it('leaves a task without production unchecked, offering the first version', () => {
		expect(taskRow(task(), registry)).toMatchObject({
			enabled: false,
			versionId: 'classifier@2.0.0'
		});
	});

	it('keeps the picks that are still possible', () => {
		const row = taskRow(task(), registry, {
			enabled: true,
			versionId: 'classifier@1.0.0',
			threshold: 0.6
		});
		expect(row).toMatchObject({ enabled: true, versionId: 'classifier@1.0.0', threshold: 0.6 });
		expect(taskRow(task(), registry, { versionId: 'gone' }).versionId).toBe('classifier@2.0.0');
	});

	it('cannot label a task no model fits, nor before the registry loads', () => {
		const relations = task({ kind: 'relations', productionModelVersionId: 'x' });
		expect(taskRow(relations, registry, { enabled: true })).toMatchObject({
			options: [],
			enabled: false,
			versionId: ''
		});
		expect(taskRow(task(), undefined).options).toBeNull();
	});
});

describe('thresholdProblem', () => {
	it('accepts 0–1 only', () => {
		expect(thresholdProblem({ task: task(), threshold: 0.5 })).toBeNull();
		expect(thresholdProblem({ task: task(), threshold: null })).toMatch(/Colour/);
		expect(thresholdProblem({ task: task(), threshold: 1.5 })).not.toBeNull();
	});
});
