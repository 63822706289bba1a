import { z } from 'zod';
import { DEFAULT_LIMITS, ImportLimits } from './importing';

export const AppSettings = z.object({
	limits: ImportLimits,
	reviewer: z.string().trim().max(80),
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
	persistAsked: false,
	hubUrl: 'https://huggingface.co',
	inferenceDevice: 'auto'
};
