/**
 * Inference benchmark, page side: registers an image classifier (MobileNetV2 int8 from
 * /shared/models, else the tiny fixture classifier) as a raw-ONNX version and the bench text
 * classifier (built by tests/bench/textModel.mjs, served under /bench-models/) as a
 * transformers.js version, seeds image and text items into IndexedDB, then times
 * - ModelShip: `runModel` of the app's inference client on item ids, one batch per call, so
 *   the whole path counts (comlink, the worker reading bytes from IndexedDB, decoding,
 *   resizing, normalising, `session.run`, decoding outputs (the best 20 of 1000 ImageNet
 *   classes, as every classifier with more than 50 labels answers), the answer back);
 * - bare onnxruntime-web: `session.run` on tensors made beforehand in a plain worker
 *   (bareOrt.ts), same model bytes, wasm file, threads and batch.
 * tests/bench/run.mjs calls these through `window.bench` and alternates the two.
 *
 * Functional checks throw (an output that is not ok, a wrong count, threads not applied);
 * times are only reported.
 */
import { wrap, type Remote } from 'comlink';
import { db } from '$lib/db/database';
import { createImportJob } from '$lib/db/jobs';
import { addVersion, getVersion } from '$lib/db/models';
import { addProject } from '$lib/db/projects';
import { keptClassCount } from '$lib/domain/models/decode';
import { parseManifest, type ModelManifestInput } from '$lib/domain/models/manifest';
import type { ExecutionInfo, Item, ModelRecord, ModelRuntime } from '$lib/domain/schemas';
import {
	environment,
	loadModel,
	runModel,
	terminateAll,
	type EnvironmentReport
} from '$lib/workers/inference/client';
import type { BareApi, BareFeeds, BareRun } from './bareOrt';
import type { ProfileApi, Stages } from './profileWorker';
import { fakeSha, makeJpegs, seeded } from './data';

type Kind = 'image' | 'text';

const MOBILENET = '/shared/models/mobilenetv2-int8';
const FIXTURE = '/fixtures/models/tiny-image-classifier';
const TEXT_MODEL = '/bench-models/bench-sentiment';
const TEXT_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'];

/** Image items are this size: a shortest-edge resize and a centre crop for MobileNetV2. */
const IMAGE_WIDTH = 320;
const IMAGE_HEIGHT = 240;

async function fetchBytes(url: string): Promise<Uint8Array | null> {
	const response = await fetch(url);
	if (response.status === 404) return null;
	if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
	return new Uint8Array(await response.arrayBuffer());
}

async function fetchJson<T>(url: string): Promise<T> {
	const bytes = await fetchBytes(url);
	if (!bytes) throw new Error(`GET ${url}: not found`);
	return JSON.parse(new TextDecoder().decode(bytes)) as T;
}

/**
 * MobileNetV2 as a user would import it: ImageNet recipe (shorter side to 256, centre crop
 * 224, ModelShip's default bilinear filter), pixel/255 then mean/std, softmax over logits.
 */
function mobilenetManifest(labels: string[]): ModelManifestInput {
	return {
		name: 'MobileNetV2 1.0 int8 (ImageNet)',
		version: '1.0.0',
		task: 'image-classification',
		labels,
		inputs: [{ name: 'input', shape: ['batch', 3, 224, 224], dtype: 'float32', layout: 'NCHW' }],
		preprocessing: {
			resize: { mode: 'shortest-edge-crop', width: 224, height: 224, shortestEdge: 256 },
			scale: 1 / 255,
			mean: [0.485, 0.456, 0.406],
			std: [0.229, 0.224, 0.225],
			channelOrder: 'RGB'
		},
		outputs: [{ name: 'output', shape: ['batch', 1000], activation: 'softmax' }]
	};
}

interface ImageModel {
	name: string;
	bytes: Uint8Array;
	fileName: string;
	manifest: ModelManifestInput;
	/** Largest batch the model takes (1 for a fixed-batch model). */
	maxBatch: number;
}

