import { textEntry } from '../paths';
import { metadataFields } from './metadata';
import type { DatasetSnapshot, ExportEntry, ExportFormat } from '../snapshot';
import { resolveOverlaps, uniqueNames } from './bioTags';
import { encodeMsgpack, Float64, type MsgValue } from './msgpack';
import { ATTR, IOB, stringId } from './spacyStrings';
import {
	classIndices,
	cleanSpans,
	codePointIndex,
	recordsBySplit,
	spanClasses,
	Warnings,
	plural
} from './textShared';
import { tokenize, tokensForSpans, type Token } from './tokenize';
import { zlibStored } from './zlib';

/**
 * spaCy 3 training data: per split a `<split>.spacy` DocBin (what `spacy train` reads) and a
 * `<split>.json` list for other tools (`{text, entities: [[start, end, label]]}` for entities,
 * `{text, cats: {label: 1.0|0.0}}` for text classes; offsets in code points, Python's).
 *
 * DocBin bytes are `zlib(msgpack({version, attrs, tokens, spaces, lengths, strings, cats,
 * flags, span_groups}))` as `spacy/tokens/_serialize.py` writes them: `tokens` is a uint64
 * array (one row per token, one column per attribute: ORTH, then ENT_IOB and ENT_TYPE for
 * entities) holding spaCy string ids (`spacyStrings.ts`).
 *
 * spaCy's Doc is words plus "followed by one space" flags, so whitespace that isn't one plain
 * space after a word becomes a whitespace token, and `doc.text` is the item's text exactly.
 * Tokens are cut at entity edges; an entity's edges are moved in past whitespace (spaCy
 * rejects entities that start or end with it), and overlapping entities keep the earliest.
 */

type Entity = { start: number; end: number; label: string };
type DocToken = { start: number; end: number; space: boolean };

/** Words and whitespace tokens covering `text` exactly, with spaCy's trailing-space flags. */
export function docTokens(text: string, words: readonly Token[]): DocToken[] {
	const out: DocToken[] = [];
	const first = words[0];
	const lead = first ? first.start : text.length;
	if (lead > 0) out.push({ start: 0, end: lead, space: false });
	words.forEach((w, i) => {
		const token: DocToken = { start: w.start, end: w.end, space: false };
		out.push(token);
		const gapEnd = words[i + 1]?.start ?? text.length;
		if (gapEnd <= w.end) return;
		let from = w.end;
		if (text[from] === ' ') {
			token.space = true;
			from++;
		}
		if (from < gapEnd) out.push({ start: from, end: gapEnd, space: false });
	});
	return out;
}

/** Python's `sorted()` order for strings: by code point (JS sorts UTF-16 units). */
function byCodePoint(a: string, b: string): number {
	const x = [...a];
	const y = [...b];
	for (let i = 0; i < Math.min(x.length, y.length); i++) {
		const d = (x[i] as string).codePointAt(0)! - (y[i] as string).codePointAt(0)!;
		if (d !== 0) return d;
	}
	return x.length - y.length;
}

/** Collects docs for one `DocBin`: token rows as little-endian uint64, like numpy's. */
export class DocBinBuilder {
	private tokens = new Uint8Array(1024);
	private tokenView = new DataView(this.tokens.buffer);
	private tokenBytes = 0;
	private spaces: number[] = [];
	private readonly lengths: number[] = [];
	private readonly strings = new Set<string>();
	private readonly cats: Map<string, MsgValue>[] = [];
	private readonly ids = new Map<string, bigint>();

	constructor(private readonly attrs: readonly number[]) {}

	get size(): number {
		return this.lengths.length;
	}

	private id(s: string): bigint {
		let v = this.ids.get(s);
		if (v === undefined) {
			v = stringId(s);
			this.ids.set(s, v);
		}
		if (s !== '') this.strings.add(s);
		return v;
	}

	private push(value: bigint): void {
		if (this.tokenBytes + 8 > this.tokens.length) {
			const next = new Uint8Array(this.tokens.length * 2);
			next.set(this.tokens);
			this.tokens = next;
			this.tokenView = new DataView(next.buffer);
		}
		this.tokenView.setBigUint64(this.tokenBytes, value, true);
		this.tokenBytes += 8;
	}

