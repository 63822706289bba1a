import type { LabelClass } from '../../schemas/project';
import { itemFileName, textEntry } from '../paths';
import type { DatasetSnapshot, ExportEntry, ExportFormat, ExportRecord } from '../snapshot';
import { maskedCrc32c } from './crc32c';
import { bytesFeature, encodeExample, floatFeature, int64Feature, type Feature } from './protobuf';
import { classIndices, recordsBySplit } from './textShared';

/**
 * TFRecord files of `tf.train.Example`s with the TensorFlow Object Detection API's feature
 * keys, sharded `train/train.tfrecord-00000-of-00003` with `shardSize` records each, plus
 * `label_map.pbtxt`. Label ids start at 1 (the OD API keeps 0 for background), in the task's
 * class order.
 *
 * A record is `uint64 length, uint32 masked_crc32c(length), data, uint32 masked_crc32c(data)`,
 * all little-endian. A shard's records are buffered (bounded by `shardSize`); images are
 * read one at a time.
 */

/** One TFRecord frame around `data`. */
export function frameRecord(data: Uint8Array): Uint8Array {
	const out = new Uint8Array(8 + 4 + data.length + 4);
	const view = new DataView(out.buffer);
	view.setBigUint64(0, BigInt(data.length), true);
	view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
	out.set(data, 12);
	view.setUint32(12 + data.length, maskedCrc32c(data), true);
	return out;
}

const clamp01 = (v: number): number => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0);

/** TF's `image/format` value for a MIME type. */
function imageFormat(mime: string): string {
	const sub = mime.startsWith('image/') ? mime.slice(6) : mime;
	return sub === 'jpg' ? 'jpeg' : sub;
}

/** The features of one record: the image with its identity, then its label. */
export function exampleFeatures(
	record: ExportRecord,
	classes: readonly LabelClass[],
	multiLabel: boolean,
	bytes: Uint8Array
): Record<string, Feature> {
	const { item } = record;
	const width = item.width ?? 0;
	const height = item.height ?? 0;
	const features: Record<string, Feature> = {
		'image/encoded': bytesFeature(bytes),
		'image/format': bytesFeature(imageFormat(item.mime)),
		'image/filename': bytesFeature(itemFileName(item)),
		'image/source_id': bytesFeature(String(item.id)),
		'image/key/sha256': bytesFeature(item.sha256),
		'image/height': int64Feature([height]),
		'image/width': int64Feature([width])
	};
	const value = record.label.value;
	if (value.type === 'boxes') {
		const index = new Map(classes.map((c, i) => [c.id, i]));
		const xmin: number[] = [];
		const xmax: number[] = [];
		const ymin: number[] = [];
		const ymax: number[] = [];
		const text: string[] = [];
		const label: number[] = [];
		for (const b of value.boxes) {
			const i = index.get(b.classId);
			if (i === undefined) continue;
			xmin.push(clamp01(b.x / width));
			xmax.push(clamp01((b.x + b.w) / width));
			ymin.push(clamp01(b.y / height));
			ymax.push(clamp01((b.y + b.h) / height));
			text.push((classes[i] as LabelClass).name);
			label.push(i + 1);
		}
		Object.assign(features, {
			'image/object/bbox/xmin': floatFeature(xmin),
			'image/object/bbox/xmax': floatFeature(xmax),
			'image/object/bbox/ymin': floatFeature(ymin),
			'image/object/bbox/ymax': floatFeature(ymax),
			'image/object/class/text': bytesFeature(...text),
			'image/object/class/label': int64Feature(label)
		});
	} else {
		const indices = classIndices(record, classes, multiLabel);
		features['image/class/label'] = int64Feature(indices.map((i) => i + 1));
		features['image/class/text'] = bytesFeature(
			...indices.map((i) => (classes[i] as LabelClass).name)
		);
	}
	return features;
}

/** A `.pbtxt` single-quoted string: backslash, quote and control characters escaped. */
function pbtxtString(s: string): string {
	let out = '';
	for (const c of s) {
		const code = c.charCodeAt(0);
		if (c === '\\') out += '\\\\';
		else if (c === "'") out += "\\'";
		else if (c === '\n') out += '\\n';
		else if (c === '\r') out += '\\r';
		else if (c === '\t') out += '\\t';
		else if (code < 0x20 || code === 0x7f) out += '\\' + code.toString(8).padStart(3, '0');
		else out += c;
	}
	return `'${out}'`;
}

/**
 * The Object Detection API's label map: one `item` per class, ids from 1 in class order.
 *
 * Example: classes `cat`, `dog` → `item {\n  id: 1\n  name: 'cat'\n  display_name: 'cat'\n}\n…`.
 */
export function labelMap(classes: readonly Pick<LabelClass, 'name'>[]): string {
	return classes
		.map(
			(c, i) =>
				`item {\n  id: ${i + 1}\n  name: ${pbtxtString(c.name)}\n  display_name: ${pbtxtString(c.name)}\n}\n`
		)
		.join('');
}

