import { thumbKey } from '$lib/domain/schemas';
import { db } from '$lib/db/database';

/**
 * Object URLs for stored images, kept in a small LRU so a scrolling grid reuses them and
 * old ones are revoked instead of leaking decoded bytes.
 */
class BlobUrlCache {
	private readonly urls = new Map<string, Promise<string | null>>();

	constructor(private readonly capacity: number) {}

	get(key: string): Promise<string | null> {
		const hit = this.urls.get(key);
		if (hit) {
			this.urls.delete(key);
			this.urls.set(key, hit);
			return hit;
		}
		const url = db()
			.blobs.get(key)
			.then((record) => (record ? URL.createObjectURL(record.blob) : null));
		this.urls.set(key, url);
		while (this.urls.size > this.capacity) {
			const oldest = this.urls.keys().next().value as string;
			void this.urls.get(oldest)?.then((u) => u && URL.revokeObjectURL(u));
			this.urls.delete(oldest);
		}
		return url;
	}
}

const thumbs = new BlobUrlCache(600);
const originals = new BlobUrlCache(8);

export const thumbnailUrl = (sha256: string) => thumbs.get(thumbKey(sha256));
export const originalUrl = (sha256: string) => originals.get(sha256);
