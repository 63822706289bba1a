import { describe, expect, it } from 'vitest';
import type { LabelTask } from '../../schemas/project';
import { collect, fixtureSnapshot, text } from '../fixtures';
import { labelMap, tfrecordFormat } from './tfrecord';

/** Bit-by-bit CRC-32C, independent of the writer's table. */
function crc32cSlow(bytes: Uint8Array): number {
	let c = 0xffffffff;
	for (const b of bytes) {
		c ^= b;
		for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
	}
	return (c ^ 0xffffffff) >>> 0;
}
const mask = (crc: number) => ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;

/** Splits a TFRecord file into records, checking both CRCs of each. */
function readRecords(file: Uint8Array): Uint8Array[] {
	const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
	const out: Uint8Array[] = [];
	let at = 0;
	while (at < file.length) {
		const len = Number(view.getBigUint64(at, true));
		expect(view.getUint32(at + 8, true)).toBe(mask(crc32cSlow(file.subarray(at, at + 8))));
		const data = file.subarray(at + 12, at + 12 + len);
		expect(view.getUint32(at + 12 + len, true)).toBe(mask(crc32cSlow(data)));
		out.push(data);
		at += 16 + len;
	}
	expect(at).toBe(file.length);
	return out;
}

type Field = { field: number; wire: number; value: bigint | Uint8Array | number };

function fields(bytes: Uint8Array): Field[] {
	const out: Field[] = [];
	let at = 0;
	const varint = (): bigint => {
		let v = 0n;
		let shift = 0n;
		for (;;) {
			if (at >= bytes.length) throw new Error('truncated varint');
			const b = bytes[at++] as number;
			v |= BigInt(b & 0x7f) << shift;
			shift += 7n;
			if (b < 0x80) return v;
		}
	};
	while (at < bytes.length) {
		const key = Number(varint());
		const wire = key & 7;
		if (wire === 0) out.push({ field: key >> 3, wire, value: varint() });
		else if (wire === 2) {
			const n = Number(varint());
			out.push({ field: key >> 3, wire, value: bytes.subarray(at, at + n) });
			at += n;
		} else throw new Error(`wire type ${wire}`);
	}
	return out;
}

type Decoded = { bytes?: string[]; raw?: Uint8Array[]; floats?: number[]; ints?: number[] };

/** Decodes an Example into key → values, with its own protobuf reader. */
function decodeExample(data: Uint8Array): Map<string, Decoded> {
	const [features] = fields(data);
	expect(features?.field).toBe(1);
	const map = new Map<string, Decoded>();
	for (const entry of fields(features?.value as Uint8Array)) {
		const [k, v] = fields(entry.value as Uint8Array);
		const key = new TextDecoder().decode(k?.value as Uint8Array);
		const [list] = fields(v?.value as Uint8Array);
		const items = fields(list?.value as Uint8Array);
		const d: Decoded = {};
		if (list?.field === 1) {
			d.raw = items.map((i) => i.value as Uint8Array);
			d.bytes = d.raw.map((r) => new TextDecoder().decode(r));
		} else if (list?.field === 2) {
			const packed = (items[0]?.value as Uint8Array | undefined) ?? new Uint8Array();
			const dv = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
			d.floats = Array.from({ length: packed.length / 4 }, (_, i) => dv.getFloat32(i * 4, true));
		} else {
			const packed = (items[0]?.value as Uint8Array | undefined) ?? new Uint8Array();
			d.ints = [];
			let v = 0n;
			let shift = 0n;
			for (const b of packed) {
				v |= BigInt(b & 0x7f) << shift;
				shift += 7n;
				if (b < 0x80) {
					d.ints.push(Number(BigInt.asIntN(64, v)));
					v = 0n;
					shift = 0n;
				}
			}
		}
		map.set(key, d);
	}
	// Keys are written sorted.
	expect([...map.keys()]).toEqual([...map.keys()].sort());
	return map;
}

const classes = [
	{ id: 'c-cat', name: 'cat', color: '#ff0000', key: null },
	{ id: 'c-dog', name: "dog's", color: '#00ff00', key: null }
];
const classify: LabelTask = {
	id: 't1',
	name: 'Species',
	kind: 'image-classification',
	multiLabel: false,
	classes,
	threshold: 0.8,
	productionModelVersionId: null
};

