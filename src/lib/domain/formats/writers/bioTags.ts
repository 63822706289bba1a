import type { TagScheme } from '../snapshot';
import type { Token } from './tokenize';

/**
 * Token tags from character spans, in the three usual schemes:
 * - BIO (IOB2): `B-X` opens an entity, `I-X` continues it, `O` is outside.
 * - BILOU: `B-X I-X… L-X` for entities of two tokens or more, `U-X` for one token.
 * - IO: every entity token is `I-X` (two adjacent entities of one type merge; that is IO's
 *   known loss, not a bug).
 *
 * Token tags can't express overlapping or nested spans, so `resolveOverlaps` keeps, in order
 * of start, the earliest span (the longest when two start together) and drops every span that
 * overlaps a kept one; writers report how many in `warnings.txt`.
 */

export type LabeledSpan = { start: number; end: number; label: string };

/**
 * Non-overlapping spans: earliest first, longest first among equal starts; `dropped` counts
 * the rest. Empty spans are dropped too.
 */
export function resolveOverlaps<T extends { start: number; end: number }>(
	spans: readonly T[]
): { kept: T[]; dropped: number } {
	const sorted = spans
		.map((s, i) => ({ s, i }))
		.sort((a, b) => a.s.start - b.s.start || b.s.end - a.s.end || a.i - b.i);
	const kept: T[] = [];
	let reach = -Infinity;
	for (const { s } of sorted) {
		if (s.end <= s.start || s.start < reach) continue;
		kept.push(s);
		reach = s.end;
	}
	return { kept, dropped: spans.length - kept.length };
}

/**
 * The tag of each token. A token belongs to a span when it lies wholly inside it, so tokens
 * should come from `tokensForSpans` (cut at span edges). Overlaps are resolved first.
 *
 * Example: tokens `Ada Lovelace wrote`, span 0–12 `PER`, BILOU → `B-PER L-PER O`.
 */
export function tagTokens(
	tokens: readonly Token[],
	spans: readonly LabeledSpan[],
	scheme: TagScheme
): string[] {
	const tags: string[] = new Array<string>(tokens.length).fill('O');
	const { kept } = resolveOverlaps(spans);
	let i = 0;
	for (const span of kept) {
		while (i < tokens.length && (tokens[i] as Token).start < span.start) i++;
		let j = i;
		while (j < tokens.length && (tokens[j] as Token).end <= span.end) j++;
		const n = j - i;
		for (let k = 0; k < n; k++) {
			let prefix: string;
			if (scheme === 'IO') prefix = 'I';
			else if (scheme === 'BIO') prefix = k === 0 ? 'B' : 'I';
			else prefix = n === 1 ? 'U' : k === 0 ? 'B' : k === n - 1 ? 'L' : 'I';
			tags[i + k] = `${prefix}-${span.label}`;
		}
		i = j;
	}
	return tags;
}

const PREFIXES: Record<TagScheme, string> = { BIO: 'BI', BILOU: 'BILU', IO: 'I' };

/**
 * Whether `tags` is a well-formed sequence of `scheme` (BIO means strict IOB2: an `I-X` only
 * after `B-X` or `I-X`).
 */
export function isValidSequence(tags: readonly string[], scheme: TagScheme): boolean {
	let open: string | null = null;
	for (const tag of tags) {
		if (tag === 'O') {
			if (scheme === 'BILOU' && open !== null) return false;
			open = null;
			continue;
		}
		const prefix = tag[0] as string;
		const label = tag.slice(2);
		if (tag[1] !== '-' || label === '' || !PREFIXES[scheme].includes(prefix)) return false;
		if (scheme === 'IO') continue;
		if (scheme === 'BIO') {
			if (prefix === 'I' && open !== label) return false;
			open = label;
			continue;
		}
		if (prefix === 'B' || prefix === 'U') {
			if (open !== null) return false;
			open = prefix === 'B' ? label : null;
		} else {
			if (open !== label) return false;
			if (prefix === 'L') open = null;
		}
	}
	return scheme !== 'BILOU' || open === null;
}

/**
 * Every tag of `scheme` over `labels`, `O` first, then each label's tags in label order:
 * the id order of label maps.
 *
 * Example: `tagSet(['PER', 'LOC'], 'BIO')` → `O B-PER I-PER B-LOC I-LOC`.
 */
export function tagSet(labels: readonly string[], scheme: TagScheme): string[] {
	const out = ['O'];
	for (const l of labels) for (const p of PREFIXES[scheme]) out.push(`${p}-${l}`);
	return out;
}

/**
 * Class names as tag labels: whitespace and control characters (which would break
 * column formats) become `_`; an empty name becomes `CLASS<i>`; repeats get `_2`, `_3`….
 *
 * Example: `tagLabels(['New York', 'ORG'])` → `New_York ORG`.
 */
export function tagLabels(names: readonly string[]): string[] {
	return uniqueNames(
		names.map((n, i) => n.trim().replace(/[\s\p{Cc}\p{Z}\u200B\uFEFF]+/gu, '_') || `CLASS${i}`)
	);
}

/** Makes names unique by suffixing `_2`, `_3`… to later repeats. */
export function uniqueNames(names: readonly string[]): string[] {
	const used = new Set<string>();
	return names.map((n) => {
		let name = n;
		for (let k = 2; used.has(name); k++) name = `${n}_${k}`;
		used.add(name);
		return name;
	});
}
