/// <reference lib="webworker" />
import { db } from '$lib/db/database';
import { taskItemKind, type InferenceError, type LabelTask } from '$lib/domain/schemas';
import type { LoadedModel, ModelInput } from './backend';
import type { PredictOutcome } from './autolabelRunner';
import { readInputs, type ReadInput } from './readInputs';

/**
 * An auto-label job's `predict`: one model version over a batch of stored items for one
 * task. Items of the other kind (a text task meets an image) are skipped; an item that
 * cannot be read or that the model fails on fails alone; a model that cannot load throws,
 * which stops the job.
 */
export async function predictItems(
	open: () => Promise<LoadedModel>,
	itemIds: readonly number[],
	task: LabelTask
): Promise<PredictOutcome[]> {
	const model = await open();
	const zeroShot = model.task.startsWith('zero-shot');
	if (zeroShot && task.classes.length === 0) {
		throw new Error(
			`task ${task.name} has no classes, and a zero-shot model needs them as its candidate labels.`
		);
	}
	const wanted = taskItemKind[task.kind];
	const items = await db().items.bulkGet([...itemIds]);
	const outcomes: PredictOutcome[] = itemIds.map(() => ({ skip: true }));
	const slots: number[] = [];
	items.forEach((item, i) => {
		// A deleted item (undefined) goes to readInputs, which says so; the runner drops it.
		if (!item || item.kind === wanted) slots.push(i);
	});
	const read = await readInputs(slots.map((i) => ({ kind: 'item', itemId: itemIds[i] as number })));
	const ready: { slot: number; input: ModelInput }[] = [];
	read.forEach((r: ReadInput, j) => {
		const slot = slots[j] as number;
		if (r.ok) ready.push({ slot, input: r.input });
		else outcomes[slot] = { ok: false, error: r.error };
	});
	try {
		// No abort signal: pause and cancel wait for the batch, so a batch is whole or absent.
		const options = {
			candidateLabels: zeroShot ? task.classes.map((c) => c.name) : undefined
		};
		await runAll(model, ready, options, outcomes);
	} finally {
		for (const { input } of ready) if (input.kind === 'image') input.image.close();
	}
	return outcomes;
}

/**
 * One call for the batch; when it throws, each input again alone, so one input the model
 * chokes on fails by itself. When every input fails alone too, the model is at fault (wrong
 * input size, say), and labelling on would only flag every item: that stops the job.
 */
async function runAll(
	model: LoadedModel,
	ready: { slot: number; input: ModelInput }[],
	options: { candidateLabels: string[] | undefined },
	outcomes: PredictOutcome[]
): Promise<void> {
	if (ready.length === 0) return;
	const backend = model.execution.backend;
	const started = performance.now();
	try {
		const predictions = await model.run(
			ready.map((r) => r.input),
			options
		);
		const latencyMs = (performance.now() - started) / ready.length;
		ready.forEach(({ slot }, i) => {
			const prediction = predictions[i];
			outcomes[slot] = prediction
				? { ok: true, prediction, backend, latencyMs }
				: { ok: false, error: { code: 'run-failed', message: 'the model returned no output' } };
		});
		return;
	} catch (error) {
		if (ready.length === 1) {
			outcomes[(ready[0] as { slot: number }).slot] = { ok: false, error: asError(error) };
			return;
		}
	}
	let failures = 0;
	let last: InferenceError | null = null;
	for (const { slot, input } of ready) {
		const one = performance.now();
		try {
			const [prediction] = await model.run([input], options);
			outcomes[slot] = prediction
				? { ok: true, prediction, backend, latencyMs: performance.now() - one }
				: { ok: false, error: { code: 'run-failed', message: 'the model returned no output' } };
		} catch (error) {
			failures += 1;
			last = asError(error);
			outcomes[slot] = { ok: false, error: last };
		}
	}
	if (failures === ready.length && last) {
		throw new Error(`the model failed on every item of a batch (${last.message}).`);
	}
}

function asError(error: unknown): InferenceError {
	const code =
		error && typeof error === 'object' && 'code' in error && error.code === 'bad-input'
			? 'bad-input'
			: 'run-failed';
	return { code, message: error instanceof Error ? error.message : String(error) };
}
