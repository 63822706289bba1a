/**
 * The benchmark's text classifier, built at bench time (never committed): the tiny-sentiment
 * fixture's config.json and BERT WordPiece tokenizer (tests/fixtures/models/hf/tiny-sentiment)
 * with a heavier ONNX graph of the same inputs and output, so that a text costs about what a
 * small transformer costs on WASM and the ratio against bare onnxruntime-web measures
 * ModelShip's overhead relative to real work rather than overhead alone (the fixture itself
 * runs in microseconds).
 *
 * Graph (opset 13, written with models/onnxWriter.mjs):
 *   input_ids, token_type_ids, attention_mask  int64 [batch, sequence]
 *   → word + token-type embedding Gathers (width WIDTH)
 *   → LAYERS × (MatMul [WIDTH, WIDTH] + Add bias → Relu), applied to every token
 *   → mean over attention_mask → MatMul [WIDTH, 2] + Add → logits float32 [batch, 2]
 * Per token that is LAYERS · WIDTH² multiply-adds, ≈ 3.5 M at 768 × 6: a 64-token text is
 * ≈ 0.45 GFLOP, a few tens of ms on one WASM thread. Weights are seeded (He-scaled uniform),
 * so every build is byte-identical and the logits are ordinary numbers (no overflow).
 *
 * Example:
 *   const files = await buildBenchTextModel('tests/fixtures/models/hf/tiny-sentiment');
 *   files.get('onnx/model.onnx'); // Uint8Array, ~14.4 MB
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DataType, model, node, tensor, valueInfo } from '../../models/onnxWriter.mjs';

export const WIDTH = 768;
export const LAYERS = 6;

/** mulberry32, as in the harness: the same seed gives the same weights. */
function seeded(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Uniform in ±√(6/fanIn)·gain: He initialisation, so Relu layers keep their scale. */
function weights(random, count, fanIn, gain = 1) {
	const bound = Math.sqrt(6 / fanIn) * gain;
	const out = new Float32Array(count);
	for (let i = 0; i < count; i++) out[i] = (random() * 2 - 1) * bound;
	return out;
}

/**
 * @param {number} vocabSize
 * @param {{ width?: number, layers?: number, seed?: number }} [options]
 * @returns {Uint8Array}
 */
export function benchTextGraph(
	vocabSize,
	{ width = WIDTH, layers = LAYERS, seed = 20261129 } = {}
) {
	const random = seeded(seed);
	const nodes = [
		node('Gather', ['word_embeddings', 'input_ids'], ['words']),
		node('Gather', ['token_type_embeddings', 'token_type_ids'], ['types']),
		node('Add', ['words', 'types'], ['h0'])
	];
	const initializers = [
		tensor('word_embeddings', [vocabSize, width], weights(random, vocabSize * width, 3)),
		tensor('token_type_embeddings', [2, width], weights(random, 2 * width, 3, 0.1))
	];
	for (let k = 0; k < layers; k++) {
		nodes.push(
			node('MatMul', [`h${k}`, `layer${k}_W`], [`m${k}`]),
			node('Add', [`m${k}`, `layer${k}_B`], [`a${k}`]),
			node('Relu', [`a${k}`], [`h${k + 1}`])
		);
		initializers.push(
			tensor(`layer${k}_W`, [width, width], weights(random, width * width, width, 1)),
			tensor(`layer${k}_B`, [width], weights(random, width, width, 0.1))
		);
	}
	const last = `h${layers}`;
	nodes.push(
		node('Cast', ['attention_mask'], ['mask'], { to: { int: DataType.FLOAT } }),
		node('Unsqueeze', ['mask', 'last_axis'], ['mask3']),
		node('Mul', [last, 'mask3'], ['masked']),
		node('ReduceSum', ['masked', 'sequence_axis'], ['summed'], { keepdims: { int: 0 } }),
		node('ReduceSum', ['mask', 'sequence_axis'], ['count'], { keepdims: { int: 1 } }),
		node('Div', ['summed', 'count'], ['pooled']),
		node('MatMul', ['pooled', 'classifier_W'], ['scores']),
		node('Add', ['scores', 'classifier_B'], ['logits'])
	);
	initializers.push(
		tensor('last_axis', [1], [2], DataType.INT64),
		tensor('sequence_axis', [1], [1], DataType.INT64),
		tensor('classifier_W', [width, 2], weights(random, width * 2, width)),
		tensor('classifier_B', [2], [0, 0])
	);
	return model({
		name: 'bench-sentiment',
		doc: `Benchmark text classifier: embeddings → ${layers} × (MatMul ${width}² + Relu) per token → masked mean → logits`,
		nodes,
		initializers,
		inputs: ['input_ids', 'attention_mask', 'token_type_ids'].map((name) =>
			valueInfo(name, ['batch', 'sequence'], DataType.INT64)
		),
		outputs: [valueInfo('logits', ['batch', 2])]
	});
}

/**
 * The Hugging Face-layout folder: the fixture's tokenizer files, its config.json with the
 * real width, and the bench graph as onnx/model.onnx.
 * @param {string} fixtureDir tests/fixtures/models/hf/tiny-sentiment
 * @returns {Promise<Map<string, Uint8Array>>}
 */
export async function buildBenchTextModel(fixtureDir, options = {}) {
	const read = (name) => readFile(path.join(fixtureDir, name));
	const config = JSON.parse(await read('config.json').then(String));
	const width = options.width ?? WIDTH;
	const layers = options.layers ?? LAYERS;
	const patched = { ...config, hidden_size: width, num_hidden_layers: layers };
	const encoder = new TextEncoder();
	return new Map([
		['config.json', encoder.encode(`${JSON.stringify(patched, null, '\t')}\n`)],
		['tokenizer.json', new Uint8Array(await read('tokenizer.json'))],
		['tokenizer_config.json', new Uint8Array(await read('tokenizer_config.json'))],
		['onnx/model.onnx', benchTextGraph(config.vocab_size, { ...options, width, layers })]
	]);
}
