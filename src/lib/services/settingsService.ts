import { AppSettings } from '$lib/domain/schemas';
import { resolveKeymap, toOverrides, type Keymap } from '$lib/domain/review/keymap';
import { loadSettings, saveSettings } from '$lib/db/settings';

export { loadSettings };

const MB = 1024 * 1024;

/** Settings as the form shows them: sizes in MB/GB, the rest as stored. */
export type SettingsForm = {
	maxFileMb: number;
	zipMaxTotalGb: number;
	zipMaxRatio: number;
	zipMaxDepth: number;
	hubUrl: string;
	inferenceDevice: AppSettings['inferenceDevice'];
};

export class SettingsError extends Error {
	constructor(
		readonly field: keyof SettingsForm | 'reviewer',
		message: string
	) {
		super(message);
		this.name = 'SettingsError';
	}
}

export function toForm(s: AppSettings): SettingsForm {
	return {
		maxFileMb: Math.round((s.limits.maxFileBytes / MB) * 10) / 10,
		zipMaxTotalGb: Math.round((s.limits.zipMaxTotalBytes / (1024 * MB)) * 10) / 10,
		zipMaxRatio: s.limits.zipMaxRatio,
		zipMaxDepth: s.limits.zipMaxDepth,
		hubUrl: s.hubUrl,
		inferenceDevice: s.inferenceDevice
	};
}

export async function saveForm(form: SettingsForm): Promise<AppSettings> {
	const hubUrl = form.hubUrl.trim().replace(/\/+$/, '');
	if (!AppSettings.shape.hubUrl.safeParse(hubUrl).success) {
		throw new SettingsError(
			'hubUrl',
			'The hub URL must be an http(s) address, such as https://huggingface.co.'
		);
	}
	return saveSettings({
		limits: {
			maxFileBytes: Math.round(form.maxFileMb * MB),
			zipMaxTotalBytes: Math.round(form.zipMaxTotalGb * 1024 * MB),
			zipMaxRatio: form.zipMaxRatio,
			zipMaxDepth: Math.round(form.zipMaxDepth)
		},
		hubUrl,
		inferenceDevice: form.inferenceDevice
	});
}

/** The review shortcuts in force: the defaults with this device's overrides on top. */
export function reviewKeymap(s: AppSettings): Keymap {
	return resolveKeymap(s.reviewKeymap);
}

/** Stores a keymap as overrides of the defaults (an empty object when nothing was rebound). */
export async function saveReviewKeymap(keymap: Keymap): Promise<AppSettings> {
	return saveSettings({ reviewKeymap: toOverrides(keymap) });
}

/**
 * Reviews as `name` from now on, and remembers it among this device's reviewers so another
 * person can switch back to it. An empty name clears the reviewer and remembers nothing.
 */
export async function switchReviewer(name: string): Promise<AppSettings> {
	const reviewer = name.trim();
	if (reviewer.length > 80) {
		throw new SettingsError('reviewer', 'A reviewer name is at most 80 characters.');
	}
	const { reviewers } = await loadSettings();
	return saveSettings({
		reviewer,
		reviewers:
			reviewer && !reviewers.includes(reviewer) ? [...reviewers, reviewer].slice(-50) : reviewers
	});
}
