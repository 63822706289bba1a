import { describe, expect, it } from 'vitest';
import { readBrat } from './brat';
import { filesOf } from './testFiles';

describe('readBrat', () => {
	it('reads entities (code-point offsets), fragments and relations in conf order', async () => {
		const text = '😀 Ana met\nBob Lee';
		const ds = await readBrat(
			filesOf({
				'annotation.conf':
					'[entities]\nORG\nPER\n\n[relations]\nknows\tArg1:<ENTITY>, Arg2:<ENTITY>\n<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n[events]\n[attributes]\n',
				'train/a.txt': text,
				'train/a.ann':
					'T1\tPER 2 5\tAna\nT2\tPER 6 9;10 17\tmet Bob Lee\nR1\tknows Arg1:T1 Arg2:T2\nA1\tNegated T1\nR2\tknows Arg1:T1 Arg2:T9\n',
				'test/b.txt': 'x',
				'test/b.ann': '',
				'README.txt': 'not a text'
			})
		);
		expect(ds.format).toBe('brat');
		expect(ds.taskKind).toBe('relations');
		expect(ds.classes).toEqual(['ORG', 'PER']);
		expect(ds.relationTypes).toEqual(['knows']);
		expect(ds.records).toHaveLength(2);
		const a = ds.records.find((r) => r.name === 'train/a.txt');
		const b = ds.records.find((r) => r.name === 'test/b.txt');
		expect(a?.split).toBe('train');
		expect(a?.label).toEqual({
			type: 'spans',
			spans: [
				{ id: 'T1', name: 'PER', start: 3, end: 6 },
				{ id: 'T2', name: 'PER', start: 7, end: 18 }
			],
			relations: [{ head: 'T1', tail: 'T2', name: 'knows' }]
		});
		expect(text.slice(3, 6)).toBe('Ana');
		expect(b).toMatchObject({ split: 'test', label: { type: 'spans', spans: [], relations: [] } });
		expect(ds.warnings.join('\n')).toMatch(/train\/a\.ann: line 5: relation between unknown/);
		expect(ds.warnings.join('\n')).toMatch(/1 discontinuous entity .*first: train\/a\.ann: line 2/);
		expect(ds.warnings.join('\n')).toMatch(/1 annotation other than .*line 4/);
	});

	it('names the file and line of a bad entry, and needs .ann files', async () => {
		const ds = await readBrat(
			filesOf({
				'a.txt': 'abc',
				'a.ann': 'T1\tX 0 9\tabc\nT2\tX zero\n',
				'b.ann': 'T1\tX 0 1\tx\n'
			})
		);
		expect(ds.records[0]?.label).toEqual({ type: 'spans', spans: [], relations: [] });
		expect(ds.taskKind).toBe('named-entities');
		expect(ds.warnings).toEqual([
			'a.ann: line 1: offsets 0 9 outside the text; skipped',
			'a.ann: line 2: not an entity line (T1<TAB>TYPE start end); skipped',
			'b.ann: no b.txt beside it; skipped'
		]);
		await expect(readBrat(filesOf({ 'a.txt': 'x' }))).rejects.toThrow(/no brat \.ann files/);
	});
});
