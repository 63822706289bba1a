import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from './fixtures';

// The preview server serves this file; a new deployment is simulated by changing the
// service worker's version stamp in place (same length, so the server's cached size holds).
const SW = '.svelte-kit/output/client/service-worker.js';

test('a new version offers "Reload" and reloading brings it in', async ({ page }) => {
	const original = readFileSync(SW, 'utf8');
	const version = JSON.parse(readFileSync('.svelte-kit/output/client/_app/version.json', 'utf8'))
		.version as string;
	expect(original).toContain(version);
	const next = version.replace(/\d$/, (d) => String((Number(d) + 1) % 10));
	try {
		await page.goto('/');
		await page.evaluate(async () => {
			await navigator.serviceWorker.ready;
			if (!navigator.serviceWorker.controller) {
				await new Promise((resolve) =>
					navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })
				);
			}
		});
		writeFileSync(SW, original.replace(version, next));
		await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());

		const prompt = page
			.getByRole('status')
			.filter({ hasText: 'A new version of ModelShip is available' });
		await expect(prompt).toBeVisible();
		await prompt.getByRole('button', { name: 'Later' }).click();
		await expect(prompt).toBeHidden();

		// The update waits until the user agrees; then the page reloads under the new worker.
		await page.reload();
		await expect(prompt).toBeVisible();
		// Reload hands over to the waiting worker, which then reloads the page by itself.
		const reloaded = page.waitForEvent('load');
		await prompt.getByRole('button', { name: 'Reload' }).click();
		await reloaded;
		await expect(prompt).toBeHidden();
		await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
		const active = await page.evaluate(
			async () => (await navigator.serviceWorker.getRegistration())?.active?.scriptURL ?? ''
		);
		expect(active).toContain('service-worker.js');
		const waiting = await page.evaluate(
			async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null
		);
		expect(waiting).toBeNull();
	} finally {
		writeFileSync(SW, original);
	}
});
