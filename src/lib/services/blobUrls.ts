import { thumbKey } from '$lib/domain/schemas';
import { db } from '$lib/db/database';

/**
 * Object URLs for stored images, kept in a small LRU so a scrolling grid reuses them and
 * old ones are revoked instead of leaking. Requests made in the same task are read with one
 * `bulkGet` (one IndexedDB transaction for a whole screen of thumbnails, not one each).
 */
class BlobUrlCache {
	private readonly urls = new Map<string, Promise<string | null>>();
	private batch = new Map<string, (url: string | null) => void>();

	constructor(private readonly capacity: number) {}

	get(key: string): Promise<string | null> {
		const hit = this.urls.get(key);
		if (hit) {
			this.urls.delete(key);
			this.urls.set(key, hit);
			return hit;
		}
		const url = new Promise<string | null>((resolve) => {
			if (this.batch.size === 0) setTimeout(() => void this.read(), 0);
			this.batch.set(key, resolve);
		});
		this.urls.set(key, url);
		this.evict();
		return url;
	}

	private async read(): Promise<void> {
		const batch = this.batch;
		this.batch = new Map();
		const keys = [...batch.keys()];
		const records = await db()
			.blobs.bulkGet(keys)
			.catch(() => keys.map(() => undefined));
		keys.forEach((key, i) => {
			const record = records[i];
			batch.get(key)?.(record ? URL.createObjectURL(record.blob) : null);
		});
	}

	private evict(): void {
		while (this.urls.size > this.capacity) {
			const oldest = this.urls.keys().next().value as string;
			void this.urls.get(oldest)?.then((u) => u && URL.revokeObjectURL(u));
			this.urls.delete(oldest);
		}
	}
}

const thumbs = new BlobUrlCache(600);
const originals = new BlobUrlCache(8);

export const thumbnailUrl = (sha256: string) => thumbs.get(thumbKey(sha256));
export const originalUrl = (sha256: string) => originals.get(sha256);
