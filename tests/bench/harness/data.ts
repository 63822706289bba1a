/**
 * Deterministic benchmark data shared by the harness's parts: a seeded generator, fake hashes
 * and photo-like JPEGs drawn on an OffscreenCanvas.
 */
import type { Item } from '$lib/domain/schemas';

/** mulberry32: a small seeded generator, so every run imports the same dataset. */
export function seeded(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export const pick = <T>(random: () => number, list: readonly T[]): T =>
	list[Math.floor(random() * list.length)] as T;

export const fakeSha = (n: number, salt = 0): string =>
	(salt.toString(16).padStart(8, '0') + n.toString(16)).padStart(64, '0');

/**
 * `n` distinct JPEGs (512×512 unless told): a gradient, shapes, a label and a faint noise
 * layer, so each encodes to a photo-like file (30–120 KB at 512×512). Several canvases
 * encode at once.
 */
export async function makeJpegs(
	n: number,
	seed: number,
	size = 512,
	height = size
): Promise<Blob[]> {
	const width = size;
	const random = seeded(seed);
	const tiles: ImageBitmap[] = [];
	for (let t = 0; t < 4; t++) {
		const data = new ImageData(128, 128);
		for (let p = 0; p < data.data.length; p += 4) {
			const v = Math.floor(random() * 256);
			data.data[p] = v;
			data.data[p + 1] = (v * 7 + t * 50) & 255;
			data.data[p + 2] = 255 - v;
			data.data[p + 3] = 255;
		}
		tiles.push(await createImageBitmap(data));
	}
	const out: Blob[] = new Array<Blob>(n);
	const lanes = 4;
	const draw = async (canvas: OffscreenCanvas, i: number) => {
		const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
		const hue = (i * 37) % 360;
		const gradient = ctx.createLinearGradient(0, 0, width * random(), height);
		gradient.addColorStop(0, `hsl(${hue} 60% 45%)`);
		gradient.addColorStop(1, `hsl(${(hue + 140) % 360} 55% 70%)`);
		ctx.globalAlpha = 1;
		ctx.fillStyle = gradient;
		ctx.fillRect(0, 0, width, height);
		for (let s = 0; s < 12; s++) {
			ctx.fillStyle = `hsl(${Math.floor(random() * 360)} 70% ${30 + Math.floor(random() * 50)}%)`;
			ctx.beginPath();
			ctx.arc(random() * width, random() * height, 10 + random() * 90, 0, Math.PI * 2);
			ctx.fill();
		}
		const pattern = ctx.createPattern(tiles[i % tiles.length] as ImageBitmap, 'repeat');
		if (pattern) {
			ctx.globalAlpha = 0.1;
			ctx.fillStyle = pattern;
			ctx.translate(Math.floor(random() * 128), Math.floor(random() * 128));
			ctx.fillRect(-128, -128, width + 128, height + 128);
			ctx.setTransform(1, 0, 0, 1, 0, 0);
		}
		ctx.globalAlpha = 1;
		ctx.fillStyle = '#fff';
		ctx.font = `bold ${Math.round(Math.min(width, height) / 9)}px sans-serif`;
		ctx.fillText(`#${i} s${seed}`, width * 0.08, height * 0.55);
		out[i] = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
	};
	let next = 0;
	await Promise.all(
		Array.from({ length: lanes }, async () => {
			const canvas = new OffscreenCanvas(width, height);
			while (next < n) await draw(canvas, next++);
		})
	);
	for (const tile of tiles) tile.close();
	return out;
}

const OPENERS = [
	'The delivery arrived',
	'I ordered this for my sister',
	'Honestly the support team',
	'After two weeks of daily use',
	'Our office switched to it',
	'The new update',
	'My first impression was that',
	'Compared with the previous model',
	'The checkout page',
	'When I called about the refund'
] as const;
const WORDS = [
	'battery',
	'screen',
	'quick',
	'slow',
	'late',
	'friendly',
	'broken',
	'package',
	'price',
	'quality',
	'"great"',
	'awful',
	'manual',
	'instructions',
	'colour',
	'replacement',
	'warranty',
	'noise',
	'fits',
	'perfectly',
	'again',
	'never',
	'always',
	'recommend',
	'returned',
	'cheap',
	'solid',
	'light',
	'heavy',
	'customer',
	'service',
	'app',
	'crashes',
	'works',
	'fine',
	'box',
	'damaged',
	'courier',
	'smells',
	'strange',
	'comfortable',
	'loud',
	'small',
	'bigger',
	'expected',
	'than',
	'and',
	'but',
	'with',
	'the',
	'a',
	'was',
	'is',
	'not',
	'very',
	'really',
	'still'
] as const;

/**
 * `n` distinct review-like sentences of 80–200 characters, with commas and quotes here and
 * there so the CSV parser meets quoted fields. The row number makes each one unique.
 */
export function makeTexts(n: number, seed = 1): string[] {
	const random = seeded(seed);
	const texts: string[] = new Array<string>(n);
	for (let i = 0; i < n; i++) {
		const target = 80 + Math.floor(random() * 121);
		let text = `${pick(random, OPENERS)} (order ${100000 + i})`;
		while (text.length < target - 12) {
			text += random() < 0.08 ? `, ${pick(random, WORDS)}` : ` ${pick(random, WORDS)}`;
		}
		texts[i] = `${text.slice(0, 199)}.`;
	}
	return texts;
}

/** The item records the importer would write for the same texts. */
export function textRecords(texts: string[], projectId: number, batchId: number): Item[] {
	const now = Date.now();
	return texts.map((text, i) => ({
		projectId,
		kind: 'text',
		name: `bench-texts.csv:${i + 2}`,
		sha256: fakeSha(i, projectId),
		mime: 'text/plain',
		size: text.length,
		width: null,
		height: null,
		text,
		split: null,
		batchId,
		createdAt: now
	}));
}
