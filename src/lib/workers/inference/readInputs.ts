/// <reference lib="webworker" />
import { db } from '$lib/db/database';
import type { InferenceError } from '$lib/domain/schemas';
import type { ModelInput } from './backend';

/**
 * Turns what the page sends (item ids, raw bytes, texts) into model inputs. Item bytes are
 * read from IndexedDB here, in the worker, so images never cross the boundary as data.
 */
export type WireInput =
	| { kind: 'item'; itemId: number }
	| { kind: 'image'; bytes: ArrayBuffer }
	| { kind: 'text'; text: string };

export type ReadInput = { ok: true; input: ModelInput } | { ok: false; error: InferenceError };

async function decode(blob: Blob, what: string): Promise<ReadInput> {
	try {
		const image = await createImageBitmap(blob, { imageOrientation: 'from-image' });
		return { ok: true, input: { kind: 'image', image } };
	} catch {
		return {
			ok: false,
			error: { code: 'bad-input', message: `${what} could not be decoded as an image` }
		};
	}
}

export async function readInputs(wire: readonly WireInput[]): Promise<ReadInput[]> {
	const itemIds = wire.flatMap((w) => (w.kind === 'item' ? [w.itemId] : []));
	const items = new Map(
		(await db().items.bulkGet(itemIds)).flatMap((item) => (item?.id ? [[item.id, item]] : []))
	);
	const blobKeys = [...items.values()].flatMap((i) => (i.kind === 'image' ? [i.sha256] : []));
	const blobs = new Map(
		(await db().blobs.bulkGet(blobKeys)).flatMap((b) => (b ? [[b.key, b.blob]] : []))
	);
	return Promise.all(
		wire.map(async (w): Promise<ReadInput> => {
			if (w.kind === 'text') return { ok: true, input: { kind: 'text', text: w.text } };
			if (w.kind === 'image') return decode(new Blob([w.bytes]), 'the image');
			const item = items.get(w.itemId);
			if (!item) {
				return {
					ok: false,
					error: { code: 'bad-input', message: `item ${w.itemId} no longer exists` }
				};
			}
			if (item.kind === 'text') return { ok: true, input: { kind: 'text', text: item.text ?? '' } };
			const blob = blobs.get(item.sha256);
			if (!blob) {
				return {
					ok: false,
					error: {
						code: 'bad-input',
						message: `the bytes of ${item.name} are missing from storage`
					}
				};
			}
			return decode(blob, item.name);
		})
	);
}
