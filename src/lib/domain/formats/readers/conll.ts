import type { SourceFiles } from '../sourceFiles';
import type { ImportedDataset, ImportedRecord } from './dataset';
import { decodeTags, parseTag, schemeOf, type TagToken } from './tagSpans';
import {
	DatasetFormatError,
	NameList,
	Warnings,
	extension,
	requireText,
	splitFromName
} from './common';

/**
 * CoNLL-style token files (CoNLL-2003, our export): one token per line, the first column the
 * token and the last its tag; blank lines end sentences and `-DOCSTART-` lines start
 * documents. BIO, BILOU/IOBES (`U-`/`L-`, `S-`/`E-`) and IO tags are all read, the scheme
 * chosen per file from the prefixes used. A record's text is its tokens joined by single
 * spaces, sentences by "\n", and spans are character offsets into that text. With
 * `-DOCSTART-` lines each document is one record; without, each sentence is.
 */

export const CONLL_EXTENSIONS = new Set([
	'conll',
	'conll03',
	'conll2003',
	'iob',
	'iob2',
	'bio',
	'bilou',
	'bioes',
	'iobes',
	// CoNLL-2003's own names: eng.train, eng.testa, eng.testb.
	'train',
	'testa',
	'testb',
	'ner'
]);

/** Documents of sentences of tokens, and whether `-DOCSTART-` lines were present. */
function parseFile(
	text: string,
	file: string,
	warnings: Warnings
): { documents: TagToken[][][]; docstart: boolean } {
	const documents: TagToken[][][] = [[]];
	let sentence: TagToken[] = [];
	let docstart = false;
	const endSentence = () => {
		if (sentence.length > 0) (documents[documents.length - 1] as TagToken[][]).push(sentence);
		sentence = [];
	};
	const lines = text.split(/\r\n?|\n/);
	for (let i = 0; i < lines.length; i++) {
		const line = (lines[i] as string).replace(/\s+$/, '');
		if (line.trim() === '') {
			endSentence();
			continue;
		}
		const columns = line.includes('\t') ? line.split('\t') : line.trim().split(/\s+/);
		const token = (columns[0] as string).trim();
		if (token === '-DOCSTART-') {
			endSentence();
			docstart = true;
			if ((documents[documents.length - 1] as TagToken[][]).length > 0) documents.push([]);
			continue;
		}
		if (columns.length < 2) {
			warnings.add(`${file}: line ${i + 1}: a token without a tag; read as O`);
		}
		const tag = columns.length < 2 ? 'O' : (columns[columns.length - 1] as string).trim();
		sentence.push({ token, ...parseTag(tag), line: i + 1 });
	}
	endSentence();
	return { documents: documents.filter((d) => d.length > 0), docstart };
}

/** The CoNLL files among `paths`; `.txt`/`.tsv` too when `loose` (the format was chosen). */
export function conllPaths(paths: readonly string[], loose = false): string[] {
	const strict = paths.filter((p) => CONLL_EXTENSIONS.has(extension(p)));
	if (strict.length > 0 || !loose) return strict;
	return paths.filter((p) => ['txt', 'tsv'].includes(extension(p)) && !/readme|license/i.test(p));
}

/**
 * Reads CoNLL NER files.
 *
 * Example: `await readConll(files)` with `train.conll` = `Ana B-PER\nruns O\n`
 * → `{ format: 'conll', taskKind: 'named-entities', classes: ['PER'], records: [{ name: 'train.conll#1', text: 'Ana runs', split: 'train', label: { type: 'spans', spans: [{ id: 'T1', name: 'PER', start: 0, end: 3 }], relations: [] } }], … }`
 */
export async function readConll(files: SourceFiles, loose = false): Promise<ImportedDataset> {
	const paths = conllPaths(files.paths, loose);
	if (paths.length === 0) throw new DatasetFormatError('no CoNLL files (.conll, .iob, .bio)');
	const warnings = new Warnings();
	const classes = new NameList();
	const records: ImportedRecord[] = [];
	for (const path of paths) {
		const { documents, docstart } = parseFile(await requireText(files, path), path, warnings);
		const scheme = schemeOf(documents);
		const groups = docstart ? documents : documents.flat().map((s) => [s]);
		const split = splitFromName(path);
		groups.forEach((sentences, i) => {
			const { text, spans } = decodeTags(sentences, scheme, path, classes, warnings);
			records.push({
				name: `${path}#${i + 1}`,
				kind: 'text',
				text,
				split,
				width: null,
				height: null,
				label: { type: 'spans', spans, relations: [] }
			});
		});
	}
	return {
		format: 'conll',
		taskKind: 'named-entities',
		multiLabel: false,
		classes: classes.names,
		relationTypes: [],
		records,
		warnings: warnings.toArray()
	};
}
