import { describe, expect, it } from 'vitest';
import { EMBEDDED_IDS, EMBEDDED_MODELS } from '$lib/services/embeddedModels';
import type { ExecutionPlan } from '../backend';
import { createBackend, positiveProbability, sentimentPrediction } from './wink';

const version = EMBEDDED_MODELS.find((e) => e.model.id === EMBEDDED_IDS.sentiment)!.version;
const plan: ExecutionPlan = { webgpu: false, isolated: false, threads: 1, prefer: 'auto' };

describe('wink sentiment backend', () => {
	it('maps a zero score (no sentiment words) to an even, low-confidence split', () => {
		expect(positiveProbability(0)).toBe(0.5);
		const p = sentimentPrediction(0);
		expect(p).toEqual({
			kind: 'classes',
			classes: [
				{ label: 'negative', index: 0, score: 0.5 },
				{ label: 'positive', index: 1, score: 0.5 }
			]
		});
	});

	it('reaches the high confidence level only on strong lexicon evidence', () => {
		expect(positiveProbability(0.2)).toBeLessThan(0.8);
		expect(positiveProbability(0.3)).toBeGreaterThan(0.8);
		expect(positiveProbability(0.5)).toBeGreaterThan(0.95);
		expect(positiveProbability(-0.5)).toBeCloseTo(1 - positiveProbability(0.5), 10);
	});

	it('labels real sentences in order, best class first', async () => {
		const model = await createBackend(version, new Map(), plan);
		expect(model.labels).toEqual(['negative', 'positive']);
		const [good, bad, none, negated] = await model.run([
			{ kind: 'text', text: 'I love this phone, the battery is great!' },
			{ kind: 'text', text: 'Terrible.\nIt broke after a day and support was awful.' },
			{ kind: 'text', text: 'The phone arrived on Tuesday.' },
			{ kind: 'text', text: 'This is not good at all.' }
		]);
		const top = (p: typeof good) => (p?.kind === 'classes' ? p.classes[0] : undefined);
		expect(top(good)?.label).toBe('positive');
		expect(top(good)?.score).toBeGreaterThan(0.9);
		expect(top(bad)?.label).toBe('negative');
		expect(top(bad)?.score).toBeGreaterThan(0.9);
		expect(top(none)?.score).toBe(0.5);
		expect(top(negated)?.label).toBe('negative');
		await model.dispose();
	});

	it('refuses images and honours an aborted signal', async () => {
		const model = await createBackend(version, new Map(), plan);
		await expect(model.run([{ kind: 'image', image: {} as ImageBitmap }])).rejects.toMatchObject({
			code: 'bad-input'
		});
		const controller = new AbortController();
		controller.abort();
		await expect(
			model.run([{ kind: 'text', text: 'fine' }], { signal: controller.signal })
		).rejects.toMatchObject({ code: 'cancelled' });
	});
});
