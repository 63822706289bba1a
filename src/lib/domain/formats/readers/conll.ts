import type { SourceFiles } from '../sourceFiles';
import type { ImportedDataset, ImportedRecord } from './dataset';
import {
	DatasetFormatError,
	NameList,
	Warnings,
	extension,
	plural,
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

type Token = { token: string; prefix: string; name: string | null; line: number };
type Scheme = 'BIO' | 'BILOU' | 'IO';

function parseTag(tag: string): { prefix: string; name: string | null } {
	if (tag === 'O' || tag === '-' || tag === '_') return { prefix: 'O', name: null };
	const m = /^([BIESLUM])[-_](.+)$/.exec(tag);
	// A bare tag (`PER`) is an IO tag.
	return m ? { prefix: m[1] as string, name: m[2] as string } : { prefix: 'I', name: tag };
}

/** Documents of sentences of tokens, and whether `-DOCSTART-` lines were present. */
function parseFile(
	text: string,
	file: string,
	warnings: Warnings
): { documents: Token[][][]; docstart: boolean } {
	const documents: Token[][][] = [[]];
	let sentence: Token[] = [];
	let docstart = false;
	const endSentence = () => {
		if (sentence.length > 0) (documents[documents.length - 1] as Token[][]).push(sentence);
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
			if ((documents[documents.length - 1] as Token[][]).length > 0) documents.push([]);
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

function schemeOf(documents: readonly Token[][][]): Scheme {
	const prefixes = new Set(documents.flat(2).map((t) => t.prefix));
	if (['E', 'S', 'L', 'U'].some((p) => prefixes.has(p))) return 'BILOU';
	return prefixes.has('B') ? 'BIO' : 'IO';
}

/** A record of `sentences`: their text and the spans their tags mark. */
function decode(
	sentences: readonly Token[][],
	scheme: Scheme,
	file: string,
	classes: NameList,
	warnings: Warnings
) {
	const spans: { id: string; name: string; start: number; end: number }[] = [];
	const invalid = (t: Token, what: string) =>
		warnings.tally(
			`invalid:${what}`,
			(n) => `${plural(n, 'tag')} ${what} (first: ${file} line ${t.line})`
		);
	let text = '';
	type Open = { name: string; start: number; end: number };
	const state: { open: Open | null } = { open: null };
	const close = () => {
		if (state.open) spans.push({ id: `T${spans.length + 1}`, ...state.open });
		state.open = null;
	};
	for (const [s, sentence] of sentences.entries()) {
		if (s > 0) text += '\n';
		for (const [k, t] of sentence.entries()) {
			if (k > 0) text += ' ';
			const start = text.length;
			text += t.token;
			const end = text.length;
			if (t.name === null) {
				close();
				continue;
			}
			const name = classes.add(t.name);
			const open = state.open?.name === name ? state.open : null;
			if (t.prefix === 'B') {
				close();
				state.open = { name, start, end };
			} else if (t.prefix === 'S' || t.prefix === 'U') {
				close();
				state.open = { name, start, end };
				close();
			} else if (t.prefix === 'E' || t.prefix === 'L') {
				if (open) open.end = end;
				else {
					invalid(
						t,
						`end an entity that was not begun (${t.prefix}- without B-); read as single-token entities`
					);
					close();
					state.open = { name, start, end };
				}
				close();
			} else if (open) {
				open.end = end;
			} else {
				if (scheme !== 'IO')
					invalid(
						t,
						'continue an entity that was not begun (I- after O or another class); read as B-'
					);
				close();
				state.open = { name, start, end };
			}
		}
		close();
	}
	return { text, spans };
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
			const { text, spans } = decode(sentences, scheme, path, classes, warnings);
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
