import { describe, it, expect } from 'vitest';
import { decodeText } from './textDecode';

const utf8 = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: (Uint8Array | number[])[]) => {
	const out: number[] = [];
	for (const p of parts) out.push(...p);
	return new Uint8Array(out);
};
const utf16 = (s: string, bigEndian: boolean) => {
	const out: number[] = bigEndian ? [0xfe, 0xff] : [0xff, 0xfe];
	for (let i = 0; i < s.length; i++) {
		const u = s.charCodeAt(i);
		out.push(...(bigEndian ? [u >> 8, u & 0xff] : [u & 0xff, u >> 8]));
	}
	return new Uint8Array(out);
};

describe('decodeText', () => {
	it('decodes plain UTF-8', () => {
		expect(decodeText(utf8('héllo ✓ 🐱\nline 2'))).toEqual({
			ok: true,
			text: 'héllo ✓ 🐱\nline 2',
			encoding: 'utf-8'
		});
	});

	it('decodes empty input as empty text', () => {
		expect(decodeText(new Uint8Array())).toEqual({ ok: true, text: '', encoding: 'utf-8' });
	});

	it('strips a UTF-8 BOM', () => {
		const result = decodeText(concat([0xef, 0xbb, 0xbf], utf8('text,label')));
		expect(result).toEqual({ ok: true, text: 'text,label', encoding: 'utf-8' });
	});

	it('decodes UTF-16LE with a BOM and strips it', () => {
		expect(decodeText(utf16('héllo\r\n🐱', false))).toEqual({
			ok: true,
			text: 'héllo\r\n🐱',
			encoding: 'utf-16le'
		});
	});

	it('decodes UTF-16BE with a BOM and strips it', () => {
		expect(decodeText(utf16('héllo\n🐱 ✓', true))).toEqual({
			ok: true,
			text: 'héllo\n🐱 ✓',
			encoding: 'utf-16be'
		});
	});

	it('decodes UTF-16 from a view at an odd offset of a larger buffer', () => {
		const inner = utf16('ab\nc', false);
		const outer = new Uint8Array(inner.length + 1);
		outer.set(inner, 1);
		expect(decodeText(outer.subarray(1))).toMatchObject({ ok: true, text: 'ab\nc' });
	});

	it('reports the byte offset and line of the first invalid UTF-8 byte', () => {
		// Latin-1 "é" (0xE9) on line 3, the classic wrong-encoding export.
		const bytes = concat(utf8('text\nfirst\nsecond caf'), [0xe9], utf8('\nmore'));
		expect(decodeText(bytes)).toEqual({
			ok: false,
			message: 'invalid UTF-8 at byte 21 (line 3); save the file as UTF-8',
			line: 3
		});
	});

	it('counts CRLF and lone CR as one line break each', () => {
		const crlf = concat(utf8('a\r\nb\r\n'), [0xff]);
		expect(decodeText(crlf)).toMatchObject({ ok: false, line: 3 });
		const cr = concat(utf8('a\rb\rc\r'), [0xff]);
		expect(decodeText(cr)).toMatchObject({ ok: false, line: 4 });
	});

	it('counts the offset from the start of the file, BOM included', () => {
		const bytes = concat([0xef, 0xbb, 0xbf], utf8('ab'), [0xc3]);
		expect(decodeText(bytes)).toMatchObject({
			ok: false,
			message: 'invalid UTF-8 at byte 5 (line 1); save the file as UTF-8'
		});
	});

	it.each([
		['a lone continuation byte', [0x80]],
		['an overlong encoding of "/"', [0xc0, 0xaf]],
		['an overlong three-byte sequence', [0xe0, 0x80, 0xaf]],
		['an encoded surrogate', [0xed, 0xa0, 0x80]],
		['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
		['a 0xF5 lead byte', [0xf5, 0x80, 0x80, 0x80]],
		['a lead byte without its continuation', [0xe2, 0x82, 0x41]],
		['a sequence cut off at the end of the file', [0xf0, 0x9f, 0x90]]
	])('rejects %s at the start of the bad sequence', (_name, bad) => {
		const result = decodeText(concat(utf8('ok ✓ '), bad));
		expect(result).toEqual({
			ok: false,
			message: 'invalid UTF-8 at byte 7 (line 1); save the file as UTF-8',
			line: 1
		});
	});

	it('accepts the boundary code points that are well-formed', () => {
		const text = '\u0080\u07ff\u0800\ud7ff\ue000\uffff\u{10000}\u{10ffff}';
		expect(decodeText(utf8(text))).toMatchObject({ ok: true, text });
	});

	it('rejects UTF-16 with an odd byte count', () => {
		const bytes = concat(utf16('ab', false), [0x41]);
		const result = decodeText(bytes);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.message).toMatch(/^invalid UTF-16LE: .*save the file as UTF-8$/);
	});

	it('reports an unpaired surrogate in UTF-16 with its offset and line', () => {
		const bytes = concat(utf16('a\nb', true), [0xd8, 0x3d, 0x00, 0x41]);
		expect(decodeText(bytes)).toEqual({
			ok: false,
			message: 'invalid UTF-16BE at byte 8 (line 2): unpaired surrogate; save the file as UTF-8',
			line: 2
		});
	});
});
