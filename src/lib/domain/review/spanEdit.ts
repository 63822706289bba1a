/**
 * Pure edits of a span annotation (named entities and relations) and the text geometry the
 * span editor draws with: segments covered by overlapping spans, underline lanes and word
 * ranges for keyboard selection. Offsets are UTF-16 indices into the item text, end exclusive.
 *
 * Relations tasks: the task's own classes are the relation types; its span classes come from
 * the project's named-entities task(s), or one implicit "Entity" class (`spanClassesFor`).
 */
import type { AnnotationValue } from '../schemas/annotation';
import type { LabelClass, LabelTask } from '../schemas/project';

type SpansAnnotation = Extract<AnnotationValue, { type: 'spans' }>;
export type Span = SpansAnnotation['spans'][number];
export type Relation = SpansAnnotation['relations'][number];
/** What the editor needs of a spans annotation; extra fields (`type`) are kept by every edit. */
export type SpanValue = { spans: Span[]; relations: Relation[] };
export type TextRange = { start: number; end: number };

/** The span class a relations task uses when the project has no named-entities task. */
export const IMPLICIT_ENTITY_CLASS: LabelClass = {
	id: 'entity',
	name: 'Entity',
	color: '#1f6feb',
	key: null
};

/**
 * The span classes a task's spans use: its own for a named-entities task; for a relations
 * task, the classes of the project's named-entities tasks (first one wins on a shared id), or
 * the implicit "Entity" class when there are none.
 *
 * Example: `spanClassesFor(project.tasks, relationsTask)` → `[{ id: 'per', … }, …]`
 */
export function spanClassesFor(tasks: readonly LabelTask[], task: LabelTask): LabelClass[] {
	if (task.kind === 'named-entities') return task.classes;
	if (task.kind !== 'relations') return [];
	const seen = new Set<string>();
	const out: LabelClass[] = [];
	for (const t of tasks) {
		if (t.kind !== 'named-entities') continue;
		for (const c of t.classes) {
			if (seen.has(c.id)) continue;
			seen.add(c.id);
			out.push(c);
		}
	}
	return out.length > 0 ? out : [IMPLICIT_ENTITY_CLASS];
}

/** The relation types of a task: a relations task's own classes, none otherwise. */
export function relationClassesFor(task: LabelTask): LabelClass[] {
	return task.kind === 'relations' ? task.classes : [];
}

function byPosition(a: Span, b: Span): number {
	return a.start - b.start || a.end - b.end;
}

function freshSpanId(spans: readonly Span[]): string {
	const ids = new Set(spans.map((s) => s.id));
	let n = 1;
	for (const id of ids) {
		const m = /^s(\d+)$/.exec(id);
		if (m) n = Math.max(n, Number(m[1]) + 1);
	}
	while (ids.has(`s${n}`)) n++;
	return `s${n}`;
}

/** `[start, end)` clamped to the text, ordered, and without surrounding whitespace. */
export function trimRange(text: string, start: number, end: number): TextRange {
	let a = Math.max(0, Math.min(text.length, Math.min(start, end)));
	let b = Math.max(0, Math.min(text.length, Math.max(start, end)));
	while (a < b && /\s/.test(text[a] ?? '')) a++;
	while (b > a && /\s/.test(text[b - 1] ?? '')) b--;
	return { start: a, end: b };
}

/**
 * Adds a span of `classId` over `[start, end)` after trimming whitespace. Null when the range
 * is empty; an identical range and class already there is returned, not duplicated.
 *
 * Example: `addSpan({ spans: [], relations: [] }, 'Hi Alice ', 2, 9, 'per')`
 * → `{ value: { spans: [{ id: 's1', classId: 'per', start: 3, end: 8 }], … }, id: 's1', added: true }`
 */
export function addSpan<V extends SpanValue>(
	value: V,
	text: string,
	start: number,
	end: number,
	classId: string
): { value: V; id: string; added: boolean } | null {
	const r = trimRange(text, start, end);
	if (r.start >= r.end) return null;
	const same = value.spans.find(
		(s) => s.start === r.start && s.end === r.end && s.classId === classId
	);
	if (same) return { value, id: same.id, added: false };
	const id = freshSpanId(value.spans);
	const spans = [...value.spans, { id, classId, start: r.start, end: r.end }].sort(byPosition);
	return { value: { ...value, spans }, id, added: true };
}

/** Removes a span and every relation that uses it. */
export function removeSpan<V extends SpanValue>(value: V, spanId: string): V {
	if (!value.spans.some((s) => s.id === spanId)) return value;
	return {
		...value,
		spans: value.spans.filter((s) => s.id !== spanId),
		relations: value.relations.filter((r) => r.head !== spanId && r.tail !== spanId)
	};
}

/**
 * Changes a span's class. When a span of that class already covers the same range the two
 * merge: this one goes and its relations move to the other (duplicates dropped).
 */
export function setSpanClass<V extends SpanValue>(value: V, spanId: string, classId: string): V {
	const span = value.spans.find((s) => s.id === spanId);
	if (!span || span.classId === classId) return value;
	const twin = value.spans.find(
		(s) => s.id !== spanId && s.start === span.start && s.end === span.end && s.classId === classId
	);
	if (!twin) {
		return {
			...value,
			spans: value.spans.map((s) => (s.id === spanId ? { ...s, classId } : s))
		};
	}
	const relations: Relation[] = [];
	for (const r of value.relations) {
		const moved = {
			...r,
			head: r.head === spanId ? twin.id : r.head,
			tail: r.tail === spanId ? twin.id : r.tail
		};
		if (moved.head === moved.tail) continue;
		if (relations.some((x) => sameRelation(x, moved))) continue;
		relations.push(moved);
	}
	return { ...value, spans: value.spans.filter((s) => s.id !== spanId), relations };
}

