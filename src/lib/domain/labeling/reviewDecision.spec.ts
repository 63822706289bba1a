import { describe, expect, it } from 'vitest';
import { boxes, classes, spans, task } from './fixtures';
import { reviewDecision } from './reviewDecision';
import { ReviewDecision } from './schemas';

const opts = { modelName: 'SST-2' };

describe('reviewDecision: single-label', () => {
	it('uses the top class score and flags it under the threshold', () => {
		const d = reviewDecision(classes(['positive', 0.62], ['negative', 0.38]), task(), opts);
		expect(d).toEqual({
			score: 0.62,
			level: 'low',
			needsReview: true,
			reviewReason: 'low confidence for Sentiment: 0.62 (SST-2)'
		});
		expect(ReviewDecision.parse(d)).toEqual(d);
	});

	it('does not flag a confident top class, and sorts listed classes itself', () => {
		const d = reviewDecision(classes(['negative', 0.03], ['positive', 0.97]), task(), opts);
		expect(d).toEqual({ score: 0.97, level: 'high', needsReview: false, reviewReason: null });
	});

	it('a score exactly at the threshold is not flagged', () => {
		const d = reviewDecision(classes(['positive', 0.8], ['negative', 0.2]), task(), opts);
		expect(d.needsReview).toBe(false);
		expect(d.level).toBe('medium');
	});

	it('flags a tie at the top even above the threshold', () => {
		const t = task({ threshold: 0.4 });
		const d = reviewDecision(classes(['positive', 0.49], ['negative', 0.46]), t, opts);
		expect(d.score).toBe(0.49);
		expect(d.level).toBe('uncertain');
		expect(d.needsReview).toBe(true);
		expect(d.reviewReason).toBe(
			'tie at the top for Sentiment: positive 0.49 vs negative 0.46 (SST-2)'
		);
	});

	it('gives both reasons for a low tie, and for a low unmatched top label', () => {
		const tie = reviewDecision(classes(['positive', 0.49], ['negative', 0.46]), task(), opts);
		expect(tie.reviewReason).toBe(
			'uncertain confidence for Sentiment: 0.49; ' +
				'tie at the top for Sentiment: positive 0.49 vs negative 0.46 (SST-2)'
		);
		const neutral = reviewDecision(classes(['neutral', 0.7], ['positive', 0.3]), task(), opts);
		expect(neutral.reviewReason).toBe(
			"low confidence for Sentiment: 0.70; model label 'neutral' has no class in task Sentiment (SST-2)"
		);
	});

	it('a gap of 0.06 is not a tie', () => {
		const t = task({ threshold: 0.4 });
		expect(
			reviewDecision(classes(['positive', 0.5], ['negative', 0.44]), t, opts).needsReview
		).toBe(false);
	});

	it('flags a top label that has no task class', () => {
		const d = reviewDecision(classes(['neutral', 0.9], ['positive', 0.1]), task(), opts);
		expect(d.needsReview).toBe(true);
		expect(d.reviewReason).toBe("model label 'neutral' has no class in task Sentiment (SST-2)");
	});

	it('flags an empty prediction with score 0', () => {
		expect(reviewDecision(classes(), task(), opts)).toEqual({
			score: 0,
			level: 'uncertain',
			needsReview: true,
			reviewReason: 'empty prediction: no classes for Sentiment (SST-2)'
		});
	});

	it('clamps scores outside [0, 1]', () => {
		expect(reviewDecision(classes(['positive', 1.2]), task(), opts).score).toBe(1);
	});
});

