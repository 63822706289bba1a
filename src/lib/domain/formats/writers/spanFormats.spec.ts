import { describe, expect, it } from 'vitest';
import { collect, fixtureSnapshot, text } from '../fixtures';
import { bratFormat, bratTypeNames } from './brat';
import { relationsJsonFormat } from './relationsJson';
import { nerRecords, nerTask, relTask } from './textFixtures';
import { codePointIndex, fragments } from './textShared';

/** Python-style slicing: offsets in code points. */
const cpSlice = (s: string, a: number, b: number) => Array.from(s).slice(a, b).join('');

const relSnapshot = (options = {}) =>
	fixtureSnapshot(relTask, nerRecords, options, [nerTask, relTask]);

type Entity = { id: string; type: string; start: number; end: number; text: string };
type Row = {
	id: string;
	text: string;
	entities: Entity[];
	relations: { head: string; tail: string; type: string }[];
};

describe('relationsJsonFormat', () => {
	it('writes entities whose code-point offsets reproduce their text, and relations by id', async () => {
		const files = await collect(relationsJsonFormat.write(relSnapshot({ includeScores: true })));
		expect([...files.keys()].sort()).toEqual([
			'schema.json',
			'test.json',
			'train.json',
			'validation.json',
			'warnings.txt'
		]);
		expect(JSON.parse(text(files.get('schema.json')))).toEqual({
			entity_types: ['PER', 'LOC', 'Org name'],
			relation_types: ['born in', 'works_for']
		});
		const all: Row[] = ['train', 'validation', 'test'].flatMap(
			(s) => JSON.parse(text(files.get(`${s}.json`))) as Row[]
		);
		expect(all.map((r) => r.id)).toEqual(['1', '4', '5', '2', '3']);
		for (const row of all) {
			const ids = new Set(row.entities.map((e) => e.id));
			for (const e of row.entities) expect(cpSlice(row.text, e.start, e.end)).toBe(e.text);
			for (const r of row.relations) expect(ids.has(r.head) && ids.has(r.tail)).toBe(true);
		}
		const grace = all.find((r) => r.id === '2') as Row;
		// After the emoji, code points and UTF-16 units differ: NYC's offsets are code points.
		const nyc = grace.entities.find((e) => e.text === 'NYC') as Entity;
		expect(nyc.start).toBe(Array.from(grace.text).indexOf('N', 60));
		expect(grace.relations).toEqual([
			{ head: 's1', tail: 's2', type: 'works_for' },
			{ head: 's1', tail: 's5', type: 'born in' }
		]);
		// Overlaps are kept (nested entities are fine in JSON); unknown classes are not.
		const e = all.find((r) => r.id === '5') as Row;
		expect(e.entities.map((x) => x.id)).toEqual(['b', 'a']);
		expect((all[0] as Row & { score: null }).score).toBeNull();
	});

	it('is deterministic', async () => {
		expect(await collect(relationsJsonFormat.write(relSnapshot()))).toEqual(
			await collect(relationsJsonFormat.write(relSnapshot()))
		);
	});
});

/** An independent brat .ann reader: T and R lines. */
function parseAnn(ann: string) {
	const ents = new Map<string, { type: string; frags: [number, number][]; text: string }>();
	const rels: { type: string; arg1: string; arg2: string }[] = [];
	for (const line of ann.split('\n').filter(Boolean)) {
		const [id, body, surface] = line.split('\t') as [string, string, string?];
		if (id.startsWith('T')) {
			const type = body.slice(0, body.indexOf(' '));
			const frags = body
				.slice(type.length + 1)
				.split(';')
				.map((f) => f.split(' ').map(Number) as [number, number]);
			ents.set(id, { type, frags, text: surface ?? '' });
		} else {
			const m = /^(\S+) Arg1:(T\d+) Arg2:(T\d+)$/.exec(body);
			expect(m).not.toBeNull();
			rels.push({ type: m?.[1] as string, arg1: m?.[2] as string, arg2: m?.[3] as string });
		}
	}
	return { ents, rels };
}

describe('bratFormat', () => {
	it('writes .txt/.ann pairs whose offsets (code points) reproduce each fragment', async () => {
		const files = await collect(bratFormat.write(relSnapshot()));
		expect(files.has('train/000001_a.txt')).toBe(true);
		expect(files.has('test/000003_c_d.ann')).toBe(true);
		const conf = text(files.get('annotation.conf'));
		expect(conf).toContain('[entities]\nPER\nLOC\nOrg_name\n');
		expect(conf).toContain('born_in\tArg1:<ENTITY>, Arg2:<ENTITY>');
		const confTypes = new Set(conf.split('\n').map((l) => l.split('\t')[0]));
		for (const [path, bytes] of files) {
			if (!path.endsWith('.ann')) continue;
			const txt = text(files.get(path.replace(/\.ann$/, '.txt')));
			const { ents, rels } = parseAnn(text(bytes));
			for (const e of ents.values()) {
				expect(confTypes.has(e.type)).toBe(true);
				const pieces = e.frags.map(([a, b]) => cpSlice(txt, a, b));
				for (const p of pieces) expect(p).not.toMatch(/\n/);
				expect(pieces.join(' ')).toBe(e.text);
			}
			for (const r of rels)
				expect(ents.has(r.arg1) && ents.has(r.arg2) && confTypes.has(r.type)).toBe(true);
		}
		const b = parseAnn(text(files.get('validation/000002_b.ann')));
		expect(b.ents.get('T4')?.frags).toHaveLength(2);
		expect(b.rels).toEqual([
			{ type: 'works_for', arg1: 'T1', arg2: 'T2' },
			{ type: 'born_in', arg1: 'T1', arg2: 'T5' }
		]);
		expect(text(files.get('validation/000002_b.txt'))).toBe(nerRecords[1]?.text);
	});

	it('sanitises type names', () => {
		expect(bratTypeNames(['Org name', 'Café', '2nd', 'a/b', '!!', 'Org-name', 'Org name'])).toEqual(
			['Org_name', 'Cafe', 'T_2nd', 'a_b', 'Type4', 'Org-name', 'Org_name_2']
		);
	});
});

describe('text offsets', () => {
	it('fragments cut at line breaks', () => {
		expect(fragments('New\nYork', 0, 8)).toEqual([
			[0, 3],
			[4, 8]
		]);
		expect(fragments('a\r\n\r\nb', 0, 6)).toEqual([
			[0, 1],
			[5, 6]
		]);
		expect(fragments('\n\n', 0, 2)).toEqual([]);
	});

	it('codePointIndex maps UTF-16 offsets to code points', () => {
		const s = 'a👍b🇫🇷c';
		const cp = codePointIndex(s);
		for (let i = 0; i <= s.length; i++) {
			// Only offsets on code-point boundaries matter.
			if (i > 0 && i < s.length && s.charCodeAt(i) >= 0xdc00 && s.charCodeAt(i) <= 0xdfff) continue;
			expect(cp(i)).toBe(Array.from(s.slice(0, i)).length);
		}
		expect(codePointIndex('plain')(3)).toBe(3);
	});
});
