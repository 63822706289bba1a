/**
 * A minimal MessagePack encoder (and a decoder for tests and round trips): nil, bool, ints up
 * to 64 bits, float64, str, bin, array and map. Enough for spaCy's DocBin, which is
 * `zlib(msgpack(dict))`.
 *
 * JavaScript numbers that are integers encode as the smallest int type; others as float64.
 * Wrap a number in `Float64` to force a float (spaCy's `cats` are floats: `1.0`, not `1`).
 * Maps keep insertion order, so the same value gives the same bytes.
 */

export class Float64 {
	constructor(readonly value: number) {}
}

export type MsgValue =
	| null
	| boolean
	| number
	| bigint
	| string
	| Float64
	| Uint8Array
	| readonly MsgValue[]
	| ReadonlyMap<string, MsgValue>
	| { readonly [key: string]: MsgValue };

const utf8 = new TextEncoder();

class Out {
	buf = new Uint8Array(256);
	view = new DataView(this.buf.buffer);
	len = 0;

	ensure(extra: number): void {
		if (this.len + extra <= this.buf.length) return;
		let size = this.buf.length * 2;
		while (size < this.len + extra) size *= 2;
		const next = new Uint8Array(size);
		next.set(this.buf.subarray(0, this.len));
		this.buf = next;
		this.view = new DataView(next.buffer);
	}

	u8(b: number): void {
		this.ensure(1);
		this.buf[this.len++] = b;
	}

	head(type: number, size: 1 | 2 | 4 | 8, value: number | bigint): void {
		this.ensure(1 + size);
		this.buf[this.len++] = type;
		if (size === 1) this.view.setUint8(this.len, Number(value));
		else if (size === 2) this.view.setUint16(this.len, Number(value));
		else if (size === 4) this.view.setUint32(this.len, Number(value));
		else this.view.setBigUint64(this.len, BigInt.asUintN(64, BigInt(value)));
		this.len += size;
	}

	raw(bytes: Uint8Array): void {
		this.ensure(bytes.length);
		this.buf.set(bytes, this.len);
		this.len += bytes.length;
	}
}

function writeInt(out: Out, v: bigint): void {
	if (v >= 0n) {
		if (v < 0x80n) out.u8(Number(v));
		else if (v <= 0xffn) out.head(0xcc, 1, v);
		else if (v <= 0xffffn) out.head(0xcd, 2, v);
		else if (v <= 0xffffffffn) out.head(0xce, 4, v);
		else if (v <= 0xffffffffffffffffn) out.head(0xcf, 8, v);
		else throw new RangeError(`msgpack: ${v} does not fit in 64 bits`);
		return;
	}
	if (v >= -32n) out.u8(Number(v) & 0xff);
	else if (v >= -0x80n) out.head(0xd0, 1, Number(v) & 0xff);
	else if (v >= -0x8000n) out.head(0xd1, 2, Number(v) & 0xffff);
	else if (v >= -0x80000000n) out.head(0xd2, 4, Number(v) >>> 0);
	else if (v >= -0x8000000000000000n) out.head(0xd3, 8, v);
	else throw new RangeError(`msgpack: ${v} does not fit in 64 bits`);
}

function writeLength(
	out: Out,
	n: number,
	fix: number | null,
	fixMax: number,
	t8: number | null,
	t16: number,
	t32: number
): void {
	if (fix !== null && n <= fixMax) out.u8(fix | n);
	else if (t8 !== null && n <= 0xff) out.head(t8, 1, n);
	else if (n <= 0xffff) out.head(t16, 2, n);
	else out.head(t32, 4, n);
}

function write(out: Out, value: MsgValue): void {
	if (value === null) return out.u8(0xc0);
	if (value === false) return out.u8(0xc2);
	if (value === true) return out.u8(0xc3);
	if (typeof value === 'bigint') return writeInt(out, value);
	if (typeof value === 'number') {
		if (Number.isSafeInteger(value)) return writeInt(out, BigInt(value));
		return writeFloat(out, value);
	}
	if (value instanceof Float64) return writeFloat(out, value.value);
	if (typeof value === 'string') {
		const bytes = utf8.encode(value);
		writeLength(out, bytes.length, 0xa0, 31, 0xd9, 0xda, 0xdb);
		return out.raw(bytes);
	}
	if (value instanceof Uint8Array) {
		writeLength(out, value.length, null, 0, 0xc4, 0xc5, 0xc6);
		return out.raw(value);
	}
	if (Array.isArray(value)) {
		const items = value as readonly MsgValue[];
		writeLength(out, items.length, 0x90, 15, null, 0xdc, 0xdd);
		for (const v of items) write(out, v);
		return;
	}
	const entries: [string, MsgValue][] =
		value instanceof Map ? [...(value as ReadonlyMap<string, MsgValue>)] : Object.entries(value);
	writeLength(out, entries.length, 0x80, 15, null, 0xde, 0xdf);
	for (const [k, v] of entries) {
		write(out, k);
		write(out, v);
	}
}

