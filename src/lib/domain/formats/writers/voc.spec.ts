import { describe, expect, it } from 'vitest';
import { text } from '../fixtures';
import { vocFormat } from './voc';
import { detectionSnapshot, writeAll } from './imageFixtures';

const unescape = (s: string) =>
	s
		.replaceAll('&lt;', '<')
		.replaceAll('&gt;', '>')
		.replaceAll('&quot;', '"')
		.replaceAll('&apos;', "'")
		.replaceAll('&amp;', '&');

/** A small reader for the VOC XML this writer makes: leaf tags and the objects' boxes. */
function readVoc(xml: string) {
	const leaf = (block: string, tag: string) => {
		const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(block);
		return m ? unescape(m[1]!) : undefined;
	};
	const objects = [...xml.matchAll(/<object>([\s\S]*?)<\/object>/g)].map(([, block]) => ({
		name: leaf(block!, 'name'),
		difficult: leaf(block!, 'difficult'),
		box: ['xmin', 'ymin', 'xmax', 'ymax'].map((t) => Number(leaf(block!, t)))
	}));
	return {
		filename: leaf(xml, 'filename'),
		width: Number(leaf(xml, 'width')),
		height: Number(leaf(xml, 'height')),
		depth: leaf(xml, 'depth'),
		objects
	};
}

describe('vocFormat', () => {
	it('writes 1-based corners clipped to the image, with escaped class names', async () => {
		const files = await writeAll(vocFormat, detectionSnapshot());
		const one = readVoc(text(files.get('Annotations/000001_one.xml')));
		expect(one).toEqual({
			filename: '000001_one.png',
			width: 32,
			height: 24,
			depth: '3',
			objects: [
				{ name: 'zebra', difficult: '0', box: [3, 4, 12, 11] },
				{ name: 'a<b&"c"', difficult: '0', box: [1, 1, 32, 24] }
			]
		});
		expect(text(files.get('Annotations/000001_one.xml'))).toContain(
			'<name>a&lt;b&amp;&quot;c&quot;</name>'
		);
		expect(readVoc(text(files.get('Annotations/000002_two.xml'))).objects).toEqual([
			{ name: 'ant', difficult: '0', box: [26, 12, 40, 30] }
		]);
		expect(readVoc(text(files.get('Annotations/000003_empty.xml'))).objects).toEqual([]);
		// 0.4 + 3 → xmin round(0.4) + 1 = 1, xmax round(3.4) = 3.
		expect(readVoc(text(files.get('Annotations/000005_test.xml'))).objects[1]!.box).toEqual([
			1, 2, 3, 4
		]);
		for (const [path, bytes] of files) {
			if (!path.startsWith('Annotations/')) continue;
			const voc = readVoc(text(bytes));
			expect(files.has(`JPEGImages/${voc.filename}`)).toBe(true);
			for (const { box } of voc.objects) {
				const [xmin, ymin, xmax, ymax] = box as [number, number, number, number];
				expect(1 <= xmin && xmin <= xmax && xmax <= voc.width).toBe(true);
				expect(1 <= ymin && ymin <= ymax && ymax <= voc.height).toBe(true);
			}
		}
	});

	it('lists splits under VOC names, trainval, and the classes', async () => {
		const files = await writeAll(vocFormat, detectionSnapshot());
		expect(text(files.get('ImageSets/Main/train.txt'))).toBe(
			'000001_one\n000002_two\n000003_empty\n'
		);
		expect(text(files.get('ImageSets/Main/val.txt'))).toBe('000004_val\n');
		expect(text(files.get('ImageSets/Main/test.txt'))).toBe('000005_test\n');
		expect(text(files.get('ImageSets/Main/trainval.txt'))).toBe(
			'000001_one\n000002_two\n000003_empty\n000004_val\n'
		);
		expect(text(files.get('labels.txt'))).toBe('zebra\nant\na<b&"c"\n');
		expect(files.has('ImageSets/Main/validation.txt')).toBe(false);
	});

	it('is deterministic', async () => {
		const a = await writeAll(vocFormat, detectionSnapshot());
		const b = await writeAll(vocFormat, detectionSnapshot());
		for (const [path, bytes] of a) expect(b.get(path), path).toEqual(bytes);
	});
});
