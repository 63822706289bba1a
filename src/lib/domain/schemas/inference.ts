import { z } from 'zod';

/**
 * What crosses the inference worker boundary: predictions and errors as plain data (comlink
 * drops custom error fields, so failures travel as `{ code, message }`).
 */

export const ScoredLabel = z.object({
	label: z.string(),
	index: z.number().int().nonnegative(),
	score: z.number()
});
export type ScoredLabel = z.infer<typeof ScoredLabel>;

const Box = z.tuple([z.number(), z.number(), z.number(), z.number()]);

/** A box in the source image's pixels, corners `[x1, y1, x2, y2]`. */
export const ScoredBox = z.object({
	box: Box,
	label: z.string(),
	classIndex: z.number().int().nonnegative(),
	score: z.number()
});
export type ScoredBox = z.infer<typeof ScoredBox>;

/** A span of the text in UTF-16 code units, `text.slice(start, end)`. */
export const ScoredSpan = z.object({
	start: z.number().int().nonnegative(),
	end: z.number().int().nonnegative(),
	label: z.string(),
	score: z.number(),
	text: z.string()
});
export type ScoredSpan = z.infer<typeof ScoredSpan>;

export const Prediction = z.discriminatedUnion('kind', [
	/**
	 * Labels best first: every label when the model has at most 50 (so multi-label tasks with
	 * per-class thresholds see every class), else only the best 20 (`keptClassCount` in
	 * domain/models/decode.ts) — the raw-ONNX and transformers.js backends cut this way;
	 * fastText keeps its `config.topK` best (default 10, -1 for all). A label missing from the
	 * list scored below the last one listed. Multi-label models give independent (sigmoid)
	 * scores.
	 */
	z.object({ kind: z.literal('classes'), classes: z.array(ScoredLabel) }),
	z.object({ kind: z.literal('boxes'), boxes: z.array(ScoredBox) }),
	z.object({ kind: z.literal('spans'), spans: z.array(ScoredSpan) }),
	z.object({ kind: z.literal('embedding'), vector: z.instanceof(Float32Array) })
]);
export type Prediction = z.infer<typeof Prediction>;

export const InferenceErrorCode = z.enum([
	'model-not-found',
	'file-missing',
	'hash-mismatch',
	'load-failed',
	'unsupported',
	'bad-input',
	'run-failed',
	'cancelled',
	'download-failed',
	'offline',
	'worker-crashed'
]);
export type InferenceErrorCode = z.infer<typeof InferenceErrorCode>;

export const InferenceError = z.object({ code: InferenceErrorCode, message: z.string() });
export type InferenceError = z.infer<typeof InferenceError>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: InferenceError };

/** How a model ended up running, shown in diagnostics and stored with predictions. */
export const ExecutionInfo = z.object({
	/** e.g. `onnxruntime-web webgpu`, `onnxruntime-web wasm`, `fastText wasm`, `TF.js wasm`. */
	backend: z.string(),
	device: z.enum(['webgpu', 'wasm', 'js']),
	threads: z.number().int().positive(),
	/** Why this backend: "WebGPU 1.8× faster than WASM in the warm-up probe", … */
	reason: z.string(),
	loadMs: z.number().nonnegative()
});
export type ExecutionInfo = z.infer<typeof ExecutionInfo>;
