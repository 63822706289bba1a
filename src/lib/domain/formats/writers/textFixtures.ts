import type { LabelClass, LabelTask } from '../../schemas/project';
import type { FixtureRecord } from '../fixtures';

/** Tasks and texts for the text writers' tests (and the consumer tests). Test-only. */

/** mulberry32: a small seeded generator, so property tests fail the same way every run. */
export function seeded(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const cls = (id: string, name: string): LabelClass => ({ id, name, color: '#123456', key: null });

export const nerTask: LabelTask = {
	id: 'ner',
	name: 'Entities',
	kind: 'named-entities',
	multiLabel: false,
	classes: [cls('c-per', 'PER'), cls('c-loc', 'LOC'), cls('c-org', 'Org name')],
	threshold: 0.8,
	productionModelVersionId: null
};

export const relTask: LabelTask = {
	id: 'rel',
	name: 'Relations',
	kind: 'relations',
	multiLabel: false,
	classes: [cls('r-born', 'born in'), cls('r-works', 'works_for')],
	threshold: 0.8,
	productionModelVersionId: null
};

export const textClassTask = (multiLabel: boolean): LabelTask => ({
	id: 'tc',
	name: 'Topic',
	kind: 'text-classification',
	multiLabel,
	classes: [cls('t-sport', 'sport'), cls('t-pol', 'politics, world'), cls('t-tech', 'tech "AI"')],
	threshold: 0.8,
	productionModelVersionId: null
});

/** A span over the first occurrence of `surface` in `text`. */
export function spanOf(text: string, surface: string, classId: string, id: string) {
	const start = text.indexOf(surface);
	if (start < 0) throw new Error(`${surface} not in ${text}`);
	return { id, classId, start, end: start + surface.length };
}

const t1 = 'Ada Lovelace was born in London.';
const t2 = 'Grace Hopper 👩‍💻 worked at Remington Rand in New York.\nShe was born in NYC.';
const t3 = '東京で会った田中さん、don\'t  worry: "Zoë" (Paris) 🇫🇷!';
const t4 = 'No entities here.';
const t5 = 'Overlap: New York City hall.';

export const nerRecords: FixtureRecord[] = [
	{
		name: 'docs/a.txt',
		text: t1,
		value: {
			type: 'spans',
			spans: [spanOf(t1, 'Ada Lovelace', 'c-per', 's1'), spanOf(t1, 'London', 'c-loc', 's2')],
			relations: [{ head: 's1', tail: 's2', classId: 'r-born' }]
		}
	},
	{
		name: 'docs/b.txt',
		text: t2,
		split: 'validation',
		value: {
			type: 'spans',
			spans: [
				spanOf(t2, 'Grace Hopper', 'c-per', 's1'),
				spanOf(t2, 'Remington Rand', 'c-org', 's2'),
				spanOf(t2, 'New York', 'c-loc', 's3'),
				// Crosses the line break: brat fragments, CoNLL sentence break inside an entity.
				{ id: 's4', classId: 'c-loc', start: t2.indexOf('York.') + 4, end: t2.indexOf('She') + 3 },
				spanOf(t2, 'NYC', 'c-loc', 's5')
			],
			relations: [
				{ head: 's1', tail: 's2', classId: 'r-works' },
				{ head: 's1', tail: 's5', classId: 'r-born' }
			]
		}
	},
	{
		name: 'docs/c d.txt',
		text: t3,
		split: 'test',
		value: {
			type: 'spans',
			spans: [
				spanOf(t3, '東京', 'c-loc', 'x'),
				// Starts inside the word run 田中さん: the token is cut.
				spanOf(t3, '田中', 'c-per', 'y'),
				spanOf(t3, 'Zoë', 'c-per', 'z'),
				spanOf(t3, 'Paris', 'c-loc', 'w')
			],
			relations: []
		}
	},
	{ name: 'd.txt', text: t4, value: { type: 'spans', spans: [], relations: [] } },
	{
		name: 'e.txt',
		text: t5,
		value: {
			type: 'spans',
			spans: [
				spanOf(t5, 'New York', 'c-loc', 'a'),
				spanOf(t5, 'New York City hall', 'c-org', 'b'),
				{ id: 'gone', classId: 'deleted-class', start: 0, end: 7 }
			],
			relations: []
		}
	}
];
