/**
 * Evaluations of the embedded defaults (issue 3), run on the eval page through the real
 * adapters: `createBackend` with the EMBEDDED_MODELS records and the files fetched from
 * their URLs and checked against their SHA-256, exactly as the inference worker does.
 *
 * - Language: fastText lid.176 on UDHR articles 1–3 (../shared/eval/udhr-langid). Goals from
 *   its PROVENANCE.md: 75.81 % on all 372 items, 92.42 % on the 44 widely used languages,
 *   and the reference predictions reproduced.
 * - Sentiment: wink on the UCI review sentences (../shared/eval/uci-sentiment-sentences),
 *   the top label against the human one: 87.2 % amazon, 81.6 % imdb. A zero score (no
 *   sentiment words) ties at 0.5 and counts as negative, as in the reference.
 */
import { checkFiles, describeProblems } from '$lib/domain/models/integrity';
import type { ModelVersionRecord, Prediction } from '$lib/domain/schemas';
import { EMBEDDED_IDS, EMBEDDED_MODELS } from '$lib/services/embeddedModels';
import type { BackendFactory, ExecutionPlan, LoadedModel } from '$lib/workers/inference/backend';

type Figures = Record<string, { value: number; unit: string }>;

/** The 44 widely used languages of the UDHR PROVENANCE.md (lid.176 labels). */
const MAJOR_LANGUAGES = new Set(
	(
		'en fr de es it pt nl ru uk pl cs sk hu ro bg el tr ar fa he hi bn ur ta te zh ja ko vi th ' +
		'id ms sw da sv no fi et lv lt sl hr sr ca'
	).split(' ')
);
/** The app's default review threshold: a score at or above it is auto-accepted. */
const THRESHOLD = 0.8;
const PLAN: ExecutionPlan = {
	webgpu: false,
	isolated: crossOriginIsolated,
	threads: 1,
	prefer: 'wasm'
};

const percent = (n: number, of: number) => ({ value: of ? (100 * n) / of : 0, unit: '%' });

async function fetchText(url: string): Promise<string> {
	const response = await fetch(url);
	if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
	return response.text();
}

const jsonLines = <T>(text: string): T[] =>
	text
		.split('\n')
		.filter((line) => line.trim())
		.map((line) => JSON.parse(line) as T);

/** Loads an embedded model as the worker does: fetch each file, verify, then createBackend. */
async function loadEmbedded(id: string, factory: BackendFactory): Promise<LoadedModel> {
	const entry = EMBEDDED_MODELS.find((e) => e.model.id === id);
	if (!entry) throw new Error(`no embedded model ${id}`);
	const version: ModelVersionRecord = entry.version;
	const files = new Map<string, Uint8Array>();
	for (const file of version.files) {
		if (!file.url) throw new Error(`${version.id}: ${file.path} has no url`);
		const response = await fetch(file.url);
		if (!response.ok) throw new Error(`${file.url}: HTTP ${response.status}`);
		files.set(file.path, new Uint8Array(await response.arrayBuffer()));
	}
	const problems = await checkFiles(version.files, files);
	if (problems.length > 0) throw new Error(describeProblems(version.id, problems));
	return factory(version, files, PLAN);
}

function top(prediction: Prediction | undefined): { label: string; score: number } {
	if (prediction?.kind !== 'classes' || prediction.classes.length === 0) {
		return { label: '', score: 0 };
	}
	const first = prediction.classes[0] as { label: string; score: number };
	return { label: first.label, score: first.score };
}

interface UdhrItem {
	lang: string;
	udhr: string;
	article: number;
	text: string;
}
interface UdhrReference {
	udhr: string;
	article: number;
	pred: string;
	p: number;
}

