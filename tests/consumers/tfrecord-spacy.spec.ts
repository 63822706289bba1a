import { describe, expect, it } from 'vitest';
import type { LabelTask } from '../../src/lib/domain/schemas/project';
import { collect, fixtureSnapshot } from '../../src/lib/domain/formats/fixtures';
import { tfrecordFormat } from '../../src/lib/domain/formats/writers/tfrecord';
import { spacyFormat } from '../../src/lib/domain/formats/writers/spacy';
import { pythonHas, runPython, writeTree } from './python';

/**
 * TFRecord and spaCy exports read by Python: TensorFlow isn't installed, so the test builds
 * `tf.train.Example` from a FileDescriptorProto with the field numbers of
 * tensorflow/core/example/{example,feature}.proto and checks CRCs with crcmod; DocBins are
 * unpacked with zlib + msgpack + numpy as spaCy's `DocBin.from_bytes` does, and string ids
 * are recomputed with a pure-Python MurmurHash64A.
 */

const TFRECORD_READER = String.raw`
import glob, json, struct, sys
import crcmod.predefined
from google.protobuf import descriptor_pb2, message_factory

crc = crcmod.predefined.mkCrcFun('crc-32c')
def masked(data):
    c = crc(data)
    return (((c >> 15) | (c << 17)) + 0xa282ead8) & 0xffffffff

fp = descriptor_pb2.FileDescriptorProto(name='tensorflow/core/example/example.proto', package='tensorflow', syntax='proto3')
F = descriptor_pb2.FieldDescriptorProto
def msg(name, fields, nested=()):
    m = fp.message_type.add(name=name)
    for n in nested: m.nested_type.add().CopyFrom(n)
    for (fname, num, typ, label, tname) in fields:
        f = m.field.add(name=fname, number=num, type=typ, label=label)
        if tname: f.type_name = tname
    return m
REP, OPT = F.LABEL_REPEATED, F.LABEL_OPTIONAL
msg('BytesList', [('value', 1, F.TYPE_BYTES, REP, None)])
msg('FloatList', [('value', 1, F.TYPE_FLOAT, REP, None)])
msg('Int64List', [('value', 1, F.TYPE_INT64, REP, None)])
feature = msg('Feature', [
    ('bytes_list', 1, F.TYPE_MESSAGE, OPT, '.tensorflow.BytesList'),
    ('float_list', 2, F.TYPE_MESSAGE, OPT, '.tensorflow.FloatList'),
    ('int64_list', 3, F.TYPE_MESSAGE, OPT, '.tensorflow.Int64List')])
feature.oneof_decl.add(name='kind')
for f in feature.field: f.oneof_index = 0
entry = descriptor_pb2.DescriptorProto(name='FeatureEntry')
entry.options.map_entry = True
entry.field.add(name='key', number=1, type=F.TYPE_STRING, label=OPT)
entry.field.add(name='value', number=2, type=F.TYPE_MESSAGE, label=OPT, type_name='.tensorflow.Feature')
msg('Features', [('feature', 1, F.TYPE_MESSAGE, REP, '.tensorflow.Features.FeatureEntry')], [entry])
msg('Example', [('features', 1, F.TYPE_MESSAGE, OPT, '.tensorflow.Features')])
Example = message_factory.GetMessages([fp])['tensorflow.Example']

out = {}
for path in sorted(glob.glob('*/*.tfrecord-*')):
    data = open(path, 'rb').read()
    at, examples = 0, []
    while at < len(data):
        head = data[at:at + 8]
        (n,) = struct.unpack('<Q', head)
        assert struct.unpack('<I', data[at + 8:at + 12])[0] == masked(head), 'length crc'
        body = data[at + 12:at + 12 + n]
        assert struct.unpack('<I', data[at + 12 + n:at + 16 + n])[0] == masked(body), 'data crc'
        at += 16 + n
        ex = Example()
        ex.ParseFromString(body)
        assert ex.SerializeToString(deterministic=True) == body, 'canonical bytes'
        feats = {}
        for key, f in ex.features.feature.items():
            kind = f.WhichOneof('kind')
            vals = list(getattr(f, kind).value)
            if kind == 'bytes_list':
                vals = [len(v) if key == 'image/encoded' else v.decode('utf-8') for v in vals]
            elif kind == 'float_list':
                vals = [round(v, 5) for v in vals]
            feats[key] = vals
        examples.append(feats)
    out[path] = examples
print(json.dumps(out, sort_keys=True))
`;

