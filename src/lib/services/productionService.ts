import { promotionHistory } from '$lib/db/models';
import { getProject } from '$lib/db/projects';
import { rollbackTarget } from '$lib/domain/models/registryRules';
import { registryOverview, type ModelWithVersions } from './modelService';

/**
 * What the Label tasks page needs to choose a production model per task: the registry (to
 * list versions that fit each task) and, per task, the version a roll back would return to.
 */
export interface ProductionChoices {
	registry: ModelWithVersions[];
	/** taskId → the version a roll back returns to (null: nothing earlier). */
	rollbackTargets: Record<string, string | null>;
}

export async function productionChoices(projectId: number): Promise<ProductionChoices> {
	const [registry, project] = await Promise.all([registryOverview(), getProject(projectId)]);
	const rollbackTargets: Record<string, string | null> = {};
	for (const task of project?.tasks ?? []) {
		const target = rollbackTarget(
			await promotionHistory(projectId, task.id),
			task.productionModelVersionId
		);
		rollbackTargets[task.id] = target;
	}
	return { registry, rollbackTargets };
}
