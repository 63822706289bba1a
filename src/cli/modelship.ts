import { openAsBlob } from 'node:fs';
import { open } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { keepNewestScore, labelledItem, type Scored } from '../lib/domain/formats/labelled';
import { readProjectFile } from '../lib/domain/formats/projectFile/readProjectFile';
import { EXPORT_FORMATS, exportFormat, formatFits } from '../lib/domain/formats/registry';
import { selectRecords, type LabelledItem } from '../lib/domain/formats/select';
import {
	defaultExportOptions,
	ExportOptions,
	FormatId,
	TagScheme,
	type DatasetSnapshot
} from '../lib/domain/formats/snapshot';
import { writeZip, zipSourceFiles } from '../lib/domain/formats/zipStream';
import type { LabelTask } from '../lib/domain/schemas/project';

/**
 * `modelship`: the export writers from Node, so a training pipeline can turn a shared project
 * file into a dataset without a browser. The same writers, filters, splits and zip code as
 * the app: the same project file, options and seed give the same files.
 */

const USAGE = `Usage: modelship export <project.zip> --format <format> [options] -o <out.zip>
       modelship formats

Turns a ModelShip project file (Export → Project file) into a training dataset.

Options:
  -f, --format <id>        export format (see the list below)
  -t, --task <name|id>     label task to export (needed when several tasks fit the format)
  -s, --split <a,b,c>      train,validation,test ratios (default 0.8,0.1,0.1)
      --seed <n>           seed of the stratified split (default 42)
      --keep-item-splits   use splits stored on items instead of drawing them
      --status <list>      label statuses to export (default approved,corrected)
      --min-confidence <x> leave out model labels scored below x (0-1)
      --tag-scheme <s>     CoNLL tags: BIO, BILOU or IO (default BIO)
      --shard-size <n>     TFRecord records per shard (default 1000)
      --metadata           include item metadata (name, sha256, status, reviewer, time)
      --scores             include model confidence scores
  -o, --output <out.zip>   where to write the zip
  -h, --help               this help

Formats:
${EXPORT_FORMATS.map((f) => `  ${f.id.padEnd(24)} ${f.name}: ${f.consumers}`).join('\n')}

Example:
  npx modelship export birds-project.zip --format coco --split 0.8,0.1,0.1 --seed 42 -o birds-coco.zip
`;

export class UsageError extends Error {}

type Io = { out(text: string): void; err(text: string): void };
const stdio: Io = {
	out: (t) => process.stdout.write(t),
	err: (t) => process.stderr.write(t)
};

function parseSplit(text: string): ExportOptions['split'] {
	const parts = text.split(',').map((p) => Number(p.trim()));
	if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p) || p < 0)) {
		throw new UsageError(`--split takes three ratios like 0.8,0.1,0.1 (got "${text}")`);
	}
	const [train, validation, test] = parts as [number, number, number];
	const sum = train + validation + test;
	if (Math.abs(sum - 1) > 1e-6 && Math.abs(sum - 100) > 1e-6) {
		throw new UsageError(`--split ratios must add up to 1 (or 100); ${text} adds up to ${sum}`);
	}
	const scale = Math.abs(sum - 100) < 1e-6 ? 100 : 1;
	return { train: train / scale, validation: validation / scale, test: test / scale };
}

function pickTask(tasks: readonly LabelTask[], format: FormatId, wanted?: string): LabelTask {
	const spec = exportFormat(format);
	if (wanted !== undefined) {
		const task = tasks.find((t) => t.id === wanted || t.name === wanted);
		if (!task) {
			throw new UsageError(
				`no task "${wanted}" in this project; tasks: ${tasks.map((t) => `"${t.name}"`).join(', ')}`
			);
		}
		if (!formatFits(spec, task)) {
			throw new UsageError(`${spec.name} cannot write task "${task.name}" (${task.kind})`);
		}
		return task;
	}
	const fitting = tasks.filter((t) => formatFits(spec, t));
	if (fitting.length === 1) return fitting[0] as LabelTask;
	if (fitting.length === 0) {
		throw new UsageError(
			`no task in this project can be written as ${spec.name} (it takes ${spec.taskKinds.join(', ')})`
		);
	}
	throw new UsageError(
		`several tasks fit ${spec.name}; pick one with --task: ${fitting.map((t) => `"${t.name}"`).join(', ')}`
	);
}

