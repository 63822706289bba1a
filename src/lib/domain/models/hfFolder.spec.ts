import { describe, expect, it } from 'vitest';
import { labelsFromConfig, stripRoot, summariseHfFolder, taskFromConfig } from './hfFolder';

describe('Hugging Face folders', () => {
	it('reads the task from the architecture', () => {
		expect(taskFromConfig({ architectures: ['BertForSequenceClassification'] })).toBe(
			'text-classification'
		);
		expect(taskFromConfig({ architectures: ['ViTForImageClassification'] })).toBe(
			'image-classification'
		);
		expect(taskFromConfig({ architectures: ['DetrForObjectDetection'] })).toBe('object-detection');
		expect(taskFromConfig({ architectures: ['BertForTokenClassification'] })).toBe(
			'token-classification'
		);
		expect(taskFromConfig({ architectures: ['CLIPModel'] })).toBe('zero-shot-image-classification');
		expect(taskFromConfig({ architectures: ['BertModel'] })).toBe('feature-extraction');
		expect(taskFromConfig({})).toBeNull();
	});

	it('orders labels by index and reports a gap', () => {
		expect(labelsFromConfig({ id2label: { '1': 'positive', '0': 'negative' } }).labels).toEqual([
			'negative',
			'positive'
		]);
		expect(labelsFromConfig({ id2label: { '0': 'a', '2': 'c' } }).problem).toMatch(/index 1/);
	});

	it('picks one weights file and the side files, preferring the requested dtype', () => {
		const paths = stripRoot([
			'tiny/config.json',
			'tiny/tokenizer.json',
			'tiny/tokenizer_config.json',
			'tiny/onnx/model.onnx',
			'tiny/onnx/model_quantized.onnx',
			'tiny/README.md'
		]);
		const config = {
			architectures: ['BertForSequenceClassification'],
			model_type: 'bert',
			id2label: { 0: 'neg', 1: 'pos' }
		};
		const q8 = summariseHfFolder(paths, config);
		expect(q8).toMatchObject({
			task: 'text-classification',
			dtype: 'q8',
			labels: ['neg', 'pos'],
			modelType: 'bert',
			problems: []
		});
		expect(q8.files).toEqual([
			'config.json',
			'onnx/model_quantized.onnx',
			'tokenizer.json',
			'tokenizer_config.json'
		]);
		expect(summariseHfFolder(paths, config, 'fp32').files).toContain('onnx/model.onnx');
	});

	it('says what is missing', () => {
		expect(summariseHfFolder(['config.json'], null).problems).toEqual([
			'config.json is missing or is not valid JSON',
			'no ONNX weights found: expected onnx/model.onnx or onnx/model_quantized.onnx'
		]);
	});
});
