import type { Prediction } from '../schemas/inference';
import type { LabelTask } from '../schemas/project';

/** Test factories for this folder's specs. */

export function task(overrides: Partial<LabelTask> & { classNames?: string[] } = {}): LabelTask {
	const { classNames = ['Positive', 'Negative'], ...rest } = overrides;
	return {
		id: 't1',
		name: 'Sentiment',
		kind: 'text-classification',
		multiLabel: false,
		classes: classNames.map((name) => ({
			id: name.trim().toLowerCase(),
			name,
			color: '#112233',
			key: null
		})),
		threshold: 0.8,
		productionModelVersionId: null,
		...rest
	};
}

export function classes(...pairs: [string, number][]): Prediction {
	return {
		kind: 'classes',
		classes: pairs.map(([label, score], index) => ({ label, index, score }))
	};
}

export function boxes(...items: [string, number, [number, number, number, number]][]): Prediction {
	return {
		kind: 'boxes',
		boxes: items.map(([label, score, box], classIndex) => ({ label, score, box, classIndex }))
	};
}

export function spans(...items: [string, number, number, number][]): Prediction {
	return {
		kind: 'spans',
		spans: items.map(([label, score, start, end]) => ({ label, score, start, end, text: '' }))
	};
}
