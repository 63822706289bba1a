import { createProject, expect, test } from './fixtures';
import { encodeImages, makeZip } from './data';

// A tour of every screen with realistic data. Screenshots land in test-results/screens/;
// with UPDATE_SCREENSHOTS=1 they also refresh tests/screenshots/, which the README shows.
const dirs = [
	'test-results/screens',
	...(process.env.UPDATE_SCREENSHOTS ? ['tests/screenshots'] : [])
];

test('a tour of every screen', async ({ page, axe }) => {
	await page.setViewportSize({ width: 1280, height: 860 });
	const shot = async (name: string) => {
		for (const dir of dirs) await page.screenshot({ path: `${dir}/${name}.png` });
	};
	const id = await createProject(page, 'Street scenes');
	await createProject(page, 'Customer reviews');

	await page.goto(`/project/tasks?id=${id}`);
	await page.getByLabel('Task name').fill('Scene');
	await page.getByLabel('Task kind').selectOption({ label: 'Image classification — single label' });
	await page.getByRole('textbox', { name: 'Classes (optional)' }).fill('street, park, beach');
	await page.getByRole('button', { name: 'Add task' }).click();
	await page.getByLabel('Task name').fill('Vehicles');
	await page.getByLabel('Task kind').selectOption({ label: 'Object detection (boxes)' });
	await page.getByRole('textbox', { name: 'Classes (optional)' }).fill('car, bus, bicycle');
	await page.getByRole('button', { name: 'Add task' }).click();
	await expect(page.getByRole('heading', { name: 'Vehicles' })).toBeVisible();
	await shot('tasks');

	await page.goto(`/project/import?id=${id}`);
	const images = await encodeImages(
		page,
		Array.from({ length: 18 }, (_, i) => ({
			type: (['image/png', 'image/jpeg', 'image/webp'] as const)[i % 3] ?? 'image/png',
			w: 320,
			h: 240,
			hue: i * 20
		}))
	);
	const zip = await makeZip(
		images.map((bytes, i) => [`scenes/${['street', 'park', 'beach'][i % 3]}/${i}.img`, bytes])
	);
	await page.getByLabel('Choose files').setInputFiles([
		{ name: 'scenes.zip', mimeType: 'application/zip', buffer: zip },
		{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) },
		{ name: 'scan.tiff', mimeType: 'image/tiff', buffer: Buffer.from('II*\0 not supported') }
	]);
	await page.getByLabel("Use each image's folder name as its class").check();
	await page.getByLabel('Image task for folder labels').selectOption({ label: 'Scene' });
	await shot('import-staged');
	await page.getByRole('button', { name: 'Start import' }).click();
	await expect(page.getByRole('heading', { name: 'Import finished' })).toBeVisible();
	await shot('import');

	await page.goto(`/project?id=${id}`);
	const list = page.getByRole('listbox', { name: /Items/ });
	await expect(list.getByRole('option').first()).toBeVisible();
	await list
		.getByRole('option')
		.nth(1)
		.click({ modifiers: ['Control'] });
	await shot('items-grid');
	await page.keyboard.press('Escape');
	await list.getByRole('option').first().click();
	await expect(page.getByRole('dialog')).toBeVisible();
	await shot('item-detail');
	await axe(page);
	await page.keyboard.press('Escape');

	await page.goto('/');
	await shot('projects');
	await page.goto('/settings');
	await expect(page.getByTestId('storage-usage')).toBeVisible();
	await shot('settings');
});
