import type { ExportOptions, ExportRecord } from '../snapshot';

/**
 * The metadata and score columns every format adds when the options ask (item name,
 * sha256, status, source, reviewer, time; score, level): one definition for all writers.
 */

export type MetadataOptions = Pick<ExportOptions, 'includeMetadata' | 'includeScores'>;
export type Extra = Record<string, string | number | null>;

/** Names and Hugging Face feature types of the columns, in `metadataFields` order. */
export function metadataColumns(
	options: MetadataOptions
): { name: string; dtype: 'string' | 'float64' }[] {
	const out: { name: string; dtype: 'string' | 'float64' }[] = [];
	if (options.includeMetadata)
		for (const name of ['name', 'sha256', 'status', 'source', 'reviewer', 'updated_at'])
			out.push({ name, dtype: 'string' });
	if (options.includeScores)
		out.push({ name: 'score', dtype: 'float64' }, { name: 'level', dtype: 'string' });
	return out;
}

/** The column names alone. */
export const extraColumns = (options: MetadataOptions): string[] =>
	metadataColumns(options).map((c) => c.name);

/** The record's values for those columns. */
export function metadataFields(record: ExportRecord, options: MetadataOptions): Extra {
	const out: Extra = {};
	if (options.includeMetadata) {
		out.name = record.item.name;
		out.sha256 = record.item.sha256;
		out.status = record.label.status;
		out.source = record.label.source;
		out.reviewer = record.label.reviewer;
		out.updated_at = new Date(record.label.updatedAt).toISOString();
	}
	if (options.includeScores) {
		out.score = record.label.score;
		out.level = record.label.level;
	}
	return out;
}
