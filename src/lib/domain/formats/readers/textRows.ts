import { z } from 'zod';
import type { ImportedLabel } from './dataset';
import { keyOf, NameList } from './common';

/**
 * One labelled text from a JSON or JSONL row, in any of the shapes other tools write:
 * spaCy (`entities`/`ents`/`spans` as `[start, end, label]` or `{start, end, label}`,
 * `cats`), doccano (`label: [[s, e, l]]`, `entities: [{id, start_offset, end_offset, label}]`
 * with `relations: [{from_id, to_id, type}]`, `label: ["pos"]`), and our text-jsonl and
 * relations-json (`spans`/`entities` with ids, `relations: [{head, tail, label|type}]`).
 * Offsets in these files are code points (Python string indices); they become UTF-16
 * offsets, which is what the app stores.
 */

const Id = z.union([z.string(), z.number()]).transform(String);
const Offset = z.number().int().nonnegative();
const Triple = z.tuple([Offset, Offset, z.string()], z.unknown());
const SpanObject = z.object({
	id: Id.optional(),
	start: Offset.optional(),
	end: Offset.optional(),
	start_offset: Offset.optional(),
	end_offset: Offset.optional(),
	label: z.string().optional(),
	type: z.string().optional()
});
const SpanLike = z.union([Triple, SpanObject]);
const Relation = z.object({
	head: Id.optional(),
	tail: Id.optional(),
	from_id: Id.optional(),
	to_id: Id.optional(),
	label: z.string().optional(),
	type: z.string().optional()
});
const LabelField = z.union([z.string(), z.array(z.union([z.string(), Triple]))]).nullish();

export const TextRow = z.object({
	text: z.string().optional(),
	data: z.string().optional(),
	spans: z.union([z.array(SpanLike), z.record(z.string(), z.array(SpanLike))]).optional(),
	entities: z.array(SpanLike).optional(),
	ents: z.array(SpanLike).optional(),
	label: LabelField,
	labels: LabelField,
	cats: z.record(z.string(), z.number()).optional(),
	relations: z.array(Relation).optional()
});
export type TextRow = z.infer<typeof TextRow>;

/** A text row made uniform; `problems` are per-row warnings (already prefixed by `where`). */
export type NormalRow = {
	text: string;
	label: ImportedLabel | null;
	/** Classification rows: whether the row used the multi-label `labels` key. */
	listed: boolean;
	problems: string[];
};

/** Maps code-point offsets of `text` to UTF-16 offsets (identity when all BMP). */
export function utf16Offsets(text: string): { length: number; at(cp: number): number } {
	if (!/[\ud800-\udfff]/.test(text)) return { length: text.length, at: (cp) => cp };
	const starts: number[] = [];
	for (let i = 0; i < text.length; i++) {
		starts.push(i);
		const c = text.charCodeAt(i);
		if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) i++;
	}
	starts.push(text.length);
	return { length: starts.length - 1, at: (cp) => starts[cp] as number };
}

/**
 * Checks a row against TextRow and normalises it; throws nothing. `where` prefixes messages
 * (`train.jsonl: line 4`); a row that cannot be used at all comes back as null with a reason.
 */
export function normaliseTextRow(
	value: unknown,
	where: string,
	classes: NameList,
	relationTypes: NameList
): { row: NormalRow } | { error: string } {
	// spaCy v2 training tuples: ["text", {"entities": [...]}].
	if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string') {
		value = { text: value[0], ...(typeof value[1] === 'object' ? value[1] : {}) };
	}
	const parsed = TextRow.safeParse(value);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		return {
			error: `${where}: ${keyOf(issue?.path ?? []) || 'row'}: ${issue?.message ?? 'invalid'}`
		};
	}
	const row = parsed.data;
	const text = row.text ?? row.data;
	if (text === undefined) return { error: `${where}: text is missing` };
	const problems: string[] = [];
	const offsets = utf16Offsets(text);

	const labelTriples = [row.label, row.labels].find(
		(l) => Array.isArray(l) && l.length > 0 && l.every((x) => Array.isArray(x))
	) as [number, number, string][] | undefined;
	const spanSource: { key: string; list: z.infer<typeof SpanLike>[] } | null = row.spans
		? { key: 'spans', list: Array.isArray(row.spans) ? row.spans : Object.values(row.spans).flat() }
		: row.entities
			? { key: 'entities', list: row.entities }
			: row.ents
				? { key: 'ents', list: row.ents }
				: labelTriples
					? { key: row.label === labelTriples ? 'label' : 'labels', list: labelTriples }
					: null;

	if (spanSource) {
		const spans: { id: string; name: string; start: number; end: number }[] = [];
		const ids = new Set<string>();
		spanSource.list.forEach((s, i) => {
			const at = `${where}: ${spanSource.key}[${i}]`;
			const [start, end, name, id] = Array.isArray(s)
				? [s[0], s[1], s[2], undefined]
				: [s.start ?? s.start_offset, s.end ?? s.end_offset, s.label ?? s.type, s.id];
			if (start === undefined || end === undefined || name === undefined || name === '') {
				problems.push(`${at}: start, end or label is missing`);
				return;
			}
			if (!(start < end && end <= offsets.length)) {
				problems.push(
					`${at}: offsets ${start}–${end} are outside the text (${offsets.length} characters)`
				);
				return;
			}
			let spanId = id ?? `T${i + 1}`;
			if (ids.has(spanId)) spanId = `${spanId}_${i + 1}`;
			ids.add(spanId);
			spans.push({
				id: spanId,
				name: classes.add(name),
				start: offsets.at(start),
				end: offsets.at(end)
			});
		});
		const relations: { head: string; tail: string; name: string }[] = [];
		(row.relations ?? []).forEach((r, i) => {
			const head = r.head ?? r.from_id;
			const tail = r.tail ?? r.to_id;
			const name = r.label ?? r.type;
			if (head === undefined || tail === undefined || !name) {
				problems.push(`${where}: relations[${i}]: head, tail or type is missing`);
			} else if (!ids.has(head) || !ids.has(tail)) {
				problems.push(`${where}: relations[${i}]: points at an entity id that does not exist`);
			} else relations.push({ head, tail, name: relationTypes.add(name) });
		});
		return { row: { text, label: { type: 'spans', spans, relations }, listed: false, problems } };
	}

	if (row.cats) {
		const names = Object.entries(row.cats)
			.filter(([, v]) => v >= 0.5)
			.map(([k]) => k);
		for (const k of Object.keys(row.cats)) classes.add(k);
		return { row: { text, label: { type: 'classes', names }, listed: false, problems } };
	}
	const field = row.labels ?? row.label;
	if (field === undefined || field === null)
		return { row: { text, label: null, listed: false, problems } };
	const names = (typeof field === 'string' ? [field] : field).filter(
		(x): x is string => typeof x === 'string' && x.trim() !== ''
	);
	for (const n of names) classes.add(n);
	return {
		row: {
			text,
			label: { type: 'classes', names },
			listed: row.labels !== undefined && row.labels !== null,
			problems
		}
	};
}
