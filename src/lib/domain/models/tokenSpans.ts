import type { ScoredSpan } from '../schemas/inference';

/**
 * Token classification → character spans. transformers.js gives one prediction per token
 * (`{ word, entity, score, index }`, `word` being the token decoded on its own) but no offsets,
 * so the tokens are first aligned back onto the original text, then word pieces are joined
 * into words and BIO/IOB tags into entities. Offsets are UTF-16 code units into the text the
 * user wrote (`text.slice(start, end)`), whatever the tokenizer's lowercasing or accent
 * stripping did.
 */

export interface TokenTag {
	/** The token decoded alone: `paris`, `##ville` (WordPiece), ` Paris` (byte-level BPE). */
	word: string;
	/** `B-PER`, `I-LOC`, `E-X`, `S-X`, `O`, or a bare type such as `PER`. */
	entity: string;
	/** Probability of `entity` for this token. */
	score: number;
	/** Position in the model's input sequence; a gap breaks an entity (a dropped token). */
	index?: number;
}

/** How tokenizers normalise before splitting: accents stripped, lowercased. */
function fold(s: string): string {
	return s
		.normalize('NFD')
		.replace(/\p{Mn}/gu, '')
		.toLowerCase();
}

/**
 * The folded text with, for every UTF-16 unit of it, the range of the original text it came
 * from (a code point can fold to several units, or to none).
 */
function foldWithOrigins(text: string): { folded: string; from: number[]; to: number[] } {
	let folded = '';
	const from: number[] = [];
	const to: number[] = [];
	let i = 0;
	for (const ch of text) {
		const f = fold(ch);
		for (let k = 0; k < f.length; k++) {
			from.push(i);
			to.push(i + ch.length);
		}
		folded += f;
		i += ch.length;
	}
	return { folded, from, to };
}

