import type {
	InferenceTask,
	LabelTask,
	ModelRuntime,
	ModelSource,
	ModelVersionRecord,
	Project
} from '$lib/domain/schemas';

/**
 * Small pure helpers of the registry screen: which label tasks run a version, the compare
 * selection, and the text forms of tags and metrics that the edit dialog shows.
 */

export interface TaskUse {
	projectId: number;
	projectName: string;
	taskId: string;
	taskName: string;
}

/** versionId → the label tasks (in every project) whose production model it is. */
export function productionUsage(
	projects: readonly (Pick<Project, 'id' | 'name'> & { tasks: readonly LabelTask[] })[]
): Map<string, TaskUse[]> {
	const out = new Map<string, TaskUse[]>();
	for (const project of projects) {
		for (const task of project.tasks) {
			const id = task.productionModelVersionId;
			if (!id || project.id === undefined) continue;
			const list = out.get(id) ?? [];
			list.push({
				projectId: project.id,
				projectName: project.name,
				taskId: task.id,
				taskName: task.name
			});
			out.set(id, list);
		}
	}
	return out;
}

/** Ticking a third version drops the one ticked first, so two stay selected. */
export function toggleCompare(selected: readonly string[], id: string): string[] {
	if (selected.includes(id)) return selected.filter((s) => s !== id);
	return [...selected, id].slice(-2);
}

export const shortSha = (sha256: string): string => sha256.slice(0, 12);

export function formatDate(ms: number): string {
	return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Tags typed as a list: commas or new lines, blanks and repeats dropped. */
export function parseTags(text: string): string[] {
	const tags = text
		.split(/[,\n]/)
		.map((t) => t.trim())
		.filter((t) => t !== '');
	return [...new Set(tags)];
}

/** `accuracy = 0.91` per line (`:` works too). */
export function formatMetrics(metrics: Readonly<Record<string, number>>): string {
	return Object.entries(metrics)
		.map(([name, value]) => `${name} = ${value}`)
		.join('\n');
}

export function parseMetrics(
	text: string
): { ok: true; metrics: Record<string, number> } | { ok: false; error: string } {
	const metrics: Record<string, number> = {};
	for (const [i, raw] of text.split('\n').entries()) {
		const line = raw.trim();
		if (line === '') continue;
		const m = /^([^=:]+?)\s*[=:]\s*(\S+)$/.exec(line);
		const value = m ? Number(m[2]) : NaN;
		if (!m || !Number.isFinite(value)) {
			return {
				ok: false,
				error: `Line ${i + 1} (“${line}”) is not “name = number”, e.g. accuracy = 0.91.`
			};
		}
		metrics[(m[1] as string).trim()] = value;
	}
	return { ok: true, metrics };
}

/** Metric values as people read them: up to 4 significant decimals, no float noise. */
export function formatMetric(value: number | null): string {
	if (value === null) return '—';
	if (Number.isInteger(value)) return value.toLocaleString();
	return String(Number(value.toPrecision(4)));
}

export function formatDelta(delta: number | null): string {
	if (delta === null) return '—';
	if (delta === 0) return '0';
	return `${delta > 0 ? '+' : '−'}${formatMetric(Math.abs(delta))}`;
}

export const versionLabel = (modelName: string, version: Pick<ModelVersionRecord, 'version'>) =>
	`${modelName} ${version.version}`;

export const TASK_LABELS: Record<InferenceTask, string> = {
	'image-classification': 'Image classification',
	'zero-shot-image-classification': 'Zero-shot image classification',
	'object-detection': 'Object detection',
	'text-classification': 'Text classification',
	'zero-shot-classification': 'Zero-shot text classification',
	'token-classification': 'Named entities (token classification)',
	'feature-extraction': 'Embeddings (feature extraction)'
};

export const RUNTIME_LABELS: Record<ModelRuntime, string> = {
	onnx: 'ONNX Runtime Web (manifest)',
	transformers: 'transformers.js',
	fasttext: 'fastText (WASM)',
	wink: 'wink-nlp',
	tfjs: 'TensorFlow.js'
};

export const SOURCE_LABELS: Record<ModelSource, string> = {
	import: 'Imported ONNX',
	folder: 'Imported folder',
	hub: 'Downloaded from the hub',
	embedded: 'Built in',
	learner: 'Trained in this browser'
};
