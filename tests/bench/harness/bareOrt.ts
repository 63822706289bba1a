/// <reference lib="webworker" />
/**
 * The baseline ModelShip's inference is compared with: a bare onnxruntime-web loop in a plain
 * worker. Same runtime module (`onnxruntime-web/webgpu`), the same wasm file (the `?url`
 * import the app's ortRuntime.ts uses), the same thread count and session options, the same
 * model bytes; inputs are tensors made before the clock starts, so only `session.run` (and
 * touching its output) is timed. ORT fixes its thread count when its wasm starts, so the page
 * starts a new worker for each thread setting.
 */
import { expose } from 'comlink';
import * as ort from 'onnxruntime-web/webgpu';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';

let session: ort.InferenceSession | null = null;
let threads = 0;
let imageCache: { key: string; feeds: ort.InferenceSession.FeedsType[] } | null = null;

export interface BareRun {
	seconds: number;
	/** Wall time of each `session.run`, ms. */
	batchMs: number[];
	/** Texts: the first batch's logits, so both paths can be checked to compute the same. */
	firstOutput: number[];
}

export type BareFeeds =
	| { kind: 'image'; name: string; batch: number; dims: number[] }
	| {
			kind: 'text';
			/** Token ids per text, every text the same length. */
			ids: number[][];
			batch: number;
	  };

function imageFeeds(
	spec: Extract<BareFeeds, { kind: 'image' }>,
	copies: number
): ort.InferenceSession.FeedsType[] {
	const size = spec.dims.reduce((a, b) => a * b, 1);
	return Array.from({ length: copies }, (_, c) => {
		// Values in ImageNet-normalised range, different per copy.
		const data = new Float32Array(size);
		let x = 12345 + c * 777;
		for (let i = 0; i < size; i++) {
			x = (Math.imul(x, 1103515245) + 12345) >>> 0;
			data[i] = (x / 4294967296) * 4 - 2;
		}
		return { [spec.name]: new ort.Tensor('float32', data, spec.dims) };
	});
}

function textFeeds(spec: Extract<BareFeeds, { kind: 'text' }>): ort.InferenceSession.FeedsType[] {
	const feeds: ort.InferenceSession.FeedsType[] = [];
	for (let i = 0; i < spec.ids.length; i += spec.batch) {
		const rows = spec.ids.slice(i, i + spec.batch);
		const length = rows[0]?.length ?? 0;
		const ids = new BigInt64Array(rows.length * length);
		rows.forEach((row, r) => {
			if (row.length !== length) throw new Error('bare text inputs must all have one length');
			row.forEach((id, k) => (ids[r * length + k] = BigInt(id)));
		});
		const dims = [rows.length, length];
		feeds.push({
			input_ids: new ort.Tensor('int64', ids, dims),
			attention_mask: new ort.Tensor('int64', new BigInt64Array(ids.length).fill(1n), dims),
			token_type_ids: new ort.Tensor('int64', new BigInt64Array(ids.length), dims)
		});
	}
	return feeds;
}

const api = {
	/** Creates the session; `numThreads` holds for this worker's life. */
	async init(
		bytes: Uint8Array,
		numThreads: number
	): Promise<{ threads: number; isolated: boolean }> {
		if (threads === 0) {
			threads = numThreads;
			ort.env.wasm.numThreads = numThreads;
			ort.env.wasm.proxy = false;
			ort.env.wasm.wasmPaths = { wasm: new URL(ortWasmUrl, self.location.href).href };
			ort.env.logLevel = 'error';
		} else if (threads !== numThreads) {
			throw new Error(
				`this worker runs ORT with ${threads} threads; start a new one for ${numThreads}`
			);
		}
		await session?.release();
		// The options ModelShip's ortRuntime.ts passes (its BASE_OPTIONS), nothing else.
		session = await ort.InferenceSession.create(bytes, {
			executionProviders: ['wasm'],
			graphOptimizationLevel: 'all',
			logSeverityLevel: 3
		});
		return { threads: ort.env.wasm.numThreads as number, isolated: self.crossOriginIsolated };
	},

	/**
	 * Runs `batches` batches (image) or every batch of the given texts, one `session.run` at a
	 * time, after `warmup` untimed runs.
	 */
	async run(spec: BareFeeds, batches: number, warmup: number): Promise<BareRun> {
		if (!session) throw new Error('init first');
		let feeds: ort.InferenceSession.FeedsType[];
		if (spec.kind === 'image') {
			// Made once per shape and kept: the page calls once per round.
			const key = `${spec.name}:${spec.dims.join('x')}`;
			if (imageCache?.key !== key) imageCache = { key, feeds: imageFeeds(spec, 2) };
			feeds = imageCache.feeds;
		} else feeds = textFeeds(spec);
		const count = spec.kind === 'image' ? batches : feeds.length;
		const output = session.outputNames[0] as string;
		for (let i = 0; i < warmup; i++)
			await session.run(feeds[i % feeds.length] as ort.InferenceSession.FeedsType);
		const batchMs: number[] = [];
		let firstOutput: number[] = [];
		let checksum = 0;
		const start = performance.now();
		for (let i = 0; i < count; i++) {
			const t = performance.now();
			const out = await session.run(feeds[i % feeds.length] as ort.InferenceSession.FeedsType);
			const data = out[output]?.data as Float32Array;
			checksum += data[0] ?? 0;
			if (i === 0 && spec.kind === 'text') firstOutput = Array.from(data);
			batchMs.push(performance.now() - t);
		}
		const seconds = (performance.now() - start) / 1000;
		if (!Number.isFinite(checksum)) throw new Error('bare ORT returned non-finite outputs');
		return { seconds, batchMs, firstOutput };
	},

	async release(): Promise<void> {
		await session?.release();
		session = null;
	}
};

export type BareApi = typeof api;

// ORT's wasm threads re-run this chunk in workers named 'em-pthread' (as in the app's worker).
if (self.name !== 'em-pthread') expose(api);
