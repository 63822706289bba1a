/**
 * Turns what the user gave us (a file picker, a folder picker, a drop of files and nested
 * folders) into `{ file, path }` pairs, keeping folder paths so `<class>/<image>` layouts
 * can become labels.
 */
export type PickedFile = { file: File; path: string };

export function fromFileList(list: FileList | File[]): PickedFile[] {
	return Array.from(list, (file) => ({
		file,
		path: file.webkitRelativePath || file.name
	}));
}

function readAllEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
	// readEntries returns at most ~100 entries per call: keep reading until it returns none.
	return new Promise((resolve, reject) => {
		const all: FileSystemEntry[] = [];
		const next = () =>
			reader.readEntries((batch) => {
				if (batch.length === 0) resolve(all);
				else {
					all.push(...batch);
					next();
				}
			}, reject);
		next();
	});
}

function entryFile(entry: FileSystemFileEntry): Promise<File> {
	return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walk(entry: FileSystemEntry, out: PickedFile[]): Promise<void> {
	const path = entry.fullPath.replace(/^\/+/, '');
	if (entry.isFile) {
		out.push({ file: await entryFile(entry as FileSystemFileEntry), path });
	} else if (entry.isDirectory) {
		const children = await readAllEntries((entry as FileSystemDirectoryEntry).createReader());
		for (const child of children) await walk(child, out);
	}
}

/** Files and whole nested folders dropped on the page. */
export async function fromDataTransfer(transfer: DataTransfer): Promise<PickedFile[]> {
	// Entries must be taken synchronously, before the drop event's data store is closed.
	const entries = Array.from(transfer.items)
		.filter((item) => item.kind === 'file')
		.map((item) => item.webkitGetAsEntry());
	if (entries.every((e) => e === null)) return fromFileList(transfer.files);
	const out: PickedFile[] = [];
	for (const entry of entries) if (entry) await walk(entry, out);
	return out;
}
