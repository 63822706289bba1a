/** Names and styles for SpanEditor.svelte: what a span or relation is called, how it is drawn. */
import type { Relation, Span } from '$lib/domain/review/spanEdit';
import type { LabelClass } from '$lib/domain/schemas';

export const UNKNOWN_COLOR = '#667085';
/** Vertical room per underline lane, in px. */
export const LANE_PX = 4;

export type ClassLook = { name: string; color: string };

export function classLook(classes: readonly LabelClass[], id: string): ClassLook {
	const c = classes.find((x) => x.id === id);
	return c ? { name: c.name, color: c.color } : { name: id, color: UNKNOWN_COLOR };
}

function quote(text: string, max = 40): string {
	const t = text.replace(/\s+/g, ' ');
	return `“${t.length > max ? `${t.slice(0, max - 1)}…` : t}”`;
}

/** `PER “Alice” 0–5` */
export function spanName(text: string, span: Span, classes: readonly LabelClass[]): string {
	const look = classLook(classes, span.classId);
	return `${look.name} ${quote(text.slice(span.start, span.end))} ${span.start}–${span.end}`;
}

/** `PER “Alice”`, for announcements. */
export function spanShortName(text: string, span: Span, classes: readonly LabelClass[]): string {
	return `${classLook(classes, span.classId).name} ${quote(text.slice(span.start, span.end))}`;
}

/**
 * `Alice —works_at→ Acme`; when two relations would read the same, their span offsets are
 * added, and a count when even those collide.
 */
export function relationNames(
	text: string,
	spans: readonly Span[],
	relations: readonly Relation[],
	relationClasses: readonly LabelClass[]
): string[] {
	const byId = new Map(spans.map((s) => [s.id, s]));
	const part = (id: string, long: boolean) => {
		const s = byId.get(id);
		if (!s) return id;
		const t = text.slice(s.start, s.end).replace(/\s+/g, ' ');
		return long ? `${t} (${s.start}–${s.end})` : t;
	};
	const name = (r: Relation, long: boolean) =>
		`${part(r.head, long)} —${classLook(relationClasses, r.classId).name}→ ${part(r.tail, long)}`;
	const short = relations.map((r) => name(r, false));
	const names = relations.map((r, i) =>
		short.indexOf(short[i] as string) !== short.lastIndexOf(short[i] as string)
			? name(r, true)
			: short[i]
	) as string[];
	return uniqueNames(names);
}

/** Appends ` (2)`, ` (3)`… to repeats so every accessible name is unique. */
export function uniqueNames(names: readonly string[]): string[] {
	const seen = new Map<string, number>();
	return names.map((n) => {
		const k = (seen.get(n) ?? 0) + 1;
		seen.set(n, k);
		return k === 1 ? n : `${n} (${k})`;
	});
}

/**
 * Inline style of a piece covered by `looks` (outermost first, each with its lane): a light tint
 * of the innermost class and one coloured underline per lane, so overlaps stack.
 */
export function markStyle(
	looks: readonly { color: string; lane: number }[],
	selected: boolean
): string {
	const inner = looks.at(-1);
	if (!inner) return '';
	const lines = looks.map(
		(l) =>
			`linear-gradient(${l.color}, ${l.color}) left 0 bottom ${l.lane * LANE_PX}px / 100% ${LANE_PX - 1}px no-repeat`
	);
	const tint = `color-mix(in srgb, ${inner.color} ${selected ? 34 : 16}%, white)`;
	return `background: ${lines.join(', ')}, ${tint};`;
}
