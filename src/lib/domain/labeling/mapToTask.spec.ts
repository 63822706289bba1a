import { describe, expect, it } from 'vitest';
import { AnnotationValue } from '../schemas/annotation';
import { unmatchedLabelMessage } from './classMatch';
import { boxes, classes, spans, task } from './fixtures';
import { mapToTask } from './mapToTask';

describe('mapToTask: classes', () => {
	it('maps the top label to its class, case-insensitive and trimmed', () => {
		const r = mapToTask(classes(['negative', 0.1], [' POSITIVE ', 0.9]), task());
		expect(r).toEqual({
			ok: true,
			value: { type: 'classes', classIds: ['positive'] },
			unmatchedLabels: []
		});
		if (r.ok) expect(AnnotationValue.parse(r.value)).toEqual(r.value);
	});

	it('reports labels with no class, and does not promote the next best', () => {
		const r = mapToTask(classes(['neutral', 0.7], ['positive', 0.2], ['negative', 0.1]), task());
		expect(r).toEqual({
			ok: true,
			value: { type: 'classes', classIds: [] },
			unmatchedLabels: ['neutral']
		});
		expect(unmatchedLabelMessage('neutral', task())).toBe(
			"model label 'neutral' has no class in task Sentiment"
		);
	});

	it('gives no class for an empty prediction', () => {
		expect(mapToTask(classes(), task())).toEqual({
			ok: true,
			value: { type: 'classes', classIds: [] },
			unmatchedLabels: []
		});
	});

	it('multi-label keeps classes at or above their threshold', () => {
		const topics = task({
			multiLabel: true,
			threshold: 0.5,
			classNames: ['Sports', 'News', 'Tech']
		});
		const p = classes(['sports', 0.9], ['news', 0.5], ['tech', 0.45], ['weather', 0.8]);
		expect(mapToTask(p, topics)).toEqual({
			ok: true,
			value: { type: 'classes', classIds: ['sports', 'news'] },
			unmatchedLabels: ['weather']
		});
		// per-class thresholds by class id override the task threshold
		const r = mapToTask(p, topics, { perClassThresholds: { news: 0.6, tech: 0.4 } });
		expect(r.ok && r.value).toEqual({ type: 'classes', classIds: ['sports', 'tech'] });
	});
});

describe('mapToTask: boxes and spans', () => {
	const det = task({ name: 'Vehicles', kind: 'object-detection', classNames: ['Car', 'Bus'] });

	it('turns corners into x, y, w, h and keeps the score', () => {
		const p = boxes(['Car', 0.9, [10, 20, 50, 80]], ['person', 0.8, [0, 0, 1, 1]]);
		expect(mapToTask(p, det)).toEqual({
			ok: true,
			value: {
				type: 'boxes',
				boxes: [{ classId: 'car', x: 10, y: 20, w: 40, h: 60, score: 0.9 }]
			},
			unmatchedLabels: ['person']
		});
	});

	it('drops boxes under minScore', () => {
		const p = boxes(['car', 0.2, [0, 0, 1, 1]], ['bus', 0.6, [1, 2, 4, 6]]);
		const r = mapToTask(p, det, { minScore: 0.3 });
		expect(r.ok && r.value).toEqual({
			type: 'boxes',
			boxes: [{ classId: 'bus', x: 1, y: 2, w: 3, h: 4, score: 0.6 }]
		});
	});

	it('keeps span offsets, orders them and numbers their ids', () => {
		const ner = task({ name: 'Entities', kind: 'named-entities', classNames: ['PER', 'LOC'] });
		const p = spans(['LOC', 0.9, 10, 15], ['per', 0.95, 0, 4], ['MISC', 0.9, 5, 8]);
		const r = mapToTask(p, ner);
		expect(r).toEqual({
			ok: true,
			value: {
				type: 'spans',
				spans: [
					{ id: 's1', classId: 'per', start: 0, end: 4 },
					{ id: 's2', classId: 'loc', start: 10, end: 15 }
				],
				relations: []
			},
			unmatchedLabels: ['MISC']
		});
		if (r.ok) expect(AnnotationValue.parse(r.value)).toEqual(r.value);
	});

	it('refuses a prediction of the wrong kind', () => {
		expect(mapToTask(boxes(), task())).toEqual({
			ok: false,
			reason: "model output 'boxes' does not fit task Sentiment (text-classification)"
		});
		const rel = task({ name: 'Rel', kind: 'relations' });
		expect(mapToTask(classes(['a', 1]), rel).ok).toBe(false);
	});
});
