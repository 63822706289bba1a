import { z } from 'zod';
import type { SourceFiles } from '../sourceFiles';
import type { ImportedDataset, ImportedRecord } from './dataset';
import {
	DatasetFormatError,
	Warnings,
	basename,
	dirname,
	isImagePath,
	parseJson,
	parseWith,
	plural,
	requireText,
	type Split
} from './common';

/**
 * Our ImageFolder export: `<split>/<class folder>/<image>` beside a `dataset_info.json` that
 * lists the classes in index order with their folder names
 * (`{"format": "imagefolder", "classes": [{"index": 0, "name": "cat", "folder": "00_cat"}]}`).
 * A plain `<class>/<image>` tree without that file is the folder-label import, not this.
 */

const SPLITS: readonly Split[] = ['train', 'validation', 'test'];

const Info = z.object({
	format: z.literal('imagefolder'),
	classes: z.array(
		z.object({
			index: z.number().int().nonnegative().optional(),
			name: z.string(),
			folder: z.string()
		})
	)
});

/** `dataset_info.json` with `<split>/<folder>/<image>` files beside it, or null (paths only). */
export function imageFolderInfoPath(paths: readonly string[]): string | null {
	for (const p of paths) {
		if (basename(p) !== 'dataset_info.json') continue;
		const root = dirname(p) === '' ? '' : `${dirname(p)}/`;
		const fits = paths.some((q) => {
			if (!q.startsWith(root) || !isImagePath(q)) return false;
			const parts = q.slice(root.length).split('/');
			return parts.length === 3 && SPLITS.includes(parts[0] as Split);
		});
		if (fits) return p;
	}
	return null;
}

/** Whether a parsed `dataset_info.json` has our shape. */
export const isImageFolderInfo = (value: unknown): boolean => Info.safeParse(value).success;

/**
 * Reads our ImageFolder export.
 *
 * Example: `dataset_info.json` (classes cat → `00_cat`, ant → `01_ant`) and `train/01_ant/a.png`
 * → `{ format: 'imagefolder', classes: ['cat', 'ant'], records: [{ name: 'train/01_ant/a.png', split: 'train', label: { type: 'classes', names: ['ant'] } }] }`
 */
export async function readImageFolder(files: SourceFiles): Promise<ImportedDataset> {
	const infoPath = imageFolderInfoPath(files.paths);
	if (infoPath === null)
		throw new DatasetFormatError('no dataset_info.json beside <split>/<class>/<image> folders');
	const info = parseWith(Info, parseJson(infoPath, await requireText(files, infoPath)), infoPath);
	const classes = [...info.classes];
	if (classes.every((c) => c.index !== undefined))
		classes.sort((a, b) => (a.index as number) - (b.index as number));
	const byFolder = new Map<string, string>();
	classes.forEach((c, i) => {
		if (byFolder.has(c.folder))
			throw new DatasetFormatError(`${infoPath}: classes[${i}].folder: "${c.folder}" repeats`);
		byFolder.set(c.folder, c.name);
	});
	const root = dirname(infoPath) === '' ? '' : `${dirname(infoPath)}/`;
	const warnings = new Warnings();
	const records: ImportedRecord[] = [];
	for (const path of files.paths) {
		if (!path.startsWith(root) || !isImagePath(path)) continue;
		const parts = path.slice(root.length).split('/');
		if (parts.length !== 3 || !SPLITS.includes(parts[0] as Split)) {
			warnings.tally(
				'outside',
				(n) => `${plural(n, 'image')} outside <split>/<class>/ folders skipped (first: ${path})`
			);
			continue;
		}
		const name = byFolder.get(parts[1] as string);
		if (name === undefined) {
			warnings.tally(
				`folder:${parts[1]}`,
				(n) =>
					`${plural(n, 'image')} in ${parts[0]}/${parts[1]}/, a folder ${infoPath} does not list, skipped`
			);
			continue;
		}
		records.push({
			name: path,
			kind: 'image',
			text: null,
			split: parts[0] as Split,
			width: null,
			height: null,
			label: { type: 'classes', names: [name] }
		});
	}
	return {
		format: 'imagefolder',
		taskKind: 'image-classification',
		multiLabel: false,
		classes: classes.map((c) => c.name),
		relationTypes: [],
		records,
		warnings: warnings.toArray()
	};
}
