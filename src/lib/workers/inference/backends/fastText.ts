// The module loader alone: the package's `common` entry also pulls in a URL fetcher with
// Node branches (fs, http) that the bundler can only stub out, with warnings.
// @ts-expect-error -- declarations ship only for the extensionless twin; typed just below.
import { getFastTextModule as loadFastTextModule } from 'fasttext.wasm.js/dist/helpers/modules/common.mjs';
import type { getFastTextModule as GetFastTextModule } from 'fasttext.wasm.js/dist/helpers/modules/common.js';
import wasmUrl from 'fasttext.wasm.js/dist/core/fastText.common.wasm?url';
import type { Prediction, ScoredLabel } from '$lib/domain/schemas';
import {
	BackendError,
	textsOf,
	throwIfAborted,
	type BackendFactory,
	type LoadedModel
} from '../backend';

/**
 * fastText through `fasttext.wasm.js` (its own WebAssembly build of fastText): language
 * identification with `lid.176.ftz`, or any supervised fastText classifier (.ftz/.bin).
 *
 * - The model bytes come from the verified files map (never fetched here): they are written
 *   into the module's in-memory file system and loaded from there. The runtime's wasm is an
 *   app-served asset: the one next to `core/fastText.common.js`, built with it
 *   (`dist/fastText/fastText.common.wasm` is a different build).
 * - Labels are the model's own, `__label__` stripped, in the model's label order: for
 *   lid.176 ISO 639-1 codes where one exists (`en`, `fr`), else ISO 639-3 or Wikipedia codes
 *   (`ceb`, `arz`, `als` = Alemannic).
 * - Each prediction keeps the top `config.topK` labels (default 10): fastText's hierarchical
 *   softmax puts almost all mass on the first few, and 176 scores per item would bloat the
 *   predictions table. `config.topK = -1` keeps them all.
 * - fastText reads one line at a time, so newlines (and other line separators) become spaces.
 */

const getFastTextModule = loadFastTextModule as typeof GetFastTextModule;
const DEFAULT_TOP_K = 10;
const MODEL_PATH = 'model.bin';

/** Single-threaded: fastText's wasm build has no threads. */
export const createBackend: BackendFactory = async (version, files) => {
	const started = performance.now();
	const modelFile = version.files.find((f) => /\.(ftz|bin)$/i.test(f.path)) ?? version.files.at(0);
	const bytes = modelFile ? files.get(modelFile.path) : undefined;
	if (!modelFile || !bytes) {
		throw new BackendError('load-failed', `${version.id}: no fastText model file (.ftz/.bin)`);
	}
	const configured = Number(version.config.topK);
	const topK = Number.isInteger(configured) && configured !== 0 ? configured : DEFAULT_TOP_K;

	const runtime = await getFastTextModule({ wasmPath: wasmUrl }).catch((error: unknown) => {
		throw new BackendError('load-failed', `fastText runtime did not start: ${String(error)}`);
	});
	const model = new runtime.FastText();
	try {
		runtime.FS.writeFile(MODEL_PATH, bytes);
		model.loadModel(MODEL_PATH);
	} catch (error) {
		throw new BackendError('load-failed', `${modelFile.path} is not a fastText model: ${error}`);
	} finally {
		// fastText keeps what it needs in memory; the file copy would double it.
		try {
			runtime.FS.unlink(MODEL_PATH);
		} catch {
			// never written
		}
	}

	const [labelVector, counts] = model.getLabels();
	const labels: string[] = [];
	for (let i = 0; i < labelVector.size(); i++) labels.push(stripLabel(labelVector.get(i)));
	labelVector.delete();
	counts.delete();
	const indexOf = new Map(labels.map((label, index) => [label, index]));

	const predictOne = (text: string): Prediction => {
		const line = oneLine(text);
		// Embind vectors live on the wasm heap: delete each, or 100k texts leak megabytes.
		const result = model.predict(line, topK, 0);
		const classes: ScoredLabel[] = [];
		try {
			for (let i = 0; i < result.size(); i++) {
				const [probability, raw] = result.get(i);
				const label = stripLabel(raw);
				// Hierarchical softmax can overshoot 1 by a rounding error.
				const score = Math.min(1, Math.max(0, probability));
				classes.push({ label, index: indexOf.get(label) ?? -1, score });
			}
		} finally {
			result.delete();
		}
		return { kind: 'classes', classes: classes.filter((c) => c.index >= 0) };
	};

	const loaded: LoadedModel = {
		task: 'text-classification',
		labels,
		execution: {
			backend: 'fastText wasm',
			device: 'wasm',
			threads: 1,
			reason: 'fastText models run only on fasttext.wasm.js (single-threaded WebAssembly)',
			loadMs: performance.now() - started
		},
		async run(inputs, options) {
			const out: Prediction[] = [];
			for (const text of textsOf(inputs, 'fastText')) {
				throwIfAborted(options?.signal);
				try {
					out.push(predictOne(text));
				} catch (error) {
					throw new BackendError('run-failed', `fastText prediction failed: ${error}`);
				}
			}
			return out;
		},
		async dispose() {
			// The module's memory goes with the last reference; free the native model now.
			(model as unknown as { delete?: () => void }).delete?.();
		}
	};
	return loaded;
};

export function stripLabel(raw: string): string {
	return raw.startsWith('__label__') ? raw.slice('__label__'.length) : raw;
}

/** fastText predicts per line: the whole text becomes one line. */
export function oneLine(text: string): string {
	return text.replace(/[\r\n\u2028\u2029\u0085\v\f]+/g, ' ').trim();
}
