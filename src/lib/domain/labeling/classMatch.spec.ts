import { describe, expect, it } from 'vitest';
import { byScoreDesc, clampScore, classMatcher, predictionKindFor } from './classMatch';
import { task } from './fixtures';

describe('classMatch', () => {
	it('matches names case-insensitively and trimmed; the first duplicate wins', () => {
		const t = task({ classNames: ['Cat', 'cat ', 'Dog'] });
		t.classes[1] = { ...t.classes[1]!, id: 'cat2' };
		const match = classMatcher(t);
		expect(match('  CAT')?.id).toBe('cat');
		expect(match('dog')?.id).toBe('dog');
		expect(match('bird')).toBeUndefined();
	});

	it('knows which prediction each task kind takes', () => {
		expect(predictionKindFor('image-classification')).toBe('classes');
		expect(predictionKindFor('text-classification')).toBe('classes');
		expect(predictionKindFor('object-detection')).toBe('boxes');
		expect(predictionKindFor('named-entities')).toBe('spans');
		expect(predictionKindFor('relations')).toBeNull();
	});

	it('clamps scores and sorts without mutating', () => {
		expect([clampScore(-0.1), clampScore(1.5), clampScore(Number.NaN), clampScore(0.3)]).toEqual([
			0, 1, 0, 0.3
		]);
		const xs = [{ score: 0.1 }, { score: 0.7 }, { score: 0.4 }];
		expect(byScoreDesc(xs).map((x) => x.score)).toEqual([0.7, 0.4, 0.1]);
		expect(xs[0]!.score).toBe(0.1);
	});
});