export function sameRelation(a: Relation, b: Relation): boolean {
	return a.head === b.head && a.tail === b.tail && a.classId === b.classId;
}

/**
 * Adds a directed relation `head → tail` of type `classId`. Unchanged (the same object) for a
 * self-relation, an unknown span or a duplicate.
 */
export function addRelation<V extends SpanValue>(
	value: V,
	head: string,
	tail: string,
	classId: string
): V {
	if (head === tail) return value;
	const ids = new Set(value.spans.map((s) => s.id));
	if (!ids.has(head) || !ids.has(tail)) return value;
	const relation = { head, tail, classId };
	if (value.relations.some((r) => sameRelation(r, relation))) return value;
	return { ...value, relations: [...value.relations, relation] };
}

export function removeRelation<V extends SpanValue>(value: V, relation: Relation): V {
	if (!value.relations.some((r) => sameRelation(r, relation))) return value;
	return { ...value, relations: value.relations.filter((r) => !sameRelation(r, relation)) };
}

export type TextSegment = TextRange & {
	text: string;
	/** Spans covering this piece, outermost (then earliest) first. */
	spanIds: string[];
};

/**
 * Splits the text at every span edge (and at `cuts`, e.g. a cursor's edges) into pieces, each
 * listing the spans that cover it; overlapping and nested spans both work. Spans outside the
 * text are clamped; empty ones ignored. The pieces' texts join back into `text`.
 *
 * Example: `segments('New York', [{ id: 'a', start: 0, end: 8, … }, { id: 'b', start: 4, end: 8, … }])`
 * → `New ` [a], `York` [a, b]
 */
export function segments(
	text: string,
	spans: readonly Span[],
	cuts: readonly number[] = []
): TextSegment[] {
	const clamp = (n: number) => Math.max(0, Math.min(text.length, n));
	const live = spans
		.map((s) => ({ id: s.id, start: clamp(s.start), end: clamp(s.end) }))
		.filter((s) => s.start < s.end)
		.sort((a, b) => a.start - b.start || b.end - a.end);
	const edges = new Set<number>([0, text.length]);
	for (const s of live) edges.add(s.start).add(s.end);
	for (const c of cuts) edges.add(clamp(c));
	const points = [...edges].sort((a, b) => a - b);
	const out: TextSegment[] = [];
	for (let i = 0; i + 1 < points.length; i++) {
		const start = points[i] as number;
		const end = points[i + 1] as number;
		if (start >= end) continue;
		const spanIds = live.filter((s) => s.start <= start && s.end >= end).map((s) => s.id);
		out.push({ start, end, text: text.slice(start, end), spanIds });
	}
	return out;
}

/**
 * A lane per span so that overlapping spans never share one (outer spans get the lower lane):
 * the editor stacks one underline per lane.
 */
export function spanLanes(spans: readonly Span[]): Map<string, number> {
	const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
	const laneEnds: number[] = [];
	const lanes = new Map<string, number>();
	for (const s of sorted) {
		let lane = laneEnds.findIndex((end) => end <= s.start);
		if (lane < 0) lane = laneEnds.length;
		laneEnds[lane] = s.end;
		lanes.set(s.id, lane);
	}
	return lanes;
}

const WORD = /[\p{L}\p{N}\p{M}_]+(?:['’][\p{L}\p{N}\p{M}_]+)*|[^\s\p{L}\p{N}\p{M}_]/gu;

/** The words of a text: runs of letters and digits (with inner apostrophes); each other symbol alone. */
export function words(text: string): TextRange[] {
	return [...text.matchAll(WORD)].map((m) => ({
		start: m.index,
		end: m.index + m[0].length
	}));
}

/**
 * The word at `offset`; in whitespace, the next word (the last one at the end). Null when the
 * text has no words.
 *
 * Example: `wordRangeAt('Hi Alice.', 4)` → `{ start: 3, end: 8 }`
 */
export function wordRangeAt(text: string, offset: number): TextRange | null {
	const all = words(text);
	return all.find((w) => offset < w.end) ?? all.at(-1) ?? null;
}

/**
 * The word after (`'right'`) or before (`'left'`) the range; the range's own edge word when
 * there is none further. Null when the text has no words.
 */
export function adjacentWord(
	text: string,
	range: TextRange,
	direction: 'left' | 'right'
): TextRange | null {
	const all = words(text);
	if (direction === 'right') return all.find((w) => w.start >= range.end) ?? all.at(-1) ?? null;
	return all.findLast((w) => w.end <= range.start) ?? all[0] ?? null;
}

/**
 * Grows a range by one word to the right (its end) or left (its start).
 *
 * Example: `extendByWord('Ada Lovelace wrote', 0, 3, 'right')` → `{ start: 0, end: 12 }`
 */
export function extendByWord(
	text: string,
	start: number,
	end: number,
	direction: 'left' | 'right'
): TextRange {
	const next = adjacentWord(text, { start, end }, direction);
	if (!next) return { start, end };
	return { start: Math.min(start, next.start), end: Math.max(end, next.end) };
}