const DOCBIN_READER = String.raw`
import json, sys, zlib
import msgpack, numpy

M = 0xc6a4a7935bd1e995
MASK = (1 << 64) - 1
def murmur64a(data, seed=1):
    h = (seed ^ (len(data) * M)) & MASK
    n = len(data) // 8
    for i in range(n):
        k = int.from_bytes(data[i * 8:i * 8 + 8], 'little')
        k = (k * M) & MASK; k ^= k >> 47; k = (k * M) & MASK
        h ^= k; h = (h * M) & MASK
    rest = data[n * 8:]
    if rest:
        h ^= int.from_bytes(rest, 'little'); h = (h * M) & MASK
    h ^= h >> 47; h = (h * M) & MASK; h ^= h >> 47
    return h
assert murmur64a('coffee'.encode()) == 3197928453018144401
SYMBOLS = {'': 0, 'X': 101, 'PERSON': 380, 'ORG': 383, 'root': 449, 'number': 432}
def string_id(s):
    return SYMBOLS[s] if s in SYMBOLS else murmur64a(s.encode('utf-8'))

out = {}
for path in sys.argv[1:]:
    msg = msgpack.unpackb(zlib.decompress(open(path, 'rb').read()), raw=False)
    assert msg['version'] == '0.1'
    attrs = msg['attrs']
    assert attrs[0] == 65
    lengths = numpy.frombuffer(msg['lengths'], dtype='int32')
    spaces = numpy.frombuffer(msg['spaces'], dtype=bool)
    tokens = numpy.frombuffer(msg['tokens'], dtype='uint64').reshape((-1, len(attrs)))
    assert tokens.shape[0] == spaces.shape[0] == int(lengths.sum())
    by_id = {string_id(s): s for s in msg['strings']}
    by_id[0] = ''
    assert len(msg['cats']) == len(msg['flags']) == len(msg['span_groups']) == len(lengths)
    docs, row = [], 0
    for d, n in enumerate(lengths):
        words, text, starts, ents = [], '', [], []
        for i in range(row, row + int(n)):
            word = by_id[int(tokens[i, 0])]
            starts.append(len(text))
            words.append(word)
            text += word + (' ' if spaces[i] else '')
            if len(attrs) == 3:
                iob, typ = int(tokens[i, 1]), int(tokens[i, 2])
                if iob == 3:
                    ents.append([starts[-1], starts[-1] + len(word), by_id[typ]])
                elif iob == 1:
                    assert ents and by_id[typ] == ents[-1][2], 'I continues an entity'
                    ents[-1][1] = starts[-1] + len(word)
                else:
                    assert iob == 2 and typ == 0
        row += int(n)
        docs.append({'text': text, 'ents': ents, 'cats': msg['cats'][d], 'flags': msg['flags'][d]})
    out[path] = {'attrs': attrs, 'docs': docs}
print(json.dumps(out, sort_keys=True, ensure_ascii=False))
`;

const classes = [
	{ id: 'cat', name: 'cat', color: '#ff0000', key: null },
	{ id: 'dog', name: 'dög', color: '#00ff00', key: null }
];
const imageTask = (kind: LabelTask['kind'], multiLabel = false): LabelTask => ({
	id: 'task',
	name: 'Task',
	kind,
	multiLabel,
	classes,
	threshold: 0.8,
	productionModelVersionId: null
});

