import { isZip, SNIFF_BYTES } from '$lib/domain/import/sniff';
import type { SourceFiles } from '$lib/domain/formats/sourceFiles';
import { zipSourceFiles } from '$lib/domain/formats/zipStream';
import type { ImportSource } from './importRunner';

/**
 * The picked files as one labelled dataset: a single zip (its members), or a folder's files
 * with the folder's own name taken off (`coco-export/annotations/…` → `annotations/…`), so
 * the readers see the dataset's layout from its root.
 */
export async function datasetFiles(
	sources: readonly ImportSource[],
	/** The largest file the import accepts: a zip member past it is stopped while unpacking. */
	memberLimit?: number
): Promise<SourceFiles & { close(): Promise<void> }> {
	const only = sources.length === 1 ? sources[0] : undefined;
	if (only) {
		const head = new Uint8Array(await only.file.slice(0, SNIFF_BYTES).arrayBuffer());
		if (isZip(head)) return zipSourceFiles(only.file, { memberLimit });
	}
	const paths = sources.map((s) => s.path.replace(/\\/g, '/').replace(/^\/+/, ''));
	const first = paths[0]?.split('/')[0];
	const shared =
		first !== undefined && paths.every((p) => p.startsWith(`${first}/`)) ? first.length + 1 : 0;
	const byPath = new Map<string, Blob>();
	paths.forEach((p, i) => byPath.set(p.slice(shared), (sources[i] as ImportSource).file));
	return {
		paths: [...byPath.keys()].sort(),
		read: async (path) => {
			const blob = byPath.get(path);
			return blob ? new Uint8Array(await blob.arrayBuffer()) : undefined;
		},
		close: async () => undefined
	};
}
