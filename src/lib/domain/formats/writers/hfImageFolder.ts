import { itemFileName, textEntry } from '../paths';
import { extraColumns, metadataFields } from './metadata';
import type {
	DatasetSnapshot,
	ExportEntry,
	ExportFormat,
	ExportRecord,
	ExportSplit
} from '../snapshot';
import {
	assertTask,
	boxesOf,
	classesOf,
	classIndex,
	oneLine,
	plural,
	singleClassOf,
	splitsOf,
	yamlString,
	imageEntry
} from './imageShared';

/**
 * Hugging Face `imagefolder` without a loading script: `data/<split>/<image>` beside
 * `data/<split>/metadata.jsonl` (a `file_name` column, then the label columns), and a
 * `README.md` dataset card whose YAML names the splits (`configs`) and the columns' types
 * (`dataset_info.features`, so class names become a `ClassLabel`). `load_dataset(<folder>)`
 * reads it as is; so does the Hub after an upload.
 *
 * Columns: `label` (single-label, the class name), `labels` (multi-label, class names), or
 * `objects: {bbox: [[x, y, w, h]…], categories: [index…]}` (detection, COCO-style pixels).
 */

type Row = { record: ExportRecord; json: Record<string, unknown> };

async function* writeHfImageFolder(snapshot: DatasetSnapshot): AsyncGenerator<ExportEntry> {
	const { task, options } = snapshot;
	assertTask(hfImageFolderFormat, task);
	const index = classIndex(task);
	const names = task.classes.map((c) => c.name);
	const rows: Row[] = [];
	for (const record of snapshot.records) {
		const json: Record<string, unknown> = { file_name: itemFileName(record.item) };
		if (task.kind === 'object-detection') {
			const boxes = boxesOf(record, index);
			json.objects = {
				bbox: boxes.map((b) => [b.x, b.y, b.w, b.h]),
				categories: boxes.map((b) => b.cls)
			};
		} else if (task.multiLabel) {
			json.labels = classesOf(record, index).map((i) => names[i]);
		} else {
			const cls = singleClassOf(record, index);
			if (cls === null) continue;
			json.label = names[cls];
		}
		Object.assign(json, metadataFields(record, options));
		rows.push({ record, json });
	}
	const splits = splitsOf(rows.map((r) => r.record));

	yield textEntry('README.md', datasetCard(snapshot, splits, rows));
	for (const split of splits) {
		const lines = rows.filter((r) => r.record.split === split).map((r) => JSON.stringify(r.json));
		yield textEntry(`data/${split}/metadata.jsonl`, lines.join('\n') + '\n');
	}
	for (const { record } of rows) {
		yield await imageEntry(snapshot, record.item, `data/${record.split}`);
	}
}

function classLabelYaml(names: readonly string[], indent: string): string[] {
	return [
		`${indent}class_label:`,
		`${indent}  names:`,
		...names.map((n, i) => `${indent}    '${i}': ${yamlString(n)}`)
	];
}

function featuresYaml(snapshot: DatasetSnapshot): string[] {
	const { task, options } = snapshot;
	const names = task.classes.map((c) => c.name);
	const out = ['  - name: image', '    dtype: image'];
	if (task.kind === 'object-detection') {
		out.push(
			'  - name: objects',
			'    sequence:',
			'    - name: bbox',
			'      sequence: float32',
			'      length: 4',
			'    - name: categories',
			'      dtype:',
			...classLabelYaml(names, '        ')
		);
	} else if (task.multiLabel) {
		out.push('  - name: labels', '    sequence:', ...classLabelYaml(names, '      '));
	} else {
		out.push('  - name: label', '    dtype:', ...classLabelYaml(names, '      '));
	}
	for (const column of extraColumns(options)) {
		out.push(`  - name: ${column}`, `    dtype: ${column === 'score' ? 'float64' : 'string'}`);
	}
	return out;
}

function datasetCard(
	snapshot: DatasetSnapshot,
	splits: readonly ExportSplit[],
	rows: readonly Row[]
): string {
	const detection = snapshot.task.kind === 'object-detection';
	const title = `${oneLine(snapshot.projectName)}: ${oneLine(snapshot.task.name)}`;
	const yaml = [
		'---',
		`pretty_name: ${yamlString(title)}`,
		'task_categories:',
		`- ${detection ? 'object-detection' : 'image-classification'}`,
		'configs:',
		'- config_name: default',
		'  data_files:',
		...splits.flatMap((s) => [`  - split: ${s}`, `    path: data/${s}/**`]),
		'dataset_info:',
		'  features:',
		...featuresYaml(snapshot),
		'---'
	];
	const counts = splits.map(
		(s) => `- \`${s}\`: ${plural(rows.filter((r) => r.record.split === s).length, 'image')}`
	);
	const body = [
		'',
		`# ${title}`,
		'',
		`${detection ? 'Object detection' : 'Image classification'} dataset exported by ModelShip, in the`,
		'Hugging Face `imagefolder` layout: `data/<split>/` holds the images and a `metadata.jsonl`.',
		'',
		...counts,
		'',
		'```python',
		'from datasets import load_dataset',
		'dataset = load_dataset("path/to/this/folder")',
		'```',
		''
	];
	return [...yaml, ...body].join('\n');
}

export const hfImageFolderFormat: ExportFormat = {
	id: 'hf-imagefolder',
	name: 'Hugging Face imagefolder',
	description:
		'Images with metadata.jsonl per split and a dataset card, for datasets.load_dataset and the Hub.',
	consumers: 'Hugging Face datasets (load_dataset), the Hugging Face Hub',
	itemKind: 'image',
	taskKinds: ['image-classification', 'object-detection'],
	multiLabel: true,
	write: writeHfImageFolder
};
