import { describe, expect, it } from 'vitest';
import {
	splitAtBoundaries,
	tokenize,
	tokenizeUnicode,
	tokensForSpans,
	type Token
} from './tokenize';
import { seeded } from './textFixtures';

const texts = (tokens: readonly Token[]) => tokens.map((t) => t.text);
const SEPARATOR = /[\s\p{Cc}\p{Z}\u200B\u180E\uFEFF]/u;

/** Every token is exact, non-empty, separator-free, in order, and together they cover the text. */
function expectWellFormed(text: string, tokens: readonly Token[]) {
	let last = 0;
	for (const t of tokens) {
		expect(text.slice(t.start, t.end)).toBe(t.text);
		expect(t.end).toBeGreaterThan(t.start);
		expect(t.start).toBeGreaterThanOrEqual(last);
		expect(SEPARATOR.test(t.text)).toBe(false);
		// Only separators between tokens.
		expect([...text.slice(last, t.start)].every((c) => SEPARATOR.test(c))).toBe(true);
		last = t.end;
	}
	expect([...text.slice(last)].every((c) => SEPARATOR.test(c))).toBe(true);
}

describe('tokenize', () => {
	it('splits words and punctuation, keeping inner apostrophes and numbers', () => {
		const text = "Don't panic, Zoë! It's 3.14 or 1,000... (ok)";
		const tokens = tokenize(text);
		expect(texts(tokens)).toEqual([
			"Don't",
			'panic',
			',',
			'Zoë',
			'!',
			"It's",
			'3.14',
			'or',
			'1,000',
			'.',
			'.',
			'.',
			'(',
			'ok',
			')'
		]);
		expectWellFormed(text, tokens);
	});

	it('keeps emoji, ZWJ sequences and flags whole, with exact UTF-16 offsets', () => {
		const text = 'hi 👍🏽 👨‍👩‍👧 🇫🇷x 𝒳y';
		const tokens = tokenize(text);
		expect(texts(tokens)).toEqual(['hi', '👍🏽', '👨‍👩‍👧', '🇫🇷', 'x', '𝒳y']);
		expect(tokens[1]).toEqual({ text: '👍🏽', start: 3, end: 7 });
		expectWellFormed(text, tokens);
	});

	it('cuts Han, Hiragana and Katakana into characters', () => {
		const text = '東京に行きました。Tokyo 2024 카페에';
		expect(texts(tokenize(text))).toEqual([
			'東',
			'京',
			'に',
			'行',
			'き',
			'ま',
			'し',
			'た',
			'。',
			'Tokyo',
			'2024',
			'카페에'
		]);
		expectWellFormed(text, tokenize(text));
	});

	it('drops every kind of whitespace, including the ones only Python splits on', () => {
		const text = 'a\u00a0b\tc\n\nd\r\ne\u2028f\u200Bg\u0085h\u001Fi\uFEFFj   k\u3000l';
		const tokens = tokenize(text);
		expect(texts(tokens)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l']);
		expectWellFormed(text, tokens);
	});

	it('handles combining marks and empty text', () => {
		const text = 'cafe\u0301 ¡ño! e\u0301';
		expectWellFormed(text, tokenize(text));
		expect(texts(tokenize(text))).toEqual(['cafe\u0301', '¡', 'ño', '!', 'e\u0301']);
		expect(tokenize('')).toEqual([]);
		expect(tokenize(' \n\t ')).toEqual([]);
	});

	it('is well formed on random mixed text', () => {
		const random = seeded(7);
		const alphabet = [
			...'ab Z9 .,\'’-"\n\t',
			'東',
			'に',
			'👍🏽',
			'🇫🇷',
			'😀',
			'é',
			'\u0301',
			'\u200B',
			'  '
		];
		for (let n = 0; n < 300; n++) {
			let text = '';
			const len = Math.floor(random() * 40);
			for (let i = 0; i < len; i++) text += alphabet[Math.floor(random() * alphabet.length)];
			const tokens = tokenize(text);
			expectWellFormed(text, tokens);
			expect(tokenize(text)).toEqual(tokens);
		}
	});
});

describe('the ASCII fast path', () => {
	it('tokenizes exactly like the general tokenizer', () => {
		const random = seeded(3);
		const alphabet = [...'ab Z9 0.,\'-"\n\t\r_!?()\x00\x1f\x7f', '  ', "'", '3.', ',5'];
		for (let n = 0; n < 2000; n++) {
			let text = '';
			const len = Math.floor(random() * 30);
			for (let i = 0; i < len; i++) text += alphabet[Math.floor(random() * alphabet.length)];
			expect(tokenize(text)).toEqual(tokenizeUnicode(text));
		}
		for (const text of ["don't", "'quoted'", 'x1.2.3', '1.,2', '_a_', "a''b", "a'", '9,000,000.5'])
			expect(tokenize(text)).toEqual(tokenizeUnicode(text));
	});
});

describe('tokensForSpans', () => {
	it('cuts tokens at span edges inside words', () => {
		const tokens = tokensForSpans('unbelievable stuff', [{ start: 2, end: 14 }]);
		expect(tokens).toEqual([
			{ text: 'un', start: 0, end: 2 },
			{ text: 'believable', start: 2, end: 12 },
			{ text: 's', start: 13, end: 14 },
			{ text: 'tuff', start: 14, end: 18 }
		]);
	});

	it('makes every span edge a token edge (random spans)', () => {
		const random = seeded(11);
		const text = 'The quick-brown fox, Dr. Smith’s 東京タワー 👍🏽 jumps\nover 12,345 lazy dogs!';
		for (let n = 0; n < 200; n++) {
			const spans = Array.from({ length: 1 + Math.floor(random() * 4) }, () => {
				const a = Math.floor(random() * text.length);
				const b = Math.floor(random() * text.length);
				return { start: Math.min(a, b), end: Math.max(a, b) + 1 };
			});
			const tokens = tokensForSpans(text, spans);
			for (const t of tokens) expect(text.slice(t.start, t.end)).toBe(t.text);
			const starts = new Set(tokens.map((t) => t.start));
			const ends = new Set(tokens.map((t) => t.end));
			for (const s of spans) {
				// No token straddles an edge.
				for (const t of tokens) {
					expect(t.start < s.start && s.start < t.end).toBe(false);
					expect(t.start < s.end && s.end < t.end).toBe(false);
				}
				const inside = tokens.filter((t) => t.start >= s.start && t.end <= s.end);
				if (inside.length > 0 && !SEPARATOR.test(text[s.start] as string))
					expect(starts.has(s.start)).toBe(true);
				if (inside.length > 0 && !SEPARATOR.test(text[s.end - 1] as string))
					expect(ends.has(s.end)).toBe(true);
			}
		}
	});

	it('splitAtBoundaries leaves tokens alone when no edge falls inside', () => {
		const tokens = tokenize('a bc d');
		expect(splitAtBoundaries(tokens, [0, 1, 2, 4, 99])).toEqual(tokens);
	});
});
