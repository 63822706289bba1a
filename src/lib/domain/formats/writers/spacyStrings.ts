/**
 * spaCy's string ids, as its `StringStore` assigns them (spaCy 3.x, `spacy/strings.pyx`):
 * - the empty string is 0;
 * - a string spelled like one of spaCy's built-in symbols (`spacy/symbols.pxd`: attribute
 *   names, POS tags, `PERSON`, `ORG`, dependency labels such as `det` or `root`…) is that
 *   symbol's small fixed id, never a hash;
 * - any other string is MurmurHash64A of its UTF-8 bytes with seed 1 (`hash_string` →
 *   `murmurhash.mrmr.hash64(chars, len, 1)`).
 *
 * A DocBin stores tokens and labels as these ids; a wrong one makes spaCy fail with "can't
 * retrieve string for hash".
 */

const M = 0xc6a4a7935bd1e995n;
const MASK = 0xffffffffffffffffn;

/**
 * MurmurHash64A (Austin Appleby), little-endian blocks, as in the `murmurhash` package.
 *
 * Example: `murmurHash64A(utf8('coffee'), 1n)` → `3197928453018144401n` (spaCy's docs).
 */
export function murmurHash64A(bytes: Uint8Array, seed = 1n): bigint {
	const len = bytes.length;
	let h = (seed ^ (BigInt(len) * M)) & MASK;
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const blocks = len >>> 3;
	for (let i = 0; i < blocks; i++) {
		let k = view.getBigUint64(i * 8, true);
		k = (k * M) & MASK;
		k ^= k >> 47n;
		k = (k * M) & MASK;
		h ^= k;
		h = (h * M) & MASK;
	}
	const rest = len & 7;
	if (rest > 0) {
		const tail = blocks * 8;
		for (let i = rest - 1; i >= 0; i--) h ^= BigInt(bytes[tail + i] as number) << BigInt(8 * i);
		h = (h * M) & MASK;
	}
	h ^= h >> 47n;
	h = (h * M) & MASK;
	h ^= h >> 47n;
	return h;
}

// spaCy 3.x `symbol_t`, in enum order. 0 is the empty string; FLAG19–FLAG63 are 19–63;
// DEPRECATED001–DEPRECATED276 (retired morphology symbols) are 104–379.
const LOW =
	'IS_ALPHA IS_ASCII IS_DIGIT IS_LOWER IS_PUNCT IS_SPACE IS_TITLE IS_UPPER LIKE_URL LIKE_NUM LIKE_EMAIL IS_STOP IS_OOV_DEPRECATED IS_BRACKET IS_QUOTE IS_LEFT_PUNCT IS_RIGHT_PUNCT IS_CURRENCY';
const CORE =
	'ID ORTH LOWER NORM SHAPE PREFIX SUFFIX LENGTH CLUSTER LEMMA POS TAG DEP ENT_IOB ENT_TYPE HEAD SENT_START SPACY PROB LANG ' +
	'ADJ ADP ADV AUX CONJ CCONJ DET INTJ NOUN NUM PART PRON PROPN PUNCT SCONJ SYM VERB X EOL SPACE';
const HIGH =
	'PERSON NORP FACILITY ORG GPE LOC PRODUCT EVENT WORK_OF_ART LANGUAGE LAW DATE TIME PERCENT MONEY QUANTITY ORDINAL CARDINAL ' +
	'acomp advcl advmod agent amod appos attr aux auxpass cc ccomp complm conj cop csubj csubjpass dep det dobj expl hmod hyph ' +
	'infmod intj iobj mark meta neg nmod nn npadvmod nsubj nsubjpass num number oprd obj obl parataxis partmod pcomp pobj poss ' +
	'possessive preconj prep prt punct quantmod relcl rcmod root xcomp acl ENT_KB_ID MORPH ENT_ID IDX _';

const SYMBOLS: ReadonlyMap<string, number> = (() => {
	const m = new Map<string, number>();
	LOW.split(' ').forEach((s, i) => m.set(s, 1 + i));
	for (let n = 19; n <= 63; n++) m.set(`FLAG${n}`, n);
	CORE.split(' ').forEach((s, i) => m.set(s, 64 + i));
	for (let n = 1; n <= 276; n++) m.set(`DEPRECATED${String(n).padStart(3, '0')}`, 103 + n);
	HIGH.split(' ').forEach((s, i) => m.set(s, 380 + i));
	return m;
})();

/** spaCy attribute ids (`spacy/attrs.pxd`, equal to their symbols). */
export const ATTR = { ORTH: 65, ENT_IOB: 77, ENT_TYPE: 78, SPACY: 81 } as const;

/** `Token.ent_iob` values: 0 missing, 1 inside, 2 outside, 3 begin. */
export const IOB = { MISSING: 0, I: 1, O: 2, B: 3 } as const;

const utf8 = new TextEncoder();

/**
 * The id spaCy's `StringStore` gives `s`.
 *
 * Example: `stringId('')` → `0n`; `stringId('PERSON')` → `380n`; `stringId('coffee')` →
 * `3197928453018144401n`.
 */
export function stringId(s: string): bigint {
	if (s === '') return 0n;
	const symbol = SYMBOLS.get(s);
	return symbol === undefined ? murmurHash64A(utf8.encode(s), 1n) : BigInt(symbol);
}
