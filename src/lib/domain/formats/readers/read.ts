import type { SourceFiles } from '../sourceFiles';
import type { ImportedDataset, ReaderId } from './dataset';
import {
	DatasetFormatError,
	basename,
	dirname,
	extension,
	isImagePath,
	parseJson,
	requireText,
	stem
} from './common';
import { bratAnnPaths, readBrat } from './brat';
import { readCoco, looksLikeCoco } from './coco';
import { hfDataPaths, hfLabelMapPath, isTokenRows, readHfText } from './hfText';
import { imageFolderInfoPath, isImageFolderInfo, readImageFolder } from './imageFolder';
import { isPytorchAnnotations, pytorchAnnotationsPath, readPytorch } from './pytorch';
import { conllPaths, readConll } from './conll';
import { csvPaths, readCsv } from './csv';
import { jsonlPaths, readJsonl } from './jsonl';
import {
	looksLikeRelationsJson,
	readRelationsJson,
	readSpacyJson,
	textJsonPaths
} from './textJson';
import { vocXmlPaths, readVoc } from './voc';
import { readDarknet, readYolo, yoloConfigPath } from './yolo';

/**
 * The format of a dataset from its file layout alone (no file is opened). The JSON family
 * (COCO, spaCy JSON, relations-json) and the JSONL family (doccano, text-jsonl, image-jsonl)
 * share extensions: this gives the likeliest by name (`instances_*.json` → coco, other JSON →
 * spacy-json, JSONL → doccano-jsonl); `sniffFormat` opens one file to tell them apart.
 *
 * Example: `detectFormat(['data.yaml', 'images/train/a.jpg', 'labels/train/a.txt'])` → `'yolo'`
 */
export function detectFormat(paths: readonly string[]): ReaderId | null {
	const has = (test: (p: string) => boolean) => paths.some(test);
	// Our own exports first: each has a file of its own that no other tool writes.
	if (imageFolderInfoPath(paths)) return 'imagefolder';
	if (pytorchAnnotationsPath(paths)) return 'pytorch';
	if (bratAnnPaths(paths).length > 0) return 'brat';
	if (hfLabelMapPath(paths)) return 'hf-text-classification';
	const names = new Set(paths.map((p) => basename(p).toLowerCase()));
	const yaml = yoloConfigPath(paths);
	const labelTxt = has((p) => extension(p) === 'txt' && p.split('/').includes('labels'));
	if (yaml && (/^(data|dataset)\.ya?ml$/i.test(basename(yaml)) || labelTxt)) return 'yolo';
	if (names.has('obj.names') || names.has('obj.data') || has((p) => extension(p) === 'names'))
		return 'darknet';
	if (names.has('classes.txt')) {
		// classes.txt alone is common; darknet also has a label file beside each image.
		const set = new Set(paths);
		if (
			has(
				(p) =>
					isImagePath(p) && set.has(`${dirname(p) === '' ? '' : `${dirname(p)}/`}${stem(p)}.txt`)
			)
		)
			return 'darknet';
	}
	if (vocXmlPaths(paths).length > 0) return 'voc';
	if (conllPaths(paths).length > 0) return 'conll';
	const json = paths.filter((p) => extension(p) === 'json');
	if (json.some((p) => /^instances|(^|[._])coco\.json$/i.test(basename(p)))) return 'coco';
	if (json.some((p) => basename(p) === 'schema.json')) return 'relations-json';
	if (textJsonPaths(paths).length > 0) return 'spacy-json';
	if (jsonlPaths(paths).length > 0) return 'doccano-jsonl';
	if (csvPaths(paths).length > 0) return 'csv';
	return null;
}

/**
 * Like `detectFormat`, then opens one JSON or JSONL file to tell the family members apart.
 *
 * Example: `await sniffFormat(files)` with `train.json` = `[{"id":"1","text":"…","entities":[],"relations":[]}]` → `'relations-json'`
 */
export async function sniffFormat(files: SourceFiles): Promise<ReaderId | null> {
	const guess = detectFormat(files.paths);
	if (guess === 'imagefolder') {
		// Ours only when dataset_info.json has our shape (Hugging Face caches have one too).
		const info = imageFolderInfoPath(files.paths) as string;
		let value: unknown = null;
		try {
			value = parseJson(info, await requireText(files, info));
		} catch {
			// Not ours.
		}
		if (isImageFolderInfo(value)) return 'imagefolder';
		return detectFormat(files.paths.filter((p) => p !== info));
	}
	if (guess === 'hf-text-classification') {
		const map = hfLabelMapPath(files.paths) as string;
		for (const p of hfDataPaths(files.paths, map)) {
			const text = await requireText(files, p);
			if (text.trim() !== '')
				return isTokenRows(text) ? 'hf-token-classification' : 'hf-text-classification';
		}
	}
	if (guess === 'spacy-json' || guess === 'coco') {
		for (const path of files.paths.filter(
			(p) => extension(p) === 'json' && basename(p) !== 'schema.json'
		)) {
			let value: unknown;
			try {
				value = parseJson(path, await requireText(files, path));
			} catch {
				continue;
			}
			if (isPytorchAnnotations(value)) return 'pytorch';
			if (looksLikeCoco(value)) return 'coco';
			if (Array.isArray(value))
				return looksLikeRelationsJson(value) ? 'relations-json' : 'spacy-json';
		}
	}
	if (guess === 'doccano-jsonl') {
		const first = jsonlPaths(files.paths)[0] as string;
		const text = await requireText(files, first);
		for (const line of text.split('\n', 50)) {
			let row: unknown;
			try {
				row = JSON.parse(line);
			} catch {
				continue;
			}
			if (typeof row !== 'object' || row === null) continue;
			if ('file' in row && !('text' in row)) return 'image-jsonl';
			const r = row as Record<string, unknown>;
			return 'spans' in r || 'labels' in r || typeof r.label === 'string'
				? 'text-jsonl'
				: 'doccano-jsonl';
		}
	}
	return guess;
}

/**
 * Reads a labelled dataset from another tool (or one of our exports), detecting the format
 * when `format` is omitted. Throws DatasetFormatError naming the file and the line or key.
 *
 * Example: `await readDataset(sourceFilesOf(zipMembers))` →
 * `{ format: 'coco', taskKind: 'object-detection', classes: […], records: […], warnings: [] }`
 */
export async function readDataset(files: SourceFiles, format?: ReaderId): Promise<ImportedDataset> {
	const id = format ?? (await sniffFormat(files));
	if (id === null) {
		throw new DatasetFormatError(
			'no dataset format recognised: expected COCO JSON, YOLO (data.yaml), darknet (obj.names), Pascal VOC XML, CoNLL, spaCy JSON, brat, JSONL, CSV or one of our exports'
		);
	}
	switch (id) {
		case 'coco':
			return readCoco(files);
		case 'yolo':
			return readYolo(files);
		case 'darknet':
			return readDarknet(files);
		case 'voc':
			return readVoc(files);
		case 'conll':
			return readConll(files, format !== undefined);
		case 'spacy-json':
			return readSpacyJson(files);
		case 'relations-json':
			return readRelationsJson(files);
		case 'doccano-jsonl':
		case 'text-jsonl':
		case 'image-jsonl':
			return { ...(await readJsonl(files)), ...(format ? { format } : {}) };
		case 'csv':
			return readCsv(files);
		case 'imagefolder':
			return readImageFolder(files);
		case 'pytorch':
			return readPytorch(files);
		case 'brat':
			return readBrat(files);
		case 'hf-token-classification':
		case 'hf-text-classification':
			return readHfText(files);
	}
}
