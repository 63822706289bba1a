/**
 * Hugging Face-layout fixture models (config.json, tokenizer or preprocessor config, and
 * onnx/model.onnx), the folder shape transformers.js loads from the hub or a user's folder.
 * Their weights are written by hand so the outputs mean something: sentiment words push the
 * sentiment classifier, names and cities drive the token classifier, a solid colour drives the
 * image classifier. A plain-JS reference (WordPiece tokenizer and forward pass) computes the
 * golden outputs, so the spec can tell whether tokenizer and runtime did their job.
 */
import { DataType, model, node, tensor, valueInfo } from './onnxWriter.mjs';

const f32 = (/** @type {number} */ x) => Math.fround(x);
const round5 = (/** @type {number} */ x) => Math.round(x * 1e5) / 1e5;

// ---------------------------------------------------------------------------------------------
// One small uncased WordPiece vocabulary shared by both text models.

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const PUNCTUATION = ['.', ',', '!', '?', "'", '-'];
const POSITIVE = [
	'good',
	'great',
	'love',
	'excellent',
	'wonderful',
	'happy',
	'best',
	'amazing',
	'nice'
];
const NEGATIVE = ['bad', 'awful', 'hate', 'terrible', 'horrible', 'worst', 'sad', 'boring', 'poor'];
const PERSON_FIRST = ['alice', 'bob', 'carol', 'dave'];
const PERSON_LAST = ['smith', 'jones'];
const CITIES = ['paris', 'london', 'berlin', 'tokyo', 'york'];
const NEUTRAL = [
	'i',
	'a',
	'an',
	'the',
	'this',
	'that',
	'it',
	'is',
	'was',
	'and',
	'but',
	'very',
	'so',
	'not',
	'of',
	'to',
	'in',
	'on',
	'with',
	'from',
	'my',
	'we',
	'they',
	'you',
	'are',
	'what',
	'movie',
	'film',
	'food',
	'service',
	'product',
	'book',
	'table',
	'day',
	'weather',
	'today',
	'visited',
	'lives',
	'met',
	'went'
];
/** Word pieces: `bob ##by` is a person, `york ##shire` a place, `##s`/`##d` just inflect. */
const PIECES = ['##by', '##shire', '##s', '##d', '##ly'];

export const TEXT_VOCAB = [
	...SPECIALS,
	...PUNCTUATION,
	...POSITIVE,
	...NEGATIVE,
	...PERSON_FIRST,
	...PERSON_LAST,
	...CITIES,
	...NEUTRAL,
	...PIECES
];
const VOCAB_ID = new Map(TEXT_VOCAB.map((t, i) => [t, i]));
const id = (/** @type {string} */ token) => {
	const value = VOCAB_ID.get(token);
	if (value === undefined) throw new Error(`not in the vocabulary: ${token}`);
	return value;
};

