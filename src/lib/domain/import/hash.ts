const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function toHex(bytes: Uint8Array): string {
	let out = '';
	for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i] as number];
	return out;
}

/** WebCrypto refuses views of a SharedArrayBuffer, so those are copied first. */
function digestable(data: ArrayBuffer | Uint8Array): ArrayBuffer | Uint8Array<ArrayBuffer> {
	if (!ArrayBuffer.isView(data)) return data;
	if (data.buffer instanceof ArrayBuffer) return data as Uint8Array<ArrayBuffer>;
	return data.slice();
}

/**
 * SHA-256 of some bytes as lowercase hex, via WebCrypto (Node 20, workers and pages alike).
 *
 * Example: `await sha256Hex(new TextEncoder().encode('abc'))` →
 * `'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'`
 */
export async function sha256Hex(data: ArrayBuffer | Uint8Array): Promise<string> {
	const digest = await globalThis.crypto.subtle.digest('SHA-256', digestable(data));
	return toHex(new Uint8Array(digest));
}

/**
 * SHA-256 of a text's UTF-8 bytes as lowercase hex, so equal texts de-duplicate.
 *
 * Example: `await sha256OfText('abc')` → `'ba7816bf…15ad'`
 */
export async function sha256OfText(text: string): Promise<string> {
	return sha256Hex(new TextEncoder().encode(text));
}
