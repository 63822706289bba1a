import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PredictionRecord } from '$lib/domain/schemas';
import { ModelShipDB, useDatabase } from './database';
import {
	countProjectPredictions,
	eachProjectPrediction,
	predictedAmong,
	predictionsForItems
} from './predictions';

let database: ModelShipDB;

beforeEach(() => {
	database = new ModelShipDB(`test-${Math.random()}`);
	useDatabase(database);
});

afterEach(async () => {
	database.close();
	await database.delete();
});

const prediction = (
	itemId: number,
	taskId: string,
	modelVersionId: string,
	projectId = 1
): Omit<PredictionRecord, 'id'> => ({
	projectId,
	itemId,
	taskId,
	modelVersionId,
	jobId: 1,
	output: null,
	score: 0.9,
	level: 'medium',
	needsReview: false,
	reviewReason: null,
	failed: null,
	backend: null,
	latencyMs: 1,
	createdAt: 1
});

async function seed(): Promise<void> {
	await database.predictions.bulkAdd([
		prediction(1, 't1', 'm1'),
		prediction(1, 't2', 'm1'),
		prediction(1, 't1', 'm2'),
		prediction(2, 't1', 'm1'),
		prediction(3, 't1', 'm1', 2),
		prediction(5, 't1', 'm1')
	] as PredictionRecord[]);
}

const keys = (rows: PredictionRecord[]) =>
	rows.map((p) => `${p.itemId}/${p.taskId}/${p.modelVersionId}`).sort();

describe('predictions of items and projects', () => {
	it('reads every task and version of the asked items only', async () => {
		await seed();
		expect(keys(await predictionsForItems([5, 1, 1]))).toEqual([
			'1/t1/m1',
			'1/t1/m2',
			'1/t2/m1',
			'5/t1/m1'
		]);
		expect(await predictionsForItems([4])).toEqual([]);
		expect(await predictionsForItems([])).toEqual([]);
	});

	it('streams and counts one project', async () => {
		await seed();
		const seen: PredictionRecord[] = [];
		await eachProjectPrediction(1, (p) => seen.push(p));
		expect(keys(seen)).toEqual(['1/t1/m1', '1/t1/m2', '1/t2/m1', '2/t1/m1', '5/t1/m1']);
		expect(await countProjectPredictions(1)).toBe(5);
		expect(await countProjectPredictions(2)).toBe(1);
		expect(await countProjectPredictions(9)).toBe(0);
	});

	it('tells which items have predictions from index keys', async () => {
		await seed();
		expect([...(await predictedAmong([1, 4, 5]))].sort()).toEqual([1, 5]);
		expect((await predictedAmong([])).size).toBe(0);
	});
});