/** tokenizer.json in the `tokenizers` library's format: BERT uncased, WordPiece. */
function tokenizerJson() {
	const special = (/** @type {string} */ content) => ({
		id: id(content),
		content,
		single_word: false,
		lstrip: false,
		rstrip: false,
		normalized: false,
		special: true
	});
	const specialToken = (/** @type {string} */ name) => ({ SpecialToken: { id: name, type_id: 0 } });
	return {
		version: '1.0',
		truncation: null,
		padding: null,
		added_tokens: SPECIALS.map(special),
		normalizer: {
			type: 'BertNormalizer',
			clean_text: true,
			handle_chinese_chars: true,
			strip_accents: null,
			lowercase: true
		},
		pre_tokenizer: { type: 'BertPreTokenizer' },
		post_processor: {
			type: 'TemplateProcessing',
			single: [specialToken('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, specialToken('[SEP]')],
			pair: [
				specialToken('[CLS]'),
				{ Sequence: { id: 'A', type_id: 0 } },
				specialToken('[SEP]'),
				{ Sequence: { id: 'B', type_id: 1 } },
				{ SpecialToken: { id: '[SEP]', type_id: 1 } }
			],
			special_tokens: Object.fromEntries(
				['[CLS]', '[SEP]'].map((t) => [t, { id: t, ids: [id(t)], tokens: [t] }])
			)
		},
		decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
		model: {
			type: 'WordPiece',
			unk_token: '[UNK]',
			continuing_subword_prefix: '##',
			max_input_chars_per_word: 100,
			vocab: Object.fromEntries(TEXT_VOCAB.map((t, i) => [t, i]))
		}
	};
}

const TOKENIZER_CONFIG = {
	tokenizer_class: 'BertTokenizer',
	do_lower_case: true,
	strip_accents: null,
	tokenize_chinese_chars: true,
	model_max_length: 128,
	clean_up_tokenization_spaces: true,
	cls_token: '[CLS]',
	sep_token: '[SEP]',
	pad_token: '[PAD]',
	unk_token: '[UNK]',
	mask_token: '[MASK]'
};

/**
 * Reference BERT tokenization for the golden files: lowercase, strip accents, split on
 * whitespace and punctuation, then greedy longest-match WordPiece with `##` continuations.
 * @param {string} text
 * @returns {string[]} tokens including [CLS] and [SEP]
 */
export function referenceTokenize(text) {
	const normalized = text
		.toLowerCase()
		.normalize('NFD')
		.replace(/\p{Mn}/gu, '');
	const words = normalized.split(/\s+/).flatMap((w) => w.split(/(\p{P})/u).filter(Boolean));
	const tokens = ['[CLS]'];
	for (const word of words) {
		const pieces = [];
		let start = 0;
		while (start < word.length) {
			let end = word.length;
			let piece = null;
			while (end > start) {
				const candidate = (start > 0 ? '##' : '') + word.slice(start, end);
				if (VOCAB_ID.has(candidate)) {
					piece = candidate;
					break;
				}
				end--;
			}
			if (!piece) {
				pieces.length = 0;
				pieces.push('[UNK]');
				break;
			}
			pieces.push(piece);
			start = end;
		}
		tokens.push(...pieces);
	}
	tokens.push('[SEP]');
	return tokens;
}

/** The graph inputs every BERT-type fixture takes: int64 [batch, sequence]. */
function bertInputs() {
	return ['input_ids', 'attention_mask', 'token_type_ids'].map((name) =>
		valueInfo(name, ['batch', 'sequence'], DataType.INT64)
	);
}

/**
 * BERT-style config.json for a fixture.
 * @param {string} architecture
 * @param {string[]} labels
 * @param {number} hiddenSize
 */
function bertConfig(architecture, labels, hiddenSize) {
	return {
		architectures: [architecture],
		model_type: 'bert',
		vocab_size: TEXT_VOCAB.length,
		hidden_size: hiddenSize,
		num_hidden_layers: 0,
		num_attention_heads: 1,
		max_position_embeddings: 128,
		type_vocab_size: 2,
		pad_token_id: id('[PAD]'),
		id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])),
		label2id: Object.fromEntries(labels.map((l, i) => [l, i]))
	};
}

// ---------------------------------------------------------------------------------------------
// tiny-sentiment: embedding [positive evidence, negative evidence] → masked mean → linear head.

const SENTIMENT_LABELS = ['negative', 'positive'];
const SENTIMENT_DIM = 2;
/** Head gain: "great movie" (4 tokens with [CLS]/[SEP]) gives logits ∓3.75 → p ≈ 0.9994. */
const SENTIMENT_GAIN = 15;

function sentimentWeights() {
	const embedding = new Float32Array(TEXT_VOCAB.length * SENTIMENT_DIM);
	for (const w of POSITIVE) embedding[id(w) * SENTIMENT_DIM] = 1;
	for (const w of NEGATIVE) embedding[id(w) * SENTIMENT_DIM + 1] = 1;
	const typeEmbedding = new Float32Array(2 * SENTIMENT_DIM);
	// head [D, 2]: negative = G·(neg − pos), positive = G·(pos − neg)
	const head = Float32Array.from([
		-SENTIMENT_GAIN,
		SENTIMENT_GAIN,
		SENTIMENT_GAIN,
		-SENTIMENT_GAIN
	]);
	const bias = new Float32Array(2);
	return { embedding, typeEmbedding, head, bias };
}

