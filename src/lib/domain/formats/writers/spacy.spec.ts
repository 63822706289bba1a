import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { LabelTask } from '../../schemas/project';
import { collect, fixtureSnapshot, text } from '../fixtures';
import { decodeMsgpack } from './msgpack';
import { docTokens, spacyFormat } from './spacy';
import { stringId } from './spacyStrings';
import { tokenize } from './tokenize';

type Bin = {
	version: string;
	attrs: number[];
	tokens: Uint8Array;
	spaces: Uint8Array;
	lengths: Uint8Array;
	strings: string[];
	cats: Record<string, number>[];
	flags: { has_unknown_spaces: boolean }[];
	span_groups: Uint8Array[];
};

/** Unpacks a DocBin into docs of `{text, words, rows}` the way spaCy's `get_docs` would. */
function readBin(bytes: Uint8Array) {
	const bin = decodeMsgpack(new Uint8Array(inflateSync(bytes))) as unknown as Bin;
	const n = bin.attrs.length;
	const tv = new DataView(bin.tokens.buffer, bin.tokens.byteOffset, bin.tokens.byteLength);
	const lv = new DataView(bin.lengths.buffer, bin.lengths.byteOffset, bin.lengths.byteLength);
	const byId = new Map(bin.strings.map((s) => [stringId(s), s]));
	byId.set(0n, '');
	const docs: { text: string; words: string[]; rows: bigint[][]; cats: Record<string, number> }[] =
		[];
	let row = 0;
	for (let d = 0; d < bin.lengths.length / 4; d++) {
		const len = lv.getInt32(d * 4, true);
		const rows: bigint[][] = [];
		const words: string[] = [];
		let docText = '';
		for (let i = 0; i < len; i++, row++) {
			const r = Array.from({ length: n }, (_, j) => tv.getBigUint64((row * n + j) * 8, true));
			rows.push(r);
			const word = byId.get(r[0] as bigint);
			if (word === undefined) throw new Error(`no string for ${r[0]}`);
			words.push(word);
			docText += word + (bin.spaces[row] ? ' ' : '');
		}
		docs.push({ text: docText, words, rows, cats: bin.cats[d] as Record<string, number> });
	}
	expect(row * n * 8).toBe(bin.tokens.length);
	return { bin, docs, byId };
}

/** Entities from IOB/type columns: [startToken, endToken, label]. */
function ents(rows: bigint[][], byId: Map<bigint, string>): [number, number, string][] {
	const out: [number, number, string][] = [];
	rows.forEach((r, i) => {
		if (r[1] === 3n) out.push([i, i + 1, byId.get(r[2] as bigint) as string]);
		else if (r[1] === 1n) (out[out.length - 1] as [number, number, string])[1] = i + 1;
		else expect(r[1]).toBe(2n);
	});
	return out;
}

const ner: LabelTask = {
	id: 'ner',
	name: 'Entities',
	kind: 'named-entities',
	multiLabel: false,
	classes: [
		{ id: 'p', name: 'PERSON', color: '#ff0000', key: null },
		{ id: 'c', name: 'City', color: '#00ff00', key: null }
	],
	threshold: 0.8,
	productionModelVersionId: null
};
const span = (id: string, classId: string, start: number, end: number) => ({
	id,
	classId,
	start,
	end
});

describe('docTokens', () => {
	it('turns whitespace other than one trailing space into tokens', () => {
		const t = '  Hi  there,\nyou ';
		const toks = docTokens(t, tokenize(t));
		expect(toks.map((x) => [t.slice(x.start, x.end), x.space])).toEqual([
			['  ', false],
			['Hi', true],
			[' ', false],
			['there', false],
			[',', false],
			['\n', false],
			['you', true]
		]);
		expect(toks.map((x) => t.slice(x.start, x.end) + (x.space ? ' ' : '')).join('')).toBe(t);
	});
});

