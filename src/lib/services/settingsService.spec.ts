import 'fake-indexeddb/auto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ModelShipDB, useDatabase } from '$lib/db/database';
import { chord, DEFAULT_KEYMAP, rebind } from '$lib/domain/review/keymap';
import { loadSettings, reviewKeymap, saveReviewKeymap, switchReviewer } from './settingsService';

let database: ModelShipDB;

beforeEach(() => {
	database = new ModelShipDB(`test-${Math.random()}`);
	useDatabase(database);
});

afterEach(async () => {
	database.close();
	await database.delete();
});

it('remembers each reviewer once and switches between them', async () => {
	await switchReviewer(' Ada ');
	await switchReviewer('Grace');
	const settings = await switchReviewer('Ada');
	expect(settings.reviewer).toBe('Ada');
	expect(settings.reviewers).toEqual(['Ada', 'Grace']);
	expect((await switchReviewer('')).reviewers).toEqual(['Ada', 'Grace']);
});

it('stores only rebound shortcuts and reads the full keymap back', async () => {
	const result = rebind(DEFAULT_KEYMAP, 'reject', [chord('e')]);
	if (!result.ok) throw new Error(result.reason);
	const saved = await saveReviewKeymap(result.keymap);
	expect(saved.reviewKeymap).toEqual({ reject: [chord('e')] });
	expect(reviewKeymap(await loadSettings())).toEqual(result.keymap);
	expect((await saveReviewKeymap(DEFAULT_KEYMAP)).reviewKeymap).toEqual({});
});
