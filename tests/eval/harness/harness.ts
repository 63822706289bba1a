/**
 * Evaluation harness page: starts the evaluation worker (evalWorker.ts, which runs the real
 * models through ModelShip's raw-ONNX backend) and puts its calls on `window.evaluation` for
 * tests/eval/run.mjs. The embedded defaults' evaluations (embedded.ts, when present) run here.
 */
import { wrap } from 'comlink';
import type { EvalApi, ModelName, Prefer } from './evalWorker';

type Figures = Record<string, { value: number; unit: string }>;
interface EmbeddedEval {
	evalLangid(sharedBase: string): Promise<Figures>;
	evalSentiment(sharedBase: string): Promise<Figures>;
}

const worker = new Worker(new URL('./evalWorker.ts', import.meta.url), {
	type: 'module',
	name: 'eval'
});
const api = wrap<EvalApi>(worker);
// A glob, so the harness builds whether or not the embedded defaults' evaluation exists yet.
const embeddedModule = import.meta.glob<EmbeddedEval>('./embedded.ts');

const evaluation = {
	environment: () => api.environment(),
	mnist: (name: 'mnist-cntk' | 'mnist-pytorch-cnn', limit: number, prefer: Prefer) =>
		api.mnist(name, limit, prefer),
	mobilenet: (files: string[], prefer: Prefer, pixels: boolean) =>
		api.mobilenet(files, prefer, pixels),
	nanodet: (ids: string[], scoreThreshold: number, prefer: Prefer, pixels: boolean) =>
		api.nanodet(ids, scoreThreshold, prefer, pixels),
	probe: (name: ModelName, prefer: Prefer) => api.probe(name, prefer),
	async embedded(): Promise<Figures | null> {
		const load = embeddedModule['./embedded.ts'];
		if (!load) return null;
		const module = await load();
		const base = `${location.origin}/shared`;
		return { ...(await module.evalLangid(base)), ...(await module.evalSentiment(base)) };
	}
};

declare global {
	interface Window {
		evaluation: typeof evaluation;
	}
}

window.evaluation = evaluation;
document.title = 'eval ready';
