import type {
	InferenceTask,
	LabelTask,
	ModelRecord,
	ModelVersionRecord,
	Promotion,
	TaskKind
} from '../schemas';

/**
 * The registry's rules, apart from storage: which models fit which label task, what may be
 * edited or deleted, and what a roll back returns to. Production is per label task (the
 * task's `productionModelVersionId`); a version's stage says whether any task runs it.
 */

const FITS: Record<TaskKind, readonly InferenceTask[]> = {
	'image-classification': ['image-classification', 'zero-shot-image-classification'],
	'object-detection': ['object-detection'],
	'text-classification': ['text-classification', 'zero-shot-classification'],
	'named-entities': ['token-classification'],
	relations: []
};

export function modelFitsTask(task: Pick<LabelTask, 'kind'>, modelTask: InferenceTask): boolean {
	return FITS[task.kind].includes(modelTask);
}

/** Null when allowed, else the reason shown to the user. */
export function deletionBlocker(
	version: Pick<ModelVersionRecord, 'stage' | 'version'>,
	model: Pick<ModelRecord, 'source' | 'name'>
): string | null {
	if (model.source === 'embedded') {
		return `${model.name} ${version.version} is built into ModelShip and comes back with the app; it cannot be deleted. Archive it with Edit to set it aside.`;
	}
	if (version.stage === 'production') {
		return `Version ${version.version} is in production and cannot be deleted. Promote another version or roll back first.`;
	}
	return null;
}

export function editBlocker(version: Pick<ModelVersionRecord, 'stage' | 'version'>): string | null {
	if (version.stage === 'production') {
		return `Version ${version.version} is in production and read-only.`;
	}
	return null;
}

/** Stages a user sets by hand; production only comes from promoting to a task. */
export const MANUAL_STAGES = ['none', 'staging', 'archived'] as const;

/**
 * The version a roll back returns to: what the current production version replaced when it
 * was last promoted (roll-back entries are skipped, so rolling back twice walks further back
 * instead of undoing the first roll back). Null when there is nothing earlier.
 */
export function rollbackTarget(
	history: readonly Promotion[],
	currentVersionId: string | null
): string | null {
	if (!currentVersionId) return null;
	for (let i = history.length - 1; i >= 0; i--) {
		const p = history[i] as Promotion;
		if (p.action === 'promote' && p.versionId === currentVersionId) return p.previousVersionId;
	}
	return null;
}

/**
 * A version no task runs any more leaves production: archived, so the registry shows it was
 * once live. One still used by another task stays in production.
 */
export function stageAfterRelease(stillUsedElsewhere: boolean): 'production' | 'archived' {
	return stillUsedElsewhere ? 'production' : 'archived';
}
