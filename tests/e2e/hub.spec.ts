import { startMockHub } from '../mockHub.mjs';
import { expect, offlineReady, test } from './fixtures';

// A model downloaded from a hub — here a local server that serves the HF fixtures under the
// hub's URL scheme, never the real hub — then used after a reload with the network off. The
// service worker is on, as for a user: it keeps the app, the worker chunks and the runtimes.

test('download a model by hub id from the (mock) hub, then run it offline', async ({
	page,
	context,
	foreignRequests
}) => {
	const hub = await startMockHub({ port: 0 });
	try {
		await page.goto('/settings');
		await offlineReady(page);
		await page.getByLabel('Model hub URL').fill(hub.url);
		await page.getByRole('button', { name: 'Save settings' }).click();
		await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();

		await page.goto('/models?view=add&from=catalog');
		await page.getByLabel('Hub id').fill('bad id');
		await page.getByRole('button', { name: 'Download from the hub' }).click();
		await expect(page.getByRole('alert')).toContainText('A hub id looks like owner/name');

		await page.getByLabel('Hub id').fill('modelship-fixtures/tiny-sentiment');
		await page.getByLabel('Task', { exact: true }).selectOption('text-classification');
		await page.getByLabel('Weights').selectOption('fp32');
		await page.getByRole('button', { name: 'Download from the hub' }).click();
		const entry = page.getByRole('listitem', { name: 'modelship-fixtures/tiny-sentiment' });
		await expect(entry.getByRole('status')).toHaveText(
			'Downloaded. It is in the registry and works offline.'
		);
		// transformers.js fetched the config, the tokenizer and the fp32 weights from the hub.
		const fetched = hub.requests.filter((r) => r.status < 300).map((r) => r.path);
		expect(fetched).toEqual(
			expect.arrayContaining([
				'/modelship-fixtures/tiny-sentiment/resolve/main/config.json',
				'/modelship-fixtures/tiny-sentiment/resolve/main/tokenizer.json',
				'/modelship-fixtures/tiny-sentiment/resolve/main/onnx/model.onnx'
			])
		);

		// Offline, in a fresh page load: the registry holds the model's bytes and the service
		// worker the app and runtimes, so nothing goes to the hub (or anywhere) any more.
		const before = hub.requests.length;
		await context.setOffline(true);
		await page.goto('/models');
		const row = page.getByRole('listitem', { name: 'modelship-fixtures/tiny-sentiment 1.0.0' });
		await expect(row).toContainText('negative, positive');
		await row.getByRole('button', { name: 'Try it' }).click();
		const dialog = page.getByRole('dialog', { name: 'Try a model' });
		await dialog.getByLabel('Text').fill('I love this movie, it is great!');
		await dialog.getByRole('button', { name: 'Run' }).click();
		const classes = dialog.getByRole('list', { name: 'Top classes' }).getByRole('listitem');
		await expect(classes.first()).toContainText('positive');
		await expect(dialog.getByTestId('try-timing')).toContainText('transformers.js');
		expect(hub.requests.length).toBe(before);
	} finally {
		await context.setOffline(false);
		// The mock hub is the one other origin this test may reach.
		const others = foreignRequests.filter((url) => !url.startsWith(hub.url));
		foreignRequests.splice(0, foreignRequests.length, ...others);
		await hub.close();
	}
});
