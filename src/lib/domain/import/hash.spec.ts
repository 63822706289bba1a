import { describe, it, expect } from 'vitest';
import { sha256Hex, sha256OfText } from './hash';

const ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('sha256Hex', () => {
	it('matches the FIPS 180-2 vector for "abc"', async () => {
		expect(await sha256Hex(new Uint8Array([0x61, 0x62, 0x63]))).toBe(ABC);
	});

	it('hashes an ArrayBuffer and the empty input', async () => {
		expect(await sha256Hex(new Uint8Array([0x61, 0x62, 0x63]).buffer)).toBe(ABC);
		expect(await sha256Hex(new Uint8Array())).toBe(EMPTY);
	});

	it('hashes only the bytes a view covers', async () => {
		const outer = new Uint8Array([0xff, 0x61, 0x62, 0x63, 0xff]);
		expect(await sha256Hex(outer.subarray(1, 4))).toBe(ABC);
	});

	it('hashes views of a SharedArrayBuffer', async () => {
		const shared = new Uint8Array(new SharedArrayBuffer(3));
		shared.set([0x61, 0x62, 0x63]);
		expect(await sha256Hex(shared)).toBe(ABC);
	});

	it('matches the two-block FIPS vector, in lowercase hex', async () => {
		const text = 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq';
		expect(await sha256Hex(new TextEncoder().encode(text))).toBe(
			'248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'
		);
	});
});

describe('sha256OfText', () => {
	it('hashes the UTF-8 bytes of a text', async () => {
		expect(await sha256OfText('abc')).toBe(ABC);
		expect(await sha256OfText('é')).toBe(await sha256Hex(new Uint8Array([0xc3, 0xa9])));
	});
});
