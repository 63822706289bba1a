import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import type { Prediction } from '$lib/domain/schemas';
import {
	BackendError,
	textsOf,
	throwIfAborted,
	type BackendFactory,
	type LoadedModel
} from '../backend';

/**
 * English sentiment from wink-nlp's lexicon (wink-eng-lite-web-model), with negation
 * handling. There is no weights file: the lexicon is compiled into the package's JavaScript,
 * so the version has no files to hash and the app bundle is what pins it.
 *
 * wink gives a document score in [-1, 1] (the mean over sentences of lexicon hits, negation
 * flipping the sign). It becomes P(positive) = σ(SLOPE · score): a score of 0 means no
 * sentiment words were found, which is "no evidence", not "neutral" — it comes out as 0.5
 * for both labels, below every confidence level, so the item goes to review. On the UCI
 * review sentences (amazon + imdb) the sign is right 64 % of the time for |score| < 0.2,
 * 80 % for 0.2–0.3 and 91–97 % from 0.3 up; SLOPE = 6 puts those at p ≈ 0.5–0.77, 0.77–0.86
 * and ≥ 0.86 (≥ 0.95 "high" from |score| 0.5), close to what they earn.
 */

export const SENTIMENT_LABELS = ['negative', 'positive'] as const;
const SLOPE = 6;

/** P(positive) for a wink sentiment score. */
export function positiveProbability(score: number): number {
	return 1 / (1 + Math.exp(-SLOPE * score));
}

/** Both labels, best first; a tie (score 0) keeps label order, so `negative` leads. */
export function sentimentPrediction(score: number): Prediction {
	const positive = positiveProbability(score);
	const classes = [
		{ label: SENTIMENT_LABELS[0], index: 0, score: 1 - positive },
		{ label: SENTIMENT_LABELS[1], index: 1, score: positive }
	];
	if (positive > 0.5) classes.reverse();
	return { kind: 'classes', classes };
}

export const createBackend: BackendFactory = async () => {
	const started = performance.now();
	let nlp: ReturnType<typeof winkNLP>;
	try {
		// Only the pipes sentiment needs: sentence boundaries and negation, no POS/NER.
		nlp = winkNLP(model, ['sbd', 'negation', 'sentiment']);
	} catch (error) {
		throw new BackendError('load-failed', `wink-nlp did not start: ${String(error)}`);
	}
	const its = nlp.its;

	const loaded: LoadedModel = {
		task: 'text-classification',
		labels: [...SENTIMENT_LABELS],
		execution: {
			backend: 'wink-nlp (JavaScript lexicon)',
			device: 'js',
			threads: 1,
			reason: 'a lexicon scorer in plain JavaScript: nothing to accelerate',
			loadMs: performance.now() - started
		},
		async run(inputs, options) {
			const out: Prediction[] = [];
			for (const text of textsOf(inputs, 'wink sentiment')) {
				throwIfAborted(options?.signal);
				const score = Number(nlp.readDoc(text).out(its.sentiment));
				out.push(sentimentPrediction(Number.isFinite(score) ? score : 0));
			}
			return out;
		},
		async dispose() {}
	};
	return loaded;
};
