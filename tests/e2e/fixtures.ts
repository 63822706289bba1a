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
