import { z } from 'zod';
import { ConfidenceLevel } from '../labeling/confidence';
import { InferenceError, ScoredBox, ScoredLabel, ScoredSpan } from './inference';

/**
 * A model output as stored: the decoded prediction without embeddings (a vector per item
 * would bloat IndexedDB and is never reviewed).
 */
export const StoredPrediction = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('classes'), classes: z.array(ScoredLabel) }),
	z.object({ kind: z.literal('boxes'), boxes: z.array(ScoredBox) }),
	z.object({ kind: z.literal('spans'), spans: z.array(ScoredSpan) })
]);
export type StoredPrediction = z.infer<typeof StoredPrediction>;

/**
 * One model version's prediction for one item × task (IndexedDB `predictions`). The unique
 * index `[itemId+taskId+modelVersionId]` keeps exactly one per triple, so a re-run never
 * labels an item twice and a new version keeps the old one's history. A failed item is
 * stored too: `output` null, `failed` set, flagged for review with the reason.
 */
export const PredictionRecord = z.object({
	id: z.number().int().positive().optional(),
	projectId: z.number().int().positive(),
	itemId: z.number().int().positive(),
	taskId: z.string(),
	modelVersionId: z.string(),
	jobId: z.number().int().positive(),
	output: StoredPrediction.nullable(),
	/** The score used for review, in [0, 1]; 0 for a failed item. */
	score: z.number().min(0).max(1),
	level: ConfidenceLevel,
	needsReview: z.boolean(),
	reviewReason: z.string().nullable(),
	failed: InferenceError.nullable(),
	/** e.g. `onnxruntime-web wasm`; null when the item failed before reaching a backend. */
	backend: z.string().nullable(),
	latencyMs: z.number().nonnegative(),
	createdAt: z.number()
});
export type PredictionRecord = z.infer<typeof PredictionRecord>;