async function imageModel(): Promise<ImageModel> {
	const bytes = await fetchBytes(`${MOBILENET}/mobilenetv2-12-int8.onnx`);
	if (bytes) {
		const labels = await fetchJson<string[]>(`${MOBILENET}/imagenet-simple-labels.json`);
		return {
			name: 'mobilenetv2-int8',
			bytes,
			fileName: 'mobilenetv2-12-int8.onnx',
			manifest: mobilenetManifest(labels),
			maxBatch: 64
		};
	}
	const fixture = await fetchBytes(`${FIXTURE}/model.onnx`);
	if (!fixture)
		throw new Error('neither /shared/models/mobilenetv2-int8 nor the fixture classifier');
	const manifest = await fetchJson<ModelManifestInput>(`${FIXTURE}/manifest.json`);
	const first = manifest.inputs[0]?.shape[0];
	return {
		name: 'tiny-image-classifier (fixture)',
		bytes: fixture,
		fileName: 'model.onnx',
		manifest,
		maxBatch: typeof first === 'number' && first > 0 ? first : 64
	};
}

function modelRecord(
	id: string,
	name: string,
	task: ModelRecord['task'],
	runtime: ModelRuntime
): ModelRecord {
	return {
		id,
		name,
		task,
		runtime,
		source: 'import',
		hubId: null,
		licence: null,
		createdAt: Date.now()
	};
}

// ---------------------------------------------------------------- state of this page

interface State {
	image: ImageModel;
	/** batch size → version id (config.batchSize differs per version). */
	imageVersions: Map<number, string>;
	textVersions: Map<number, string>;
	textBytes: Uint8Array;
	/** Item ids: warm-up items first, then timed ones. */
	items: Record<Kind, { warm: number[]; timed: number[] }>;
	/** Token ids of each timed text, as the tokenizer makes them. */
	textTokens: { warm: number[][]; timed: number[][] };
	textLength: number;
}

let state: State | null = null;
let bare: { worker: Worker; api: Remote<BareApi>; threads: number; model: Kind | null } | null =
	null;

function ready(): State {
	if (!state) throw new Error('call inferSetup first');
	return state;
}

/** What inferSetup registered and seeded, for the auto-label benchmark (autolabel.ts). */
export function inferState(): Readonly<State> {
	return ready();
}

// ---------------------------------------------------------------- texts

interface TokenizerJson {
	model: { vocab: Record<string, number> };
}

/**
 * `n` distinct review-like texts of exactly `length` tokens with the bench tokenizer: whole
 * vocabulary words (one WordPiece token each), a full stop, and [CLS]/[SEP]. Returns the texts
 * and the token ids the tokenizer will produce, for the bare loop.
 */
