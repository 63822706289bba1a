import { describe, expect, it } from 'vitest';
import { fixtureSnapshot } from '../fixtures';
import {
	assertTask,
	boxesOf,
	classesOf,
	classIndex,
	jsonWithList,
	oneLine,
	plural,
	singleClassOf,
	xmlEscape,
	yamlString
} from './imageShared';
import { imageTask } from './imageFixtures';

describe('image writer helpers', () => {
	const task = imageTask('object-detection');
	const index = classIndex(task);

	it('clips boxes to the image, drops empty ones and unknown classes', () => {
		const box = (classId: string, x: number, y: number, w: number, h: number) => ({
			classId,
			x,
			y,
			w,
			h,
			score: null
		});
		const [record] = fixtureSnapshot(task, [
			{
				name: 'x.png',
				width: 10,
				height: 10,
				value: {
					type: 'boxes',
					boxes: [
						box('z', -2, -3, 5, 5),
						box('a', 8, 8, 10, 10),
						box('e', 11, 0, 3, 3),
						box('z', 1, 1, 0, 2),
						box('gone', 1, 1, 2, 2),
						box('a', Number.NaN, 1, 2, 2),
						box('e', 0.1, 0.2, 0.1 + 0.2, 1)
					]
				}
			}
		]).records;
		expect(boxesOf(record!, index).map(({ cls, x, y, w, h }) => [cls, x, y, w, h])).toEqual([
			[0, 0, 0, 3, 2],
			[1, 8, 8, 2, 2],
			[2, 0.1, 0.2, 0.3, 1]
		]);
	});

	it('reads class labels: known ids, in class order, first known for single-label', () => {
		const [record] = fixtureSnapshot(imageTask('image-classification', true), [
			{ name: 'x.png', value: { type: 'classes', classIds: ['gone', 'e', 'z', 'e'] } }
		]).records;
		expect(classesOf(record!, index)).toEqual([0, 2]);
		expect(singleClassOf(record!, index)).toBe(2);
	});

	it('quotes YAML strings as JSON does, escaping what YAML reads as line breaks', () => {
		expect(yamlString('a: "b" # c')).toBe('"a: \\"b\\" # c"');
		expect(yamlString('x\u2028y\u0085z\n')).toBe('"x\\u2028y\\u0085z\\n"');
		expect(yamlString('猫 ✓')).toBe('"猫 ✓"');
	});

	it('escapes XML text and drops characters XML 1.0 forbids', () => {
		expect(xmlEscape(`a<b&"c"'>`)).toBe('a&lt;b&amp;&quot;c&quot;&apos;&gt;');
		expect(xmlEscape('a\u0001b\tc\ud800')).toBe('ab\tc');
		expect(xmlEscape('😀')).toBe('😀');
	});

	it('writes a long list one element per line, still valid JSON', () => {
		const text = jsonWithList({ a: 1, b: [2] }, 'items', [{ x: 1 }, { y: 'z' }]);
		expect(JSON.parse(text)).toEqual({ a: 1, b: [2], items: [{ x: 1 }, { y: 'z' }] });
		expect(text).toContain('\n{"x":1},\n{"y":"z"}\n');
		expect(JSON.parse(jsonWithList({}, 'items', []))).toEqual({ items: [] });
		expect(JSON.parse(jsonWithList({ a: 1 }, 'items', []))).toEqual({ a: 1, items: [] });
	});

	it('keeps names on one line, counts in words, and refuses tasks a format cannot hold', () => {
		expect(oneLine(' a\nb\r\n\tc ')).toBe('a b c');
		expect([plural(1, 'image'), plural(2, 'image')]).toEqual(['1 image', '2 images']);
		const format = { name: 'X', taskKinds: ['image-classification' as const], multiLabel: false };
		expect(() => assertTask(format, imageTask('image-classification', true))).toThrow(/one class/);
		expect(() => assertTask(format, task)).toThrow(/cannot hold object-detection tasks/);
		expect(() => assertTask(format, imageTask('image-classification'))).not.toThrow();
	});
});
