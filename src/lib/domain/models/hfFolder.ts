import type { InferenceTask } from '../schemas';

/**
 * Reading a Hugging Face-layout model folder (config.json, tokenizer or preprocessor files,
 * `onnx/*.onnx`) the way transformers.js will: which task its architecture does, which
 * weights file (dtype) to use, its labels in index order. Pure, so the import form can show
 * what it found before anything is stored.
 */

export interface HfFolderSummary {
	task: InferenceTask | null;
	/** transformers.js dtype matching the chosen weights file. */
	dtype: 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4' | 'bnb4' | 'q4f16';
	labels: string[];
	modelType: string | null;
	/** Files to store: configs, tokenizer/preprocessor files, and the one chosen weights file. */
	files: string[];
	problems: string[];
}

const WEIGHTS: [file: string, dtype: HfFolderSummary['dtype']][] = [
	['onnx/model.onnx', 'fp32'],
	['onnx/model_quantized.onnx', 'q8'],
	['onnx/model_int8.onnx', 'int8'],
	['onnx/model_uint8.onnx', 'uint8'],
	['onnx/model_fp16.onnx', 'fp16'],
	['onnx/model_q4.onnx', 'q4'],
	['onnx/model_q4f16.onnx', 'q4f16'],
	['onnx/model_bnb4.onnx', 'bnb4']
];

const SIDE_FILES =
	/^(config|generation_config|tokenizer|tokenizer_config|special_tokens_map|preprocessor_config|vocab|merges|added_tokens|sentencepiece\.bpe|spiece)\.(json|txt|model)$|^vocab\.txt$|^merges\.txt$/;

/** Architecture suffix → pipeline task; order matters (ZeroShot before Classification). */
const ARCHITECTURES: [RegExp, InferenceTask][] = [
	[/^CLIP(Model|VisionModelWithProjection)|^SiglipModel/, 'zero-shot-image-classification'],
	[/ForObjectDetection$/, 'object-detection'],
	[/ForImageClassification$/, 'image-classification'],
	[/ForTokenClassification$/, 'token-classification'],
	[/ForSequenceClassification$/, 'text-classification'],
	[/Model$/, 'feature-extraction']
];

export function taskFromConfig(config: Record<string, unknown>): InferenceTask | null {
	const architectures = Array.isArray(config.architectures) ? config.architectures : [];
	for (const arch of architectures) {
		if (typeof arch !== 'string') continue;
		for (const [pattern, task] of ARCHITECTURES) if (pattern.test(arch)) return task;
	}
	return null;
}

/** id2label in index order; missing indices would misalign scores, so they are reported. */
export function labelsFromConfig(config: Record<string, unknown>): {
	labels: string[];
	problem: string | null;
} {
	const map = config.id2label;
	if (!map || typeof map !== 'object') return { labels: [], problem: null };
	const entries = Object.entries(map as Record<string, unknown>);
	const labels: string[] = [];
	for (let i = 0; i < entries.length; i++) {
		const label = (map as Record<string, unknown>)[String(i)];
		if (typeof label !== 'string') {
			return { labels: [], problem: `config.json id2label has no label for index ${i}` };
		}
		labels.push(label);
	}
	return { labels, problem: null };
}

/**
 * Summarises a folder from its relative paths (the picked folder's own name already
 * stripped) and its parsed config.json.
 */
export function summariseHfFolder(
	paths: readonly string[],
	config: Record<string, unknown> | null,
	preferredDtype?: HfFolderSummary['dtype']
): HfFolderSummary {
	const problems: string[] = [];
	if (!config) problems.push('config.json is missing or is not valid JSON');
	const available = WEIGHTS.filter(([file]) => paths.includes(file));
	const chosen =
		available.find(([, dtype]) => dtype === preferredDtype) ??
		available.find(([, dtype]) => dtype === 'q8') ??
		available[0];
	if (!chosen) {
		problems.push('no ONNX weights found: expected onnx/model.onnx or onnx/model_quantized.onnx');
	}
	const task = config ? taskFromConfig(config) : null;
	const { labels, problem } = config ? labelsFromConfig(config) : { labels: [], problem: null };
	if (problem) problems.push(problem);
	const files = paths.filter((p) => SIDE_FILES.test(p));
	if (chosen) {
		files.push(chosen[0]);
		// Large models keep their weights beside the graph (external data).
		files.push(...paths.filter((p) => p.startsWith(`${chosen[0]}_data`)));
	}
	return {
		task,
		dtype: chosen?.[1] ?? 'fp32',
		labels,
		modelType: config && typeof config.model_type === 'string' ? config.model_type : null,
		files: files.sort(),
		problems
	};
}

/** Strips the picked folder's name: `tiny-sentiment/onnx/model.onnx` → `onnx/model.onnx`. */
export function stripRoot(paths: readonly string[]): string[] {
	const roots = new Set(paths.map((p) => p.split('/')[0]));
	if (roots.size === 1 && paths.every((p) => p.includes('/'))) {
		return paths.map((p) => p.slice(p.indexOf('/') + 1));
	}
	return [...paths];
}
