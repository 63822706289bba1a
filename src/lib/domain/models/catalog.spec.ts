import { describe, expect, it } from 'vitest';
import { InferenceTask } from '../schemas';
import { CATALOG } from './catalog';

describe('catalog', () => {
	it('covers the product spec: general, detailed, objects, medical, NSFW, sentiment, topic, toxicity, NER, CLIP, embeddings', () => {
		const ids = CATALOG.map((e) => e.id);
		for (const id of [
			'image-general',
			'image-detailed',
			'image-objects',
			'image-medical',
			'image-nsfw',
			'text-sentiment',
			'text-topic',
			'text-toxicity',
			'text-ner',
			'image-clip',
			'text-embeddings'
		]) {
			expect(ids).toContain(id);
		}
		expect(new Set(ids).size).toBe(ids.length);
	});

	it('gives every entry a valid task, a hub id and a size', () => {
		for (const entry of CATALOG) {
			expect(InferenceTask.safeParse(entry.task).success).toBe(true);
			expect(entry.hubId).toMatch(/^[\w.-]+\/[\w.-]+$/);
			expect(entry.sizeMb).toBeGreaterThan(0);
			expect(entry.licence).not.toBe('');
		}
	});
});
