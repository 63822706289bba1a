import { makePng } from '../fixtures/png';
import { expect, offlineReady, test } from './fixtures';

// The built-in models do the main job with no download: after one visit, with the network
// off, a text and an image task each get real predictions in the inference worker.

test('the built-in language, sentiment and NSFW models run offline after one visit', async ({
	page,
	context
}) => {
	await page.goto('/models');
	await offlineReady(page);
	await context.setOffline(true);
	await page.reload();

	const tryIt = async (name: string) => {
		await page
			.getByRole('region', { name })
			.getByRole('button', { name: /^Try it/ })
			.click();
		const dialog = page.getByRole('dialog', { name: 'Try a model' });
		await expect(dialog).toBeVisible();
		return dialog;
	};
	const top = (dialog: ReturnType<typeof page.getByRole>) =>
		dialog.getByRole('list', { name: 'Top classes' }).getByRole('listitem').first();

	let dialog = await tryIt('Language identification (fastText lid.176)');
	await dialog.getByLabel('Text').fill("C'est la vie, mes amis. Nous partons demain matin.");
	await dialog.getByRole('button', { name: 'Run' }).click();
	await expect(top(dialog)).toContainText('fr');
	await expect(dialog.getByTestId('try-timing')).toContainText('fastText');
	await dialog.getByRole('button', { name: 'Close' }).click();

	dialog = await tryIt('English sentiment (wink lexicon)');
	await dialog.getByLabel('Text').fill('This phone is terrible, the battery died and I hate it.');
	await dialog.getByRole('button', { name: 'Run' }).click();
	await expect(top(dialog)).toContainText('negative');
	await dialog.getByRole('button', { name: 'Close' }).click();

	dialog = await tryIt('NSFW image classes (nsfwjs MobileNetV2)');
	await dialog.getByLabel('Image').setInputFiles({
		name: 'grey.png',
		mimeType: 'image/png',
		buffer: Buffer.from(makePng(224, 224, [128, 128, 128]))
	});
	await dialog.getByRole('button', { name: 'Run' }).click();
	await expect(top(dialog)).toContainText(/Drawing|Neutral/);
	await expect(dialog.getByTestId('try-timing')).toContainText('TF.js');
});
