import type { ExportRecord, TagScheme } from '../snapshot';
import { resolveOverlaps, tagLabels, tagTokens } from './bioTags';
import { cleanSpans, fragments, plural, type SpanClasses, type Warnings } from './textShared';
import { tokensForSpans, type Token } from './tokenize';

/** Token-level view of one record, shared by CoNLL and Hugging Face token classification. */
export type TaggedText = { tokens: Token[]; tags: string[] };

/** Tag labels (class names made column-safe) of the export's entity types, in class order. */
export function entityTagLabels(classes: SpanClasses): string[] {
	return tagLabels(classes.entities.map((c) => c.name));
}

/**
 * The record's tokens (cut at span edges) and their tags. Spans with an unknown class, bad
 * offsets or an overlap with an earlier span are left out and reported in `warnings`.
 */
export function tagRecord(
	record: ExportRecord,
	classes: SpanClasses,
	labels: readonly string[],
	scheme: TagScheme,
	warnings: Warnings,
	/** Cut entities at line breaks (CoNLL: a line break ends a sentence, and tags restart). */
	byLine = false
): TaggedText {
	const text = record.item.text ?? '';
	const clean = cleanSpans(record, classes, warnings);
	const { kept, dropped } = resolveOverlaps(clean.spans);
	if (dropped > 0)
		warnings.add(record, `${plural(dropped, 'overlapping span')} left out (token tags can't nest)`);
	const pieces = kept.flatMap((s) => {
		const label = labels[s.classIndex] as string;
		if (!byLine) return [{ start: s.start, end: s.end, label }];
		return fragments(text, s.start, s.end).map(([start, end]) => ({ start, end, label }));
	});
	const tokens = tokensForSpans(text, pieces);
	const tags = tagTokens(tokens, pieces, scheme);
	return { tokens, tags };
}

/** Whether `text` has a line break between `from` and `to`. */
export function hasLineBreak(text: string, from: number, to: number): boolean {
	for (let i = from; i < to; i++) {
		const c = text.charCodeAt(i);
		if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029 || c === 0x85) return true;
	}
	return false;
}
