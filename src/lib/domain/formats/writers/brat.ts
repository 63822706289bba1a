import type { ExportEntry, ExportFormat } from '../snapshot';
import { itemStem, textEntry } from '../paths';
import { uniqueNames } from './bioTags';
import {
	cleanSpans,
	codePointIndex,
	fragments,
	recordsBySplit,
	spanClasses,
	Warnings
} from './textShared';

/**
 * brat standoff: per text, `<split>/<stem>.txt` (the text, byte for byte) and `<split>/<stem>.ann`
 * with `T1\tTYPE start end\tspan text` and `R1\tTYPE Arg1:T1 Arg2:T2` lines, plus one
 * `annotation.conf` declaring the types. Offsets are code points (brat is Python).
 *
 * - brat type names allow only letters, digits, `-` and `_`: other characters become `_`
 *   (accents are stripped first), a name that doesn't start with a letter gets a `T_` prefix,
 *   and repeats get `_2`…; `annotation.conf` and every `.ann` use the same names.
 * - brat spans can't cross a line break: such a span is written as fragments
 *   `start end;start2 end2`, one per line, and its text as the fragments joined by a space.
 */

/** Class names as brat type names (see the module comment). */
export function bratTypeNames(names: readonly string[]): string[] {
	return uniqueNames(
		names.map((n, i) => {
			const ascii = n
				.normalize('NFKD')
				.replace(/\p{M}+/gu, '')
				.replace(/[^A-Za-z0-9_-]+/g, '_')
				.replace(/^_+|_+$/g, '');
			if (ascii === '') return `Type${i}`;
			return /^[A-Za-z]/.test(ascii) ? ascii : `T_${ascii}`;
		})
	);
}

export const bratFormat: ExportFormat = {
	id: 'brat',
	name: 'brat standoff',
	description: 'A .txt and .ann file per text, with an annotation.conf, for brat and its readers.',
	consumers: 'brat, INCEpTION, spaCy/brat2spacy and other brat standoff readers',
	itemKind: 'text',
	taskKinds: ['named-entities', 'relations'],
	multiLabel: false,
	write: async function* (snapshot): AsyncGenerator<ExportEntry> {
		const classes = spanClasses(snapshot);
		const entityTypes = bratTypeNames(classes.entities.map((c) => c.name));
		const relationTypes = bratTypeNames(classes.relations.map((c) => c.name));
		const warnings = new Warnings();
		for (const { split, records } of recordsBySplit(snapshot.records)) {
			for (const record of records) {
				const text = record.item.text ?? '';
				const clean = cleanSpans(record, classes, warnings);
				const cp = codePointIndex(text);
				const lines: string[] = [];
				const tid = new Map<string, string>();
				for (const s of clean.spans) {
					const frags = fragments(text, s.start, s.end);
					if (frags.length === 0) {
						warnings.add(record, 'a span of only line breaks left out');
						continue;
					}
					const id = `T${tid.size + 1}`;
					tid.set(s.id, id);
					const where = frags.map(([a, b]) => `${cp(a)} ${cp(b)}`).join(';');
					const surface = frags.map(([a, b]) => text.slice(a, b)).join(' ');
					lines.push(`${id}\t${entityTypes[s.classIndex]} ${where}\t${surface}`);
				}
				let r = 0;
				for (const rel of clean.relations) {
					const head = tid.get(rel.head);
					const tail = tid.get(rel.tail);
					if (!head || !tail) continue;
					lines.push(`R${++r}\t${relationTypes[rel.classIndex]} Arg1:${head} Arg2:${tail}`);
				}
				const stem = `${split}/${itemStem(record.item)}`;
				yield textEntry(`${stem}.txt`, text);
				yield textEntry(`${stem}.ann`, lines.length ? lines.join('\n') + '\n' : '');
			}
		}
		const conf = [
			'# brat annotation configuration, written by ModelShip.',
			'[entities]',
			...entityTypes,
			'',
			'[relations]',
			...relationTypes.map((t) => `${t}\tArg1:<ENTITY>, Arg2:<ENTITY>`),
			'<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>',
			'',
			'[events]',
			'',
			'[attributes]',
			''
		];
		yield textEntry('annotation.conf', conf.join('\n'));
		const w = warnings.text();
		if (w) yield textEntry('warnings.txt', w);
	}
};
