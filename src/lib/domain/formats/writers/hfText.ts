import type { DatasetSnapshot, ExportEntry, ExportFormat, ExportSplit } from '../snapshot';
import { metadataColumns, metadataFields } from './metadata';
import { textEntry } from '../paths';
import { tagSet } from './bioTags';
import { entityTagLabels, tagRecord } from './tokenTags';
import {
	classIndices,
	PartBuilder,
	partPath,
	plural,
	recordsBySplit,
	spanClasses,
	Warnings,
	yamlString
} from './textShared';

/**
 * Hugging Face `datasets` folders for text: `data/<split>.jsonl` (shards
 * `data/<split>-00000-of-0000N.jsonl` past 64 MB), `label_map.json` (`id2label`, `label2id`) and
 * a README dataset card whose YAML declares the splits and the features, class names included,
 * so `load_dataset(folder)` yields `ClassLabel` columns.
 *
 * Token classification always uses BIO tags (what the Hub's NER models expect).
 */

type Feature = { name: string; yaml: string };

/** One split's JSONL rows into parts, yielding the entries; returns the part paths. */
function* jsonlSplit(
	split: ExportSplit,
	rows: readonly string[]
): Generator<ExportEntry, string[]> {
	const file = new PartBuilder();
	for (const row of rows) file.add(row);
	const parts = file.finish();
	const paths: string[] = [];
	for (let p = 0; p < parts.length; p++) {
		const path = `data/${partPath(split, 'jsonl', p, parts.length)}`;
		paths.push(path);
		yield textEntry(path, parts[p] as string);
	}
	return paths;
}

function classLabelYaml(names: readonly string[], indent: string): string {
	return [
		`${indent}class_label:`,
		`${indent}  names:`,
		...names.map((n, i) => `${indent}    "${i}": ${yamlString(n)}`)
	].join('\n');
}

function datasetCard(
	snapshot: DatasetSnapshot,
	taskCategory: string,
	taskId: string,
	features: readonly Feature[],
	splits: readonly { split: ExportSplit; paths: string[]; count: number }[],
	body: string
): string {
	const lines = [
		'---',
		`pretty_name: ${yamlString(snapshot.projectName)}`,
		'task_categories:',
		`- ${taskCategory}`,
		'task_ids:',
		`- ${taskId}`,
		'configs:',
		'- config_name: default',
		'  data_files:'
	];
	for (const s of splits) {
		lines.push(`  - split: ${s.split}`);
		const path = s.paths.length === 1 ? (s.paths[0] as string) : `data/${s.split}-*.jsonl`;
		lines.push(`    path: ${path}`);
	}
	lines.push('dataset_info:', '  features:');
	for (const f of features) lines.push(`  - name: ${f.name}`, f.yaml);
	lines.push('  splits:');
	for (const s of splits) lines.push(`  - name: ${s.split}`, `    num_examples: ${s.count}`);
	lines.push('---', '', `# ${snapshot.projectName} — ${snapshot.task.name}`, '', body, '');
	lines.push(
		'Exported by ModelShip on ' + new Date(snapshot.createdAt).toISOString().slice(0, 10) + '.',
		'',
		'```python',
		'from datasets import load_dataset',
		'',
		'ds = load_dataset("path/to/this/folder")',
		'```',
		''
	);
	return lines.join('\n');
}

function metaFeatures(snapshot: DatasetSnapshot): Feature[] {
	return metadataColumns(snapshot.options).map((c) => ({
		name: c.name,
		yaml: `    dtype: ${c.dtype}`
	}));
}

function labelMap(names: readonly string[]): string {
	const id2label: Record<string, string> = {};
	const label2id: Record<string, number> = {};
	names.forEach((n, i) => {
		id2label[String(i)] = n;
		label2id[n] = i;
	});
	return JSON.stringify({ id2label, label2id }, null, 2) + '\n';
}

