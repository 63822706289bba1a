import type { TaskKind } from '../../schemas/project';
import type { ImportedDataset, ReaderId } from './dataset';

/** What the import page shows about a labelled dataset before it comes in. */
export type DatasetSummary = {
	format: ReaderId;
	taskKind: TaskKind;
	multiLabel: boolean;
	classes: string[];
	relationTypes: string[];
	records: number;
	labelled: number;
	images: number;
	texts: number;
	splits: { train: number; validation: number; test: number; none: number };
	/** The first few warnings, and how many there are in all. */
	warnings: string[];
	warningCount: number;
};

const SHOWN_WARNINGS = 10;

export function summarizeDataset(dataset: ImportedDataset): DatasetSummary {
	const splits = { train: 0, validation: 0, test: 0, none: 0 };
	let labelled = 0;
	let images = 0;
	for (const r of dataset.records) {
		splits[r.split ?? 'none']++;
		if (r.label) labelled++;
		if (r.kind === 'image') images++;
	}
	return {
		format: dataset.format,
		taskKind: dataset.taskKind,
		multiLabel: dataset.multiLabel,
		classes: dataset.classes,
		relationTypes: dataset.relationTypes,
		records: dataset.records.length,
		labelled,
		images,
		texts: dataset.records.length - images,
		splits,
		warnings: dataset.warnings.slice(0, SHOWN_WARNINGS),
		warningCount: dataset.warnings.length
	};
}

/** Names people know the formats by. */
export const READER_NAMES: Record<ReaderId, string> = {
	coco: 'COCO',
	yolo: 'YOLO (Ultralytics)',
	darknet: 'YOLO (darknet)',
	voc: 'Pascal VOC',
	conll: 'CoNLL',
	'spacy-json': 'spaCy JSON',
	'doccano-jsonl': 'doccano JSONL',
	'text-jsonl': 'JSONL (texts)',
	'image-jsonl': 'JSONL (images)',
	'relations-json': 'Relations JSON',
	csv: 'CSV',
	imagefolder: 'Image folders (ModelShip ImageFolder)',
	pytorch: 'PyTorch dataset (ModelShip)',
	brat: 'brat standoff',
	'hf-token-classification': 'Hugging Face token classification',
	'hf-text-classification': 'Hugging Face text classification'
};