describe('reviewDecision: multi-label', () => {
	const topics = task({ name: 'Topics', multiLabel: true, classNames: ['Sports', 'News', 'Tech'] });

	it('scores the least sure class as max(p, 1 - p)', () => {
		// sports 0.9 → 0.9, news 0.3 → 0.7, tech 0.05 → 0.95: least sure is news at 0.7
		const d = reviewDecision(classes(['sports', 0.9], ['news', 0.3], ['tech', 0.05]), topics, opts);
		expect(d.score).toBeCloseTo(0.7, 10);
		expect(d.level).toBe('low');
		expect(d.reviewReason).toBe('low confidence for Topics: 0.70, least sure: News 0.30 (SST-2)');
	});

	it('passes when every class is far from 0.5', () => {
		const d = reviewDecision(classes(['sports', 0.98], ['news', 0.04]), topics, opts);
		expect(d.score).toBeCloseTo(0.96, 10);
		expect(d.needsReview).toBe(false);
	});

	it('ignores unmatched labels, and flags when none match', () => {
		const ok = reviewDecision(classes(['weather', 0.5], ['sports', 0.99]), topics, opts);
		expect(ok.score).toBeCloseTo(0.99, 10);
		const none = reviewDecision(classes(['weather', 0.99]), topics, opts);
		expect(none.score).toBe(0);
		expect(none.reviewReason).toBe('no model label matches a class of task Topics (SST-2)');
	});

	it('flags an empty prediction', () => {
		expect(reviewDecision(classes(), topics, opts).reviewReason).toBe(
			'empty prediction: no classes for Topics (SST-2)'
		);
	});

	it('has no tie rule: two classes both at 0.97 are fine', () => {
		const d = reviewDecision(classes(['sports', 0.97], ['news', 0.97]), topics, opts);
		expect(d.needsReview).toBe(false);
	});
});

describe('reviewDecision: boxes', () => {
	const det = task({ name: 'Vehicles', kind: 'object-detection', classNames: ['Car', 'Bus'] });

	it('uses the lowest kept box score', () => {
		const p = boxes(['car', 0.97, [0, 0, 10, 10]], ['bus', 0.72, [5, 5, 9, 9]]);
		expect(reviewDecision(p, det, { modelName: 'DETR' })).toEqual({
			score: 0.72,
			level: 'low',
			needsReview: true,
			reviewReason: 'low confidence for Vehicles: 0.72, lowest box: bus (DETR)'
		});
	});

	it('drops boxes with no class and boxes under minScore before taking the lowest', () => {
		const p = boxes(
			['car', 0.97, [0, 0, 10, 10]],
			['person', 0.5, [0, 0, 1, 1]],
			['bus', 0.2, [0, 0, 1, 1]]
		);
		const d = reviewDecision(p, det, { modelName: 'DETR', minScore: 0.3 });
		expect(d.score).toBe(0.97);
		expect(d.needsReview).toBe(false);
	});

	it('flags "nothing found" with score 0', () => {
		expect(reviewDecision(boxes(), det, { modelName: 'DETR' })).toEqual({
			score: 0,
			level: 'uncertain',
			needsReview: true,
			reviewReason: 'nothing found: no boxes for Vehicles (DETR)'
		});
	});

	it('flags boxes that are all dropped', () => {
		const d = reviewDecision(boxes(['person', 0.99, [0, 0, 1, 1]]), det, { modelName: 'DETR' });
		expect(d.score).toBe(0);
		expect(d.reviewReason).toBe(
			'no box kept for Vehicles: none matches a class at score ≥ 0 (DETR)'
		);
	});
});

describe('reviewDecision: spans and kind mismatches', () => {
	const ner = task({ name: 'Entities', kind: 'named-entities', classNames: ['PER', 'LOC'] });

	it('uses the lowest span score', () => {
		const d = reviewDecision(spans(['PER', 0.99, 0, 4], ['LOC', 0.85, 10, 15]), ner, opts);
		expect(d).toEqual({ score: 0.85, level: 'medium', needsReview: false, reviewReason: null });
	});

	it('flags no spans', () => {
		expect(reviewDecision(spans(), ner, opts).reviewReason).toBe(
			'nothing found: no spans for Entities (SST-2)'
		);
	});

	it('flags a prediction of the wrong kind, embeddings included', () => {
		const emb = { kind: 'embedding' as const, vector: new Float32Array(4) };
		expect(reviewDecision(emb, task(), opts)).toEqual({
			score: 0,
			level: 'uncertain',
			needsReview: true,
			reviewReason:
				"model output 'embedding' does not fit task Sentiment (text-classification) (SST-2)"
		});
		expect(reviewDecision(classes(['PER', 1]), ner, opts).needsReview).toBe(true);
	});
});
