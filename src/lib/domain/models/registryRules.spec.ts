import { describe, expect, it } from 'vitest';
import {
	deletionBlocker,
	editBlocker,
	modelFitsTask,
	rollbackTarget,
	stageAfterRelease
} from './registryRules';
import type { Promotion } from '../schemas';

const promo = (versionId: string, previousVersionId: string | null): Promotion => ({
	projectId: 1,
	taskId: 't',
	versionId,
	previousVersionId,
	action: 'promote',
	at: 0
});

describe('registry rules', () => {
	it('matches models to the label tasks they can serve', () => {
		expect(modelFitsTask({ kind: 'image-classification' }, 'zero-shot-image-classification')).toBe(
			true
		);
		expect(modelFitsTask({ kind: 'image-classification' }, 'text-classification')).toBe(false);
		expect(modelFitsTask({ kind: 'named-entities' }, 'token-classification')).toBe(true);
		expect(modelFitsTask({ kind: 'relations' }, 'token-classification')).toBe(false);
	});

	it('keeps production versions read-only and undeletable', () => {
		const imported = { source: 'import' as const, name: 'M' };
		expect(deletionBlocker({ stage: 'production', version: '1.0.0' }, imported)).toMatch(
			/cannot be deleted/
		);
		expect(
			deletionBlocker({ stage: 'none', version: '1.0.0' }, { source: 'embedded', name: 'Langid' })
		).toMatch(/built into ModelShip/);
		expect(editBlocker({ stage: 'production', version: '1.0.0' })).toMatch(/read-only/);
		expect(deletionBlocker({ stage: 'staging', version: '1.0.0' }, imported)).toBeNull();
		expect(editBlocker({ stage: 'archived', version: '1.0.0' })).toBeNull();
	});

	it('rolls back to what the current version replaced, through several promotions', () => {
		const history = [promo('v1', null), promo('v2', 'v1'), promo('v3', 'v2')];
		expect(rollbackTarget(history, 'v3')).toBe('v2');
		// After rolling back to v2, the next roll back goes further back to v1.
		const rolled: Promotion[] = [...history, { ...promo('v2', 'v3'), action: 'rollback' }];
		expect(rollbackTarget(rolled, 'v2')).toBe('v1');
		expect(rollbackTarget(history, 'v1')).toBeNull();
		expect(rollbackTarget(history, null)).toBeNull();
		expect(stageAfterRelease(false)).toBe('archived');
	});
});