function buildSentiment() {
	const w = sentimentWeights();
	const bytes = model({
		name: 'tiny-sentiment',
		doc: 'Gather(word + type embeddings) → mean over attention_mask → MatMul + Add → logits',
		nodes: [
			node('Gather', ['word_embeddings', 'input_ids'], ['words']),
			node('Gather', ['token_type_embeddings', 'token_type_ids'], ['types']),
			node('Add', ['words', 'types'], ['hidden']),
			node('Cast', ['attention_mask'], ['mask'], { to: { int: DataType.FLOAT } }),
			node('Unsqueeze', ['mask', 'last_axis'], ['mask3']),
			node('Mul', ['hidden', 'mask3'], ['masked']),
			node('ReduceSum', ['masked', 'sequence_axis'], ['summed'], { keepdims: { int: 0 } }),
			node('ReduceSum', ['mask', 'sequence_axis'], ['count'], { keepdims: { int: 1 } }),
			node('Div', ['summed', 'count'], ['pooled']),
			node('MatMul', ['pooled', 'classifier_W'], ['scores']),
			node('Add', ['scores', 'classifier_B'], ['logits'])
		],
		initializers: [
			tensor('word_embeddings', [TEXT_VOCAB.length, SENTIMENT_DIM], w.embedding),
			tensor('token_type_embeddings', [2, SENTIMENT_DIM], w.typeEmbedding),
			tensor('last_axis', [1], [2], DataType.INT64),
			tensor('sequence_axis', [1], [1], DataType.INT64),
			tensor('classifier_W', [SENTIMENT_DIM, 2], w.head),
			tensor('classifier_B', [2], w.bias)
		],
		inputs: bertInputs(),
		outputs: [valueInfo('logits', ['batch', 2])]
	});
	return { bytes, weights: w };
}

/**
 * @param {ReturnType<typeof sentimentWeights>} w
 * @param {string[]} tokens
 */
function runSentiment(w, tokens) {
	const pooled = [0, 0];
	for (const t of tokens) {
		for (let d = 0; d < SENTIMENT_DIM; d++)
			pooled[d] += w.embedding[id(t) * SENTIMENT_DIM + d] ?? 0;
	}
	const mean = pooled.map((x) => f32(x / tokens.length));
	return [0, 1].map(
		(k) => (w.bias[k] ?? 0) + mean.reduce((s, m, d) => s + m * (w.head[d * 2 + k] ?? 0), 0)
	);
}

// ---------------------------------------------------------------------------------------------
// tiny-ner: each token's logits come straight from its embedding row (no context).

const NER_LABELS = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC'];
/** A token's own label gets logit 6, the others 0: p ≈ 0.99 after softmax over 5. */
const NER_GAIN = 6;

function nerWeights() {
	const labelOf = new Map([
		...PERSON_FIRST.map((w) => [w, 'B-PER']),
		...PERSON_LAST.map((w) => [w, 'I-PER']),
		['##by', 'I-PER'],
		...CITIES.map((w) => [w, 'B-LOC']),
		['##shire', 'I-LOC']
	]);
	const k = NER_LABELS.length;
	const embedding = new Float32Array(TEXT_VOCAB.length * k);
	TEXT_VOCAB.forEach((token, i) => {
		embedding[i * k + NER_LABELS.indexOf(labelOf.get(token) ?? 'O')] = 1;
	});
	const typeEmbedding = new Float32Array(2 * k);
	const head = new Float32Array(k * k);
	for (let i = 0; i < k; i++) head[i * k + i] = NER_GAIN;
	const bias = new Float32Array(k);
	return { embedding, typeEmbedding, head, bias };
}

