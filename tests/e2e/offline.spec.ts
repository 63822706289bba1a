import { expect, test } from './fixtures';

test('after one visit the app loads and works with the network off', async ({ page, context }) => {
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
	// Wait until the service worker has installed the shell and controls the page.
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
		if (!navigator.serviceWorker.controller) {
			await new Promise((resolve) =>
				navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })
			);
		}
	});

	await context.setOffline(true);
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();

	// The whole main job works offline: create a project, import, browse.
	await page.getByLabel('Project name').fill('Offline field notes');
	await page.getByRole('button', { name: 'Create project' }).click();
	await page.waitForURL(/\/project\?id=\d+/);
	await page
		.getByRole('navigation', { name: 'Project' })
		.getByRole('link', { name: 'Import' })
		.click();
	await page.getByLabel('Choose files').setInputFiles({
		name: 'notes.txt',
		mimeType: 'text/plain',
		buffer: Buffer.from('first note\nsecond note')
	});
	await page.getByLabel('One item per line').check();
	await page.getByRole('button', { name: 'Start import' }).click();
	await expect(page.getByTestId('count-imported')).toHaveText('2');

	// A deep link (with a query string) also opens offline.
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Offline field notes', level: 1 })).toBeVisible();
	await page.goto('/settings');
	await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
	await context.setOffline(false);
});

test('the settings screen shows storage usage and quota', async ({ page, axe }) => {
	await page.goto('/settings');
	await expect(page.getByTestId('storage-usage')).toContainText('of');
	await expect(page.getByRole('meter', { name: 'Storage used' })).toBeVisible();
	await axe(page);
});
