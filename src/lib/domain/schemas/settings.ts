import { z } from 'zod';
import { ReviewKeymap } from '../review/keymap';
import { DEFAULT_LIMITS, ImportLimits } from './importing';

export const AppSettings = z.object({
	limits: ImportLimits,
	reviewer: z.string().trim().max(80),
	/** Reviewer names used on this device, so several people can share it and switch. */
	reviewers: z.array(z.string().trim().min(1).max(80)).max(50),
	/** Review shortcuts a person rebound; commands not listed keep their default keys. */
	reviewKeymap: ReviewKeymap,
	/** Whether persistent storage was already requested (asked once, on first import). */
	persistAsked: z.boolean(),
	/** Where catalog models download from; a mirror or a local server works the same way. */
	hubUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
	/** `auto` lets a warm-up probe pick WebGPU or WASM per model. */
	inferenceDevice: z.enum(['auto', 'webgpu', 'wasm'])
});
export type AppSettings = z.infer<typeof AppSettings>;

export const DEFAULT_SETTINGS: AppSettings = {
	limits: DEFAULT_LIMITS,
	reviewer: '',
	reviewers: [],
	reviewKeymap: {},
	persistAsked: false,
	hubUrl: 'https://huggingface.co',
	inferenceDevice: 'auto'
};
