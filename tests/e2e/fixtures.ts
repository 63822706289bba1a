import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';

/**
 * Every test records each request its pages make and fails if one goes to another origin:
 * nothing may leave the browser. `axe` checks a screen for serious/critical violations.
 */
export const test = base.extend<{ foreignRequests: string[]; axe: (page: Page) => Promise<void> }>({
	foreignRequests: [
		async ({ context, baseURL }, use) => {
			const origin = new URL(baseURL ?? 'http://localhost:4173').origin;
			const foreign: string[] = [];
			context.on('request', (request) => {
				const url = request.url();
				if (/^(data|blob|chrome-extension):/.test(url)) return;
				if (new URL(url).origin !== origin) foreign.push(url);
			});
			await use(foreign);
			expect(foreign, 'requests to other origins').toEqual([]);
		},
		{ auto: true }
	],
	// Playwright reads fixture dependencies from the destructuring pattern: `{}` means none.
	// eslint-disable-next-line no-empty-pattern
	axe: async ({}, use) => {
		await use(async (page: Page) => {
			const results = await new AxeBuilder({ page }).analyze();
			const bad = results.violations.filter(
				(v) => v.impact === 'serious' || v.impact === 'critical'
			);
			expect(
				bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`)
			).toEqual([]);
		});
	}
});

export { expect };

/** Creates a project through the UI and returns its id (from the URL it lands on). */
export async function createProject(page: Page, name: string): Promise<number> {
	await page.goto('/');
	await page.getByLabel('Project name').fill(name);
	await page.getByRole('button', { name: 'Create project' }).click();
	await page.waitForURL(/\/project\?id=\d+/);
	return Number(new URL(page.url()).searchParams.get('id'));
}

/** Waits until the service worker controls the page and has cached every warmable file. */
export async function offlineReady(page: Page): Promise<void> {
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
		if (!navigator.serviceWorker.controller) {
			await new Promise((resolve) =>
				navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })
			);
		}
	});
	await expect
		.poll(
			() =>
				page.evaluate(async () => {
					const list = (await (await fetch('/_app/offline-assets.json')).json()) as {
						assets: { url: string; size: number }[];
					};
					const wanted = list.assets.filter(
						(a) => a.size <= 8 * 1024 * 1024 && !a.url.endsWith('.map')
					);
					const cached = await Promise.all(wanted.map((a) => caches.match(a.url)));
					return cached.filter((r) => !r).length;
				}),
			{ timeout: 60_000, message: 'files the service worker has not cached yet' }
		)
		.toBe(0);
}