export async function evalLangid(sharedBase: string): Promise<Figures> {
	const dir = `${sharedBase}/eval/udhr-langid`;
	const [items, references] = await Promise.all([
		fetchText(`${dir}/items.jsonl`).then((t) => jsonLines<UdhrItem>(t)),
		fetchText(`${dir}/reference-predictions-lid176.jsonl`).then((t) => jsonLines<UdhrReference>(t))
	]);
	const reference = new Map(references.map((r) => [`${r.udhr}/${r.article}`, r]));

	const started = performance.now();
	const { createBackend } = await import('$lib/workers/inference/backends/fastText');
	const model = await loadEmbedded(EMBEDDED_IDS.langid, createBackend);
	const loadMs = performance.now() - started;

	const runStarted = performance.now();
	const predictions = await model.run(items.map((item) => ({ kind: 'text', text: item.text })));
	const perItemMs = (performance.now() - runStarted) / items.length;
	await model.dispose();

	let correct = 0;
	let majorCorrect = 0;
	let major = 0;
	let confident = 0;
	let confidentCorrect = 0;
	let agree = 0;
	let maxDiff = 0;
	items.forEach((item, i) => {
		const { label, score } = top(predictions[i]);
		const ok = label === item.lang;
		correct += Number(ok);
		if (MAJOR_LANGUAGES.has(item.lang)) {
			major += 1;
			majorCorrect += Number(ok);
		}
		if (score >= THRESHOLD) {
			confident += 1;
			confidentCorrect += Number(ok);
		}
		const ref = reference.get(`${item.udhr}/${item.article}`);
		if (ref && ref.pred === label) {
			agree += 1;
			maxDiff = Math.max(maxDiff, Math.abs(ref.p - score));
		}
	});
	return {
		eval_langid_acc: percent(correct, items.length),
		eval_langid_major_acc: percent(majorCorrect, major),
		eval_langid_confident_acc: percent(confidentCorrect, confident),
		eval_langid_confident_share: percent(confident, items.length),
		eval_langid_reference_agreement: { value: agree / items.length, unit: 'ratio' },
		eval_langid_reference_max_p_diff: { value: maxDiff, unit: 'probability' },
		eval_langid_load_ms: { value: loadMs, unit: 'ms' },
		eval_langid_ms_per_item: { value: perItemMs, unit: 'ms' }
	};
}

/** `sentence<TAB>label` per line, split on the last tab (PROVENANCE.md). */
function parseSentences(text: string): { text: string; label: 'negative' | 'positive' }[] {
	return text
		.split('\n')
		.filter((line) => line.includes('\t'))
		.map((line) => {
			const tab = line.lastIndexOf('\t');
			const label = line.slice(tab + 1).trim() === '1' ? 'positive' : 'negative';
			return { text: line.slice(0, tab).trim(), label };
		});
}

export async function evalSentiment(sharedBase: string): Promise<Figures> {
	const dir = `${sharedBase}/eval/uci-sentiment-sentences`;
	const files = { amazon: 'amazon_cells_labelled.txt', imdb: 'imdb_labelled.txt' } as const;
	const sources = ['amazon', 'imdb'] as const;
	const data = await Promise.all(
		sources.map(async (s) => parseSentences(await fetchText(`${dir}/${files[s]}`)))
	);

	const started = performance.now();
	const { createBackend } = await import('$lib/workers/inference/backends/wink');
	const model = await loadEmbedded(EMBEDDED_IDS.sentiment, createBackend);
	const loadMs = performance.now() - started;

	const figures: Figures = {};
	let correct = 0;
	let total = 0;
	let confident = 0;
	let confidentCorrect = 0;
	let runMs = 0;
	for (const [s, sentences] of sources.map((s, i) => [s, data[i] ?? []] as const)) {
		const runStarted = performance.now();
		const predictions = await model.run(sentences.map((x) => ({ kind: 'text', text: x.text })));
		runMs += performance.now() - runStarted;
		let ok = 0;
		sentences.forEach((sentence, i) => {
			const { label, score } = top(predictions[i]);
			const right = label === sentence.label;
			ok += Number(right);
			if (score >= THRESHOLD) {
				confident += 1;
				confidentCorrect += Number(right);
			}
		});
		figures[`eval_sentiment_${s}_acc`] = percent(ok, sentences.length);
		correct += ok;
		total += sentences.length;
	}
	await model.dispose();
	return {
		eval_sentiment_acc: percent(correct, total),
		...figures,
		eval_sentiment_confident_acc: percent(confidentCorrect, confident),
		eval_sentiment_confident_share: percent(confident, total),
		eval_sentiment_load_ms: { value: loadMs, unit: 'ms' },
		eval_sentiment_ms_per_item: { value: runMs / total, unit: 'ms' }
	};
}
