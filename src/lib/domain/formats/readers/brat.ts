import type { SourceFiles } from '../sourceFiles';
import type { ImportedDataset, ImportedRecord } from './dataset';
import {
	DatasetFormatError,
	NameList,
	Warnings,
	basename,
	dirname,
	extension,
	plural,
	requireText,
	splitFromName
} from './common';
import { readText } from '../sourceFiles';
import { utf16Offsets } from './textRows';

/**
 * brat standoff (ours and brat's own): per text a `<stem>.txt` and a `<stem>.ann` with
 * `T1\tTYPE start end\tsurface` entity lines (discontinuous `a b;c d` fragments are read as
 * one span from the first start to the last end) and `R1\tTYPE Arg1:T1 Arg2:T2` relation
 * lines; an `annotation.conf` gives the type order. Offsets are code points, turned into
 * UTF-16 offsets here. Other annotation kinds (events, attributes, notes) are skipped.
 */

/** The `.ann` files among `paths`. */
export const bratAnnPaths = (paths: readonly string[]): string[] =>
	paths.filter((p) => extension(p) === 'ann');

const withoutExtension = (path: string) => path.slice(0, path.lastIndexOf('.'));

/** Entity and relation types of an `annotation.conf`, in order. */
function parseConf(text: string): { entities: string[]; relations: string[] } {
	const entities: string[] = [];
	const relations: string[] = [];
	let section = '';
	for (const raw of text.split(/\r\n?|\n/)) {
		const line = raw.trim();
		if (line === '' || line.startsWith('#')) continue;
		const m = /^\[(\w+)\]$/.exec(line);
		if (m) {
			section = (m[1] as string).toLowerCase();
			continue;
		}
		const name = (line.split(/\s/)[0] as string).replace(/^!/, '');
		if (name === '' || name.startsWith('<') || line.startsWith('!')) continue;
		if (section === 'entities') entities.push(name);
		else if (section === 'relations') relations.push(name);
	}
	return { entities, relations };
}

/**
 * Reads brat standoff files.
 *
 * Example: `train/a.txt` = `Ana runs`, `train/a.ann` = `T1\tPER 0 3\tAna\n` →
 * `{ format: 'brat', taskKind: 'named-entities', classes: ['PER'], records: [{ name: 'train/a.txt', text: 'Ana runs', split: 'train', label: { type: 'spans', spans: [{ id: 'T1', name: 'PER', start: 0, end: 3 }], relations: [] } }] }`
 */
export async function readBrat(files: SourceFiles): Promise<ImportedDataset> {
	const anns = bratAnnPaths(files.paths);
	if (anns.length === 0) throw new DatasetFormatError('no brat .ann files');
	const warnings = new Warnings();
	const classes = new NameList();
	const relationTypes = new NameList();
	const confPath = files.paths
		.filter((p) => basename(p) === 'annotation.conf')
		.sort((a, b) => a.length - b.length)[0];
	if (confPath !== undefined) {
		const conf = parseConf(await requireText(files, confPath));
		conf.entities.forEach((n) => classes.add(n));
		conf.relations.forEach((n) => relationTypes.add(n));
	}
	const records: ImportedRecord[] = [];
	for (const ann of anns) {
		const txtPath = `${withoutExtension(ann)}.txt`;
		const text = await readText(files, txtPath);
		if (text === undefined) {
			warnings.add(`${ann}: no ${basename(txtPath)} beside it; skipped`);
			continue;
		}
		const offsets = utf16Offsets(text);
		const spans: { id: string; name: string; start: number; end: number }[] = [];
		const relations: { head: string; tail: string; name: string }[] = [];
		const pending: { head: string; tail: string; name: string; where: string }[] = [];
		const lines = (await requireText(files, ann)).split(/\r\n?|\n/);
		lines.forEach((raw, i) => {
			if (raw.trim() === '') return;
			const where = `${ann}: line ${i + 1}`;
			const [id = '', body = ''] = raw.split('\t');
			if (id.startsWith('T')) {
				const m = /^(\S+) (\d+ \d+(?:;\d+ \d+)*)$/.exec(body.trim());
				if (!m) {
					warnings.add(`${where}: not an entity line (T1<TAB>TYPE start end); skipped`);
					return;
				}
				const numbers = (m[2] as string).split(/[ ;]/).map(Number);
				const cpStart = numbers[0] as number;
				const cpEnd = numbers[numbers.length - 1] as number;
				if (numbers.length > 2)
					warnings.tally(
						'fragments',
						(n) =>
							`${plural(n, 'discontinuous entity', 'discontinuous entities')} read as one span from the first start to the last end (first: ${where})`
					);
				if (cpEnd <= cpStart || cpEnd > offsets.length) {
					warnings.add(`${where}: offsets ${cpStart} ${cpEnd} outside the text; skipped`);
					return;
				}
				spans.push({
					id,
					name: classes.add(m[1] as string),
					start: offsets.at(cpStart),
					end: offsets.at(cpEnd)
				});
			} else if (id.startsWith('R')) {
				const m = /^(\S+) Arg1:(\S+) Arg2:(\S+)$/.exec(body.trim());
				if (!m) {
					warnings.add(`${where}: not a relation line (R1<TAB>TYPE Arg1:T1 Arg2:T2); skipped`);
					return;
				}
				pending.push({ name: m[1] as string, head: m[2] as string, tail: m[3] as string, where });
			} else {
				warnings.tally(
					'other',
					(n) =>
						`${plural(n, 'annotation')} other than entities and relations skipped (first: ${where})`
				);
			}
		});
		const ids = new Set(spans.map((s) => s.id));
		for (const r of pending) {
			if (!ids.has(r.head) || !ids.has(r.tail)) {
				warnings.add(`${r.where}: relation between unknown entities; skipped`);
				continue;
			}
			relations.push({ head: r.head, tail: r.tail, name: relationTypes.add(r.name) });
		}
		records.push({
			name: txtPath,
			kind: 'text',
			text,
			split: splitFromName(dirname(txtPath)),
			width: null,
			height: null,
			label: { type: 'spans', spans, relations }
		});
	}
	return {
		format: 'brat',
		taskKind: relationTypes.names.length > 0 ? 'relations' : 'named-entities',
		multiLabel: false,
		classes: classes.names,
		relationTypes: relationTypes.names,
		records,
		warnings: warnings.toArray()
	};
}
