import type { LabelClass } from '../../schemas/project';
import {
	EXPORT_SPLITS,
	type DatasetSnapshot,
	type ExportRecord,
	type ExportSplit
} from '../snapshot';

/**
 * What the text writers share: which classes a span or relation refers to, clean span lists,
 * split files built in linear time, and the export's warnings.
 *
 * Offsets in every text export are Unicode code points (Python's `str` indices), which is
 * what spaCy, doccano, brat and Hugging Face tools slice with. ModelShip stores UTF-16 code
 * units; the two differ only after an astral character (most emoji), and `codePointIndex`
 * converts.
 */

/** Classes of the export's spans (entity types) and of its relations (relation types). */
export type SpanClasses = {
	entities: readonly LabelClass[];
	relations: readonly LabelClass[];
	entityIndex: ReadonlyMap<string, number>;
	relationIndex: ReadonlyMap<string, number>;
};

/**
 * A named-entities task's own classes are the entity types. A relations task's classes are
 * relation types; its spans use the classes of the project's named-entities tasks, in task
 * order (a class id shared by two tasks counts once).
 */
export function spanClasses(snapshot: Pick<DatasetSnapshot, 'task' | 'tasks'>): SpanClasses {
	const { task } = snapshot;
	let entities: LabelClass[];
	let relations: LabelClass[] = [];
	if (task.kind === 'relations') {
		relations = task.classes.slice();
		const seen = new Set<string>();
		entities = [];
		for (const t of snapshot.tasks) {
			if (t.kind !== 'named-entities') continue;
			for (const c of t.classes) {
				if (seen.has(c.id)) continue;
				seen.add(c.id);
				entities.push(c);
			}
		}
	} else {
		entities = task.classes.slice();
	}
	return {
		entities,
		relations,
		entityIndex: new Map(entities.map((c, i) => [c.id, i])),
		relationIndex: new Map(relations.map((c, i) => [c.id, i]))
	};
}

export type CleanSpan = { id: string; start: number; end: number; classIndex: number };
export type CleanRelation = { head: string; tail: string; classIndex: number };
export type CleanSpans = {
	spans: CleanSpan[];
	relations: CleanRelation[];
	/** Spans left out: unknown class, empty, or outside the text. */
	droppedSpans: number;
	/** Relations left out: unknown type or an endpoint that isn't an exported span. */
	droppedRelations: number;
};

/**
 * The record's spans with a known class and valid offsets, sorted by start, then longest
 * first, then id; and the relations between them. Overlaps are kept (formats that can't hold
 * them resolve them with `resolveOverlaps`). With `warnings`, what was left out is noted
 * against the record.
 */
export function cleanSpans(
	record: ExportRecord,
	classes: SpanClasses,
	warnings?: Warnings
): CleanSpans {
	const clean = keptSpans(record, classes);
	if (warnings && clean.droppedSpans > 0)
		warnings.add(
			record,
			`${plural(clean.droppedSpans, 'span')} with an unknown class or bad offsets left out`
		);
	if (warnings && clean.droppedRelations > 0)
		warnings.add(
			record,
			`${plural(clean.droppedRelations, 'relation')} with an unknown type or endpoint left out`
		);
	return clean;
}

function keptSpans(record: ExportRecord, classes: SpanClasses): CleanSpans {
	const value = record.label.value;
	const length = (record.item.text ?? '').length;
	if (value.type !== 'spans')
		return { spans: [], relations: [], droppedSpans: 0, droppedRelations: 0 };
	const spans: CleanSpan[] = [];
	for (const s of value.spans) {
		const classIndex = classes.entityIndex.get(s.classId);
		if (classIndex === undefined || s.start >= s.end || s.start < 0 || s.end > length) continue;
		spans.push({ id: s.id, start: s.start, end: s.end, classIndex });
	}
	spans.sort(
		(a, b) => a.start - b.start || b.end - a.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
	);
	const ids = new Set(spans.map((s) => s.id));
	const relations: CleanRelation[] = [];
	for (const r of value.relations) {
		const classIndex = classes.relationIndex.get(r.classId);
		if (classIndex === undefined || !ids.has(r.head) || !ids.has(r.tail)) continue;
		relations.push({ head: r.head, tail: r.tail, classIndex });
	}
	return {
		spans,
		relations,
		droppedSpans: value.spans.length - spans.length,
		droppedRelations: value.relations.length - relations.length
	};
}

/**
 * The class indices of a classification label, in the task's class order, unknown ids left
 * out. Single-label tasks keep the first.
 */
export function classIndices(
	record: ExportRecord,
	classes: readonly LabelClass[],
	multiLabel: boolean
): number[] {
	const value = record.label.value;
	if (value.type !== 'classes') return [];
	const known: number[] = [];
	for (const id of value.classIds) {
		const i = classes.findIndex((c) => c.id === id);
		if (i >= 0 && !known.includes(i)) known.push(i);
	}
	if (!multiLabel) return known.slice(0, 1);
	return known.sort((a, b) => a - b);
}