function buildNer() {
	const w = nerWeights();
	const k = NER_LABELS.length;
	const bytes = model({
		name: 'tiny-ner',
		doc: 'Gather(word + type embeddings) → MatMul + Add → per-token logits, zero at padding',
		nodes: [
			node('Gather', ['word_embeddings', 'input_ids'], ['words']),
			node('Gather', ['token_type_embeddings', 'token_type_ids'], ['types']),
			node('Add', ['words', 'types'], ['hidden']),
			node('MatMul', ['hidden', 'classifier_W'], ['scores']),
			node('Add', ['scores', 'classifier_B'], ['raw_logits']),
			node('Cast', ['attention_mask'], ['mask'], { to: { int: DataType.FLOAT } }),
			node('Unsqueeze', ['mask', 'last_axis'], ['mask3']),
			node('Mul', ['raw_logits', 'mask3'], ['logits'])
		],
		initializers: [
			tensor('word_embeddings', [TEXT_VOCAB.length, k], w.embedding),
			tensor('token_type_embeddings', [2, k], w.typeEmbedding),
			tensor('classifier_W', [k, k], w.head),
			tensor('classifier_B', [k], w.bias),
			tensor('last_axis', [1], [2], DataType.INT64)
		],
		inputs: bertInputs(),
		outputs: [valueInfo('logits', ['batch', 'sequence', k])]
	});
	return { bytes, weights: w };
}

/**
 * @param {ReturnType<typeof nerWeights>} w
 * @param {string[]} tokens
 */
function runNer(w, tokens) {
	const k = NER_LABELS.length;
	return tokens.map((t) =>
		Array.from({ length: k }, (_, j) =>
			Array.from(
				{ length: k },
				(_, i) => (w.embedding[id(t) * k + i] ?? 0) * (w.head[i * k + j] ?? 0)
			).reduce((a, b) => a + b, w.bias[j] ?? 0)
		)
	);
}

// ---------------------------------------------------------------------------------------------
// tiny-colors: ViT-type image classifier, the mean of each normalised channel → its class.

const COLOR_LABELS = ['red', 'green', 'blue'];
const COLOR_SIZE = 8;
/** A pure colour normalises to channel means (1, −1, −1): logits (5, −5, −5), p ≈ 0.9999. */
const COLOR_GAIN = 5;

const PREPROCESSOR_CONFIG = {
	image_processor_type: 'ViTImageProcessor',
	do_resize: true,
	size: { height: COLOR_SIZE, width: COLOR_SIZE },
	resample: 2,
	do_rescale: true,
	rescale_factor: 1 / 255,
	do_normalize: true,
	image_mean: [0.5, 0.5, 0.5],
	image_std: [0.5, 0.5, 0.5]
};

function colorWeights() {
	const weights = new Float32Array(9);
	for (let c = 0; c < 3; c++) weights[c * 3 + c] = COLOR_GAIN;
	return { weights, bias: new Float32Array(3) };
}

function buildColors() {
	const w = colorWeights();
	const bytes = model({
		name: 'tiny-colors',
		doc: 'GlobalAveragePool → Flatten → Gemm: one class per normalised colour channel mean',
		nodes: [
			node('GlobalAveragePool', ['pixel_values'], ['pooled']),
			node('Flatten', ['pooled'], ['flat'], { axis: { int: 1 } }),
			node('Gemm', ['flat', 'classifier_W', 'classifier_B'], ['logits'])
		],
		initializers: [tensor('classifier_W', [3, 3], w.weights), tensor('classifier_B', [3], w.bias)],
		inputs: [valueInfo('pixel_values', ['batch', 3, COLOR_SIZE, COLOR_SIZE])],
		outputs: [valueInfo('logits', ['batch', 3])]
	});
	const config = {
		architectures: ['ViTForImageClassification'],
		model_type: 'vit',
		image_size: COLOR_SIZE,
		patch_size: COLOR_SIZE,
		num_channels: 3,
		hidden_size: 3,
		num_hidden_layers: 0,
		num_attention_heads: 1,
		id2label: Object.fromEntries(COLOR_LABELS.map((l, i) => [String(i), l])),
		label2id: Object.fromEntries(COLOR_LABELS.map((l, i) => [l, i]))
	};
	return { bytes, config, weights: w };
}

/**
 * @param {ReturnType<typeof colorWeights>} w
 * @param {number[]} pixel 0..255 per channel of a solid image
 */
function runColors(w, pixel) {
	const means = pixel.map((v, c) =>
		f32(
			(f32(v / 255) - (PREPROCESSOR_CONFIG.image_mean[c] ?? 0)) /
				(PREPROCESSOR_CONFIG.image_std[c] ?? 1)
		)
	);
	return [0, 1, 2].map((k) =>
		means.reduce((s, m, c) => s + m * (w.weights[c * 3 + k] ?? 0), w.bias[k] ?? 0)
	);
}