export function makeTexts(
	vocab: Record<string, number>,
	n: number,
	length: number,
	seed: number
): { texts: string[]; tokens: number[][] } {
	const words = Object.keys(vocab).filter((w) => /^[a-z]+$/.test(w));
	const id = (token: string): number => {
		const value = vocab[token];
		if (value === undefined) throw new Error(`the bench tokenizer has no ${token}`);
		return value;
	};
	const random = seeded(seed);
	const seen = new Set<string>();
	const texts: string[] = [];
	const tokens: number[][] = [];
	while (texts.length < n) {
		const chosen = Array.from(
			{ length: length - 3 },
			() => words[Math.floor(random() * words.length)] as string
		);
		const sentence = chosen.join(' ');
		const text = `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
		if (seen.has(text)) continue;
		seen.add(text);
		texts.push(text);
		tokens.push([id('[CLS]'), ...chosen.map(id), id('.'), id('[SEP]')]);
	}
	return { texts, tokens };
}

// ---------------------------------------------------------------- setup

async function seedItems(
	projectId: number,
	batchId: number,
	images: Blob[],
	texts: string[]
): Promise<{ imageIds: number[]; textIds: number[] }> {
	const database = db();
	const now = Date.now();
	const shas = images.map((_, i) => fakeSha(i, 0x1f3e));
	await database.blobs.bulkPut(images.map((blob, i) => ({ key: shas[i] as string, blob })));
	const imageRecords: Item[] = images.map((blob, i) => ({
		projectId,
		kind: 'image',
		name: `bench-infer/img_${String(i).padStart(4, '0')}.jpg`,
		sha256: shas[i] as string,
		mime: 'image/jpeg',
		size: blob.size,
		width: IMAGE_WIDTH,
		height: IMAGE_HEIGHT,
		text: null,
		split: null,
		batchId,
		createdAt: now
	}));
	const textRecords: Item[] = texts.map((text, i) => ({
		projectId,
		kind: 'text',
		name: `bench-infer.csv:${i + 2}`,
		sha256: fakeSha(i, 0x7e47),
		mime: 'text/plain',
		size: text.length,
		width: null,
		height: null,
		text,
		split: null,
		batchId,
		createdAt: now
	}));
	const imageIds = (await database.items.bulkAdd(imageRecords, { allKeys: true })) as number[];
	const textIds = (await database.items.bulkAdd(textRecords, { allKeys: true })) as number[];
	return { imageIds, textIds };
}

export interface SetupReport {
	isolated: boolean;
	imageModel: string;
	imageBatchMax: number;
	avgJpegBytes: number;
	textModelBytes: number;
	textTokens: number;
	environment: EnvironmentReport;
}

/**
 * Registers the models and seeds `images` + `warmup` JPEGs (320×240, distinct) and
 * `texts` + `warmup` texts of `textTokens` tokens. `batches` lists the image batch sizes to
 * register a version for.
 */
async function inferSetup(options: {
	images: number;
	texts: number;
	warmupImages: number;
	warmupTexts: number;
	textTokens: number;
	batches: number[];
}): Promise<SetupReport> {
	const image = await imageModel();
	const parsed = parseManifest(image.manifest);
	if (!parsed.ok) throw new Error(`image manifest: ${parsed.errors.join('; ')}`);
	const imageVersions = new Map<number, string>();
	const model = modelRecord('bench-image', image.name, 'image-classification', 'onnx');
	for (const batch of options.batches) {
		// A second setup in the same database (the auto-label part after inference) reuses them.
		const existing = await getVersion(`bench-image-b${batch}`);
		if (existing) {
			imageVersions.set(batch, existing.id);
			continue;
		}
		const record = await addVersion({
			model,
			version: {
				id: `bench-image-b${batch}`,
				version: `1.0.0-b${batch}`,
				manifest: parsed.manifest,
				config: { batchSize: batch },
				labels: parsed.manifest.labels,
				metrics: {},
				tags: ['bench'],
				description: `benchmark, batch ${batch}`,
				createdAt: Date.now(),
				stage: 'none'
			},
			files: new Map([[image.fileName, image.bytes]])
		});
		imageVersions.set(batch, record.id);
	}

	const textFiles = new Map<string, Uint8Array>();
	for (const file of TEXT_FILES) {
		const bytes = await fetchBytes(`${TEXT_MODEL}/${file}`);
		if (!bytes) throw new Error(`the bench text model has no ${file} (built by run.mjs)`);
		textFiles.set(file, bytes);
	}
	const config = JSON.parse(new TextDecoder().decode(textFiles.get('config.json'))) as {
		id2label: Record<string, string>;
	};
	const labels = Object.keys(config.id2label)
		.sort((a, b) => Number(a) - Number(b))
		.map((k) => config.id2label[k] as string);
	const textVersions = new Map<number, string>();
	const textModel = modelRecord(
		'bench-text',
		'bench sentiment',
		'text-classification',
		'transformers'
	);
	for (const batch of [8]) {
		const existing = await getVersion(`bench-text-b${batch}`);
		if (existing) {
			textVersions.set(batch, existing.id);
			continue;
		}
		const record = await addVersion({
			model: textModel,
			version: {
				id: `bench-text-b${batch}`,
				version: `1.0.0-b${batch}`,
				manifest: null,
				config: { task: 'text-classification', batchSize: batch },
				labels,
				metrics: {},
				tags: ['bench'],
				description: `benchmark, batch ${batch}`,
				createdAt: Date.now(),
				stage: 'none'
			},
			files: textFiles
		});
		textVersions.set(batch, record.id);
	}

	const nImages = options.warmupImages + options.images;
	const jpegs = await makeJpegs(nImages, 7001, IMAGE_WIDTH, IMAGE_HEIGHT);
	const tokenizer = JSON.parse(
		new TextDecoder().decode(textFiles.get('tokenizer.json'))
	) as TokenizerJson;
	const nTexts = options.warmupTexts + options.texts;
	const { texts, tokens } = makeTexts(tokenizer.model.vocab, nTexts, options.textTokens, 7002);
	const projectId = await addProject(`bench inference ${Date.now()}`);
	const batchId = await createImportJob(projectId, 'bench inference seed');
	const { imageIds, textIds } = await seedItems(projectId, batchId, jpegs, texts);
	if (imageIds.length !== nImages || textIds.length !== nTexts) {
		throw new Error(`seeded ${imageIds.length} images and ${textIds.length} texts`);
	}
	state = {
		image,
		imageVersions,
		textVersions,
		textBytes: textFiles.get('onnx/model.onnx') as Uint8Array,
		items: {
			image: {
				warm: imageIds.slice(0, options.warmupImages),
				timed: imageIds.slice(options.warmupImages)
			},
			text: {
				warm: textIds.slice(0, options.warmupTexts),
				timed: textIds.slice(options.warmupTexts)
			}
		},
		textTokens: {
			warm: tokens.slice(0, options.warmupTexts),
			timed: tokens.slice(options.warmupTexts)
		},
		textLength: options.textTokens
	};
	return {
		isolated: self.crossOriginIsolated,
		imageModel: image.name,
		imageBatchMax: image.maxBatch,
		avgJpegBytes: jpegs.reduce((s, b) => s + b.size, 0) / jpegs.length,
		textModelBytes: state.textBytes.byteLength,
		textTokens: options.textTokens,
		environment: await environment()
	};
}

// ---------------------------------------------------------------- ModelShip

export interface ModelShipRun {
	seconds: number;
	items: number;
	batchMs: number[];
	/** Sum of the worker's `inferenceMs` (model.run: preprocessing, session.run, decoding). */
	inferenceMs: number;
	execution: ExecutionInfo;
	loadMs: number;
	/** Texts: the positive-class probability of the first batch's texts, in order. */
	firstScores: number[];
}

/**
 * Runs `count` items from `offset` of the warm-up or timed set through ModelShip's client,
 * `batch` items per `runModel` call, one call at a time.
 */
async function inferModelShip(options: {
	kind: Kind;
	threads: number;
	batch: number;
	set: 'warm' | 'timed';
	offset: number;
	count: number;
}): Promise<ModelShipRun> {
	const s = ready();
	const { kind, threads, batch } = options;
	const versionId = (kind === 'image' ? s.imageVersions : s.textVersions).get(batch);
	if (!versionId) throw new Error(`no ${kind} version for batch ${batch}`);
	const placement = { prefer: 'wasm' as const, threads };
	const loadStart = performance.now();
	const loaded = await loadModel(versionId, placement);
	const loadMs = performance.now() - loadStart;
	if (!loaded.ok) throw new Error(`load: ${loaded.error.code}: ${loaded.error.message}`);
	const ids = s.items[kind][options.set].slice(options.offset, options.offset + options.count);
	if (ids.length !== options.count) throw new Error(`only ${ids.length} ${kind} items left`);
	// The prediction contract: every label up to 50, else the best 20 (1000 ImageNet → 20).
	const expectClasses = keptClassCount(
		kind === 'image' ? (s.image.manifest.labels?.length ?? 0) : 2
	);
	const batchMs: number[] = [];
	let inferenceMs = 0;
	let execution: ExecutionInfo | null = null;
	let firstScores: number[] = [];
	const start = performance.now();
	for (let i = 0; i < ids.length; i += batch) {
		const chunk = ids.slice(i, i + batch);
		const t = performance.now();
		const result = await runModel(
			versionId,
			chunk.map((itemId) => ({ kind: 'item' as const, itemId })),
			placement
		);
		batchMs.push(performance.now() - t);
		if (!result.ok) throw new Error(`runModel: ${result.error.code}: ${result.error.message}`);
		const { outputs } = result.value;
		if (outputs.length !== chunk.length) {
			throw new Error(`runModel returned ${outputs.length} outputs for ${chunk.length} items`);
		}
		for (const [k, output] of outputs.entries()) {
			if (!output.ok)
				throw new Error(`item ${chunk[k]}: ${output.error.code}: ${output.error.message}`);
			const p = output.prediction;
			if (p.kind !== 'classes' || p.classes.length !== expectClasses) {
				throw new Error(
					`item ${chunk[k]}: expected ${expectClasses} classes, got ${JSON.stringify(p).slice(0, 200)}`
				);
			}
			const top = p.classes[0]?.score ?? NaN;
			if (!(top > 0 && top <= 1.0001)) throw new Error(`item ${chunk[k]}: top score ${top}`);
			if (p.classes.some((c, j) => j > 0 && c.score > (p.classes[j - 1]?.score ?? NaN))) {
				throw new Error(`item ${chunk[k]}: classes not sorted best first`);
			}
		}
		if (i === 0 && kind === 'text') {
			firstScores = outputs.map((o) =>
				o.ok && o.prediction.kind === 'classes'
					? (o.prediction.classes.find((c) => c.index === 1)?.score ?? NaN)
					: NaN
			);
		}
		inferenceMs += result.value.inferenceMs;
		execution = result.value.execution;
	}
	const seconds = (performance.now() - start) / 1000;
	if (!execution) throw new Error('no batches ran');
	if (execution.device !== 'wasm') throw new Error(`asked for wasm, ran on ${execution.backend}`);
	if (execution.threads !== threads) {
		throw new Error(
			`asked for ${threads} WASM threads, the model runs with ${execution.threads} (${execution.reason})`
		);
	}
	return { seconds, items: ids.length, batchMs, inferenceMs, execution, loadMs, firstScores };
}

// ---------------------------------------------------------------- bare onnxruntime-web

async function bareWorker(threads: number): Promise<NonNullable<typeof bare>> {
	if (bare && bare.threads === threads) return bare;
	bare?.worker.terminate();
	const worker = new Worker(new URL('./bareOrt.ts', import.meta.url), {
		type: 'module',
		name: 'bare-ort'
	});
	bare = { worker, api: wrap<BareApi>(worker), threads, model: null };
	return bare;
}

/** `count` items of the timed (or warm-up) set as bare `session.run` batches of `batch`. */
async function inferBare(options: {
	kind: Kind;
	threads: number;
	batch: number;
	set: 'warm' | 'timed';
	offset: number;
	count: number;
	warmup: number;
}): Promise<BareRun & { items: number; threads: number }> {
	const s = ready();
	const { kind, threads, batch } = options;
	const b = await bareWorker(threads);
	if (b.model !== kind) {
		const bytes = kind === 'image' ? s.image.bytes : s.textBytes;
		const info = await b.api.init(bytes.slice(), threads);
		if (!info.isolated && threads > 1)
			throw new Error('the bare worker is not cross-origin isolated');
		if (info.threads !== threads)
			throw new Error(`bare ORT runs ${info.threads} threads, not ${threads}`);
		b.model = kind;
	}
	if (options.count % batch !== 0)
		throw new Error(`${options.count} items are not whole batches of ${batch}`);
	let spec: BareFeeds;
	if (kind === 'image') {
		const input = s.image.manifest.inputs[0];
		const resize = s.image.manifest.preprocessing?.resize;
		if (!input || !resize) throw new Error('image manifest without input or resize');
		const dims =
			input.layout === 'NHWC'
				? [batch, resize.height, resize.width, 3]
				: [batch, 3, resize.height, resize.width];
		const channels = s.image.manifest.preprocessing?.grayscale ? 1 : 3;
		if (input.layout === 'NHWC') dims[3] = channels;
		else dims[1] = channels;
		spec = { kind: 'image', name: input.name, batch, dims };
	} else {
		const ids = s.textTokens[options.set].slice(options.offset, options.offset + options.count);
		spec = { kind: 'text', ids, batch };
	}
	const run = await b.api.run(spec, options.count / batch, options.warmup);
	return { ...run, items: options.count, threads };
}

/** Ends every inference worker (ModelShip's and the bare one): the next call starts fresh. */
async function inferReset(): Promise<void> {
	terminateAll();
	bare?.worker.terminate();
	bare = null;
}

/**
 * `--profile`: the image path's stages around `session.run`, per batch of `batch`, over the
 * first `count` timed items (in a worker of its own, as the inference worker would do them).
 */
async function inferProfile(count: number, batch: number): Promise<Stages> {
	const s = ready();
	const parsed = parseManifest(s.image.manifest);
	if (!parsed.ok) throw new Error(parsed.errors.join('; '));
	const worker = new Worker(new URL('./profileWorker.ts', import.meta.url), {
		type: 'module',
		name: 'bench-profile'
	});
	try {
		return await wrap<ProfileApi>(worker).profile(
			s.items.image.timed.slice(0, count),
			batch,
			parsed.manifest
		);
	} finally {
		worker.terminate();
	}
}

export const inference = { inferSetup, inferModelShip, inferBare, inferReset, inferProfile };
