import { describe, expect, it } from 'vitest';
import { FileIndex, joinPath, parseJson, splitFromName } from './common';
import { displayedImageSize, jpegOrientation } from './imageHeader';
import { jpeg, png } from './testFiles';
import { parseXml } from './xml';
import { parseYaml } from './yaml';

describe('splitFromName', () => {
	it.each([
		['annotations/instances_train2017.json', 'train'],
		['annotations/instances_val.json', 'validation'],
		['eng.testa', 'validation'],
		['eng.testb', 'test'],
		['dev.conll', 'validation'],
		['data/test.jsonl', 'test'],
		['train-00000-of-00002.jsonl', 'train'],
		['images/valid/a.jpg', 'validation'],
		['stuff.csv', null]
	])('%s → %s', (path, split) => expect(splitFromName(path)).toBe(split));
});

describe('paths', () => {
	it('never joins outside the base', () => {
		expect(joinPath('a/b', '../c.jpg')).toBe('a/c.jpg');
		expect(joinPath('a', '../../etc/passwd')).toBeNull();
	});

	it('resolves references near a base, then by suffix and base name', () => {
		const index = new FileIndex(['ds/images/train/1.jpg', 'ds/images/val/1.jpg', 'other/2.png']);
		expect(index.resolve('1.jpg', ['ds'], ['val'])).toBe('ds/images/val/1.jpg');
		expect(index.resolve('x/2.png', [''])).toBe('other/2.png');
		expect(index.resolve('3.png', [''])).toBeNull();
	});
});

describe('parseJson', () => {
	it('names the file and line of a syntax error', () => {
		expect(() => parseJson('a.json', '{\n"x": 1,\n}')).toThrow(/^a\.json: invalid JSON at line 3/);
	});
});

describe('parseYaml', () => {
	it('reads flow lists, block maps, block lists, quotes and comments', () => {
		const yaml = parseYaml(
			[
				'# comment',
				'path: ../datasets/coco8 # trailing',
				"train: 'images/train'",
				'names:',
				'  0: person',
				'  1: "traffic light"',
				'val: [images/val, "images/extra"]',
				'test:',
				'- a',
				'- b',
				'nc: 2'
			].join('\n'),
			'data.yaml'
		);
		expect(yaml).toEqual({
			path: '../datasets/coco8',
			train: 'images/train',
			names: { '0': 'person', '1': 'traffic light' },
			val: ['images/val', 'images/extra'],
			test: ['a', 'b'],
			nc: '2'
		});
	});

	it('reads a flow list over several lines and names bad lines', () => {
		expect(parseYaml("names: ['a',\n  'b: c']\n", 'd.yaml')).toEqual({ names: ['a', 'b: c'] });
		expect(() => parseYaml('names\n', 'd.yaml')).toThrow('d.yaml: line 1: expected key: value');
	});
});

describe('parseXml', () => {
	it('decodes entities, numeric references and CDATA, and skips comments and declarations', () => {
		const doc = parseXml(
			'<?xml version="1.0"?>\n<!DOCTYPE a>\n<!-- c --><a k="x &amp; y"><b>T &lt;&amp;&gt; &quot;&apos; &#65;&#x42;</b><c><![CDATA[<raw>]]></c><d/></a>',
			'a.xml'
		);
		expect(doc.attributes.k).toBe('x & y');
		expect(doc.children.map((c) => c.name)).toEqual(['b', 'c', 'd']);
		expect(doc.children[0]?.text).toBe('T <&> "\' AB');
		expect(doc.children[1]?.text).toBe('<raw>');
	});

	it('names the file and line of a mismatched tag', () => {
		expect(() => parseXml('<a>\n<b>\n</a>', 'x.xml')).toThrow(
			'x.xml: line 3: </a> does not close <b>'
		);
		expect(() => parseXml('<a>', 'x.xml')).toThrow('<a> is not closed');
	});
});

describe('displayedImageSize', () => {
	it('reads PNG sizes', () =>
		expect(displayedImageSize(png(7, 5))).toEqual({ width: 7, height: 5 }));

	it('swaps JPEG width and height for EXIF orientations 5–8', () => {
		for (const o of [1, 2, 3, 4])
			expect(displayedImageSize(jpeg(40, 30, o))).toEqual({ width: 40, height: 30 });
		for (const o of [5, 6, 7, 8])
			expect(displayedImageSize(jpeg(40, 30, o, o % 2 ? 'II' : 'MM'))).toEqual({
				width: 30,
				height: 40
			});
		expect(jpegOrientation(jpeg(40, 30, 6, 'II'))).toBe(6);
		expect(jpegOrientation(jpeg(40, 30, null))).toBe(1);
	});

	it('is null for unknown bytes', () =>
		expect(displayedImageSize(new Uint8Array([1, 2, 3]))).toBeNull());
});

describe('jsonErrorOffset', () => {
	it('finds where JSON goes wrong', async () => {
		const { jsonErrorOffset } = await import('./jsonPosition');
		expect(jsonErrorOffset('{"a": [1, {"b": null}], "c": "\\u00e9"}')).toBeNull();
		expect(jsonErrorOffset('{"a": [,]}')).toBe(7);
		expect(jsonErrorOffset('[1, 2')).toBe(5);
		expect(jsonErrorOffset('{"a": tru}')).toBe(9);
		expect(jsonErrorOffset('[1] x')).toBe(4);
		expect(jsonErrorOffset('[01]')).toBe(2);
	});
});
