import { AppSettings, DEFAULT_SETTINGS } from '$lib/domain/schemas';
import { db } from './database';

export async function loadSettings(): Promise<AppSettings> {
	const record = await db().settings.get('app');
	// A stored record from an older build may lack newer fields: fill them from defaults.
	const parsed = AppSettings.safeParse({ ...DEFAULT_SETTINGS, ...record?.value });
	return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

export async function saveSettings(patch: Partial<AppSettings>): Promise<AppSettings> {
	return db().transaction('rw', db().settings, async () => {
		const next = AppSettings.parse({ ...(await loadSettings()), ...patch });
		await db().settings.put({ key: 'app', value: next });
		return next;
	});
}