const LINE_BREAK = /[\n\r\u0085\u2028\u2029]+/g;

/**
 * The pieces of `[start, end)` between line breaks, empty ones left out: how a span is written
 * where lines matter (brat fragments, CoNLL sentences).
 *
 * Example: `fragments('New\nYork', 0, 8)` → `[[0, 3], [4, 8]]`.
 */
export function fragments(text: string, start: number, end: number): [number, number][] {
	const out: [number, number][] = [];
	let from = start;
	const piece = text.slice(start, end);
	LINE_BREAK.lastIndex = 0;
	for (let m = LINE_BREAK.exec(piece); m !== null; m = LINE_BREAK.exec(piece)) {
		const at = start + m.index;
		if (at > from) out.push([from, at]);
		from = at + m[0].length;
	}
	if (end > from) out.push([from, end]);
	return out;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * A function from UTF-16 offsets in `text` to code-point offsets (identity for texts without
 * astral characters, the common case, at no cost).
 *
 * Example: in `'👍 ok'`, UTF-16 offset 3 (`ok`) is code point 2.
 */
export function codePointIndex(text: string): (utf16: number) => number {
	if (!SURROGATE.test(text)) return (i) => i;
	const map = new Uint32Array(text.length + 1);
	let cp = 0;
	for (let i = 0; i < text.length; i++) {
		map[i] = cp;
		const c = text.charCodeAt(i);
		const next = text.charCodeAt(i + 1);
		// A high surrogate followed by a low one is one code point: both halves map to it.
		if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
			map[i + 1] = cp;
			i++;
		}
		cp++;
	}
	map[text.length] = cp;
	return (i) => map[i] as number;
}

/** The records of each non-empty split, in split order then ascending item id. */
export function recordsBySplit(
	records: readonly ExportRecord[]
): { split: ExportSplit; records: ExportRecord[] }[] {
	const groups = new Map<ExportSplit, ExportRecord[]>(EXPORT_SPLITS.map((s) => [s, []]));
	for (const r of records) groups.get(r.split)?.push(r);
	const out: { split: ExportSplit; records: ExportRecord[] }[] = [];
	for (const split of EXPORT_SPLITS) {
		const rs = (groups.get(split) as ExportRecord[]).slice().sort((a, b) => a.item.id - b.item.id);
		if (rs.length > 0) out.push({ split, records: rs });
	}
	return out;
}

/** A file part's largest size, in UTF-16 code units, before the next part starts. */
export const PART_LIMIT = 64 * 1024 * 1024;

/**
 * Builds one split's file from pieces in linear time (an array joined once per part, never
 * `+=` on a growing string). Past `limit` the file is cut into parts at piece boundaries;
 * `header` starts every part (a CSV header, for one).
 */
export class PartBuilder {
	private pieces: string[] = [];
	private size = 0;
	private readonly parts: string[] = [];

	constructor(
		private readonly header = '',
		private readonly limit = PART_LIMIT
	) {}

	add(piece: string): void {
		if (this.size > 0 && this.size + piece.length > this.limit) this.cut();
		if (this.size === 0 && this.header) {
			this.pieces.push(this.header);
			this.size += this.header.length;
		}
		this.pieces.push(piece);
		this.size += piece.length;
	}

	private cut(): void {
		this.parts.push(this.pieces.join(''));
		this.pieces = [];
		this.size = 0;
	}

	/** The parts' texts; one part (maybe just the header) when nothing was cut. */
	finish(): string[] {
		if (this.size > 0 || this.parts.length === 0) {
			if (this.size === 0 && this.header) this.pieces.push(this.header);
			this.cut();
		}
		return this.parts.splice(0);
	}
}

/**
 * The path of part `index` of `count`: `train.jsonl` alone, else `train-00000-of-00002.jsonl`
 * (the Hugging Face Hub's shard naming).
 */
export function partPath(stem: string, ext: string, index: number, count: number): string {
	if (count === 1) return `${stem}.${ext}`;
	const pad = (n: number) => String(n).padStart(5, '0');
	return `${stem}-${pad(index)}-of-${pad(count)}.${ext}`;
}

/**
 * What an export left out and why, one line per item, written to `warnings.txt` when not
 * empty (the file is absent from a clean export).
 */
export class Warnings {
	private readonly lines: string[] = [];

	add(record: ExportRecord, message: string): void {
		this.lines.push(`item ${record.item.id} (${record.item.name}): ${message}`);
	}

	get count(): number {
		return this.lines.length;
	}

	text(): string | null {
		return this.lines.length === 0 ? null : this.lines.join('\n') + '\n';
	}
}

/** `n thing` / `n things`. */
import { plural } from '../../plural';

export { plural };

/** A JSON string that is also a valid YAML double-quoted scalar. */
export const yamlString = (s: string): string => JSON.stringify(s);
