/**
 * A minimal Protocol Buffers wire-format encoder: just what `tf.train.Example` needs (varints,
 * length-delimited fields, packed floats and int64s). Field order is the caller's, so the
 * same calls give the same bytes.
 *
 * Wire types: 0 varint, 2 length-delimited, 5 fixed 32-bit.
 */

const encoder = new TextEncoder();

export class ProtoWriter {
	private buf = new Uint8Array(64);
	private len = 0;

	private ensure(extra: number): void {
		if (this.len + extra <= this.buf.length) return;
		let size = this.buf.length * 2;
		while (size < this.len + extra) size *= 2;
		const next = new Uint8Array(size);
		next.set(this.buf.subarray(0, this.len));
		this.buf = next;
	}

	private byte(b: number): void {
		this.ensure(1);
		this.buf[this.len++] = b;
	}

	/** A raw varint; negative numbers as 64-bit two's complement (ten bytes), like int64. */
	rawVarint(value: number | bigint): this {
		if (typeof value === 'number' && value >= 0 && value <= 0x7fffffff) {
			let v = value;
			while (v > 0x7f) {
				this.byte((v & 0x7f) | 0x80);
				v >>>= 7;
			}
			this.byte(v);
			return this;
		}
		let v = BigInt.asUintN(64, BigInt(value));
		while (v > 0x7fn) {
			this.byte(Number(v & 0x7fn) | 0x80);
			v >>= 7n;
		}
		this.byte(Number(v));
		return this;
	}

	private tag(field: number, wireType: number): void {
		this.rawVarint(field * 8 + wireType);
	}

	/** A varint field (int32, int64, uint64, bool, enum). */
	varint(field: number, value: number | bigint): this {
		this.tag(field, 0);
		return this.rawVarint(value);
	}

	/** A length-delimited field: bytes, or an encoded sub-message. */
	bytes(field: number, value: Uint8Array): this {
		this.tag(field, 2);
		this.rawVarint(value.length);
		this.ensure(value.length);
		this.buf.set(value, this.len);
		this.len += value.length;
		return this;
	}

	string(field: number, value: string): this {
		return this.bytes(field, encoder.encode(value));
	}

	/** A packed `repeated float` (float32, little-endian); nothing when empty. */
	packedFloats(field: number, values: readonly number[]): this {
		if (values.length === 0) return this;
		const body = new Uint8Array(values.length * 4);
		const view = new DataView(body.buffer);
		values.forEach((v, i) => view.setFloat32(i * 4, v, true));
		return this.bytes(field, body);
	}

	/** A packed `repeated int64` (varints); nothing when empty. */
	packedInt64(field: number, values: readonly (number | bigint)[]): this {
		if (values.length === 0) return this;
		const inner = new ProtoWriter();
		for (const v of values) inner.rawVarint(v);
		return this.bytes(field, inner.finish());
	}

	finish(): Uint8Array {
		return this.buf.slice(0, this.len);
	}
}

/** One `tf.train.Feature`: a list of byte strings, float32s or int64s. */
export type Feature =
	| { kind: 'bytes'; values: readonly (Uint8Array | string)[] }
	| { kind: 'float'; values: readonly number[] }
	| { kind: 'int64'; values: readonly (number | bigint)[] };

export const bytesFeature = (...values: (Uint8Array | string)[]): Feature => ({
	kind: 'bytes',
	values
});
export const floatFeature = (values: readonly number[]): Feature => ({ kind: 'float', values });
export const int64Feature = (values: readonly (number | bigint)[]): Feature => ({
	kind: 'int64',
	values
});

/**
 * `Feature { oneof kind { BytesList bytes_list = 1; FloatList float_list = 2;
 * Int64List int64_list = 3; } }`, each list holding `repeated … value = 1` (numbers packed).
 * The list message is written even when empty, so the oneof says which kind it is.
 */
export function encodeFeature(feature: Feature): Uint8Array {
	const list = new ProtoWriter();
	let field: number;
	if (feature.kind === 'bytes') {
		field = 1;
		for (const v of feature.values) {
			if (typeof v === 'string') list.string(1, v);
			else list.bytes(1, v);
		}
	} else if (feature.kind === 'float') {
		field = 2;
		list.packedFloats(1, feature.values);
	} else {
		field = 3;
		list.packedInt64(1, feature.values);
	}
	return new ProtoWriter().bytes(field, list.finish()).finish();
}

/**
 * `Example { Features features = 1; }`, `Features { map<string, Feature> feature = 1; }`: a map
 * is a repeated entry message `{ string key = 1; Feature value = 2; }`. Keys are written in
 * sorted (code unit) order so the same features always give the same bytes.
 *
 * Example: `encodeExample({ 'image/width': int64Feature([32]) })`.
 */
export function encodeExample(features: Readonly<Record<string, Feature>>): Uint8Array {
	const map = new ProtoWriter();
	for (const key of Object.keys(features).sort()) {
		const entry = new ProtoWriter()
			.string(1, key)
			.bytes(2, encodeFeature(features[key] as Feature))
			.finish();
		map.bytes(1, entry);
	}
	return new ProtoWriter().bytes(1, map.finish()).finish();
}
