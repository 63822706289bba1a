import { z } from 'zod';

/**
 * The dataset formats the readers know. Alone in its module: the import options' schema needs
 * it on every page, the readers themselves only in the import worker.
 */
export const ReaderId = z.enum([
	'coco',
	'yolo',
	'darknet',
	'voc',
	'conll',
	'spacy-json',
	'doccano-jsonl',
	'text-jsonl',
	'image-jsonl',
	'relations-json',
	'csv',
	'imagefolder',
	'pytorch',
	'brat',
	'hf-token-classification',
	'hf-text-classification'
]);
export type ReaderId = z.infer<typeof ReaderId>;