function writeFloat(out: Out, v: number): void {
	out.ensure(9);
	out.buf[out.len++] = 0xcb;
	out.view.setFloat64(out.len, v);
	out.len += 8;
}

/**
 * The MessagePack bytes of `value`.
 *
 * Example: `encodeMsgpack({ a: [1, 'x'] })` → `81 a1 61 92 01 a1 78`.
 */
export function encodeMsgpack(value: MsgValue): Uint8Array {
	const out = new Out();
	write(out, value);
	return out.buf.slice(0, out.len);
}

export type Decoded =
	null | boolean | number | bigint | string | Uint8Array | Decoded[] | { [key: string]: Decoded };

/**
 * Decodes one MessagePack value. Maps become plain objects (keys as strings), bin becomes
 * `Uint8Array`, 64-bit ints beyond 2^53 become `bigint`. Extension types are not supported.
 */
export function decodeMsgpack(bytes: Uint8Array): Decoded {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const text = new TextDecoder('utf-8', { fatal: true });
	let at = 0;
	const take = (n: number): Uint8Array => {
		if (at + n > bytes.length) throw new RangeError('msgpack: truncated');
		const out = bytes.subarray(at, at + n);
		at += n;
		return out;
	};
	const u = (n: 1 | 2 | 4): number => {
		const v = n === 1 ? view.getUint8(at) : n === 2 ? view.getUint16(at) : view.getUint32(at);
		at += n;
		return v;
	};
	const big = (v: bigint): number | bigint => (v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v);
	const array = (n: number): Decoded[] => Array.from({ length: n }, () => read());
	const map = (n: number): { [key: string]: Decoded } => {
		const out: { [key: string]: Decoded } = {};
		for (let i = 0; i < n; i++) {
			const k = read();
			out[String(k)] = read();
		}
		return out;
	};
	function read(): Decoded {
		const t = u(1);
		if (t < 0x80) return t;
		if (t >= 0xe0) return t - 0x100;
		if (t >= 0x80 && t <= 0x8f) return map(t & 0x0f);
		if (t >= 0x90 && t <= 0x9f) return array(t & 0x0f);
		if (t >= 0xa0 && t <= 0xbf) return text.decode(take(t & 0x1f));
		switch (t) {
			case 0xc0:
				return null;
			case 0xc2:
				return false;
			case 0xc3:
				return true;
			case 0xc4:
				return take(u(1)).slice();
			case 0xc5:
				return take(u(2)).slice();
			case 0xc6:
				return take(u(4)).slice();
			case 0xca: {
				const v = view.getFloat32(at);
				at += 4;
				return v;
			}
			case 0xcb: {
				const v = view.getFloat64(at);
				at += 8;
				return v;
			}
			case 0xcc:
				return u(1);
			case 0xcd:
				return u(2);
			case 0xce:
				return u(4);
			case 0xcf: {
				const v = view.getBigUint64(at);
				at += 8;
				return big(v);
			}
			case 0xd0:
				return (u(1) << 24) >> 24;
			case 0xd1:
				return (u(2) << 16) >> 16;
			case 0xd2:
				return u(4) | 0;
			case 0xd3: {
				const v = view.getBigInt64(at);
				at += 8;
				return big(v);
			}
			case 0xd9:
				return text.decode(take(u(1)));
			case 0xda:
				return text.decode(take(u(2)));
			case 0xdb:
				return text.decode(take(u(4)));
			case 0xdc:
				return array(u(2));
			case 0xdd:
				return array(u(4));
			case 0xde:
				return map(u(2));
			case 0xdf:
				return map(u(4));
		}
		throw new RangeError(`msgpack: unsupported type 0x${t.toString(16)}`);
	}
	const value = read();
	if (at !== bytes.length) throw new RangeError('msgpack: trailing bytes');
	return value;
}
