import { describe, expect, it } from 'vitest';
import type { TagScheme } from '../snapshot';
import {
	isValidSequence,
	resolveOverlaps,
	tagLabels,
	tagSet,
	tagTokens,
	type LabeledSpan
} from './bioTags';
import { seeded } from './textFixtures';
import { tokensForSpans } from './tokenize';

const SCHEMES: TagScheme[] = ['BIO', 'BILOU', 'IO'];

/** Spans back from tags (BIO and BILOU are lossless on non-adjacent-ambiguous input). */
function decode(
	tags: readonly string[],
	scheme: TagScheme
): { from: number; to: number; label: string }[] {
	const out: { from: number; to: number; label: string }[] = [];
	tags.forEach((tag, i) => {
		const [p, label] = [tag[0], tag.slice(2)];
		const last = out[out.length - 1];
		const opens =
			scheme === 'IO' ? !(last && last.to === i && last.label === label) : p === 'B' || p === 'U';
		if (tag === 'O') return;
		if (opens) out.push({ from: i, to: i + 1, label });
		else if (last) last.to = i + 1;
	});
	return out;
}

describe('tagTokens', () => {
	const text = 'Ada Lovelace met Charles Babbage in London today';
	const spans: LabeledSpan[] = [
		{ start: 0, end: 12, label: 'PER' },
		{ start: 17, end: 32, label: 'PER' },
		{ start: 36, end: 42, label: 'LOC' }
	];
	const tokens = tokensForSpans(text, spans);

	it.each([
		['BIO', 'B-PER I-PER O B-PER I-PER O B-LOC O'],
		['BILOU', 'B-PER L-PER O B-PER L-PER O U-LOC O'],
		['IO', 'I-PER I-PER O I-PER I-PER O I-LOC O']
	] as const)('%s', (scheme, expected) => {
		expect(tagTokens(tokens, spans, scheme).join(' ')).toBe(expected);
	});

	it('tags the pieces of a word cut by a span', () => {
		const t = 'preLondon';
		const s = [{ start: 3, end: 9, label: 'LOC' }];
		expect(tagTokens(tokensForSpans(t, s), s, 'BILOU')).toEqual(['O', 'U-LOC']);
	});

	it('is valid for random span sets in every scheme, and BIO/BILOU decode back', () => {
		const random = seeded(2024);
		const words = 'alpha beta, gamma delta. epsilon zeta eta theta iota kappa lambda mu'.split(' ');
		for (let n = 0; n < 400; n++) {
			const text = Array.from(
				{ length: 3 + Math.floor(random() * 12) },
				() => words[Math.floor(random() * words.length)]
			).join(' ');
			const spans: LabeledSpan[] = Array.from({ length: Math.floor(random() * 6) }, () => {
				const a = Math.floor(random() * text.length);
				const len = 1 + Math.floor(random() * 15);
				return {
					start: a,
					end: Math.min(text.length, a + len),
					label: ['PER', 'LOC', 'B-X'][Math.floor(random() * 3)] as string
				};
			});
			const tokens = tokensForSpans(text, spans);
			const { kept } = resolveOverlaps(spans);
			for (const scheme of SCHEMES) {
				const tags = tagTokens(tokens, spans, scheme);
				expect(tags).toHaveLength(tokens.length);
				expect(isValidSequence(tags, scheme)).toBe(true);
				if (scheme === 'IO') continue;
				// Every kept span that covers a token comes back, with its label and its tokens.
				const expected = kept
					.map((s) => {
						const idx = tokens.flatMap((t, i) => (t.start >= s.start && t.end <= s.end ? [i] : []));
						return idx.length
							? { from: idx[0] as number, to: (idx[idx.length - 1] as number) + 1, label: s.label }
							: null;
					})
					.filter((x) => x !== null);
				expect(decode(tags, scheme)).toEqual(expected);
			}
		}
	});
});

describe('resolveOverlaps', () => {
	it('keeps the earliest, then the longest, and counts the rest', () => {
		const a = { start: 0, end: 8 };
		const b = { start: 0, end: 18 };
		const c = { start: 10, end: 12 };
		const d = { start: 18, end: 20 };
		const e = { start: 5, end: 5 };
		expect(resolveOverlaps([a, b, c, d, e])).toEqual({ kept: [b, d], dropped: 3 });
	});
});

describe('isValidSequence', () => {
	it.each([
		['BIO', ['O', 'I-PER'], false],
		['BIO', ['B-PER', 'I-LOC'], false],
		['BIO', ['B-PER', 'I-PER', 'B-PER', 'O'], true],
		['BIO', ['U-PER'], false],
		['BILOU', ['B-PER', 'O'], false],
		['BILOU', ['B-PER', 'I-PER'], false],
		['BILOU', ['B-PER', 'L-LOC'], false],
		['BILOU', ['U-PER', 'B-LOC', 'I-LOC', 'L-LOC', 'O'], true],
		['BILOU', ['L-PER'], false],
		['IO', ['I-PER', 'I-LOC', 'O'], true],
		['IO', ['B-PER'], false],
		['BIO', ['B-'], false],
		['BIO', ['BPER'], false]
	] as const)('%s %j → %s', (scheme, tags, valid) => {
		expect(isValidSequence(tags, scheme)).toBe(valid);
	});
});

describe('tag names', () => {
	it('lists O first, then each label in order', () => {
		expect(tagSet(['PER', 'LOC'], 'BIO')).toEqual(['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC']);
		expect(tagSet(['X'], 'BILOU')).toEqual(['O', 'B-X', 'I-X', 'L-X', 'U-X']);
		expect(tagSet(['X'], 'IO')).toEqual(['O', 'I-X']);
	});

	it('makes labels column-safe and unique', () => {
		expect(tagLabels(['New York', 'New\tYork', ' ', 'ORG'])).toEqual([
			'New_York',
			'New_York_2',
			'CLASS2',
			'ORG'
		]);
	});
});
