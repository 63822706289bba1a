import type { LabelTask } from '../../schemas/project';
import { collect, fixtureSnapshot, type FixtureRecord } from '../fixtures';
import type { DatasetSnapshot, ExportFormat, ExportOptions } from '../snapshot';

/**
 * Test data for the image writers and their Python consumer tests: three classes out of
 * folder order (`zebra`, `ant`) and one name that needs escaping everywhere, images of
 * several sizes in all three splits, and the awkward cases (unknown class ids, a box past the
 * image edge, a zero-sized box, an image without boxes).
 */

export const ESCAPED = 'a<b&"c"';

export function imageTask(kind: LabelTask['kind'], multiLabel = false): LabelTask {
	return {
		id: `task-${kind}-${multiLabel ? 'multi' : 'single'}`,
		name: kind === 'object-detection' ? 'Animals (boxes)' : 'Animals',
		kind,
		multiLabel,
		threshold: 0.8,
		productionModelVersionId: null,
		classes: [
			{ id: 'z', name: 'zebra', color: '#111111', key: null },
			{ id: 'a', name: 'ant', color: '#222222', key: null },
			{ id: 'e', name: ESCAPED, color: '#333333', key: null }
		]
	};
}

const classes = (...classIds: string[]) => ({ type: 'classes' as const, classIds });

/** Single-label: validation has no `ant`; item 4 has an unknown class, item 8 none. */
export function singleLabelSnapshot(options: Partial<ExportOptions> = {}): DatasetSnapshot {
	const records: FixtureRecord[] = [
		{ name: 'zoo/Zebra 1.png', value: classes('z'), split: 'train', width: 32, height: 24 },
		{
			name: 'ant.png',
			value: classes('a'),
			split: 'train',
			width: 40,
			height: 30,
			rgb: [0, 90, 0]
		},
		{ name: 'odd.png', value: classes('e'), split: 'train', width: 20, height: 50, score: 0.7 },
		{ name: 'gone.png', value: classes('deleted'), split: 'train' },
		{ name: 'zebra2.png', value: classes('z'), split: 'validation', width: 64, height: 48 },
		{
			name: 'odd2.png',
			value: classes('deleted', 'e'),
			split: 'validation',
			width: 30,
			height: 30
		},
		{ name: 'ant2.png', value: classes('a'), split: 'test', width: 16, height: 16 },
		{ name: 'none.png', value: classes(), split: 'test' }
	];
	return fixtureSnapshot(imageTask('image-classification'), records, options);
}

/** Multi-label: classIds out of class order, an unknown id, an image with no class. */
export function multiLabelSnapshot(options: Partial<ExportOptions> = {}): DatasetSnapshot {
	const records: FixtureRecord[] = [
		{ name: 'a.png', value: classes('e', 'z'), split: 'train', width: 32, height: 24 },
		{ name: 'b.png', value: classes('a'), split: 'train', width: 40, height: 30 },
		{ name: 'c.png', value: classes(), split: 'train', width: 20, height: 50 },
		{ name: 'd.png', value: classes('deleted', 'a', 'a'), split: 'validation' },
		{ name: 'e.png', value: classes('z', 'a', 'e'), split: 'test', width: 64, height: 48 }
	];
	return fixtureSnapshot(imageTask('image-classification', true), records, options);
}

const box = (
	classId: string,
	x: number,
	y: number,
	w: number,
	h: number,
	score: number | null = null
) => ({
	classId,
	x,
	y,
	w,
	h,
	score
});

/**
 * Detection. Item 1: two boxes, one of the escaped class; item 2: a box past the right and
 * bottom edges (clipped to x 25.4–40, y 10.6–30), an unknown class and a zero-sized box
 * (both dropped);
 * item 3: no boxes; items 4, 5: validation and test.
 */
export function detectionSnapshot(options: Partial<ExportOptions> = {}): DatasetSnapshot {
	const records: FixtureRecord[] = [
		{
			name: 'street/one.png',
			value: { type: 'boxes', boxes: [box('z', 2, 3, 10, 8, 0.91), box('e', 0, 0, 32, 24, 0.5)] },
			split: 'train',
			width: 32,
			height: 24,
			score: 0.42
		},
		{
			name: 'two.png',
			value: {
				type: 'boxes',
				boxes: [box('a', 25.4, 10.6, 20, 20), box('deleted', 1, 1, 5, 5), box('z', 5, 5, 0, 4)]
			},
			split: 'train',
			width: 40,
			height: 30
		},
		{
			name: 'empty.png',
			value: { type: 'boxes', boxes: [] },
			split: 'train',
			width: 20,
			height: 50
		},
		{
			name: 'val.png',
			value: { type: 'boxes', boxes: [box('a', 10.2, 12.7, 30.5, 20.25)] },
			split: 'validation',
			width: 64,
			height: 48
		},
		{
			name: 'test.png',
			value: { type: 'boxes', boxes: [box('e', 1, 1, 14, 14), box('z', 0.4, 0.6, 3, 3)] },
			split: 'test',
			width: 16,
			height: 16
		}
	];
	return fixtureSnapshot(imageTask('object-detection'), records, options);
}

/** Every entry of a format's output, checking the compress flag as it goes. */
export async function writeAll(
	format: ExportFormat,
	snapshot: DatasetSnapshot
): Promise<Map<string, Uint8Array>> {
	const entries: { path: string; bytes: Uint8Array }[] = [];
	for await (const e of format.write(snapshot)) {
		const image = /\.(png|jpg|webp|gif|bmp|avif)$/.test(e.path);
		if (e.compress === image) throw new Error(`${e.path}: compress should be ${!image}`);
		entries.push(e);
	}
	return collect(
		(async function* () {
			yield* entries;
		})()
	);
}
