import type { Page } from '@playwright/test';
import { createProject, expect, test } from './fixtures';
import { encodeImages, writeTree } from './data';

/**
 * Imports files (paths on disk) through the real import page, then opens the browser.
 * With `labelColumn`, a table's column of that name becomes labels.
 */
async function importFiles(
	page: Page,
	projectId: number,
	paths: string[],
	labelColumn?: string
): Promise<void> {
	await page.goto(`/project/import?id=${projectId}`);
	await page.getByLabel('Choose files').setInputFiles(paths);
	if (labelColumn) {
		await expect(page.getByRole('region', { name: 'Table preview' })).toBeVisible();
		await page.getByLabel('Label column').selectOption(labelColumn);
	}
	await page.getByRole('button', { name: 'Start import' }).click();
	await expect(page.getByRole('heading', { name: 'Import finished' })).toBeVisible();
	await page.getByRole('link', { name: 'Browse the items' }).click();
	await page.waitForURL(/\/project\?id=\d+$/);
}

const itemCount = (page: Page) => page.getByRole('status').filter({ hasText: /^[\d,]+ items?$/ });

test.describe('item browser', () => {
	test('texts: count, search, keyboard, detail, literal text and deleting', async ({
		page,
		axe
	}) => {
		const projectId = await createProject(page, 'Browse texts');
		await expect(page.getByRole('heading', { name: 'No items yet' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Import items' })).toHaveAttribute(
			'href',
			`/project/import?id=${projectId}`
		);

		const dir = writeTree('items-texts', {
			'notes.csv':
				'text,label\n' +
				'"A <b>bold</b> claim",positive\n' +
				'plain second row,negative\n' +
				'third one is about cats,positive\n' +
				'"fourth\nspans two lines",neutral\n' +
				'fifth and last,negative\n'
		});
		await importFiles(page, projectId, [`${dir}/notes.csv`], 'label');

		await expect(itemCount(page)).toHaveText('5 items');
		await expect(page.getByLabel('Kind')).toHaveValue('text');
		const list = page.getByRole('listbox', { name: /Items/ });
		await expect(list.getByRole('option')).toHaveCount(5);
		// Labels from the CSV show as chips; markup in a text stays text.
		await expect(list.getByRole('option', { name: 'notes.csv:2' })).toContainText('positive');
		await expect(list.getByRole('option', { name: 'notes.csv:2' })).toContainText(
			'A <b>bold</b> claim'
		);
		await expect(list.locator('b')).toHaveCount(0);
		expect(
			await page.evaluate(() => performance.getEntriesByName('items:first-render').length)
		).toBe(1);
		await axe(page);

		// Search narrows the list (debounced), and a search that matches nothing says so.
		await page.getByLabel('Search').fill('cats');
		await expect(itemCount(page)).toHaveText('1 item');
		await expect(list.getByRole('option')).toHaveCount(1);
		await page.getByLabel('Search').fill('nothing like this');
		await expect(page.getByRole('heading', { name: 'No items match these filters' })).toBeVisible();
		await page.getByRole('button', { name: 'Clear filters' }).click();
		await expect(itemCount(page)).toHaveText('5 items');
		await expect(page.getByLabel('Search')).toHaveValue('');

		// Filter by class.
		await page.getByLabel('Class').selectOption({ label: 'negative' });
		await expect(itemCount(page)).toHaveText('2 items');
		await page.getByLabel('Class').selectOption({ label: 'Any class' });
		await expect(itemCount(page)).toHaveText('5 items');

		// Keyboard: the list takes focus, arrows move, Enter opens, Escape closes.
		await list.focus();
		await page.keyboard.press('ArrowDown');
		await expect(list).toHaveAttribute('aria-activedescendant', /.+/);
		await page.keyboard.press('Enter');
		const dialog = page.getByRole('dialog', { name: 'notes.csv:3' });
		await expect(dialog).toBeVisible();
		await expect(dialog.getByRole('heading', { name: 'notes.csv:3' })).toBeVisible();
		await page.keyboard.press('ArrowLeft');
		await expect(page.getByRole('dialog', { name: 'notes.csv:2' })).toBeVisible();
		const text = page.getByRole('region', { name: 'Text' });
		await expect(text).toHaveText('A <b>bold</b> claim');
		await expect(text.locator('b')).toHaveCount(0);
		await axe(page);
		await page.keyboard.press('Escape');
		await expect(page.getByRole('dialog')).toHaveCount(0);
		await expect(list).toBeFocused();

		// Delete from the detail view (confirmed).
		await page.keyboard.press('End');
		await page.keyboard.press('Enter');
		await page
			.getByRole('dialog', { name: 'notes.csv:7' })
			.getByRole('button', { name: 'Delete item' })
			.click();
		await page
			.getByRole('dialog', { name: 'Delete this item?' })
			.getByRole('button', { name: 'Delete' })
			.click();
		await expect(itemCount(page)).toHaveText('4 items');
		await expect(page.getByRole('dialog', { name: 'notes.csv:5' })).toBeVisible();
		await page.keyboard.press('Escape');

		// Select two with Space, delete them with the Delete key.
		await list.focus();
		await page.keyboard.press('Home');
		await page.keyboard.press('Space');
		await page.keyboard.press('ArrowDown');
		await page.keyboard.press('Space');
		await expect(page.getByRole('button', { name: 'Delete 2 selected' })).toBeVisible();
		await expect(list.getByRole('option', { selected: true })).toHaveCount(2);
		await page.keyboard.press('Delete');
		await page
			.getByRole('dialog', { name: 'Delete 2 items?' })
			.getByRole('button', { name: 'Delete' })
			.click();
		await expect(itemCount(page)).toHaveText('2 items');
		await expect(page.getByRole('button', { name: /selected/ })).toHaveCount(0);

		// The same through the toolbar button.
		await list.getByRole('option', { name: 'notes.csv:4' }).click({ modifiers: ['ControlOrMeta'] });
		await page.getByRole('button', { name: 'Delete 1 selected' }).click();
		await page
			.getByRole('dialog', { name: 'Delete this item?' })
			.getByRole('button', { name: 'Delete' })
			.click();
		await expect(itemCount(page)).toHaveText('1 item');

		await page.reload();
		await expect(itemCount(page)).toHaveText('1 item');
	});

	test('images: a grid of thumbnails and a zoomable detail view', async ({ page, axe }) => {
		const projectId = await createProject(page, 'Browse images');
		const [red, green, blue] = await encodeImages(page, [
			{ type: 'image/png', w: 120, h: 80, hue: 10 },
			{ type: 'image/jpeg', w: 90, h: 90, hue: 120 },
			{ type: 'image/webp', w: 60, h: 100, hue: 220 }
		]);
		const dir = writeTree('items-images', {
			'red.png': red!,
			'green.jpg': green!,
			'blue.webp': blue!
		});
		await importFiles(page, projectId, [`${dir}/red.png`, `${dir}/green.jpg`, `${dir}/blue.webp`]);

		await expect(itemCount(page)).toHaveText('3 items');
		await expect(page.getByLabel('Kind')).toHaveValue('image');
		const grid = page.getByRole('listbox', { name: /Items/ });
		await expect(grid.getByRole('option', { name: 'green.jpg' }).locator('img')).toBeVisible();
		await axe(page);

		await grid.getByRole('option', { name: 'green.jpg' }).click();
		const dialog = page.getByRole('dialog', { name: 'green.jpg' });
		await expect(dialog.getByRole('img', { name: 'green.jpg' })).toBeVisible();
		await expect(dialog).toContainText('90 × 90 px');
		await expect(dialog).toContainText('image/jpeg');
		await dialog.getByRole('button', { name: 'Zoom in' }).click();
		await expect(dialog.getByText('125%')).toBeVisible();
		await page.keyboard.press('+');
		await expect(dialog.getByText('156%')).toBeVisible();
		// Zoomed, arrows pan instead of stepping to another item.
		await page.keyboard.press('ArrowRight');
		await expect(page.getByRole('dialog', { name: 'green.jpg' })).toBeVisible();
		await dialog.getByRole('button', { name: 'Fit' }).click();
		await expect(dialog.getByText('100%')).toBeVisible();
		await page.keyboard.press('ArrowRight');
		await expect(page.getByRole('dialog', { name: 'blue.webp' })).toBeVisible();
		await page.getByRole('button', { name: 'Previous' }).click();
		await expect(page.getByRole('dialog', { name: 'green.jpg' })).toBeVisible();
		await axe(page);
		await page.keyboard.press('Escape');

		await page.getByLabel('Kind').selectOption({ label: 'Texts' });
		await expect(page.getByRole('heading', { name: 'No items match these filters' })).toBeVisible();
	});

	test('thousands of rows: only what is on screen is in the DOM', async ({ page }) => {
		const projectId = await createProject(page, 'Many texts');
		const rows = Array.from({ length: 3000 }, (_, i) => `row number ${i + 1}`);
		const dir = writeTree('items-many', { 'many.txt': rows.join('\n') });
		await page.goto(`/project/import?id=${projectId}`);
		await page.getByLabel('Choose files').setInputFiles(`${dir}/many.txt`);
		await page.getByLabel('One item per line').check();
		await page.getByRole('button', { name: 'Start import' }).click();
		await expect(page.getByTestId('count-imported')).toHaveText('3,000');
		await page.goto(`/project?id=${projectId}`);

		await expect(itemCount(page)).toHaveText('3,000 items');
		const list = page.getByRole('listbox', { name: /Items/ });
		await expect(list.getByRole('option', { name: 'many.txt:1', exact: true })).toBeVisible();
		expect(await list.getByRole('option').count()).toBeLessThan(80);
		await list.focus();
		await page.keyboard.press('End');
		await expect(list.getByRole('option', { name: 'many.txt:3000' })).toBeVisible();
		await page.keyboard.press('PageUp');
		await page.keyboard.press('Enter');
		await expect(page.getByRole('dialog')).toBeVisible();
		await page.keyboard.press('Escape');
		expect(await list.getByRole('option').count()).toBeLessThan(80);
	});

	test('an unknown project says so', async ({ page }) => {
		await page.goto('/project?id=987654');
		await expect(page.getByRole('heading', { name: 'Project not found' })).toBeVisible();
		await page.getByRole('link', { name: 'Back to projects' }).click();
		await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
	});
});
