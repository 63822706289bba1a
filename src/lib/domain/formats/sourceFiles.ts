/**
 * A set of files to read a dataset or project file from: the members of a zip, a dropped
 * folder, or a map in tests. Bytes are read on demand so a reader that only needs the
 * annotation files never loads gigabytes of images.
 */
export type SourceFiles = {
	/** Every file path, `/`-separated, relative to the root, no leading `./` or `/`. */
	readonly paths: readonly string[];
	/** The file's bytes; undefined when there is no such path. */
	read(path: string): Promise<Uint8Array | undefined>;
};

/** SourceFiles over an in-memory map (tests, small uploads). */
export function sourceFilesOf(files: ReadonlyMap<string, Uint8Array>): SourceFiles {
	return {
		paths: [...files.keys()].sort(),
		read: async (path) => files.get(path)
	};
}

/** Reads a file as UTF-8 text (a BOM is dropped); undefined when missing. */
export async function readText(files: SourceFiles, path: string): Promise<string | undefined> {
	const bytes = await files.read(path);
	if (!bytes) return undefined;
	const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
	return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
