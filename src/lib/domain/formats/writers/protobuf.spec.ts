import { describe, expect, it } from 'vitest';
import {
	bytesFeature,
	encodeExample,
	encodeFeature,
	floatFeature,
	int64Feature,
	ProtoWriter
} from './protobuf';

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');

describe('ProtoWriter', () => {
	it('writes varints, including 64-bit and negative ones', () => {
		expect(hex(new ProtoWriter().rawVarint(1).finish())).toBe('01');
		expect(hex(new ProtoWriter().rawVarint(300).finish())).toBe('ac 02');
		expect(hex(new ProtoWriter().rawVarint(2 ** 32).finish())).toBe('80 80 80 80 10');
		expect(hex(new ProtoWriter().rawVarint(-1).finish())).toBe('ff ff ff ff ff ff ff ff ff 01');
		expect(hex(new ProtoWriter().rawVarint(2n ** 63n).finish())).toBe(
			'80 80 80 80 80 80 80 80 80 01'
		);
	});

	it('writes tagged fields', () => {
		expect(hex(new ProtoWriter().varint(1, 150).finish())).toBe('08 96 01');
		expect(hex(new ProtoWriter().string(2, 'testing').finish())).toBe('12 07 74 65 73 74 69 6e 67');
		expect(hex(new ProtoWriter().packedInt64(4, [3, 270, 86942]).finish())).toBe(
			'22 06 03 8e 02 9e a7 05'
		);
		expect(hex(new ProtoWriter().packedFloats(1, [1.5]).finish())).toBe('0a 04 00 00 c0 3f');
		expect(hex(new ProtoWriter().packedFloats(1, []).finish())).toBe('');
	});
});

describe('tf.train.Example', () => {
	it('encodes each feature kind as a oneof of lists', () => {
		expect(hex(encodeFeature(bytesFeature('hi')))).toBe('0a 04 0a 02 68 69');
		expect(hex(encodeFeature(floatFeature([1.5])))).toBe('12 06 0a 04 00 00 c0 3f');
		expect(hex(encodeFeature(int64Feature([1, 2])))).toBe('1a 04 0a 02 01 02');
		// Empty lists still say which kind they are.
		expect(hex(encodeFeature(floatFeature([])))).toBe('12 00');
	});

	it('encodes the features map with entries in sorted key order', () => {
		// Example{1: Features{1: entry{1: "a", 2: Feature{3: Int64List{1: [1]}}}}}
		expect(hex(encodeExample({ a: int64Feature([1]) }))).toBe(
			'0a 0c 0a 0a 0a 01 61 12 05 1a 03 0a 01 01'
		);
		const twoWays = [
			encodeExample({ b: bytesFeature('x'), a: int64Feature([1]) }),
			encodeExample({ a: int64Feature([1]), b: bytesFeature('x') })
		];
		expect(hex(twoWays[0] as Uint8Array)).toBe(hex(twoWays[1] as Uint8Array));
		expect(hex(twoWays[0] as Uint8Array)).toBe(
			'0a 18 0a 0a 0a 01 61 12 05 1a 03 0a 01 01 0a 0a 0a 01 62 12 05 0a 03 0a 01 78'
		);
	});
});
