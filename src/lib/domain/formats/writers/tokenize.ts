/**
 * A small, deterministic word tokenizer for the token-level exports (CoNLL, Hugging Face
 * token classification, spaCy). Offsets are UTF-16 code units into the JavaScript string,
 * like span offsets, so `text.slice(t.start, t.end) === t.text` always holds.
 *
 * Rules:
 * - Separators (whitespace, control characters, zero-width spaces, BOM) are dropped; a token
 *   never contains one, so whitespace-separated formats can't break. The set is the union of
 *   what JavaScript's `\s` and Python's `str.split()` treat as whitespace.
 * - A word is a run of letters, marks, digits and `_`; an apostrophe between two word
 *   characters stays inside (`don't`, `l'homme`), as does `.` or `,` between digits (`3.14`,
 *   `1,000`).
 * - Han, Hiragana and Katakana characters are one token each (those scripts don't use spaces).
 * - An emoji (with its modifiers, variation selectors and ZWJ sequence) or a flag is one token.
 * - Every other character (punctuation, symbols) is a token of its own, with its marks.
 */

export type Token = { text: string; start: number; end: number };

const WORD_CHAR = String.raw`[\p{L}\p{M}\p{N}\p{Pc}]`;
const SEPARATOR = String.raw`\s\p{Cc}\p{Z}\u200B\u180E\uFEFF\u0085\u001C-\u001F`;
const WORD = String.raw`${WORD_CHAR}+(?:(?:['\u2019]|(?<=\p{N})[.,](?=\p{N}))${WORD_CHAR}+)*`;
const EMOJI = String.raw`\p{RI}\p{RI}|\p{Extended_Pictographic}[\p{EMod}\uFE0F\u20E3]*(?:\u200D\p{Extended_Pictographic}[\p{EMod}\uFE0F]*)*`;
const OTHER = String.raw`[^${SEPARATOR}][\p{M}\uFE0F]*`;
const TOKEN = new RegExp(`${WORD}|${EMOJI}|${OTHER}`, 'gu');
/** Scripts written without spaces: a word run holding them is cut into characters. */
const CJK = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/u;
const CJK_SPLIT =
	/[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]\p{M}*|[^\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]+/gu;

/**
 * The tokens of `text`, in order.
 *
 * Example: `tokenize("Don't panic, Zoë!")` → `Don't`, `panic`, `,`, `Zoë`, `!` (offsets 0, 6,
 * 11, 13, 16).
 */
export function tokenize(text: string): Token[] {
	return NON_ASCII.test(text) ? tokenizeUnicode(text) : tokenizeAscii(text);
}

const NON_ASCII = /\P{ASCII}/u;

/** 0 separator, 1 word character, 2 anything else (ASCII only). */
const ASCII_CLASS = new Uint8Array(128).map((_, c) =>
	c <= 32 || c === 127 ? 0 : /[A-Za-z0-9_]/.test(String.fromCharCode(c)) ? 1 : 2
);

const isDigit = (c: number) => c >= 48 && c <= 57;

/** The same rules as `tokenizeUnicode`, by hand, for the common all-ASCII text (about 1.5× faster). */
function tokenizeAscii(text: string): Token[] {
	const out: Token[] = [];
	const n = text.length;
	let i = 0;
	while (i < n) {
		const kind = ASCII_CLASS[text.charCodeAt(i)];
		if (kind === 0) {
			i++;
			continue;
		}
		const start = i++;
		if (kind === 1) {
			for (;;) {
				while (i < n && ASCII_CLASS[text.charCodeAt(i)] === 1) i++;
				if (i + 1 >= n || ASCII_CLASS[text.charCodeAt(i + 1)] !== 1) break;
				const c = text.charCodeAt(i);
				// An apostrophe between word characters, or `.`/`,` between digits, joins.
				if (
					c === 39 ||
					((c === 46 || c === 44) &&
						isDigit(text.charCodeAt(i - 1)) &&
						isDigit(text.charCodeAt(i + 1)))
				)
					i++;
				else break;
			}
		}
		out.push({ text: text.slice(start, i), start, end: i });
	}
	return out;
}

/** The general tokenizer (any text); exported for the tests that compare the two. */
export function tokenizeUnicode(text: string): Token[] {
	const out: Token[] = [];
	TOKEN.lastIndex = 0;
	for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
		const word = m[0];
		const start = m.index;
		// Only non-Latin runs can hold CJK; the cheap code-unit test skips the regex for ASCII.
		if (word.charCodeAt(0) >= 0x2e80 || (word.length > 1 && hasHighChar(word))) {
			if (CJK.test(word)) {
				CJK_SPLIT.lastIndex = 0;
				for (let p = CJK_SPLIT.exec(word); p !== null; p = CJK_SPLIT.exec(word)) {
					out.push({ text: p[0], start: start + p.index, end: start + p.index + p[0].length });
				}
				continue;
			}
		}
		out.push({ text: word, start, end: start + word.length });
	}
	return out;
}

function hasHighChar(s: string): boolean {
	for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x2e80) return true;
	return false;
}

/**
 * Cuts tokens at every boundary that falls strictly inside one, so a span whose edge lies
 * inside a word (`un|believable`) still covers whole tokens. `boundaries` need not be sorted.
 */
export function splitAtBoundaries(tokens: readonly Token[], boundaries: Iterable<number>): Token[] {
	const cuts = [...new Set(boundaries)].sort((a, b) => a - b);
	if (cuts.length === 0) return tokens.slice();
	const out: Token[] = [];
	let c = 0;
	for (const t of tokens) {
		while (c < cuts.length && (cuts[c] as number) <= t.start) c++;
		let from = t.start;
		let k = c;
		while (k < cuts.length && (cuts[k] as number) < t.end) {
			const cut = cuts[k] as number;
			out.push({ text: t.text.slice(from - t.start, cut - t.start), start: from, end: cut });
			from = cut;
			k++;
		}
		out.push(
			from === t.start ? t : { text: t.text.slice(from - t.start), start: from, end: t.end }
		);
	}
	return out;
}

/**
 * The tokens of `text`, re-split at span boundaries: every span then starts at a token's start
 * and ends at a token's end (unless the edge lies in whitespace, which no token covers).
 *
 * Example: `tokensForSpans('unbelievable', [{ start: 2, end: 12 }])` → `un`, `believable`.
 */
export function tokensForSpans(
	text: string,
	spans: readonly { start: number; end: number }[]
): Token[] {
	const tokens = tokenize(text);
	if (spans.length === 0) return tokens;
	const boundaries: number[] = [];
	for (const s of spans) boundaries.push(s.start, s.end);
	return splitAtBoundaries(tokens, boundaries);
}
