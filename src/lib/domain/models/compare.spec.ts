import { describe, expect, it } from 'vitest';
import { compareMetrics, lowerIsBetter } from './compare';

describe('compareMetrics', () => {
	it('lines up metrics by name, with deltas and the better side', () => {
		const rows = compareMetrics(
			{ accuracy: 0.9, latency_ms: 12, f1: 0.8 },
			{ accuracy: 0.93, latency_ms: 15, recall: 0.7, f1: 0.8 }
		);
		expect(rows.map((r) => r.name)).toEqual(['accuracy', 'f1', 'latency_ms', 'recall']);
		const [acc, f1, latency, recall] = rows;
		expect(acc).toMatchObject({ a: 0.9, b: 0.93, better: 'b' });
		expect(acc?.delta).toBeCloseTo(0.03);
		expect(f1).toMatchObject({ delta: 0, better: 'equal' });
		expect(latency).toMatchObject({ delta: 3, better: 'a', lowerIsBetter: true });
		expect(recall).toMatchObject({ a: null, b: 0.7, delta: null, better: null });
	});

	it('knows which metrics are lower-is-better', () => {
		expect(lowerIsBetter('val_loss')).toBe(true);
		expect(lowerIsBetter('error_rate')).toBe(true);
		expect(lowerIsBetter('map50')).toBe(false);
		expect(lowerIsBetter('items_per_s')).toBe(false);
	});
});
