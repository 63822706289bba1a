import type { AppSettings } from '$lib/domain/schemas';
import { loadSettings, saveSettings } from '$lib/db/settings';

export { loadSettings };

const MB = 1024 * 1024;

/** Settings as the form shows them: sizes in MB/GB, the rest as stored. */
export type SettingsForm = {
	maxFileMb: number;
	zipMaxTotalGb: number;
	zipMaxRatio: number;
	zipMaxDepth: number;
	reviewer: string;
};

export function toForm(s: AppSettings): SettingsForm {
	return {
		maxFileMb: Math.round((s.limits.maxFileBytes / MB) * 10) / 10,
		zipMaxTotalGb: Math.round((s.limits.zipMaxTotalBytes / (1024 * MB)) * 10) / 10,
		zipMaxRatio: s.limits.zipMaxRatio,
		zipMaxDepth: s.limits.zipMaxDepth,
		reviewer: s.reviewer
	};
}

export async function saveForm(form: SettingsForm): Promise<AppSettings> {
	return saveSettings({
		limits: {
			maxFileBytes: Math.round(form.maxFileMb * MB),
			zipMaxTotalBytes: Math.round(form.zipMaxTotalGb * 1024 * MB),
			zipMaxRatio: form.zipMaxRatio,
			zipMaxDepth: Math.round(form.zipMaxDepth)
		},
		reviewer: form.reviewer
	});
}