/** The token's characters as they appear in the text: no `##`, no BPE space markers. */
function tokenText(word: string): string {
	return fold(
		word
			.replace(/^##/, '')
			.replace(/^[\sĠ▁]+/u, '')
			.trim()
	);
}

/**
 * Where each token sits in `text` (`[start, end)` in UTF-16 units), searching forward from
 * the previous token; `null` for a token that cannot be found (an unknown or empty token).
 *
 * Example: `alignTokens('Zoë met Bob', ['zoe', 'met', 'bob'])` → `[[0, 3], [4, 7], [8, 11]]`.
 */
export function alignTokens(
	text: string,
	words: readonly string[]
): (readonly [start: number, end: number] | null)[] {
	const { folded, from, to } = foldWithOrigins(text);
	let cursor = 0;
	return words.map((word) => {
		const piece = tokenText(word);
		if (!piece) return null;
		let at = cursor;
		while (at < folded.length && /\s/u.test(folded[at] as string)) at++;
		if (!folded.startsWith(piece, at)) at = folded.indexOf(piece, cursor);
		if (at < 0) return null;
		cursor = at + piece.length;
		return [from[at] as number, to[cursor - 1] as number] as const;
	});
}

/** Scripts whose tokenizers split every character: adjacent characters are separate words. */
const PER_CHARACTER = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const WORD_CHARACTER = /[\p{L}\p{N}]/u;

function splitTag(entity: string): { prefix: 'B' | 'I' | 'E' | 'S' | 'O'; type: string } {
	if (entity === 'O') return { prefix: 'O', type: '' };
	const p = entity[0];
	if (entity[1] === '-' && (p === 'B' || p === 'I' || p === 'E' || p === 'S')) {
		return { prefix: p, type: entity.slice(2) };
	}
	return { prefix: 'I', type: entity };
}

interface Piece {
	start: number;
	end: number;
	entity: string;
	score: number;
	index: number;
	continuation: boolean;
}

interface Word {
	start: number;
	end: number;
	prefix: 'B' | 'I' | 'E' | 'S' | 'O';
	type: string;
	/** Scores of the word's pieces for the word's label (see `wordsOf`). */
	scores: number[];
	firstIndex: number;
	lastIndex: number;
}

/**
 * Word pieces → words. A piece continues the previous word when it is marked `##`, or when it
 * touches the previous piece letter to letter (byte-level BPE, which marks word starts with a
 * space instead). The word takes its first piece's label; a later piece that disagrees counts
 * with `1 − score`, the most it can give the word's label.
 */
function wordsOf(text: string, pieces: Piece[]): Word[] {
	const words: Word[] = [];
	let previous: Piece | undefined;
	for (const piece of pieces) {
		const word = words.at(-1);
		const touches =
			previous !== undefined &&
			piece.start === previous.end &&
			piece.index === previous.index + 1 &&
			WORD_CHARACTER.test(text[piece.start] ?? '') &&
			WORD_CHARACTER.test(text[previous.end - 1] ?? '') &&
			!PER_CHARACTER.test(text[piece.start] ?? '');
		if (word && previous && (piece.continuation || touches)) {
			const agrees = splitTag(piece.entity).type === word.type;
			word.scores.push(agrees ? piece.score : 1 - piece.score);
			word.end = piece.end;
			word.lastIndex = piece.index;
		} else {
			const { prefix, type } = splitTag(piece.entity);
			words.push({
				start: piece.start,
				end: piece.end,
				prefix,
				type,
				scores: [piece.score],
				firstIndex: piece.index,
				lastIndex: piece.index
			});
		}
		previous = piece;
	}
	return words;
}

/**
 * Aggregates token predictions into entity spans: `B-X` starts an entity, `I-X`/`E-X` continue
 * one of the same type directly before it (or start one, as in IOB1), `S-X` is a whole entity,
 * `O` ends it. A span's score is the mean of its pieces' scores.
 *
 * Example:
 * ```ts
 * tokenSpans('Bobby lives in Paris', [
 *   { word: 'bob', entity: 'B-PER', score: 0.9, index: 1 },
 *   { word: '##by', entity: 'I-PER', score: 0.7, index: 2 },
 *   { word: 'lives', entity: 'O', score: 0.99, index: 3 },
 *   { word: 'in', entity: 'O', score: 0.99, index: 4 },
 *   { word: 'paris', entity: 'B-LOC', score: 0.95, index: 5 }
 * ]);
 * // → [{ start: 0, end: 5, label: 'PER', score: 0.8, text: 'Bobby' },
 * //    { start: 15, end: 20, label: 'LOC', score: 0.95, text: 'Paris' }]
 * ```
 */
export function tokenSpans(text: string, tokens: readonly TokenTag[]): ScoredSpan[] {
	const offsets = alignTokens(
		text,
		tokens.map((t) => t.word)
	);
	const pieces: Piece[] = [];
	tokens.forEach((token, i) => {
		const at = offsets[i];
		if (!at) return;
		pieces.push({
			start: at[0],
			end: at[1],
			entity: token.entity,
			score: token.score,
			index: token.index ?? i,
			continuation: token.word.startsWith('##')
		});
	});

	const spans: ScoredSpan[] = [];
	let open: { type: string; start: number; end: number; scores: number[]; last: number } | null =
		null;
	const close = () => {
		if (open) {
			const score = open.scores.reduce((a, b) => a + b, 0) / open.scores.length;
			spans.push({
				start: open.start,
				end: open.end,
				label: open.type,
				score,
				text: text.slice(open.start, open.end)
			});
		}
		open = null;
	};

	for (const word of wordsOf(text, pieces)) {
		if (word.prefix === 'O') {
			close();
			continue;
		}
		const current = open as typeof open;
		const continues =
			(word.prefix === 'I' || word.prefix === 'E') &&
			current !== null &&
			current.type === word.type &&
			word.firstIndex === current.last + 1;
		if (continues && current) {
			current.end = word.end;
			current.scores.push(...word.scores);
			current.last = word.lastIndex;
		} else {
			close();
			open = {
				type: word.type,
				start: word.start,
				end: word.end,
				scores: [...word.scores],
				last: word.lastIndex
			};
		}
		if (word.prefix === 'E' || word.prefix === 'S') close();
	}
	close();
	return spans;
}
