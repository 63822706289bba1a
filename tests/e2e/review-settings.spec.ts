import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

// Review settings as a person uses them: rebinding shortcuts with the keyboard (refused when the
// browser keeps the chord or another action holds it), kept across reloads, reset; and several
// reviewers sharing one device.

const keys = (page: Page, command: string) => page.getByTestId(`keys-${command}`).locator('kbd');

async function capture(page: Page, label: string, key: string): Promise<void> {
	await page.getByRole('button', { name: `Change keys for ${label}` }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Press the new key' })).toHaveText(
		`Press the new key for ${label}, or Escape to cancel.`
	);
	await page.keyboard.press(key);
}

test('rebind, refuse, keep and reset review shortcuts', async ({ page, axe }) => {
	await page.goto('/settings');
	const table = page.getByRole('table', { name: 'Keyboard shortcuts' });
	await expect(table).toBeVisible();
	await expect(keys(page, 'reject')).toHaveText(['R']);
	await expect(keys(page, 'approve')).toHaveText(['Enter', 'A']);
	await expect(page.getByRole('button', { name: 'Reset all shortcuts' })).toBeDisabled();
	await axe(page);

	// A chord the browser keeps. (Playwright's key events reach the page only, so the tab stays.)
	await capture(page, 'Reject', 'Control+w');
	await expect(page.getByRole('alert')).toHaveText(
		'Ctrl+W is kept by the browser (closes the tab)'
	);
	await expect(keys(page, 'reject')).toHaveText(['R']);

	// A key another action holds, and a digit that picks a class.
	await capture(page, 'Reject', 'x');
	await expect(page.getByRole('alert')).toHaveText('X is already bound to Select item');
	await capture(page, 'Reject', '3');
	await expect(page.getByRole('alert')).toHaveText('3 is kept for picking the 3rd class');
	await expect(keys(page, 'reject')).toHaveText(['R']);

	// Escape cancels without changing anything.
	await capture(page, 'Skip', 'Escape');
	await expect(page.getByRole('status').filter({ hasText: 'Kept the keys' })).toHaveText(
		'Kept the keys for Skip.'
	);
	await expect(keys(page, 'skip')).toHaveText(['S']);

	// A free key binds, replacing the old one; "Add" keeps the old keys.
	await capture(page, 'Reject', 'e');
	await expect(page.getByRole('alert')).toHaveCount(0);
	await expect(keys(page, 'reject')).toHaveText(['E']);
	await expect(page.getByRole('status').filter({ hasText: 'Reject is now' })).toHaveText(
		'Reject is now E.'
	);
	await page.getByRole('button', { name: 'Add a key for Approve', exact: true }).click();
	await page.keyboard.press('Shift+Enter');
	await expect(keys(page, 'approve')).toHaveText(['Enter', 'A', 'Shift+Enter']);

	// R is free again, so another action may take it.
	await capture(page, 'Skip', 'r');
	await expect(keys(page, 'skip')).toHaveText(['R']);

	await page.reload();
	await expect(keys(page, 'reject')).toHaveText(['E']);
	await expect(keys(page, 'skip')).toHaveText(['R']);
	await expect(keys(page, 'approve')).toHaveText(['Enter', 'A', 'Shift+Enter']);

	// Reject's default (R) is Skip's now: its reset is refused until Skip lets go.
	await page.getByRole('button', { name: 'Reset Reject to default' }).click();
	await expect(page.getByRole('alert')).toHaveText('Cannot reset: R is already bound to Skip.');
	await page.getByRole('button', { name: 'Reset Skip to default' }).click();
	await expect(keys(page, 'skip')).toHaveText(['S']);
	await page.getByRole('button', { name: 'Reset Reject to default' }).click();
	await expect(keys(page, 'reject')).toHaveText(['R']);
	await expect(page.getByRole('button', { name: 'Reset Reject to default' })).toBeDisabled();

	await page.getByRole('button', { name: 'Reset all shortcuts' }).click();
	await expect(keys(page, 'approve')).toHaveText(['Enter', 'A']);
	await page.reload();
	await expect(keys(page, 'approve')).toHaveText(['Enter', 'A']);
	await expect(page.getByRole('button', { name: 'Reset all shortcuts' })).toBeDisabled();
});

test('several reviewers share one device and switch', async ({ page }) => {
	await page.goto('/settings');
	const name = page.getByLabel('Reviewer name');
	await expect(name).toHaveValue('');
	await expect(page.getByLabel('Switch reviewer')).toHaveCount(0);

	await name.fill('Ada');
	await page.getByRole('button', { name: 'Use this name' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Reviewing as' })).toHaveText(
		'Reviewing as Ada.'
	);
	await name.fill('Grace');
	await name.press('Enter');
	await expect(page.getByRole('status').filter({ hasText: 'Reviewing as' })).toHaveText(
		'Reviewing as Grace.'
	);

	const switcher = page.getByLabel('Switch reviewer');
	await expect(switcher.locator('option')).toHaveText(['Ada', 'Grace']);
	await expect(switcher).toHaveValue('Grace');
	await switcher.selectOption('Ada');
	await expect(page.getByRole('status').filter({ hasText: 'Reviewing as' })).toHaveText(
		'Reviewing as Ada.'
	);
	await expect(name).toHaveValue('Ada');

	await page.reload();
	await expect(page.getByLabel('Reviewer name')).toHaveValue('Ada');
	await expect(page.getByLabel('Switch reviewer')).toHaveValue('Ada');
	await expect(page.getByLabel('Switch reviewer').locator('option')).toHaveText(['Ada', 'Grace']);
});