	/**
	 * Adds one doc. `entities` must be sorted, non-overlapping and on token edges; `cats` maps
	 * each label to 1 or 0.
	 */
	add(
		text: string,
		tokens: readonly DocToken[],
		entities: readonly Entity[],
		cats: ReadonlyMap<string, number>
	): void {
		let e = 0;
		for (const t of tokens) {
			while (e < entities.length && (entities[e] as Entity).end <= t.start) e++;
			const ent = entities[e];
			const inside = ent !== undefined && t.start >= ent.start && t.end <= ent.end;
			for (const attr of this.attrs) {
				if (attr === ATTR.ORTH) this.push(this.id(text.slice(t.start, t.end)));
				else if (attr === ATTR.ENT_IOB)
					this.push(BigInt(inside ? (t.start === ent.start ? IOB.B : IOB.I) : IOB.O));
				else if (attr === ATTR.ENT_TYPE) this.push(inside ? this.id(ent.label) : 0n);
				else this.push(0n);
			}
			this.spaces.push(t.space ? 1 : 0);
		}
		this.lengths.push(tokens.length);
		this.cats.push(new Map([...cats].map(([k, v]) => [k, new Float64(v)])));
	}

	/** The `.spacy` file bytes. */
	toBytes(): Uint8Array {
		const lengths = new Uint8Array(this.lengths.length * 4);
		const lv = new DataView(lengths.buffer);
		this.lengths.forEach((n, i) => lv.setInt32(i * 4, n, true));
		const msg = new Map<string, MsgValue>([
			['version', '0.1'],
			['attrs', [...this.attrs]],
			['tokens', this.tokens.subarray(0, this.tokenBytes)],
			['spaces', Uint8Array.from(this.spaces)],
			['lengths', lengths],
			['strings', [...this.strings].sort(byCodePoint)],
			['cats', this.cats],
			['flags', this.lengths.map(() => ({ has_unknown_spaces: false }))],
			['span_groups', this.lengths.map(() => new Uint8Array())]
		]);
		return zlibStored(encodeMsgpack(msg));
	}
}

function readme(snapshot: DatasetSnapshot, splits: string[], labels: string[]): string {
	const ner = snapshot.task.kind === 'named-entities';
	const pipe = ner ? 'ner' : snapshot.task.multiLabel ? 'textcat_multilabel' : 'textcat';
	const first = splits[0] ?? 'train';
	return [
		`# ${snapshot.projectName} — ${snapshot.task.name} (spaCy)`,
		'',
		`spaCy 3 training data for the \`${pipe}\` component. Labels: ${labels.map((l) => `\`${l}\``).join(', ') || '(none)'}.`,
		'',
		...(splits.length > 0
			? splits.flatMap((s) => [
					`- \`${s}.spacy\`: a DocBin`,
					`- \`${s}.json\`: the same examples as JSON`
				])
			: ['- (no records)']),
		'',
		'Train:',
		'',
		'```sh',
		`python -m spacy init config config.cfg --lang en --pipeline ${pipe}`,
		`python -m spacy train config.cfg --paths.train ${first}.spacy --paths.dev ${splits.includes('validation') ? 'validation' : first}.spacy`,
		'```',
		'',
		'Read in Python:',
		'',
		'```python',
		'import spacy',
		'from spacy.tokens import DocBin',
		'',
		"nlp = spacy.blank('en')",
		`docs = list(DocBin().from_disk('${first}.spacy').get_docs(nlp.vocab))`,
		ner ? 'print([(e.text, e.label_) for e in docs[0].ents])' : 'print(docs[0].cats)',
		'```',
		'',
		ner
			? 'Each `.json` file is a list of `{"text": ..., "entities": [[start, end, label], ...]}`, offsets in characters (Python string indices), end exclusive: `nlp.make_doc(text).char_span(start, end, label)` rebuilds them.'
			: 'Each `.json` file is a list of `{"text": ..., "cats": {label: 1.0 or 0.0, ...}}` with every label in every example.',
		'(spaCy 2\'s "JSON training format" is retired in spaCy 3; use the `.spacy` files to train.)',
		'',
		"Tokens: words and punctuation split as ModelShip's CoNLL export splits them, and cut at entity",
		'edges; whitespace other than one space after a word is a token of its own, so `doc.text` is the',
		'original text. Entity edges that lay on whitespace are moved onto the nearest word; where',
		'entities overlapped, the earliest (then the longest) is kept. `warnings.txt` lists what changed.',
		''
	].join('\n');
}

