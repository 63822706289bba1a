import { describe, expect, it } from 'vitest';
import {
	CurrentPredictions,
	badgeText,
	confidenceBadge,
	describeConfidence,
	isNewer,
	itemConfidences,
	matchesConfidence,
	worseLevel,
	type ConfidenceFilter,
	type PredictionFacts
} from './itemConfidence';

let serial = 0;
const prediction = (extra: Partial<PredictionFacts> = {}): PredictionFacts => ({
	id: ++serial,
	itemId: 1,
	taskId: 't1',
	modelVersionId: 'm1',
	level: 'high',
	score: 0.97,
	needsReview: false,
	reviewReason: null,
	failed: null,
	createdAt: 100,
	...extra
});

const failure: PredictionFacts['failed'] = { code: 'run-failed', message: 'boom' };

describe('worseLevel and isNewer', () => {
	it('orders levels high > medium > low > uncertain', () => {
		expect(worseLevel('high', 'low')).toBe('low');
		expect(worseLevel('uncertain', 'medium')).toBe('uncertain');
		expect(worseLevel('medium', 'medium')).toBe('medium');
	});

	it('prefers the newer prediction, then the larger id', () => {
		expect(isNewer({ createdAt: 2, id: 1 }, { createdAt: 1, id: 9 })).toBe(true);
		expect(isNewer({ createdAt: 1, id: 9 }, { createdAt: 2, id: 1 })).toBe(false);
		expect(isNewer({ createdAt: 1, id: 5 }, { createdAt: 1, id: 4 })).toBe(true);
		expect(isNewer({ createdAt: 1, id: 4 }, { createdAt: 1, id: 5 })).toBe(false);
	});
});

describe('itemConfidences', () => {
	it('has no entry for items without predictions', () => {
		expect(itemConfidences([]).size).toBe(0);
		expect(new CurrentPredictions().summary(3)).toBeNull();
	});

	it('keeps the newest prediction of each task, whatever the read order', () => {
		const old = prediction({ modelVersionId: 'm1', level: 'low', score: 0.62, createdAt: 100 });
		const fresh = prediction({ modelVersionId: 'm2', level: 'high', score: 0.99, createdAt: 200 });
		for (const order of [
			[old, fresh],
			[fresh, old]
		]) {
			const summary = itemConfidences(order).get(1);
			expect(summary?.level).toBe('high');
			expect(summary?.perTask).toEqual([
				{
					taskId: 't1',
					modelVersionId: 'm2',
					level: 'high',
					score: 0.99,
					needsReview: false,
					reviewReason: null,
					failed: false
				}
			]);
		}
	});

	it('breaks a createdAt tie by the larger id', () => {
		const first = prediction({ id: 10, modelVersionId: 'm1', level: 'medium', createdAt: 5 });
		const second = prediction({ id: 11, modelVersionId: 'm2', level: 'uncertain', createdAt: 5 });
		expect(itemConfidences([second, first]).get(1)?.level).toBe('uncertain');
	});

	it('takes the worst level over tasks and flags review and failure from any task', () => {
		const rows = [
			prediction({ taskId: 'topic', level: 'high', score: 0.98 }),
			prediction({
				taskId: 'sentiment',
				level: 'low',
				score: 0.62,
				needsReview: true,
				reviewReason: 'low confidence for Sentiment: 0.62 (m1)'
			})
		];
		const summary = itemConfidences(rows).get(1);
		expect(summary?.level).toBe('low');
		expect(summary?.needsReview).toBe(true);
		expect(summary?.failed).toBe(false);
		expect(summary?.perTask.map((t) => t.taskId)).toEqual(['sentiment', 'topic']);
		expect(summary && confidenceBadge(summary)).toBe('low');
	});

	it('shows a failure as the badge; an older failure replaced by a success does not count', () => {
		const failed = prediction({
			taskId: 'a',
			level: 'uncertain',
			score: 0,
			failed: failure,
			needsReview: true
		});
		const ok = prediction({ taskId: 'b', level: 'medium', score: 0.85 });
		const summary = itemConfidences([failed, ok]).get(1);
		expect(summary?.failed).toBe(true);
		expect(summary && confidenceBadge(summary)).toBe('failed');

		const retried = prediction({
			taskId: 'a',
			level: 'high',
			createdAt: 300,
			modelVersionId: 'm2'
		});
		const after = itemConfidences([failed, ok, retried]).get(1);
		expect(after?.failed).toBe(false);
		expect(after?.needsReview).toBe(false);
		expect(after?.level).toBe('medium');
	});

	it('keeps items apart', () => {
		const out = itemConfidences([
			prediction({ itemId: 1, level: 'low' }),
			prediction({ itemId: 2, level: 'high' })
		]);
		expect(out.get(1)?.level).toBe('low');
		expect(out.get(2)?.level).toBe('high');
		expect(out.has(3)).toBe(false);
	});
});

describe('matchesConfidence', () => {
	const summaryOf = (...rows: PredictionFacts[]) => itemConfidences(rows).get(1) ?? null;
	const low = summaryOf(prediction({ level: 'low', needsReview: true }));
	const high = summaryOf(prediction({ level: 'high' }));
	const failed = summaryOf(prediction({ level: 'uncertain', score: 0, failed: failure }));
	const cases: [ConfidenceFilter, boolean[]][] = [
		// [filter, [low, high, failed, unpredicted]]
		['any', [true, true, true, true]],
		['high', [false, true, false, false]],
		['low', [true, false, false, false]],
		['uncertain', [false, false, false, false]],
		['failed', [false, false, true, false]],
		['needs-review', [true, false, false, false]],
		['unpredicted', [false, false, false, true]]
	];
	it.each(cases)('%s', (filter, expected) => {
		expect([low, high, failed, null].map((s) => matchesConfidence(s, filter))).toEqual(expected);
	});
});

describe('describeConfidence', () => {
	it('names each task with its score and notes', () => {
		const summary = itemConfidences([
			prediction({ taskId: 's', level: 'low', score: 0.62, needsReview: true }),
			prediction({ taskId: 't', level: 'high', score: 0.97 })
		]).get(1);
		const names: Record<string, string> = { s: 'Sentiment', t: 'Topic' };
		expect(summary && describeConfidence(summary, (id) => names[id] ?? id)).toBe(
			'Confidence: low — Sentiment 0.62 (needs review); Topic 0.97'
		);
		expect(badgeText('uncertain')).toBe('Uncertain');
	});
});
