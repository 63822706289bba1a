import type { ExportFormat, ExportEntry } from '../snapshot';
import { textEntry } from '../paths';
import { tagSet } from './bioTags';
import { entityTagLabels, hasLineBreak, tagRecord } from './tokenTags';
import { PartBuilder, partPath, recordsBySplit, spanClasses, Warnings } from './textShared';

/**
 * CoNLL-2003-style NER files: `<split>.conll`, one token per line as `token -X- _ TAG` (word,
 * placeholder POS, placeholder chunk, entity tag). Each text is a document that opens with
 * `-DOCSTART- -X- O O` and a blank line (spaCy's `spacy convert -c ner` splits documents
 * there); a line break in the text ends a sentence, and sentences end with a blank line.
 * Tags follow `options.tagScheme`; `labels.txt` lists every tag, `O` first. No metadata:
 * the format has no place for it.
 */

export const DOCSTART = '-DOCSTART- -X- O O';

export const conllFormat: ExportFormat = {
	id: 'conll',
	name: 'CoNLL (NER)',
	description: 'CoNLL-2003 token-per-line files with BIO, BILOU or IO entity tags.',
	consumers: 'spaCy (spacy convert), Flair, seqeval, NLTK ConllCorpusReader',
	itemKind: 'text',
	taskKinds: ['named-entities'],
	multiLabel: false,
	write: async function* (snapshot): AsyncGenerator<ExportEntry> {
		const scheme = snapshot.options.tagScheme;
		const classes = spanClasses(snapshot);
		const labels = entityTagLabels(classes);
		const warnings = new Warnings();
		for (const { split, records } of recordsBySplit(snapshot.records)) {
			const file = new PartBuilder();
			for (const record of records) {
				const text = record.item.text ?? '';
				const { tokens, tags } = tagRecord(record, classes, labels, scheme, warnings, true);
				// Lines joined once per document (appending to a string builds ropes that cost more
				// to flatten in the final join).
				const lines: string[] = [DOCSTART, ''];
				for (let i = 0; i < tokens.length; i++) {
					const t = tokens[i] as (typeof tokens)[number];
					if (i > 0 && hasLineBreak(text, (tokens[i - 1] as typeof t).end, t.start)) lines.push('');
					lines.push(`${t.text} -X- _ ${tags[i]}`);
				}
				if (tokens.length > 0) lines.push('');
				lines.push('');
				file.add(lines.join('\n'));
			}
			const parts = file.finish();
			for (let p = 0; p < parts.length; p++)
				yield textEntry(partPath(split, 'conll', p, parts.length), parts[p] as string);
		}
		yield textEntry('labels.txt', tagSet(labels, scheme).join('\n') + '\n');
		const w = warnings.text();
		if (w) yield textEntry('warnings.txt', w);
	}
};