/** `00000`-style shard numbers, as TensorFlow's own writers name them. */
const pad5 = (n: number): string => String(n).padStart(5, '0');

function readme(snapshot: DatasetSnapshot, shards: string[]): string {
	const detection = snapshot.task.kind === 'object-detection';
	const labelLines = detection
		? [
				"    'image/object/bbox/xmin': tf.io.VarLenFeature(tf.float32),",
				"    'image/object/bbox/xmax': tf.io.VarLenFeature(tf.float32),",
				"    'image/object/bbox/ymin': tf.io.VarLenFeature(tf.float32),",
				"    'image/object/bbox/ymax': tf.io.VarLenFeature(tf.float32),",
				"    'image/object/class/text': tf.io.VarLenFeature(tf.string),",
				"    'image/object/class/label': tf.io.VarLenFeature(tf.int64),"
			]
		: [
				"    'image/class/label': tf.io.VarLenFeature(tf.int64),",
				"    'image/class/text': tf.io.VarLenFeature(tf.string),"
			];
	return [
		`# ${snapshot.projectName} — ${snapshot.task.name} (TFRecord)`,
		'',
		'`tf.train.Example` records with the feature keys of the TensorFlow Object Detection API,',
		`sharded ${snapshot.options.shardSize} records per file:`,
		'',
		...(shards.length > 0 ? shards.map((s) => `- \`${s}\``) : ['- (no records)']),
		"- `label_map.pbtxt`: class ids (from 1, in the task's class order; 0 is background) and names",
		'',
		'Every example has `image/encoded` (the original file bytes), `image/format`,',
		'`image/filename`, `image/source_id` (the item id), `image/key/sha256`, `image/height` and',
		'`image/width`.',
		detection
			? 'Boxes are `image/object/bbox/{xmin,xmax,ymin,ymax}`, normalised to [0, 1] by the image size, with `image/object/class/label` (id from 1) and `image/object/class/text`.'
			: `Labels are \`image/class/label\` (id from 1${snapshot.task.multiLabel ? ', several for multi-label items' : ''}) and \`image/class/text\`.`,
		'',
		'```python',
		'import tensorflow as tf',
		'',
		'features = {',
		"    'image/encoded': tf.io.FixedLenFeature([], tf.string),",
		"    'image/format': tf.io.FixedLenFeature([], tf.string),",
		"    'image/filename': tf.io.FixedLenFeature([], tf.string),",
		"    'image/height': tf.io.FixedLenFeature([], tf.int64),",
		"    'image/width': tf.io.FixedLenFeature([], tf.int64),",
		...labelLines,
		'}',
		'',
		'def parse(record):',
		'    example = tf.io.parse_single_example(record, features)',
		"    image = tf.io.decode_image(example['image/encoded'], channels=3, expand_animations=False)",
		`    label = tf.sparse.to_dense(example['${detection ? 'image/object/class/label' : 'image/class/label'}'])`,
		'    return image, label',
		'',
		"files = tf.io.gfile.glob('train/train.tfrecord-*')",
		'dataset = tf.data.TFRecordDataset(files).map(parse)',
		'```',
		''
	].join('\n');
}

async function* writeTfrecord(snapshot: DatasetSnapshot): AsyncGenerator<ExportEntry> {
	const { task } = snapshot;
	const shardSize = Math.max(1, Math.floor(snapshot.options.shardSize));
	const shards: string[] = [];
	for (const { split, records } of recordsBySplit(snapshot.records)) {
		const count = Math.ceil(records.length / shardSize);
		for (let s = 0; s < count; s++) {
			const frames: Uint8Array[] = [];
			let size = 0;
			for (const record of records.slice(s * shardSize, (s + 1) * shardSize)) {
				const bytes = await snapshot.readBytes(record.item);
				const frame = frameRecord(
					encodeExample(exampleFeatures(record, task.classes, task.multiLabel, bytes))
				);
				frames.push(frame);
				size += frame.length;
			}
			const shard = new Uint8Array(size);
			let at = 0;
			for (const f of frames) {
				shard.set(f, at);
				at += f.length;
			}
			const path = `${split}/${split}.tfrecord-${pad5(s)}-of-${pad5(count)}`;
			shards.push(path);
			yield { path, bytes: shard, compress: false };
		}
	}
	yield textEntry('label_map.pbtxt', labelMap(task.classes));
	yield textEntry('README.md', readme(snapshot, shards));
}

export const tfrecordFormat: ExportFormat = {
	id: 'tfrecord',
	name: 'TFRecord',
	description: 'Sharded tf.train.Example records with Object Detection API keys, and a label map.',
	consumers: 'TensorFlow tf.data, TensorFlow Object Detection API',
	itemKind: 'image',
	taskKinds: ['image-classification', 'object-detection'],
	multiLabel: true,
	write: writeTfrecord
};
