import { describe, expect, it } from 'vitest';
import type { LabelTask } from '$lib/domain/schemas';
import { draftForTask, draftOptions, newDraft, splitProblem } from './draft';
import {
	classBars,
	classChartLabel,
	emptySplits,
	exportProgressText,
	optionsText,
	previewText
} from './format';
import { defaultExportOptions } from '$lib/domain/formats/snapshot';

const task = (kind: LabelTask['kind'], id = 't1'): LabelTask =>
	({
		id,
		name: 'Animal',
		kind,
		multiLabel: false,
		classes: [
			{ id: 'c', name: 'cat', color: '#000', key: null },
			{ id: 'd', name: 'dog', color: '#111', key: null }
		]
	}) as unknown as LabelTask;

describe('export draft', () => {
	it('starts at the first fitting format, 80/10/10, approved and corrected', () => {
		const result = draftOptions(newDraft(task('image-classification')));
		expect(result).toMatchObject({
			ok: true,
			options: {
				format: 'imagefolder',
				split: { train: 0.8, validation: 0.1, test: 0.1 },
				seed: 42,
				filters: { statuses: ['approved', 'corrected'], reviewers: [], minConfidence: null }
			}
		});
	});

	it('says when the split does not add up to 100', () => {
		expect(splitProblem({ train: 70, validation: 20, test: 5 })).toBe(
			'Train, validation and test must add up to 100 % (now 95 %).'
		);
		expect(splitProblem({ train: 70, validation: 20, test: 10 })).toBeNull();
		expect(draftOptions({ ...newDraft(task('image-classification')), test: null })).toMatchObject({
			ok: false,
			field: 'split'
		});
	});

	it('reads reviewers, dates and confidence; refuses From after To', () => {
		const d = {
			...newDraft(task('named-entities')),
			reviewers: ' Ana, ,Bo ',
			from: '2026-01-02',
			to: '2026-01-02',
			minConfidence: 0.5
		};
		const result = draftOptions(d);
		if (!result.ok) throw new Error(result.problem);
		expect(result.options.format).toBe('conll');
		expect(result.options.filters.reviewers).toEqual(['Ana', 'Bo']);
		expect((result.options.filters.to ?? 0) - (result.options.filters.from ?? 0)).toBe(
			24 * 3600 * 1000 - 1
		);
		expect(draftOptions({ ...d, from: '2026-01-03' })).toMatchObject({
			ok: false,
			field: 'filters'
		});
		expect(draftOptions({ ...d, minConfidence: 2 })).toMatchObject({ ok: false, field: 'filters' });
	});

	it('keeps a format that fits the new task, replaces one that does not', () => {
		const d = { ...newDraft(task('image-classification')), format: 'tfrecord' as const };
		expect(draftForTask(d, task('object-detection', 't2')).format).toBe('tfrecord');
		expect(draftForTask(d, task('text-classification', 't3'))).toMatchObject({
			taskId: 't3',
			format: 'spacy'
		});
	});
});

describe('export formatting', () => {
	it('writes the preview line, empty splits and the class chart name', () => {
		expect(previewText(5, { train: 4, validation: 0, test: 1 })).toBe(
			'5 items · train 4 · validation 0 · test 1'
		);
		expect(emptySplits({ train: 4, test: 1 }, { train: 0.8, validation: 0.1, test: 0.1 })).toEqual([
			'validation'
		]);
		expect(emptySplits({ train: 5 }, { train: 1, validation: 0, test: 0 })).toEqual([]);
		const bars = classBars(task('image-classification').classes, { c: 2, d: 4, gone: 1 });
		expect(bars.map((b) => b.percent)).toEqual([50, 100, 25]);
		expect(classChartLabel(bars)).toBe('Items per class: cat 2, dog 4, a deleted class 1');
	});

	it('shows progress with an ETA while running', () => {
		const job = {
			status: 'running' as const,
			progress: { items: 10, files: 3, bytes: 0, zipBytes: 2048, doneItems: 4, startedAt: 0 }
		};
		expect(exportProgressText(job, 4000)).toBe('4 of 10 items · 3 files · 2 KiB · ETA about 6 s');
		expect(exportProgressText({ ...job, status: 'completed' }, 4000)).toBe(
			'4 of 10 items · 3 files · 2 KiB'
		);
	});
});

describe('optionsText', () => {
	it('says how an export was made', () => {
		const options = defaultExportOptions('conll', 't');
		expect(optionsText({ kind: 'dataset', options })).toBe(
			'split 80/10/10 · seed 42 · approved, corrected · BIO'
		);
		expect(
			optionsText({
				kind: 'dataset',
				options: {
					...options,
					format: 'coco',
					keepItemSplits: true,
					includeMetadata: true,
					filters: { ...options.filters, minConfidence: 0.9, levels: ['high'] }
				}
			})
		).toBe('stored splits · seed 42 · approved, corrected · confidence ≥ 0.9 · high · metadata');
		expect(optionsText({ kind: 'project', includeModels: true })).toBe('with model versions');
	});
});