describe.skipIf(!pythonHas(['google.protobuf', 'crcmod', 'msgpack', 'numpy']))(
	'TFRecord and spaCy consumers',
	() => {
		it('TFRecord shards parse as tf.train.Example with valid CRCs (classification)', async () => {
			const snapshot = fixtureSnapshot(
				imageTask('image-classification', true),
				[
					{ name: 'a.png', value: { type: 'classes', classIds: ['cat'] } },
					{ name: 'b.png', value: { type: 'classes', classIds: ['dog', 'cat'] } },
					{ name: 'c.png', value: { type: 'classes', classIds: ['dog'] }, split: 'validation' }
				],
				{ format: 'tfrecord', shardSize: 1 }
			);
			const files = await collect(tfrecordFormat.write(snapshot));
			const out = JSON.parse(runPython(TFRECORD_READER, writeTree(files))) as Record<
				string,
				Record<string, unknown[]>[]
			>;
			expect(Object.keys(out)).toEqual([
				'train/train.tfrecord-00000-of-00002',
				'train/train.tfrecord-00001-of-00002',
				'validation/validation.tfrecord-00000-of-00001'
			]);
			const b = out['train/train.tfrecord-00001-of-00002']?.[0] as Record<string, unknown[]>;
			expect(b['image/class/label']).toEqual([1, 2]);
			expect(b['image/class/text']).toEqual(['cat', 'dög']);
			expect(b['image/filename']).toEqual(['000002_b.png']);
			expect(b['image/format']).toEqual(['png']);
			expect(b['image/width']).toEqual([32]);
			expect(b['image/height']).toEqual([24]);
			expect(b['image/encoded']).toEqual([snapshot.records[1]?.item.size]);
		});

		it('TFRecord detection boxes parse with the Object Detection API keys', async () => {
			const snapshot = fixtureSnapshot(imageTask('object-detection'), [
				{
					name: 'a.png',
					width: 100,
					height: 50,
					value: {
						type: 'boxes',
						boxes: [
							{ classId: 'dog', x: 10, y: 5, w: 40, h: 20, score: null },
							{ classId: 'cat', x: 90, y: 40, w: 50, h: 50, score: null }
						]
					}
				}
			]);
			const files = await collect(tfrecordFormat.write(snapshot));
			const out = JSON.parse(runPython(TFRECORD_READER, writeTree(files))) as Record<
				string,
				Record<string, unknown[]>[]
			>;
			const ex = out['train/train.tfrecord-00000-of-00001']?.[0] as Record<string, unknown[]>;
			expect(ex['image/object/bbox/xmin']).toEqual([0.1, 0.9]);
			expect(ex['image/object/bbox/xmax']).toEqual([0.5, 1]);
			expect(ex['image/object/bbox/ymin']).toEqual([0.1, 0.8]);
			expect(ex['image/object/bbox/ymax']).toEqual([0.5, 1]);
			expect(ex['image/object/class/label']).toEqual([2, 1]);
			expect(ex['image/object/class/text']).toEqual(['dög', 'cat']);
		});

		it('spaCy DocBins unpack into the texts, entities and cats', async () => {
			const task: LabelTask = {
				...imageTask('named-entities'),
				classes: [
					{ id: 'p', name: 'PERSON', color: '#ff0000', key: null },
					{ id: 'l', name: 'Stadt', color: '#00ff00', key: null }
				]
			};
			const texts = ['Ada Lovelace visited  Köln.\nroot X', 'number 👍 Zoë in Parisians ', ''];
			const snapshot = fixtureSnapshot(task, [
				{
					name: 'a.txt',
					text: texts[0],
					value: {
						type: 'spans',
						spans: [
							{ id: '1', classId: 'p', start: 0, end: 12 },
							{ id: '2', classId: 'l', start: 21, end: 26 }
						],
						relations: []
					}
				},
				{
					name: 'b.txt',
					text: texts[1],
					value: {
						type: 'spans',
						spans: [
							{ id: '3', classId: 'p', start: 10, end: 13 },
							{ id: '4', classId: 'l', start: 17, end: 22 }
						],
						relations: []
					}
				},
				{
					name: 'c.txt',
					text: texts[2],
					value: { type: 'spans', spans: [], relations: [] },
					split: 'test'
				}
			]);
			const files = await collect(spacyFormat.write(snapshot));
			const root = writeTree(files);
			type Out = Record<
				string,
				{
					attrs: number[];
					docs: { text: string; ents: [number, number, string][]; cats: object }[];
				}
			>;
			const out = JSON.parse(runPython(DOCBIN_READER, root, ['train.spacy', 'test.spacy'])) as Out;
			const train = out['train.spacy'];
			expect(train?.attrs).toEqual([65, 77, 78]);
			expect(train?.docs.map((d) => d.text)).toEqual(texts.slice(0, 2));
			// A span starting on whitespace starts at the next word; in the second text the emoji
			// counts once (Python offsets are code points).
			expect(train?.docs[0]?.ents).toEqual([
				[0, 12, 'PERSON'],
				[22, 26, 'Stadt']
			]);
			expect(train?.docs[1]?.ents).toEqual([
				[9, 12, 'PERSON'],
				[16, 21, 'Stadt']
			]);
			const json = JSON.parse(new TextDecoder().decode(files.get('train.json'))) as {
				entities: unknown[];
			}[];
			expect(json.map((j) => j.entities)).toEqual(train?.docs.map((d) => d.ents));
			expect(out['test.spacy']?.docs).toEqual([
				{ text: '', ents: [], cats: {}, flags: { has_unknown_spaces: false } }
			]);

			const textcat = fixtureSnapshot(
				{ ...imageTask('text-classification'), classes: task.classes },
				[{ name: 'a.txt', text: 'Good  stuff', value: { type: 'classes', classIds: ['l'] } }]
			);
			const catFiles = await collect(spacyFormat.write(textcat));
			const cats = JSON.parse(
				runPython(DOCBIN_READER, writeTree(catFiles), ['train.spacy'])
			) as Out;
			expect(cats['train.spacy']?.attrs).toEqual([65]);
			expect(cats['train.spacy']?.docs[0]).toEqual({
				text: 'Good  stuff',
				ents: [],
				cats: { PERSON: 0, Stadt: 1 },
				flags: { has_unknown_spaces: false }
			});
		});
	}
);