async function exportCommand(args: string[], io: Io): Promise<number> {
	const { values, positionals } = parseArgs({
		args,
		allowPositionals: true,
		options: {
			format: { type: 'string', short: 'f' },
			task: { type: 'string', short: 't' },
			split: { type: 'string', short: 's', default: '0.8,0.1,0.1' },
			seed: { type: 'string', default: '42' },
			'keep-item-splits': { type: 'boolean', default: false },
			status: { type: 'string', default: 'approved,corrected' },
			'min-confidence': { type: 'string' },
			'tag-scheme': { type: 'string', default: 'BIO' },
			'shard-size': { type: 'string', default: '1000' },
			metadata: { type: 'boolean', default: false },
			scores: { type: 'boolean', default: false },
			output: { type: 'string', short: 'o' }
		}
	});
	const input = positionals[0];
	if (!input) throw new UsageError('which project file? modelship export <project.zip> …');
	if (!values.format) throw new UsageError('--format is required (modelship formats lists them)');
	if (!values.output) throw new UsageError('--output (-o) is required');
	const format = FormatId.safeParse(values.format);
	if (!format.success)
		throw new UsageError(`unknown format "${values.format}" (modelship formats lists them)`);
	const seed = Number(values.seed);
	if (!Number.isInteger(seed))
		throw new UsageError(`--seed takes a whole number (got "${values.seed}")`);
	const scheme = TagScheme.safeParse(values['tag-scheme']?.toUpperCase());
	if (!scheme.success) throw new UsageError('--tag-scheme is BIO, BILOU or IO');

	const started = Date.now();
	const files = await zipSourceFiles(await openAsBlob(input));
	try {
		const contents = await readProjectFile(files);
		const { project } = contents.manifest;
		const task = pickTask(project.tasks, format.data, values.task);
		const options = ExportOptions.parse({
			...defaultExportOptions(format.data, task.id),
			split: parseSplit(values.split as string),
			seed,
			keepItemSplits: values['keep-item-splits'],
			filters: {
				...defaultExportOptions(format.data, task.id).filters,
				statuses: (values.status as string).split(',').map((s) => s.trim()),
				minConfidence:
					values['min-confidence'] === undefined ? null : Number(values['min-confidence'])
			},
			includeMetadata: values.metadata,
			includeScores: values.scores,
			tagScheme: scheme.data,
			shardSize: Number(values['shard-size'])
		});
		const scores = new Map<number, Scored>();
		for (const p of contents.predictions) if (p.taskId === task.id) keepNewestScore(scores, p);
		const items = new Map(contents.items.map((i) => [i.id, i]));
		const labelled: LabelledItem[] = [];
		for (const a of contents.annotations) {
			const item = items.get(a.itemId);
			if (a.taskId === task.id && item) labelled.push(labelledItem(item, a, scores.get(a.itemId)));
		}
		const selection = selectRecords(labelled, task, options);
		if (selection.counts.kept === 0) {
			throw new UsageError(
				`nothing to export: none of the ${selection.counts.considered} labelled items of "${task.name}" passes the filters`
			);
		}
		const snapshot: DatasetSnapshot = {
			projectName: project.name,
			task,
			tasks: project.tasks,
			records: selection.records,
			options,
			createdAt: contents.manifest.createdAt,
			readBytes: async (item) => {
				const blob = contents.blobs.get(item.sha256);
				if (!blob) throw new Error(`${item.name}: its bytes are not in the project file`);
				return new Uint8Array(await blob.arrayBuffer());
			}
		};
		const out = await open(values.output, 'w');
		try {
			const counts = await writeZip(exportFormat(format.data).write(snapshot), async (chunk) => {
				await out.write(chunk);
			});
			const { train, validation, test } = selection.counts.perSplit;
			io.out(
				`${values.output}: ${exportFormat(format.data).name} of "${task.name}", ${selection.counts.kept} items ` +
					`(train ${train}, validation ${validation}, test ${test}), ${counts.files} files, ` +
					`${(counts.zipBytes / 1e6).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s\n`
			);
		} finally {
			await out.close();
		}
	} finally {
		await files.close();
	}
	return 0;
}

/** Runs the command line; returns the exit code (errors are printed, not thrown). */
export async function main(argv: readonly string[], io: Io = stdio): Promise<number> {
	const [command, ...rest] = argv;
	try {
		if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
			io.out(USAGE);
			return command === undefined ? 2 : 0;
		}
		if (command === 'formats') {
			for (const f of EXPORT_FORMATS)
				io.out(`${f.id}\t${f.itemKind}\t${f.taskKinds.join(',')}\t${f.name}: ${f.description}\n`);
			return 0;
		}
		if (command === 'export') {
			if (rest.includes('-h') || rest.includes('--help')) {
				io.out(USAGE);
				return 0;
			}
			return await exportCommand(rest, io);
		}
		throw new UsageError(`unknown command "${command}"`);
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		io.err(`modelship: ${message}\n`);
		if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
			io.err('Run modelship --help for usage.\n');
			return 2;
		}
		return 1;
	}
}
