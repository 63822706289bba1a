import { describe, expect, it } from 'vitest';
import type { EnvironmentReport } from '$lib/workers/inference/client';
import { isolationText, plannedBackend } from './diagnostics';
import { formatScore, labelColor, spanSegments } from './predictionView';
import {
	formatDelta,
	formatMetric,
	parseMetrics,
	parseTags,
	productionUsage,
	toggleCompare
} from './registryView';

const span = (start: number, end: number, label: string, text = '') => ({
	start,
	end,
	label,
	score: 0.9,
	text
});

describe('spanSegments', () => {
	it('cuts a text into plain and labelled parts', () => {
		const text = 'Ada Lovelace met Babbage in London.';
		const segments = spanSegments(text, [span(28, 34, 'LOC'), span(0, 12, 'PER')]);
		expect(segments.map((s) => [s.text, s.span?.label ?? null])).toEqual([
			['Ada Lovelace', 'PER'],
			[' met Babbage in ', null],
			['London', 'LOC'],
			['.', null]
		]);
	});
	it('skips spans that overlap an earlier one or fall outside the text', () => {
		const segments = spanSegments('abcdef', [span(0, 4, 'A'), span(2, 5, 'B'), span(5, 9, 'C')]);
		expect(segments.map((s) => s.text)).toEqual(['abcd', 'ef']);
	});
});

describe('formatScore', () => {
	it('never rounds a score below 1 up to 100%', () => {
		expect(formatScore(0.99991)).toBe('99.99%');
		expect(formatScore(1)).toBe('100.0%');
		expect(formatScore(0.5)).toBe('50.0%');
		expect(formatScore(0.0005)).toBe('0.050%');
		expect(formatScore(0.00005)).toBe('<0.01%');
		expect(formatScore(0)).toBe('0%');
	});
	it('gives a label the same colour every time', () => {
		expect(labelColor('car')).toBe(labelColor('car'));
	});
});

describe('registry view helpers', () => {
	it('lists the tasks that run each version', () => {
		const task = (id: string, v: string | null) => ({
			id,
			name: `Task ${id}`,
			kind: 'image-classification' as const,
			multiLabel: false,
			classes: [],
			threshold: 0.8,
			productionModelVersionId: v
		});
		const usage = productionUsage([
			{ id: 1, name: 'P1', tasks: [task('a', 'v1'), task('b', null)] },
			{ id: 2, name: 'P2', tasks: [task('c', 'v1')] }
		]);
		expect(usage.get('v1')?.map((u) => `${u.projectName}/${u.taskName}`)).toEqual([
			'P1/Task a',
			'P2/Task c'
		]);
		expect(usage.has('v2')).toBe(false);
	});
	it('keeps the last two versions ticked for comparison', () => {
		expect(toggleCompare([], 'a')).toEqual(['a']);
		expect(toggleCompare(['a', 'b'], 'c')).toEqual(['b', 'c']);
		expect(toggleCompare(['a', 'b'], 'a')).toEqual(['b']);
	});
	it('reads tags and metrics as typed', () => {
		expect(parseTags('fast, int8\nfast,  ')).toEqual(['fast', 'int8']);
		expect(parseMetrics('accuracy = 0.91\n\nlatency_ms: 12')).toEqual({
			ok: true,
			metrics: { accuracy: 0.91, latency_ms: 12 }
		});
		expect(parseMetrics('accuracy 0.9')).toEqual({
			ok: false,
			error: 'Line 1 (“accuracy 0.9”) is not “name = number”, e.g. accuracy = 0.91.'
		});
	});
	it('prints metrics and deltas without float noise', () => {
		expect(formatMetric(0.1 + 0.2)).toBe('0.3');
		expect(formatDelta(0.93 - 0.91)).toBe('+0.02');
		expect(formatDelta(-2)).toBe('−2');
		expect(formatDelta(null)).toBe('—');
	});
});

const report = (over: Partial<EnvironmentReport> = {}): EnvironmentReport => ({
	webgpu: { available: false, adapter: null, reason: 'this browser has no WebGPU' },
	isolated: true,
	sharedArrayBuffer: true,
	cores: 8,
	memoryGb: 8,
	threads: 4,
	workers: 2,
	threadsReason: '',
	...over
});

describe('plannedBackend', () => {
	it('says WASM with threads, and why not WebGPU', () => {
		expect(plannedBackend(report(), 'auto')).toEqual({
			backend: 'WASM with SIMD and 4 threads',
			why: 'Because this browser has no WebGPU.'
		});
		expect(plannedBackend(report({ isolated: false }), 'webgpu').backend).toBe(
			'single-threaded WASM'
		);
	});
	it('lets a probe choose when an adapter exists', () => {
		const gpu = report({ webgpu: { available: true, adapter: 'google swiftshader', reason: '' } });
		expect(plannedBackend(gpu, 'auto').backend).toBe('WebGPU or WASM with SIMD and 4 threads');
		expect(plannedBackend(gpu, 'webgpu').backend).toBe('WebGPU');
		expect(plannedBackend(gpu, 'wasm').why).toBe('Settings ask for WASM on this device.');
	});
	it('explains isolation', () => {
		expect(isolationText(report())).toMatch(/^Cross-origin isolated/);
		expect(isolationText(report({ isolated: false, sharedArrayBuffer: false }))).toMatch(
			/no COOP\/COEP headers/
		);
	});
});
