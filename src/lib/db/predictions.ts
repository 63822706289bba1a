import type { PredictionRecord } from '$lib/domain/schemas';
import { db } from './database';

/** One model version's prediction for an item × task, if it ran. */
export async function getPrediction(
	itemId: number,
	taskId: string,
	modelVersionId: string
): Promise<PredictionRecord | undefined> {
	return db()
		.predictions.where('[itemId+taskId+modelVersionId]')
		.equals([itemId, taskId, modelVersionId])
		.first();
}

/** Every prediction a job wrote (tests and the job summary; a job's are at most its items × tasks). */
export async function predictionsForJob(jobId: number): Promise<PredictionRecord[]> {
	return db().predictions.where('jobId').equals(jobId).toArray();
}

/** How many predictions a task holds, across model versions. */
export async function countPredictions(projectId: number, taskId: string): Promise<number> {
	return db().predictions.where('[projectId+taskId]').equals([projectId, taskId]).count();
}
