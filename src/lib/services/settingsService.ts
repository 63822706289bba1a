import { AppSettings } from '$lib/domain/schemas';
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
	hubUrl: string;
	inferenceDevice: AppSettings['inferenceDevice'];
};

export class SettingsError extends Error {
	constructor(
		readonly field: keyof SettingsForm,
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
		reviewer: s.reviewer,
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
		reviewer: form.reviewer,
		hubUrl,
		inferenceDevice: form.inferenceDevice
	});
}