describe('tfrecord writer', () => {
	it('shards each split and frames every record with valid CRCs', async () => {
		const snapshot = fixtureSnapshot(
			classify,
			[
				{ name: 'a.png', value: { type: 'classes', classIds: ['c-cat'] } },
				{ name: 'b.png', value: { type: 'classes', classIds: ['c-dog'] } },
				{ name: 'c.png', value: { type: 'classes', classIds: ['c-cat'] } },
				{ name: 'd.png', value: { type: 'classes', classIds: ['c-dog'] }, split: 'test' },
				{ name: 'e.png', value: { type: 'classes', classIds: [] } }
			],
			{ format: 'tfrecord', shardSize: 2 }
		);
		const files = await collect(tfrecordFormat.write(snapshot));
		expect([...files.keys()]).toEqual([
			'train/train.tfrecord-00000-of-00002',
			'train/train.tfrecord-00001-of-00002',
			'test/test.tfrecord-00000-of-00001',
			'label_map.pbtxt',
			'README.md'
		]);
		const first = readRecords(files.get('train/train.tfrecord-00000-of-00002') as Uint8Array);
		expect(first).toHaveLength(2);
		const ex = decodeExample(first[0] as Uint8Array);
		expect(ex.get('image/class/label')?.ints).toEqual([1]);
		expect(ex.get('image/class/text')?.bytes).toEqual(['cat']);
		expect(ex.get('image/format')?.bytes).toEqual(['png']);
		expect(ex.get('image/filename')?.bytes).toEqual(['000001_a.png']);
		expect(ex.get('image/source_id')?.bytes).toEqual(['1']);
		expect(ex.get('image/key/sha256')?.bytes).toEqual(['1'.padStart(64, '0')]);
		expect(ex.get('image/width')?.ints).toEqual([32]);
		expect(ex.get('image/height')?.ints).toEqual([24]);
		const png = await snapshot.readBytes(snapshot.records[0]!.item);
		expect(
			Buffer.from(ex.get('image/encoded')?.raw?.[0] as Uint8Array).equals(Buffer.from(png))
		).toBe(true);
		const second = readRecords(files.get('train/train.tfrecord-00001-of-00002') as Uint8Array);
		expect(second).toHaveLength(2);
		expect(decodeExample(second[1] as Uint8Array).get('image/class/label')?.ints).toEqual([]);
		const test = readRecords(files.get('test/test.tfrecord-00000-of-00001') as Uint8Array);
		expect(decodeExample(test[0] as Uint8Array).get('image/class/text')?.bytes).toEqual(["dog's"]);
		expect(text(files.get('README.md'))).toContain('tf.data.TFRecordDataset');
	});

	it('writes several labels for multi-label items', async () => {
		const snapshot = fixtureSnapshot({ ...classify, multiLabel: true }, [
			{ name: 'a.png', value: { type: 'classes', classIds: ['c-dog', 'c-cat', 'gone'] } }
		]);
		const files = await collect(tfrecordFormat.write(snapshot));
		const [rec] = readRecords(files.get('train/train.tfrecord-00000-of-00001') as Uint8Array);
		const ex = decodeExample(rec as Uint8Array);
		expect(ex.get('image/class/label')?.ints).toEqual([1, 2]);
		expect(ex.get('image/class/text')?.bytes).toEqual(['cat', "dog's"]);
	});

	it('normalises and clamps boxes for detection', async () => {
		const snapshot = fixtureSnapshot({ ...classify, kind: 'object-detection' }, [
			{
				name: 'a.png',
				width: 200,
				height: 100,
				value: {
					type: 'boxes',
					boxes: [
						{ classId: 'c-dog', x: 20, y: 10, w: 100, h: 50, score: null },
						{ classId: 'c-cat', x: -10, y: 60, w: 300, h: 80, score: null },
						{ classId: 'gone', x: 0, y: 0, w: 1, h: 1, score: null }
					]
				}
			}
		]);
		const files = await collect(tfrecordFormat.write(snapshot));
		const [rec] = readRecords(files.get('train/train.tfrecord-00000-of-00001') as Uint8Array);
		const ex = decodeExample(rec as Uint8Array);
		expect(ex.get('image/object/bbox/xmin')?.floats).toEqual([0.10000000149011612, 0]);
		expect(ex.get('image/object/bbox/xmax')?.floats).toEqual([0.6000000238418579, 1]);
		expect(ex.get('image/object/bbox/ymin')?.floats).toEqual([
			0.10000000149011612, 0.6000000238418579
		]);
		expect(ex.get('image/object/bbox/ymax')?.floats).toEqual([0.6000000238418579, 1]);
		expect(ex.get('image/object/class/label')?.ints).toEqual([2, 1]);
		expect(ex.get('image/object/class/text')?.bytes).toEqual(["dog's", 'cat']);
		expect(ex.has('image/class/label')).toBe(false);
	});

	it('is deterministic and reads one image at a time', async () => {
		const records = Array.from({ length: 7 }, (_, i) => ({
			name: `x${i}.png`,
			value: { type: 'classes' as const, classIds: ['c-cat'] }
		}));
		const snapshot = fixtureSnapshot(classify, records, { shardSize: 3 });
		let open = 0;
		let most = 0;
		const read = snapshot.readBytes;
		snapshot.readBytes = async (item) => {
			most = Math.max(most, ++open);
			const b = await read(item);
			open--;
			return b;
		};
		const a = await collect(tfrecordFormat.write(snapshot));
		const b = await collect(tfrecordFormat.write(snapshot));
		expect(most).toBe(1);
		expect([...a.keys()]).toEqual([...b.keys()]);
		for (const [k, v] of a)
			expect(Buffer.from(v).equals(Buffer.from(b.get(k) as Uint8Array))).toBe(true);
		expect(a.has('train/train.tfrecord-00002-of-00003')).toBe(true);
	});

	it('escapes names in the label map', () => {
		expect(labelMap([{ name: 'cat' }, { name: "it's a \\ thing" }])).toBe(
			"item {\n  id: 1\n  name: 'cat'\n  display_name: 'cat'\n}\n" +
				"item {\n  id: 2\n  name: 'it\\'s a \\\\ thing'\n  display_name: 'it\\'s a \\\\ thing'\n}\n"
		);
	});
});
