import type { ConfidenceLevel } from '../labeling/confidence';
import type { Annotation } from '../schemas/annotation';
import type { Item } from '../schemas/item';
import type { LabelledItem } from './select';
import type { ExportItem } from './snapshot';

/**
 * Stored records → the labelled items an export selects from. Shared by the browser (records
 * read from IndexedDB) and the command line (records read from a project file).
 */

export type Scored = { at: number; score: number; level: ConfidenceLevel };

export function toExportItem(item: Item): ExportItem {
	return {
		id: item.id as number,
		name: item.name,
		kind: item.kind,
		mime: item.mime,
		sha256: item.sha256,
		size: item.size,
		width: item.width,
		height: item.height,
		text: item.text,
		createdAt: item.createdAt
	};
}

/** Keeps, per item, the score of its newest prediction (call once per prediction). */
export function keepNewestScore(
	scores: Map<number, Scored>,
	p: { itemId: number; createdAt: number; score: number; level: ConfidenceLevel }
): void {
	const seen = scores.get(p.itemId);
	if (!seen || p.createdAt > seen.at)
		scores.set(p.itemId, { at: p.createdAt, score: p.score, level: p.level });
}

export function labelledItem(item: Item, annotation: Annotation, scored?: Scored): LabelledItem {
	return {
		item: toExportItem(item),
		storedSplit: item.split,
		label: {
			value: annotation.value,
			status: annotation.status,
			source: annotation.source,
			reviewer: annotation.reviewer,
			updatedAt: annotation.updatedAt,
			score: scored?.score ?? null,
			level: scored?.level ?? null
		}
	};
}
