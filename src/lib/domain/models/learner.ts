import type { InferenceTask, ModelVersionRecord, Prediction } from '../schemas';

/**
 * The in-browser learner's contract (the learner itself comes with a later issue): it trains
 * a small head on approved labels — e.g. logistic regression on embeddings or on hashed
 * n-grams — and produces a registry version like any imported model, so it is hashed,
 * promoted, compared and rolled back the same way, and runs behind the same backend
 * interface once trained.
 */

/** One approved label: an input representation and its class indices. */
export interface TrainingExample {
	itemId: number;
	/** An embedding from a feature-extraction model, or hashed n-gram counts. */
	features: Float32Array;
	/** Class indices into `LearnerSpec.labels`; one for single-label tasks. */
	targets: number[];
}

export interface LearnerSpec {
	task: Extract<InferenceTask, 'image-classification' | 'text-classification'>;
	labels: string[];
	multiLabel: boolean;
	/** Held out for the metrics stored on the version (accuracy, macro F1, log loss). */
	validationShare: number;
	seed: number;
}

export interface TrainingProgress {
	epoch: number;
	epochs: number;
	loss: number;
	validationAccuracy: number | null;
}

export interface Learner {
	/**
	 * Trains on `examples` and returns the new version's record and files (the head's weights,
	 * exportable as ONNX) for `addVersion`. Cancellable; progress once per epoch.
	 */
	train(
		spec: LearnerSpec,
		examples: AsyncIterable<TrainingExample>,
		options: { signal?: AbortSignal; onProgress?: (p: TrainingProgress) => void }
	): Promise<{
		version: Omit<ModelVersionRecord, 'files' | 'sha256' | 'size' | 'modelId'>;
		files: Map<string, Uint8Array>;
	}>;

	/** Scores features with a trained head (the runtime side, used by the backend adapter). */
	predict(version: ModelVersionRecord, features: Float32Array): Prediction;
}