describe('spacy writer', () => {
	it('writes a DocBin whose tokens, spaces and entities rebuild the texts', async () => {
		const texts = [
			'Ada Lovelace met  Babbage in London.',
			'Unbelievable Parisians 👍 in Paris ',
			'root X'
		];
		const snapshot = fixtureSnapshot(ner, [
			{
				name: 'a.txt',
				text: texts[0],
				value: {
					type: 'spans',
					spans: [span('1', 'p', 0, 12), span('2', 'p', 18, 25), span('3', 'c', 29, 35)],
					relations: []
				}
			},
			{
				// Entity inside a word ("Paris" in "Parisians"), one with a trailing space, an emoji before it.
				name: 'b.txt',
				text: texts[1],
				value: {
					type: 'spans',
					spans: [span('4', 'c', 13, 18), span('5', 'c', 28, 35), span('6', 'gone', 0, 3)],
					relations: []
				}
			},
			{
				name: 'c.txt',
				text: texts[2],
				value: { type: 'spans', spans: [span('7', 'p', 0, 4), span('8', 'c', 0, 6)], relations: [] }
			}
		]);
		const files = await collect(spacyFormat.write(snapshot));
		expect([...files.keys()]).toEqual(['train.spacy', 'train.json', 'README.md', 'warnings.txt']);
		const { bin, docs, byId } = readBin(files.get('train.spacy') as Uint8Array);
		expect(bin.version).toBe('0.1');
		expect(bin.attrs).toEqual([65, 77, 78]);
		expect(bin.flags).toEqual([
			{ has_unknown_spaces: false },
			{ has_unknown_spaces: false },
			{ has_unknown_spaces: false }
		]);
		expect(bin.span_groups.map((g) => g.length)).toEqual([0, 0, 0]);
		expect(bin.strings).toEqual([...bin.strings].sort());
		expect(docs.map((d) => d.text)).toEqual(texts);
		// Symbols keep spaCy's fixed ids.
		expect(docs[2]?.rows.map((r) => r[0])).toEqual([449n, 101n]);
		expect(docs[0]?.rows[0]?.[2]).toBe(380n);

		const entityTexts = docs.map((d) =>
			ents(d.rows, byId).map(([s, e, l]) => [d.words.slice(s, e).join(' '), l])
		);
		expect(entityTexts[0]).toEqual([
			['Ada Lovelace', 'PERSON'],
			['Babbage', 'PERSON'],
			['London', 'City']
		]);
		expect(entityTexts[1]).toEqual([
			['Paris', 'City'],
			['Paris', 'City']
		]);
		// Overlap: the earliest, then longest, span wins.
		expect(entityTexts[2]).toEqual([['root X', 'City']]);

		const json = JSON.parse(text(files.get('train.json'))) as {
			text: string;
			entities: [number, number, string][];
		}[];
		expect(json[0]?.entities).toEqual([
			[0, 12, 'PERSON'],
			[18, 25, 'PERSON'],
			[29, 35, 'City']
		]);
		// Code-point offsets (the emoji is one character); spaces at the edges are trimmed.
		expect(json[1]?.entities).toEqual([
			[13, 18, 'City'],
			[28, 33, 'City']
		]);
		const warnings = text(files.get('warnings.txt'));
		expect(warnings).toContain('trimmed of whitespace');
		expect(warnings).toContain('overlapping span');
		expect(warnings).toContain('unknown class');
	});

	it('writes text classes as cats, per split', async () => {
		const task: LabelTask = {
			...ner,
			kind: 'text-classification',
			multiLabel: true,
			classes: ner.classes.slice()
		};
		const snapshot = fixtureSnapshot(task, [
			{ name: 'a.txt', text: 'good', value: { type: 'classes', classIds: ['p', 'c'] } },
			{ name: 'b.txt', text: 'bad', value: { type: 'classes', classIds: [] }, split: 'validation' }
		]);
		const files = await collect(spacyFormat.write(snapshot));
		expect([...files.keys()]).toEqual([
			'train.spacy',
			'train.json',
			'validation.spacy',
			'validation.json',
			'README.md'
		]);
		const train = readBin(files.get('train.spacy') as Uint8Array);
		expect(train.bin.attrs).toEqual([65]);
		expect(train.docs[0]?.cats).toEqual({ PERSON: 1, City: 1 });
		const raw = new Uint8Array(inflateSync(files.get('validation.spacy') as Uint8Array));
		// cats are float64 (0xcb), as spaCy writes them.
		expect(Buffer.from(raw).includes(Buffer.from([0xa4, 0x43, 0x69, 0x74, 0x79, 0xcb]))).toBe(true);
		expect(JSON.parse(text(files.get('validation.json')))).toEqual([
			{ text: 'bad', cats: { PERSON: 0, City: 0 } }
		]);
		expect(text(files.get('validation.json'))).toContain('"City": 0.0');
		expect(text(files.get('README.md'))).toContain('textcat_multilabel');
	});

	it('is deterministic', async () => {
		const snapshot = fixtureSnapshot(ner, [
			{
				name: 'a.txt',
				text: 'Zoë in Köln',
				value: { type: 'spans', spans: [span('1', 'c', 7, 11)], relations: [] }
			}
		]);
		const a = await collect(spacyFormat.write(snapshot));
		const b = await collect(spacyFormat.write(snapshot));
		for (const [k, v] of a)
			expect(Buffer.from(v).equals(Buffer.from(b.get(k) as Uint8Array))).toBe(true);
	});
});