async function* writeSpacy(snapshot: DatasetSnapshot): AsyncGenerator<ExportEntry> {
	const { task, options } = snapshot;
	const ner = task.kind === 'named-entities';
	const classes = spanClasses(snapshot);
	const labels = uniqueNames((ner ? classes.entities : task.classes).map((c) => c.name));
	const warnings = new Warnings();
	const splits: string[] = [];
	for (const { split, records } of recordsBySplit(snapshot.records)) {
		const bin = new DocBinBuilder(ner ? [ATTR.ORTH, ATTR.ENT_IOB, ATTR.ENT_TYPE] : [ATTR.ORTH]);
		const rows: string[] = [];
		for (const record of records) {
			const text = record.item.text ?? '';
			const meta = metadataFields(record, options);
			const extra = Object.keys(meta).length > 0 ? { meta } : {};
			if (ner) {
				const clean = cleanSpans(record, classes, warnings);
				const { kept, dropped } = resolveOverlaps(clean.spans);
				if (dropped > 0) warnings.add(record, `${plural(dropped, 'overlapping span')} left out`);
				const words = tokensForSpans(text, kept);
				const entities: Entity[] = [];
				let w = 0;
				for (const s of kept) {
					while (w < words.length && (words[w] as Token).start < s.start) w++;
					let end = w;
					while (end < words.length && (words[end] as Token).end <= s.end) end++;
					if (end === w) {
						warnings.add(record, `span ${s.start}–${s.end} holds only whitespace; left out`);
						continue;
					}
					const start = (words[w] as Token).start;
					const stop = (words[end - 1] as Token).end;
					if (start !== s.start || stop !== s.end)
						warnings.add(
							record,
							`span ${s.start}–${s.end} trimmed of whitespace to ${start}–${stop}`
						);
					entities.push({ start, end: stop, label: labels[s.classIndex] as string });
					w = end;
				}
				bin.add(text, docTokens(text, words), entities, new Map());
				const cp = codePointIndex(text);
				rows.push(
					JSON.stringify({
						text,
						entities: entities.map((e) => [cp(e.start), cp(e.end), e.label]),
						...extra
					})
				);
			} else {
				const chosen = new Set(classIndices(record, task.classes, task.multiLabel));
				const cats = new Map(labels.map((l, i) => [l, chosen.has(i) ? 1 : 0]));
				bin.add(text, docTokens(text, tokenize(text)), [], cats);
				const json = labels.map((l, i) => `${JSON.stringify(l)}: ${chosen.has(i) ? '1.0' : '0.0'}`);
				rows.push(
					`{"text": ${JSON.stringify(text)}, "cats": {${json.join(', ')}}${Object.keys(extra).length > 0 ? `, "meta": ${JSON.stringify(meta)}` : ''}}`
				);
			}
		}
		splits.push(split);
		yield { path: `${split}.spacy`, bytes: bin.toBytes(), compress: true };
		yield textEntry(`${split}.json`, `[\n${rows.join(',\n')}\n]\n`);
	}
	yield textEntry('README.md', readme(snapshot, splits, labels));
	const warned = warnings.text();
	if (warned !== null) yield textEntry('warnings.txt', warned);
}

export const spacyFormat: ExportFormat = {
	id: 'spacy',
	name: 'spaCy DocBin',
	description:
		'spaCy 3 .spacy DocBin files per split (entities or text classes), with JSON copies.',
	consumers: 'spaCy 3 (spacy train, DocBin)',
	itemKind: 'text',
	taskKinds: ['named-entities', 'text-classification'],
	multiLabel: true,
	write: writeSpacy
};
