import type { LabelTask } from '../../schemas/project';
import {
	PROJECT_PATHS,
	ProjectFileError,
	type FileAnnotation,
	type FileItem,
	type FilePrediction,
	type FileReviewEvent
} from './manifest';

/** Parsed records with the line each came from, for messages that point at the line. */
export type Lines<T> = { records: T[]; lines: number[] };

export type FileRecords = {
	tasks: readonly LabelTask[];
	items: Lines<FileItem>;
	annotations: Lines<FileAnnotation>;
	reviewEvents: Lines<FileReviewEvent>;
	predictions: Lines<FilePrediction>;
};

/**
 * Checks that every record points at something the file holds: items and tasks for labels,
 * events and predictions, an earlier event for an undo, and no id given twice. The importer
 * remaps ids through these links, so a dangling one would silently lose data.
 */
export function checkReferences(file: FileRecords): void {
	const taskIds = unique(
		file.tasks.map((t) => t.id),
		(id) => `the task id ${id} is used twice`
	);
	const { items } = file;
	const itemIds = new Set<number>();
	items.records.forEach((item, i) => {
		const at = where(PROJECT_PATHS.items, items.lines[i]);
		if (itemIds.has(item.id)) fail(at, `the item id ${item.id} is used twice`);
		itemIds.add(item.id);
		if (item.kind === 'text' && item.text === null) fail(at, 'a text item has no text');
	});

	const linked = (
		path: string,
		lines: number[],
		records: readonly { itemId: number; taskId: string }[]
	) =>
		records.forEach((r, i) => {
			const at = where(path, lines[i]);
			if (!itemIds.has(r.itemId)) fail(at, `item ${r.itemId} is not in the file`);
			if (!taskIds.has(r.taskId)) fail(at, `task ${r.taskId} is not one of the project's tasks`);
		});

	const { annotations, reviewEvents: events, predictions } = file;
	linked(PROJECT_PATHS.annotations, annotations.lines, annotations.records);
	duplicates(PROJECT_PATHS.annotations, annotations, (a) => a.id, 'annotation id');

	linked(PROJECT_PATHS.reviewEvents, events.lines, events.records);
	const seqs = new Map<number, FileReviewEvent>();
	events.records.forEach((e, i) => {
		const at = where(PROJECT_PATHS.reviewEvents, events.lines[i]);
		if (seqs.has(e.seq)) fail(at, `the event seq ${e.seq} is used twice`);
		if (e.undoes !== null) {
			const target = seqs.get(e.undoes);
			if (!target) {
				fail(at, `this undo reverts event ${e.undoes}, which is not an earlier event of the file`);
			}
			if (target.itemId !== e.itemId || target.taskId !== e.taskId) {
				fail(at, `this undo reverts event ${e.undoes}, which is about another item or task`);
			}
		}
		seqs.set(e.seq, e);
	});

	linked(PROJECT_PATHS.predictions, predictions.lines, predictions.records);
	duplicates(PROJECT_PATHS.predictions, predictions, (p) => p.id, 'prediction id');
	duplicates(
		PROJECT_PATHS.predictions,
		predictions,
		(p) => `${p.itemId} ${p.taskId} ${p.modelVersionId}`,
		'item × task × model version'
	);
}

function unique(ids: readonly string[], message: (id: string) => string): Set<string> {
	const seen = new Set<string>();
	for (const id of ids) {
		if (seen.has(id)) fail(PROJECT_PATHS.manifest, message(id));
		seen.add(id);
	}
	return seen;
}

function duplicates<T>(
	path: string,
	{ records, lines }: Lines<T>,
	key: (record: T) => string | number,
	what: string
): void {
	const seen = new Set<string | number>();
	records.forEach((r, i) => {
		const k = key(r);
		if (seen.has(k)) fail(where(path, lines[i]), `the ${what} ${k} is used twice`);
		seen.add(k);
	});
}

type Where = { path: string; line: number | null };

const where = (path: string, line: number | undefined): Where => ({ path, line: line ?? null });

function fail(at: Where | string, message: string): never {
	const { path, line } = typeof at === 'string' ? { path: at, line: null } : at;
	const prefix = line === null ? path : `${path} line ${line}`;
	throw new ProjectFileError('broken-reference', `${prefix}: ${message}`, path, line);
}
