import { z } from 'zod';
import type { SourceFiles } from '../sourceFiles';
import type { ImportedDataset } from './dataset';
import { DatasetFormatError, basename, extension, parseJson, requireText } from './common';
import { looksLikeCoco } from './coco';
import { TextCollector } from './textDataset';

/**
 * JSON lists of texts: spaCy's simple training JSON (`[{text, entities: [[s, e, label]]}]`,
 * `ents`/`spans` objects, `{text, cats}`, v2 `[text, {entities}]` tuples) and relations-json
 * (`[{id, text, entities: [{id, type, start, end}], relations: [{head, tail, type}]}]`, with
 * `schema.json` giving the type order). Each file is one list; a split per file name.
 */

const Schema = z.object({
	entity_types: z.array(z.string()).optional(),
	relation_types: z.array(z.string()).optional()
});

/** The JSON files that hold lists of texts (COCO files and `schema.json` are not). */
export const textJsonPaths = (paths: readonly string[]): string[] =>
	paths.filter((p) => extension(p) === 'json' && basename(p) !== 'schema.json');

/** True when a parsed JSON list looks like relations-json (entities as objects with `type`). */
export function looksLikeRelationsJson(value: unknown): boolean {
	if (!Array.isArray(value)) return false;
	return value.some(
		(row) =>
			typeof row === 'object' &&
			row !== null &&
			'relations' in row &&
			Array.isArray((row as { entities?: unknown }).entities)
	);
}

async function read(
	files: SourceFiles,
	format: 'spacy-json' | 'relations-json'
): Promise<ImportedDataset> {
	const paths = textJsonPaths(files.paths);
	const texts = new TextCollector();
	let lists = 0;
	for (const path of paths) {
		const value = parseJson(path, await requireText(files, path));
		if (!Array.isArray(value)) {
			if (looksLikeCoco(value) || paths.length > 1) continue;
			throw new DatasetFormatError(`${path}: expected a list of texts`);
		}
		lists++;
		value.forEach((row, i) => texts.add(row, `${path}: [${i}]`, `${path}#${i + 1}`, path));
	}
	if (lists === 0) throw new DatasetFormatError('no JSON file holding a list of texts');
	const schemaPath = files.paths.find((p) => basename(p) === 'schema.json');
	let order = {};
	if (schemaPath) {
		const schema = Schema.safeParse(parseJson(schemaPath, await requireText(files, schemaPath)));
		if (schema.success)
			order = { classes: schema.data.entity_types, relationTypes: schema.data.relation_types };
	}
	return texts.finish(format, order);
}

/**
 * Reads spaCy's simple JSON training data.
 *
 * Example: `await readSpacyJson(files)` with `train.json` = `[{"text":"Ana runs","entities":[[0,3,"PER"]]}]`
 * → `{ format: 'spacy-json', taskKind: 'named-entities', classes: ['PER'], records: [{ name: 'train.json#1', … }], … }`
 */
export const readSpacyJson = (files: SourceFiles) => read(files, 'spacy-json');

/**
 * Reads relations-json (our export and similar RE datasets).
 *
 * Example: `await readRelationsJson(files)` → `{ format: 'relations-json', taskKind: 'relations', relationTypes: ['works_for'], … }`
 */
export const readRelationsJson = (files: SourceFiles) => read(files, 'relations-json');
