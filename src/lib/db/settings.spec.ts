import 'fake-indexeddb/auto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type AppSettings } from '$lib/domain/schemas';
import { ModelShipDB, useDatabase } from './database';
import { loadSettings, saveSettings } from './settings';

let database: ModelShipDB;

beforeEach(() => {
	database = new ModelShipDB(`test-${Math.random()}`);
	useDatabase(database);
});

afterEach(async () => {
	database.close();
	await database.delete();
});

it('loads settings stored before reviewers and shortcuts existed, filling them from defaults', async () => {
	const older: Partial<AppSettings> = { ...DEFAULT_SETTINGS, reviewer: 'Ada' };
	delete older.reviewers;
	delete older.reviewKeymap;
	await database.settings.put({ key: 'app', value: older as AppSettings });
	const settings = await loadSettings();
	expect(settings.reviewer).toBe('Ada');
	expect(settings.reviewers).toEqual([]);
	expect(settings.reviewKeymap).toEqual({});
});

it('keeps rebound shortcuts and reviewer names', async () => {
	const reviewKeymap = {
		reject: [{ key: 'e', ctrl: false, alt: false, shift: false, meta: false }]
	};
	await saveSettings({ reviewKeymap, reviewers: ['Ada', 'Grace'] });
	const settings = await loadSettings();
	expect(settings.reviewKeymap).toEqual(reviewKeymap);
	expect(settings.reviewers).toEqual(['Ada', 'Grace']);
});
