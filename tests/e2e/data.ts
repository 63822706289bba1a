import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BlobWriter, Uint8ArrayReader, ZipWriter } from '@zip.js/zip.js/lib/zip-core-native.js';
import type { Page } from '@playwright/test';

// Test data made fresh by each run: real images encoded by Chromium itself, zips written
// by zip.js, and deliberately broken files (CONVENTIONS.md #12).

export type ImageSpec = {
	type: 'image/png' | 'image/jpeg' | 'image/webp';
	w: number;
	h: number;
	hue: number;
};

/** Encodes distinct images with the page's canvas; returns their bytes. */
export async function encodeImages(page: Page, specs: ImageSpec[]): Promise<Buffer[]> {
	const encoded = await page.evaluate(async (list) => {
		const out: string[] = [];
		for (const spec of list) {
			const canvas = new OffscreenCanvas(spec.w, spec.h);
			const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
			const gradient = ctx.createLinearGradient(0, 0, spec.w, spec.h);
			gradient.addColorStop(0, `hsl(${spec.hue} 80% 60%)`);
			gradient.addColorStop(1, `hsl(${(spec.hue + 120) % 360} 70% 30%)`);
			ctx.fillStyle = gradient;
			ctx.fillRect(0, 0, spec.w, spec.h);
			ctx.fillStyle = '#fff';
			ctx.font = `${Math.round(spec.h / 4)}px sans-serif`;
			ctx.fillText(String(spec.hue), 4, spec.h / 2);
			const blob = await canvas.convertToBlob({ type: spec.type, quality: 0.9 });
			const bytes = new Uint8Array(await blob.arrayBuffer());
			let binary = '';
			for (const b of bytes) binary += String.fromCharCode(b);
			out.push(btoa(binary));
		}
		return out;
	}, specs);
	return encoded.map((b64) => Buffer.from(b64, 'base64'));
}

export async function makeZip(
	entries: [string, Uint8Array | string][],
	level = 6
): Promise<Buffer> {
	const writer = new ZipWriter(new BlobWriter('application/zip'), { level });
	for (const [name, content] of entries) {
		const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
		await writer.add(name, new Uint8ArrayReader(bytes));
	}
	return Buffer.from(await (await writer.close()).arrayBuffer());
}

/** Writes files under a fresh temporary folder and returns its path. */
export function writeTree(name: string, files: Record<string, Uint8Array | string>): string {
	const root = join('tests', '.tmp', name);
	rmSync(root, { recursive: true, force: true });
	for (const [path, content] of Object.entries(files)) {
		const full = join(root, path);
		mkdirSync(dirname(full), { recursive: true });
		writeFileSync(full, content);
	}
	return root;
}
