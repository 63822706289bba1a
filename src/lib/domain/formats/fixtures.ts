import type { AnnotationValue } from '../schemas/annotation';
import type { LabelTask } from '../schemas/project';
import { zlibStored } from './writers/zlib';
import {
	defaultExportOptions,
	type DatasetSnapshot,
	type ExportItem,
	type ExportOptions,
	type ExportRecord,
	type ExportSplit
} from './snapshot';

/**
 * Small, real datasets for the writers' tests: images are genuine PNGs (any decoder opens
 * them), so the same fixtures feed the Python consumer tests.
 */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
	let c = 0xffffffff;
	for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
	const out = new Uint8Array(12 + data.length);
	const view = new DataView(out.buffer);
	view.setUint32(0, data.length);
	for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
	out.set(data, 8);
	view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
	return out;
}

/**
 * Scanlines of a solid-colour RGB image (filter byte 0 per row). With `seed`, the first
 * pixel's red is `seed & 0xff`, so each seed gives distinct bytes.
 */
export function solidRows(
	width: number,
	height: number,
	rgb: [number, number, number],
	seed?: number
): Uint8Array {
	const row = 1 + width * 3;
	const raw = new Uint8Array(row * height);
	for (let y = 0; y < height; y++)
		for (let x = 0; x < width; x++) raw.set(rgb, y * row + 1 + x * 3);
	if (seed !== undefined) raw[1] = seed & 0xff;
	return raw;
}

/** A PNG of 8-bit RGB scanlines, given as zlib data (stored or compressed). */
export function rgbPng(width: number, height: number, zlibRows: Uint8Array): Uint8Array {
	const ihdr = new Uint8Array(13);
	const hv = new DataView(ihdr.buffer);
	hv.setUint32(0, width);
	hv.setUint32(4, height);
	ihdr.set([8, 2, 0, 0, 0], 8);
	return concat([
		Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
		chunk('IHDR', ihdr),
		chunk('IDAT', zlibRows),
		chunk('IEND', new Uint8Array())
	]);
}

/** A solid-colour RGB PNG in zlib "stored" blocks (no compression library needed). */
export function solidPng(width: number, height: number, rgb: [number, number, number]): Uint8Array {
	return rgbPng(width, height, zlibStored(solidRows(width, height, rgb)));
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
}

export type FixtureRecord = {
	name: string;
	value: AnnotationValue;
	split?: ExportSplit;
	/** Texts: the text. Images: a colour (a PNG of `width`×`height` is made). */
	text?: string;
	rgb?: [number, number, number];
	width?: number;
	height?: number;
	score?: number | null;
};

/**
 * A snapshot of `records` for `task`, with item ids from 1 and every label approved by `ana`.
 * Bytes for images are real PNGs.
 */
export function fixtureSnapshot(
	task: LabelTask,
	records: readonly FixtureRecord[],
	options: Partial<ExportOptions> = {},
	tasks: readonly LabelTask[] = [task]
): DatasetSnapshot {
	const bytes = new Map<number, Uint8Array>();
	const out: ExportRecord[] = records.map((r, i) => {
		const id = i + 1;
		const isText = r.text !== undefined;
		const width = r.width ?? 32;
		const height = r.height ?? 24;
		const png = isText ? null : solidPng(width, height, r.rgb ?? [200, 30, 30]);
		if (png) bytes.set(id, png);
		const item: ExportItem = {
			id,
			name: r.name,
			kind: isText ? 'text' : 'image',
			mime: isText ? 'text/plain' : 'image/png',
			sha256: id.toString(16).padStart(64, '0'),
			size: isText ? (r.text as string).length : (png as Uint8Array).length,
			width: isText ? null : width,
			height: isText ? null : height,
			text: isText ? (r.text as string) : null,
			createdAt: 1_700_000_000_000 + id
		};
		return {
			item,
			split: r.split ?? 'train',
			label: {
				value: r.value,
				status: 'approved',
				source: 'human',
				reviewer: 'ana',
				updatedAt: 1_700_000_100_000 + id,
				score: r.score ?? null,
				level: null
			}
		};
	});
	return {
		projectName: 'Fixture project',
		task,
		tasks,
		records: out,
		options: { ...defaultExportOptions('text-jsonl', task.id), ...options },
		createdAt: 1_700_000_200_000,
		readBytes: async (item) => {
			const b = bytes.get(item.id);
			if (!b) throw new Error(`no bytes for item ${item.id}`);
			return b;
		}
	};
}

/** Collects a writer's stream into a path → bytes map (tests only: real exports stream). */
export async function collect(
	entries: AsyncIterable<{ path: string; bytes: Uint8Array }>
): Promise<Map<string, Uint8Array>> {
	const files = new Map<string, Uint8Array>();
	for await (const e of entries) {
		if (files.has(e.path)) throw new Error(`duplicate path ${e.path}`);
		files.set(e.path, e.bytes);
	}
	return files;
}

export const text = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes);
