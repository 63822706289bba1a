import { describe, expect, it } from 'vitest';
import { DatasetFormatError, detectFormat, readDataset, sniffFormat } from './dataset';
import { filesOf, png } from './testFiles';

describe('detectFormat', () => {
	it.each([
		[['annotations/instances_train.json', 'images/train/a.jpg'], 'coco'],
		[['train/_annotations.coco.json', 'train/a.jpg'], 'coco'],
		[['data.yaml', 'images/train/a.jpg', 'labels/train/a.txt', 'metadata.csv'], 'yolo'],
		[['ds/coco8.yaml', 'ds/images/train/a.jpg', 'ds/labels/train/a.txt'], 'yolo'],
		[['data/obj.data', 'data/obj.names', 'data/obj/1.jpg', 'data/obj/1.txt'], 'darknet'],
		[['classes.txt', 'img/1.jpg', 'img/1.txt'], 'darknet'],
		[['VOC2012/Annotations/1.xml', 'VOC2012/JPEGImages/1.jpg', 'labels.txt'], 'voc'],
		[['train.conll', 'labels.txt', 'README.md'], 'conll'],
		[['eng.train', 'eng.testa'], 'conll'],
		[['train.json', 'train.spacy', 'README.md'], 'spacy-json'],
		[['schema.json', 'train.json', 'warnings.txt'], 'relations-json'],
		[['admin.jsonl'], 'doccano-jsonl'],
		[['classes.txt', 'train.csv', 'images/a.png'], 'csv'],
		[['train.csv', 'train_texts.csv'], 'csv'],
		[['dataset_info.json', 'load_dataset.py', 'train/cat/1.png', 'metadata.csv'], 'imagefolder'],
		[['x/dataset_info.json', 'x/validation/00_b/1.jpg'], 'imagefolder'],
		// dataset_info.json without <split>/<class>/<image> beside it is not ours.
		[['dataset_info.json', 'cat/1.png'], 'spacy-json'],
		[['annotations.json', 'dataset.py', 'images/a.png'], 'pytorch'],
		[['annotations.json', 'images/a.png'], 'spacy-json'],
		[['train/a.txt', 'train/a.ann', 'annotation.conf', 'warnings.txt'], 'brat'],
		[['label_map.json', 'data/train.jsonl', 'README.md'], 'hf-text-classification'],
		[['label_map.json', 'data/train/metadata.jsonl'], 'spacy-json'],
		[['notes.txt', 'a.png'], null]
	])('%j → %s', (paths, format) => expect(detectFormat(paths)).toBe(format));
});

describe('sniffFormat', () => {
	it('opens a JSON or JSONL file to tell family members apart', async () => {
		expect(
			await sniffFormat(
				filesOf({
					'train.json':
						'[{"text": "a", "entities": [{"id": "1", "type": "X", "start": 0, "end": 1}], "relations": []}]'
				})
			)
		).toBe('relations-json');
		expect(
			await sniffFormat(
				filesOf({ 'data.json': '{"images": [], "annotations": [], "categories": []}' })
			)
		).toBe('coco');
		expect(await sniffFormat(filesOf({ 'train.json': '[{"text": "a", "cats": {}}]' }))).toBe(
			'spacy-json'
		);
		expect(
			await sniffFormat(filesOf({ 'a.jsonl': '{"id": "1", "text": "a", "spans": []}\n' }))
		).toBe('text-jsonl');
		expect(await sniffFormat(filesOf({ 'a.jsonl': '{"file": "a.png", "label": "x"}\n' }))).toBe(
			'image-jsonl'
		);
		expect(
			await sniffFormat(filesOf({ 'a.jsonl': '{"text": "a", "label": [[0, 1, "X"]]}\n' }))
		).toBe('doccano-jsonl');
	});
});

describe('sniffFormat for our exports', () => {
	it('checks dataset_info.json, annotations.json and the HF rows', async () => {
		const png1 = png(1, 1);
		expect(
			await sniffFormat(
				filesOf({
					'dataset_info.json':
						'{"format": "imagefolder", "classes": [{"name": "a", "folder": "a"}]}',
					'train/a/1.png': png1
				})
			)
		).toBe('imagefolder');
		// A dataset_info.json of another shape: detection goes on without it.
		expect(
			await sniffFormat(
				filesOf({
					'dataset_info.json': '{"features": {}}',
					'train/a/1.png': png1,
					'train.csv': 'a'
				})
			)
		).toBe('csv');
		expect(
			await sniffFormat(
				filesOf({
					'annotations.json': '{"format": "modelship-pytorch", "classes": [], "items": []}',
					'images/a.png': png1
				})
			)
		).toBe('pytorch');
		const map = '{"id2label": {"0": "O", "1": "B-X", "2": "I-X"}}';
		expect(
			await sniffFormat(
				filesOf({
					'label_map.json': map,
					'data/train.jsonl': '{"id": "1", "tokens": ["a"], "ner_tags": [1]}\n'
				})
			)
		).toBe('hf-token-classification');
		expect(
			await sniffFormat(
				filesOf({
					'label_map.json': map,
					'data/train.jsonl': '{"id": "1", "text": "a", "label": 1}\n'
				})
			)
		).toBe('hf-text-classification');
	});
});

describe('readDataset', () => {
	it('detects and reads, or reads the format it is given', async () => {
		const files = filesOf({
			'data.json':
				'{"images": [{"id": 1, "file_name": "a.png"}], "annotations": [], "categories": [{"id": 1, "name": "x"}]}',
			'a.png': png(2, 2)
		});
		expect((await readDataset(files)).format).toBe('coco');
		expect((await readDataset(filesOf({ 'train.txt': 'a B-X\n' }), 'conll')).records).toHaveLength(
			1
		);
	});

	it('throws a DatasetFormatError when nothing fits', async () => {
		await expect(readDataset(filesOf({ 'notes.md': '' }))).rejects.toBeInstanceOf(
			DatasetFormatError
		);
		await expect(readDataset(filesOf({ 'notes.md': '' }))).rejects.toThrow(
			/^no dataset format recognised/
		);
	});
});
