import type { ExportEntry, ExportFormat } from '../snapshot';
import { metadataFields } from './metadata';
import { textEntry } from '../paths';
import {
	cleanSpans,
	codePointIndex,
	PartBuilder,
	partPath,
	recordsBySplit,
	spanClasses,
	Warnings
} from './textShared';

/**
 * Entities and relations as JSON: `<split>.json` is a list of
 * `{id, text, entities: [{id, type, start, end, text}], relations: [{head, tail, type}]}`
 * with `head`/`tail` entity ids and offsets in code points (`text[start:end]` in Python is the
 * entity's text). Overlapping and nested entities are kept. `schema.json` lists the entity and
 * relation types in class order. Past 64 MB a split is cut into `<split>-0000i-of-0000n.json`.
 */

export const relationsJsonFormat: ExportFormat = {
	id: 'relations-json',
	name: 'Entities and relations (JSON)',
	description: 'One JSON list per split of texts with their entities and relations.',
	consumers: 'Python json / pandas, spaCy and PyTorch relation-extraction scripts',
	itemKind: 'text',
	taskKinds: ['named-entities', 'relations'],
	multiLabel: false,
	write: async function* (snapshot): AsyncGenerator<ExportEntry> {
		const classes = spanClasses(snapshot);
		const warnings = new Warnings();
		for (const { split, records } of recordsBySplit(snapshot.records)) {
			const file = new PartBuilder();
			for (const record of records) {
				const text = record.item.text ?? '';
				const clean = cleanSpans(record, classes, warnings);
				const cp = codePointIndex(text);
				const row = {
					id: String(record.item.id),
					text,
					entities: clean.spans.map((s) => ({
						id: s.id,
						type: (classes.entities[s.classIndex] as { name: string }).name,
						start: cp(s.start),
						end: cp(s.end),
						text: text.slice(s.start, s.end)
					})),
					relations: clean.relations.map((r) => ({
						head: r.head,
						tail: r.tail,
						type: (classes.relations[r.classIndex] as { name: string }).name
					})),
					...metadataFields(record, snapshot.options)
				};
				file.add(JSON.stringify(row) + '\n');
			}
			const parts = file.finish();
			for (let p = 0; p < parts.length; p++) {
				// Rows end in a newline; between them a comma makes the list (one row per line).
				const rows = (parts[p] as string).slice(0, -1).replaceAll('}\n{', '},\n{');
				yield textEntry(partPath(split, 'json', p, parts.length), `[\n${rows}\n]\n`);
			}
		}
		const schema = {
			entity_types: classes.entities.map((c) => c.name),
			relation_types: classes.relations.map((c) => c.name)
		};
		yield textEntry('schema.json', JSON.stringify(schema, null, 2) + '\n');
		const w = warnings.text();
		if (w) yield textEntry('warnings.txt', w);
	}
};
