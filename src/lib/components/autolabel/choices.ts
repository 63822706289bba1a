import { modelFitsTask } from '$lib/domain/models/registryRules';
import type { LabelTask } from '$lib/domain/schemas';
import type { ModelWithVersions } from '$lib/services/modelService';

/**
 * What the New job form offers per task, from the registry and the user's changes: pure, so
 * the defaults (production version, task threshold) are decided in one place.
 */

export interface VersionOption {
	id: string;
	/** `'tiny-image-classifier 1.0.0 (production)'` */
	label: string;
}

/** The user's changes to one task's row; anything unset takes its default. */
export interface TaskPick {
	enabled?: boolean;
	versionId?: string;
	threshold?: number | null;
}

export interface TaskRow {
	task: LabelTask;
	/** Versions that fit the task; null while the registry loads. */
	options: VersionOption[] | null;
	enabled: boolean;
	versionId: string;
	threshold: number | null;
}

/** Every registry version that fits the task, its production version marked. */
export function versionOptions(
	task: Pick<LabelTask, 'kind' | 'productionModelVersionId'>,
	registry: readonly ModelWithVersions[]
): VersionOption[] {
	return registry.flatMap(({ model, versions }) =>
		modelFitsTask(task, model.task)
			? versions.map((v) => ({
					id: v.id,
					label: `${model.name} ${v.version}${v.id === task.productionModelVersionId ? ' (production)' : ''}`
				}))
			: []
	);
}

/**
 * One task's row: labelled by default when it has a production version, with that version
 * chosen; a pick of a version no longer listed falls back to the default.
 */
export function taskRow(
	task: LabelTask,
	registry: readonly ModelWithVersions[] | undefined,
	pick: TaskPick = {}
): TaskRow {
	const options = registry ? versionOptions(task, registry) : null;
	const listed = (id: string | null | undefined) => options?.find((o) => o.id === id);
	const version =
		listed(pick.versionId) ?? listed(task.productionModelVersionId) ?? options?.[0] ?? null;
	return {
		task,
		options,
		enabled: !!version && (pick.enabled ?? task.productionModelVersionId !== null),
		versionId: version?.id ?? '',
		threshold: pick.threshold === undefined ? task.threshold : pick.threshold
	};
}

/** Null when the threshold is usable, else the message to show. */
export function thresholdProblem(row: Pick<TaskRow, 'task' | 'threshold'>): string | null {
	const t = row.threshold;
	return t === null || !Number.isFinite(t) || t < 0 || t > 1
		? `The threshold for ${row.task.name} must be a number from 0 to 1.`
		: null;
}