export const hfTokenClassificationFormat: ExportFormat = {
	id: 'hf-token-classification',
	name: 'Hugging Face token classification',
	description: 'JSONL with tokens and BIO ner_tags ids, label map and a dataset card.',
	consumers: 'Hugging Face datasets (load_dataset), transformers token classification',
	itemKind: 'text',
	taskKinds: ['named-entities'],
	multiLabel: false,
	write: async function* (snapshot): AsyncGenerator<ExportEntry> {
		const classes = spanClasses(snapshot);
		const labels = entityTagLabels(classes);
		const tags = tagSet(labels, 'BIO');
		const tagId = new Map(tags.map((t, i) => [t, i]));
		const warnings = new Warnings();
		const splits: { split: ExportSplit; paths: string[]; count: number }[] = [];
		for (const { split, records } of recordsBySplit(snapshot.records)) {
			const rows: string[] = [];
			for (const record of records) {
				const tagged = tagRecord(record, classes, labels, 'BIO', warnings);
				const row = {
					id: String(record.item.id),
					tokens: tagged.tokens.map((t) => t.text),
					ner_tags: tagged.tags.map((t) => tagId.get(t) as number),
					...metadataFields(record, snapshot.options)
				};
				rows.push(JSON.stringify(row) + '\n');
			}
			const paths = yield* jsonlSplit(split, rows);
			splits.push({ split, paths, count: records.length });
		}
		yield textEntry('label_map.json', labelMap(tags));
		const features: Feature[] = [
			{ name: 'id', yaml: '    dtype: string' },
			{ name: 'tokens', yaml: '    sequence: string' },
			{ name: 'ner_tags', yaml: `    sequence:\n${classLabelYaml(tags, '      ')}` },
			...metaFeatures(snapshot)
		];
		const body = [
			`Named-entity recognition: ${plural(snapshot.records.length, 'text')}, one row each.`,
			'`tokens` are words and punctuation; `ner_tags` are BIO tag ids (see `label_map.json`).',
			'',
			`Entity types: ${classes.entities.map((c) => c.name).join(', ') || '(none)'}.`
		].join('\n');
		yield textEntry(
			'README.md',
			datasetCard(
				snapshot,
				'token-classification',
				'named-entity-recognition',
				features,
				splits,
				body
			)
		);
		const w = warnings.text();
		if (w) yield textEntry('warnings.txt', w);
	}
};

export const hfTextClassificationFormat: ExportFormat = {
	id: 'hf-text-classification',
	name: 'Hugging Face text classification',
	description: 'JSONL with text and class ids, label map and a dataset card.',
	consumers: 'Hugging Face datasets (load_dataset), transformers sequence classification',
	itemKind: 'text',
	taskKinds: ['text-classification'],
	multiLabel: true,
	write: async function* (snapshot): AsyncGenerator<ExportEntry> {
		const multi = snapshot.task.multiLabel;
		const names = snapshot.task.classes.map((c) => c.name);
		const warnings = new Warnings();
		const splits: { split: ExportSplit; paths: string[]; count: number }[] = [];
		let total = 0;
		for (const { split, records } of recordsBySplit(snapshot.records)) {
			const rows: string[] = [];
			for (const record of records) {
				const ids = classIndices(record, snapshot.task.classes, multi);
				if (!multi && ids.length === 0) {
					warnings.add(record, 'no known class: left out');
					continue;
				}
				const row = {
					id: String(record.item.id),
					text: record.item.text ?? '',
					...(multi ? { labels: ids } : { label: ids[0] }),
					...metadataFields(record, snapshot.options)
				};
				rows.push(JSON.stringify(row) + '\n');
			}
			if (rows.length === 0) continue;
			total += rows.length;
			const paths = yield* jsonlSplit(split, rows);
			splits.push({ split, paths, count: rows.length });
		}
		yield textEntry('label_map.json', labelMap(names));
		const features: Feature[] = [
			{ name: 'id', yaml: '    dtype: string' },
			{ name: 'text', yaml: '    dtype: string' },
			multi
				? { name: 'labels', yaml: `    sequence:\n${classLabelYaml(names, '      ')}` }
				: { name: 'label', yaml: classLabelYaml(names, '    ') },
			...metaFeatures(snapshot)
		];
		const body = [
			`${multi ? 'Multi-label' : 'Single-label'} text classification: ${plural(total, 'text')}.`,
			multi
				? '`labels` lists the class ids of each text (see `label_map.json`).'
				: '`label` is the class id of each text (see `label_map.json`).',
			'',
			`Classes: ${names.join(', ') || '(none)'}.`
		].join('\n');
		yield textEntry(
			'README.md',
			datasetCard(
				snapshot,
				'text-classification',
				multi ? 'multi-label-classification' : 'multi-class-classification',
				features,
				splits,
				body
			)
		);
		const w = warnings.text();
		if (w) yield textEntry('warnings.txt', w);
	}
};
