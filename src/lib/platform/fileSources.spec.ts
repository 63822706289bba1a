import { describe, expect, it } from 'vitest';
import { fromDataTransfer } from './fileSources';

// Browsers hand a dropped folder over as FileSystemEntry trees whose readers return entries
// in batches (Chromium: 100 at a time). These fakes follow that contract.
type FakeEntry = {
	isFile: boolean;
	isDirectory: boolean;
	fullPath: string;
	file?: (ok: (f: File) => void) => void;
	createReader?: () => { readEntries: (ok: (batch: FakeEntry[]) => void) => void };
};

function fileEntry(fullPath: string): FakeEntry {
	const name = fullPath.split('/').at(-1) ?? fullPath;
	return {
		isFile: true,
		isDirectory: false,
		fullPath,
		file: (ok) => ok(new File([fullPath], name))
	};
}

function dirEntry(fullPath: string, children: FakeEntry[], batch = 2): FakeEntry {
	return {
		isFile: false,
		isDirectory: true,
		fullPath,
		createReader: () => {
			let offset = 0;
			return {
				readEntries: (ok) => {
					const next = children.slice(offset, offset + batch);
					offset += next.length;
					setTimeout(() => ok(next), 0);
				}
			};
		}
	};
}

function transfer(entries: FakeEntry[]): DataTransfer {
	return {
		items: entries.map((entry) => ({ kind: 'file', webkitGetAsEntry: () => entry })),
		files: []
	} as unknown as DataTransfer;
}

describe('fromDataTransfer', () => {
	it('walks nested folders, reading every batch, and keeps relative paths', async () => {
		const tree = dirEntry('/pets', [
			dirEntry('/pets/cat', [
				fileEntry('/pets/cat/1.png'),
				fileEntry('/pets/cat/2.png'),
				fileEntry('/pets/cat/3.png')
			]),
			dirEntry('/pets/dog', [
				dirEntry('/pets/dog/puppies', [fileEntry('/pets/dog/puppies/4.png')])
			]),
			fileEntry('/pets/readme.txt')
		]);
		const picked = await fromDataTransfer(transfer([tree, fileEntry('/loose.jpg')]));
		expect(picked.map((p) => p.path)).toEqual([
			'pets/cat/1.png',
			'pets/cat/2.png',
			'pets/cat/3.png',
			'pets/dog/puppies/4.png',
			'pets/readme.txt',
			'loose.jpg'
		]);
		expect(await picked[3]?.file.text()).toBe('/pets/dog/puppies/4.png');
	});

	it('falls back to the plain file list when the browser gives no entries', async () => {
		const file = new File(['x'], 'plain.txt');
		const dt = {
			items: [{ kind: 'file', webkitGetAsEntry: () => null }],
			files: [file]
		} as unknown as DataTransfer;
		expect(await fromDataTransfer(dt)).toEqual([{ file, path: 'plain.txt' }]);
	});
});
