import type { ScoredSpan } from '$lib/domain/schemas';

/**
 * How predictions are drawn in the try-it panel: a stable colour per label, and a text cut
 * into plain and highlighted segments for its spans.
 */

// Tailwind's 700 shades: every one reads at ≥ 4.5:1 on white, so labels drawn in them pass.
const PALETTE = [
	'#1d4ed8',
	'#b91c1c',
	'#15803d',
	'#7e22ce',
	'#c2410c',
	'#0e7490',
	'#a16207',
	'#be185d',
	'#4338ca',
	'#4d7c0f'
];

/** The same label gets the same colour in every run (hash of its name). */
export function labelColor(label: string): string {
	let h = 0;
	for (const ch of label) h = (h * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
	return PALETTE[h % PALETTE.length] as string;
}

export type Segment = { text: string; span: ScoredSpan | null };

/** Plain text and spans in order; a span overlapping an earlier one is skipped. */
export function spanSegments(text: string, spans: readonly ScoredSpan[]): Segment[] {
	const sorted = [...spans]
		.filter((s) => s.start < s.end && s.end <= text.length)
		.sort((a, b) => a.start - b.start || b.end - a.end);
	const out: Segment[] = [];
	let at = 0;
	for (const span of sorted) {
		if (span.start < at) continue;
		if (span.start > at) out.push({ text: text.slice(at, span.start), span: null });
		out.push({ text: text.slice(span.start, span.end), span });
		at = span.end;
	}
	if (at < text.length) out.push({ text: text.slice(at), span: null });
	return out;
}

/** `0.9999` → `99.99%`; small scores keep two significant digits. */
export function formatScore(score: number): string {
	const pct = score * 100;
	// Never round a score that is not 1 up to 100%.
	if (pct >= 99.95 && pct < 100) return `${(Math.floor(pct * 100) / 100).toFixed(2)}%`;
	if (pct >= 10) return `${pct.toFixed(1)}%`;
	if (pct >= 0.01) return `${pct.toPrecision(2)}%`;
	return pct === 0 ? '0%' : '<0.01%';
}