// ---------------------------------------------------------------------------------------------

const SENTIMENT_CASES = [
	{ text: 'I love this movie, it is great!', expected: 'positive' },
	{ text: 'What a terrible, awful film. I hate it.', expected: 'negative' },
	{ text: 'The service was excellent and the food was wonderful.', expected: 'positive' },
	{ text: 'This product is bad.', expected: 'negative' },
	{ text: 'The book is on the table.', expected: null }
];

/** Entities as `[label, text]` in order of appearance. */
const NER_CASES = [
	{
		text: 'Alice visited Paris with Bob.',
		entities: [
			['PER', 'Alice'],
			['LOC', 'Paris'],
			['PER', 'Bob']
		]
	},
	{
		text: 'Alice Smith lives in London.',
		entities: [
			['PER', 'Alice Smith'],
			['LOC', 'London']
		]
	},
	{
		text: 'Bobby met Carol in Yorkshire today.',
		entities: [
			['PER', 'Bobby'],
			['PER', 'Carol'],
			['LOC', 'Yorkshire']
		]
	}
];

const COLOR_CASES = [
	{ name: 'red', pixel: [255, 0, 0] },
	{ name: 'green', pixel: [0, 255, 0] },
	{ name: 'blue', pixel: [0, 0, 255] },
	{ name: 'red', pixel: [200, 40, 30] }
];

/**
 * Every HF fixture's files (relative to `hf/`) and the golden outputs.
 * @param {(value: unknown) => Promise<string>} formatJson
 * @returns {Promise<[string, Uint8Array | string][]>}
 */
export async function hfFixtureFiles(formatJson) {
	const sentiment = buildSentiment();
	const ner = buildNer();
	const colors = buildColors();
	const tokenizer = await formatJson(tokenizerJson());
	const tokenizerConfig = await formatJson(TOKENIZER_CONFIG);

	const golden = {
		'tiny-sentiment': {
			labels: SENTIMENT_LABELS,
			cases: SENTIMENT_CASES.map((c) => {
				const tokens = referenceTokenize(c.text);
				return {
					...c,
					tokens,
					input_ids: tokens.map(id),
					logits: runSentiment(sentiment.weights, tokens).map(round5)
				};
			})
		},
		'tiny-ner': {
			labels: NER_LABELS,
			cases: NER_CASES.map((c) => {
				const tokens = referenceTokenize(c.text);
				const logits = runNer(ner.weights, tokens);
				return {
					...c,
					tokens,
					input_ids: tokens.map(id),
					token_labels: logits.map((l) => NER_LABELS[l.indexOf(Math.max(...l))]),
					logits: logits.map((l) => l.map(round5))
				};
			})
		},
		'tiny-colors': {
			labels: COLOR_LABELS,
			size: COLOR_SIZE,
			cases: COLOR_CASES.map((c) => ({
				...c,
				logits: runColors(colors.weights, c.pixel).map(round5)
			}))
		}
	};

	return [
		[
			'tiny-sentiment/config.json',
			await formatJson(bertConfig('BertForSequenceClassification', SENTIMENT_LABELS, SENTIMENT_DIM))
		],
		['tiny-sentiment/tokenizer.json', tokenizer],
		['tiny-sentiment/tokenizer_config.json', tokenizerConfig],
		['tiny-sentiment/onnx/model.onnx', sentiment.bytes],
		[
			'tiny-ner/config.json',
			await formatJson(bertConfig('BertForTokenClassification', NER_LABELS, NER_LABELS.length))
		],
		['tiny-ner/tokenizer.json', tokenizer],
		['tiny-ner/tokenizer_config.json', tokenizerConfig],
		['tiny-ner/onnx/model.onnx', ner.bytes],
		['tiny-colors/config.json', await formatJson(colors.config)],
		['tiny-colors/preprocessor_config.json', await formatJson(PREPROCESSOR_CONFIG)],
		['tiny-colors/onnx/model.onnx', colors.bytes],
		['golden.json', await formatJson(golden)]
	];
}
