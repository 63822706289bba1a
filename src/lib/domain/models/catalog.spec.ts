import { describe, expect, it } from 'vitest';
import { InferenceTask } from '../schemas';
import { CATALOG, customEntry } from './catalog';

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

describe('customEntry', () => {
	it('accepts owner/name ids and refuses anything that could escape the hub URL', () => {
		const made = customEntry(' Xenova/bert-base-NER ', 'token-classification', 'q8');
		expect(made).toMatchObject({
			ok: true,
			entry: { hubId: 'Xenova/bert-base-NER', id: 'hub:Xenova/bert-base-NER' }
		});
		for (const bad of ['', 'bert', 'a/b/c', '../x/y', 'https://evil/x', 'a/..']) {
			expect(customEntry(bad, 'text-classification', 'q8').ok).toBe(false);
		}
	});
});
