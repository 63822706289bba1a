import { z } from 'zod';
import { DEFAULT_LIMITS, ImportLimits } from './importing';

export const AppSettings = z.object({
	limits: ImportLimits,
	reviewer: z.string().trim().max(80),
	/** Whether persistent storage was already requested (asked once, on first import). */
	persistAsked: z.boolean()
});
export type AppSettings = z.infer<typeof AppSettings>;

export const DEFAULT_SETTINGS: AppSettings = {
	limits: DEFAULT_LIMITS,
	reviewer: '',
	persistAsked: false
};
