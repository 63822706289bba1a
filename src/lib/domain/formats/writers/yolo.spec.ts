import { describe, expect, it } from 'vitest';
import { text } from '../fixtures';
import { yoloFormat } from './yolo';
import { detectionSnapshot, writeAll } from './imageFixtures';

/** data.yaml keys this writer uses, read line by line (the consumer test uses PyYAML). */
function dataYaml(source: string) {
	const out: Record<string, string> = {};
	const names: string[] = [];
	for (const line of source.split('\n')) {
		if (line.startsWith('#') || line.trim() === '') continue;
		const name = /^ {2}(\d+): (".*")$/.exec(line);
		if (name) names[Number(name[1])] = JSON.parse(name[2]!);
		else {
			const [key, ...rest] = line.split(': ');
			out[key!.replace(/:$/, '')] = rest.join(': ');
		}
	}
	return { ...out, names };
}

describe('yoloFormat', () => {
	it('writes normalised `cls cx cy w h` lines computed from the pixel size', async () => {
		const snapshot = detectionSnapshot();
		const files = await writeAll(yoloFormat, snapshot);
		const one = text(files.get('labels/train/000001_one.txt'));
		expect(one).toBe(
			'0 0.218750 0.291667 0.312500 0.333333\n2 0.500000 0.500000 1.000000 1.000000\n'
		);
		// Box past the edges: clipped to x 25.4–40, y 10.6–30 of a 40 × 30 image.
		expect(text(files.get('labels/train/000002_two.txt'))).toBe(
			`1 ${((25.4 + 40) / 2 / 40).toFixed(6)} ${((10.6 + 30) / 2 / 30).toFixed(6)} ${(14.6 / 40).toFixed(6)} ${(19.4 / 30).toFixed(6)}\n`
		);
		expect(text(files.get('labels/train/000003_empty.txt'))).toBe('');
		for (const [path, bytes] of files) {
			if (!path.startsWith('labels/')) continue;
			for (const line of text(bytes).split('\n').filter(Boolean)) {
				const [cls, ...xywh] = line.split(' ');
				expect(Number(cls)).toBeLessThan(3);
				expect(xywh).toHaveLength(4);
				for (const v of xywh) {
					expect(v).toMatch(/^\d\.\d{6}$/);
					expect(Number(v)).toBeGreaterThanOrEqual(0);
					expect(Number(v)).toBeLessThanOrEqual(1);
				}
			}
		}
		for (const path of files.keys()) {
			const m = /^images\/(\w+)\/(.+)\.png$/.exec(path);
			if (m) expect(files.has(`labels/${m[1]}/${m[2]}.txt`), path).toBe(true);
		}
	});

	it('writes data.yaml with split folders, nc and quoted names, and no path key', async () => {
		const files = await writeAll(yoloFormat, detectionSnapshot());
		const yaml = dataYaml(text(files.get('data.yaml')));
		expect(yaml).toEqual({
			train: 'images/train',
			val: 'images/validation',
			test: 'images/test',
			nc: '3',
			names: ['zebra', 'ant', 'a<b&"c"']
		});
	});

	it('points val at the training images when there is no validation split', async () => {
		const snapshot = detectionSnapshot();
		const noVal = { ...snapshot, records: snapshot.records.filter((r) => r.split === 'train') };
		const files = await writeAll(yoloFormat, noVal);
		const source = text(files.get('data.yaml'));
		expect(source).toContain('# This export has no validation split');
		expect(dataYaml(source)).toMatchObject({ train: 'images/train', val: 'images/train' });
		expect(dataYaml(source)).not.toHaveProperty('test');
		expect([...files.keys()].some((p) => p.includes('validation') || p.includes('/test/'))).toBe(
			false
		);
	});

	it('is deterministic', async () => {
		const a = await writeAll(yoloFormat, detectionSnapshot({ includeMetadata: true }));
		const b = await writeAll(yoloFormat, detectionSnapshot({ includeMetadata: true }));
		expect([...a.keys()]).toEqual([...b.keys()]);
		for (const [path, bytes] of a) expect(b.get(path), path).toEqual(bytes);
		expect(a.has('metadata.csv')).toBe(true);
	});
});
