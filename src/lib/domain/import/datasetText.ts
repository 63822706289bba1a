import type { ReaderId } from '../formats/readers/dataset';
import { READER_NAMES, type DatasetSummary } from '../formats/readers/summary';
import type { LabelTask, TaskKind } from '../schemas';
import { pluralGrouped } from '../plural';

/**
 * Formats that are also plain tables (CSV, JSONL): picked loose, the table options apply as
 * before and importing them as a labelled dataset is opt-in.
 */
export const TABLE_FORMATS: ReadonlySet<ReaderId> = new Set([
	'csv',
	'doccano-jsonl',
	'text-jsonl',
	'image-jsonl'
]);

const KIND_WORDS: Record<TaskKind, string> = {
	'image-classification': 'image classification',
	'object-detection': 'object detection',
	'text-classification': 'text classification',
	'named-entities': 'named entities',
	relations: 'relations between entities'
};

const DEFAULT_TASK_NAMES: Record<TaskKind, string> = {
	'image-classification': 'Image class',
	'object-detection': 'Objects',
	'text-classification': 'Label',
	'named-entities': 'Entities',
	relations: 'Relations'
};

export const defaultTaskName = (kind: TaskKind): string => DEFAULT_TASK_NAMES[kind];

const SHOWN_NAMES = 6;

function names(list: readonly string[]): string {
	const shown = list.slice(0, SHOWN_NAMES).join(', ');
	return list.length > SHOWN_NAMES ? `${shown}, …` : shown;
}

/**
 * One sentence about a dataset before it comes in.
 *
 * Example: `describeDataset(coco)` → `Found a COCO dataset: object detection, 2 classes (car,
 * person), 3 images (train 3), 2 labelled`
 */
export function describeDataset(s: DatasetSummary): string {
	const kind = KIND_WORDS[s.taskKind] + (s.multiLabel ? ' (multi-label)' : '');
	const parts = [kind];
	const classWord = s.taskKind === 'named-entities' || s.relationTypes.length > 0;
	parts.push(
		pluralGrouped(
			s.classes.length,
			classWord ? 'entity class' : 'class',
			classWord ? 'entity classes' : 'classes'
		) + (s.classes.length > 0 ? ` (${names(s.classes)})` : '')
	);
	if (s.relationTypes.length > 0) {
		parts.push(
			`${pluralGrouped(s.relationTypes.length, 'relation type')} (${names(s.relationTypes)})`
		);
	}
	const counts = [
		...(s.images > 0 || s.texts === 0 ? [pluralGrouped(s.images, 'image')] : []),
		...(s.texts > 0 ? [pluralGrouped(s.texts, 'text')] : [])
	].join(' and ');
	const splits = (['train', 'validation', 'test'] as const)
		.filter((k) => s.splits[k] > 0)
		.map((k) => `${k} ${s.splits[k].toLocaleString()}`);
	if (splits.length > 0 && s.splits.none > 0)
		splits.push(`no split ${s.splits.none.toLocaleString()}`);
	parts.push(splits.length > 0 ? `${counts} (${splits.join(' · ')})` : counts);
	parts.push(`${s.labelled.toLocaleString()} labelled`);
	return `Found a ${READER_NAMES[s.format]} dataset: ${parts.join(', ')}`;
}

/** The tasks that can take the dataset's labels: same kind, and same single/multi-label. */
export function matchingTasks(
	tasks: readonly LabelTask[],
	kind: TaskKind,
	multiLabel: boolean
): LabelTask[] {
	const checksMulti = kind === 'image-classification' || kind === 'text-classification';
	return tasks.filter((t) => t.kind === kind && (!checksMulti || t.multiLabel === multiLabel));
}
