import type { InferenceTask } from '../schemas';

/**
 * The product spec's models mapped to browser-ready equivalents: ONNX exports in the
 * Hugging Face layout that transformers.js runs (the Xenova/onnx-community conversions of the
 * same checkpoints). Sizes are of the quantised (q8) weights transformers.js downloads, so a
 * user knows the cost before clicking. The embedded defaults are listed separately: they ship
 * with the app and need no download.
 */
export interface CatalogEntry {
	id: string;
	/** What the product spec calls it. */
	title: string;
	task: InferenceTask;
	hubId: string;
	/** The original checkpoint the browser export was converted from. */
	basedOn: string;
	/** Approximate download size in MB (q8 weights plus config and tokenizer). */
	sizeMb: number;
	licence: string;
	dtype: 'q8' | 'fp32';
	description: string;
}

export const CATALOG: readonly CatalogEntry[] = [
	{
		id: 'image-general',
		title: 'Image: general (ResNet-50)',
		task: 'image-classification',
		hubId: 'Xenova/resnet-50',
		basedOn: 'microsoft/resnet-50',
		sizeMb: 26,
		licence: 'Apache-2.0',
		dtype: 'q8',
		description: 'ImageNet-1k, 1,000 everyday classes.'
	},
	{
		id: 'image-detailed',
		title: 'Image: detailed (ViT)',
		task: 'image-classification',
		hubId: 'Xenova/vit-base-patch16-224',
		basedOn: 'google/vit-base-patch16-224',
		sizeMb: 88,
		licence: 'Apache-2.0',
		dtype: 'q8',
		description: 'Vision Transformer, ImageNet-1k; finer distinctions than ResNet-50.'
	},
	{
		id: 'image-objects',
		title: 'Image: objects (DETR ResNet-50)',
		task: 'object-detection',
		hubId: 'Xenova/detr-resnet-50',
		basedOn: 'facebook/detr-resnet-50',
		sizeMb: 43,
		licence: 'Apache-2.0',
		dtype: 'q8',
		description: 'COCO 2017, 80 object classes with boxes.'
	},
	{
		id: 'image-medical',
		title: 'Image: medical (BEiT)',
		task: 'image-classification',
		hubId: 'Xenova/beit-base-patch16-224-pt22k-ft22k',
		basedOn: 'microsoft/beit-base-patch16-224-pt22k-ft22k',
		sizeMb: 92,
		licence: 'Apache-2.0',
		dtype: 'q8',
		description:
			'BEiT pre-trained on ImageNet-22k, the backbone medical models fine-tune; no browser-ready medical head is published, so fine-tune it on your labels.'
	},
	{
		id: 'image-nsfw',
		title: 'Image: NSFW (ViT)',
		task: 'image-classification',
		hubId: 'AdamCodd/vit-base-nsfw-detector',
		basedOn: 'AdamCodd/vit-base-nsfw-detector',
		sizeMb: 88,
		licence: 'Apache-2.0',
		dtype: 'q8',
		description: 'sfw / nsfw. The embedded nsfwjs default works offline without this download.'
	},
	{
		id: 'image-clip',
		title: 'Image: zero-shot (CLIP)',
		task: 'zero-shot-image-classification',
		hubId: 'Xenova/clip-vit-base-patch32',
		basedOn: 'openai/clip-vit-base-patch32',
		sizeMb: 153,
		licence: 'MIT',
		dtype: 'q8',
		description: "Scores an image against the task's class names, no training needed."
	},
	{
		id: 'text-sentiment',
		title: 'Text: sentiment (Twitter RoBERTa)',
		task: 'text-classification',
		hubId: 'Xenova/twitter-roberta-base-sentiment-latest',
		basedOn: 'cardiffnlp/twitter-roberta-base-sentiment-latest',
		sizeMb: 126,
		licence: 'CC-BY-4.0',
		dtype: 'q8',
		description: 'negative / neutral / positive, trained on 124M tweets.'
	},
	{
		id: 'text-topic',
		title: 'Text: topic (BART-large MNLI, zero-shot)',
		task: 'zero-shot-classification',
		hubId: 'Xenova/bart-large-mnli',
		basedOn: 'facebook/bart-large-mnli',
		sizeMb: 410,
		licence: 'MIT',
		dtype: 'q8',
		description:
			"Scores a text against the task's class names as topics; large but needs no training."
	},
	{
		id: 'text-topic-small',
		title: 'Text: topic (DistilBERT MNLI, zero-shot, small)',
		task: 'zero-shot-classification',
		hubId: 'Xenova/distilbert-base-uncased-mnli',
		basedOn: 'typeform/distilbert-base-uncased-mnli',
		sizeMb: 67,
		licence: 'MIT',
		dtype: 'q8',
		description: 'The same zero-shot topic task at a sixth of the download.'
	},
	{
		id: 'text-toxicity',
		title: 'Text: toxicity (Toxic BERT)',
		task: 'text-classification',
		hubId: 'Xenova/toxic-bert',
		basedOn: 'unitary/toxic-bert',
		sizeMb: 110,
		licence: 'Apache-2.0',
		dtype: 'q8',
		description: 'toxic, severe toxic, obscene, threat, insult, identity hate (multi-label).'
	},
	{
		id: 'text-ner',
		title: 'Text: named entities (BERT NER)',
		task: 'token-classification',
		hubId: 'Xenova/bert-base-NER',
		basedOn: 'dslim/bert-base-NER',
		sizeMb: 108,
		licence: 'MIT',
		dtype: 'q8',
		description: 'Persons, organisations, locations and miscellaneous entities (CoNLL-2003).'
	},
	{
		id: 'text-embeddings',
		title: 'Text: embeddings (MiniLM)',
		task: 'feature-extraction',
		hubId: 'Xenova/all-MiniLM-L6-v2',
		basedOn: 'sentence-transformers/all-MiniLM-L6-v2',
		sizeMb: 23,
		licence: 'Apache-2.0',
		dtype: 'q8',
		description:
			'384-dimensional sentence embeddings for similarity, de-duplication and the learner.'
	}
];

const HUB_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

/** A catalog entry for any hub repository the user names, validated before any request. */
export function customEntry(
	hubId: string,
	task: InferenceTask,
	dtype: CatalogEntry['dtype']
): { ok: true; entry: CatalogEntry } | { ok: false; message: string } {
	const id = hubId.trim();
	if (!HUB_ID.test(id) || id.includes('..')) {
		return { ok: false, message: 'A hub id looks like owner/name, e.g. Xenova/bert-base-NER.' };
	}
	return {
		ok: true,
		entry: {
			id: `hub:${id}`,
			title: id,
			task,
			hubId: id,
			basedOn: id,
			sizeMb: 0,
			licence: 'see the model card',
			dtype,
			description: `Downloaded by hub id (${dtype} weights).`
		}
	};
}
