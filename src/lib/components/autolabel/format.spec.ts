import { describe, expect, it } from 'vitest';
import {
	approxDuration,
	estimateText,
	etaSeconds,
	exactDuration,
	formatMsPerItem,
	formatRate,
	histogramBars,
	histogramLabel,
	progressPercent,
	progressText
} from './format';

const job = (status: 'running' | 'paused', processed: number, total: number, rate: number) => ({
	status,
	params: { itemCount: total },
	summary: {
		processed,
		highConfidence: 0,
		needsReview: 0,
		autoApproved: 0,
		failed: 0,
		durationMs: 0,
		itemsPerSecond: rate
	}
});

describe('approxDuration', () => {
	it('rounds to seconds, minutes, or hours and minutes', () => {
		expect(approxDuration(0)).toBe('under a second');
		expect(approxDuration(0.99)).toBe('under a second');
		expect(approxDuration(12.4)).toBe('about 12 s');
		expect(approxDuration(185)).toBe('about 3 min');
		expect(approxDuration(3599)).toBe('about 1 h');
		expect(approxDuration(3900)).toBe('about 1 h 5 min');
	});

	it('treats nonsense as no time', () => {
		expect(approxDuration(Number.NaN)).toBe('under a second');
		expect(approxDuration(-3)).toBe('under a second');
	});
});

describe('exactDuration', () => {
	it('shows milliseconds below a second, else the import formatter', () => {
		expect(exactDuration(350.4)).toBe('350 ms');
		expect(exactDuration(185_000)).toBe('3 min 5 s');
	});
});

describe('rates and estimates', () => {
	it('formats items per second with one decimal', () => {
		expect(formatRate(12.46)).toBe('12.5');
		expect(formatRate(0)).toBe('0.0');
	});

	it('formats time per item', () => {
		expect(formatMsPerItem(2.14)).toBe('2.1 ms per item');
		expect(formatMsPerItem(1234.4)).toBe('1,234 ms per item');
	});

	it('reads an estimate', () => {
		expect(estimateText(12, 3)).toBe('12 items · about 3 s');
		expect(estimateText(1, 0.2)).toBe('1 item · under a second');
	});
});

describe('progress', () => {
	it('shows an ETA only while running', () => {
		expect(etaSeconds(job('running', 40, 120, 10))).toBe(8);
		expect(progressText(job('running', 40, 120, 10))).toBe(
			'40 of 120 items · 10.0 items/s · ETA about 8 s'
		);
		expect(etaSeconds(job('paused', 40, 120, 10))).toBeNull();
		expect(progressText(job('paused', 40, 120, 10))).toBe('40 of 120 items · 10.0 items/s');
	});

	it('has no ETA before there is a rate', () => {
		expect(etaSeconds(job('running', 0, 120, 0))).toBeNull();
	});

	it('is a percentage of the job', () => {
		expect(progressPercent(job('running', 30, 120, 1))).toBe(25);
		expect(progressPercent(job('running', 0, 0, 0))).toBe(100);
	});
});

describe('histograms', () => {
	const h = {
		bins: [1, 0, 0, 0, 0, 0, 1, 0, 2, 3],
		levels: { high: 2, medium: 3, low: 1, uncertain: 1 },
		total: 7
	};

	it('colours each bin by level and splits the last one at 0.95', () => {
		const bars = histogramBars(h);
		expect(bars).toHaveLength(10);
		expect(bars[0]?.segments).toEqual([{ level: 'uncertain', count: 1 }]);
		expect(bars[6]?.segments).toEqual([{ level: 'low', count: 1 }]);
		expect(bars[8]?.segments).toEqual([{ level: 'medium', count: 2 }]);
		expect(bars[9]?.segments).toEqual([
			{ level: 'high', count: 2 },
			{ level: 'medium', count: 1 }
		]);
	});

	it('names its level counts', () => {
		expect(histogramLabel('Colour', h)).toBe(
			'Confidence histogram for Colour: high 2, medium 3, low 1, uncertain 1'
		);
	});
});
