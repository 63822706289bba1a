import { createProject, expect, test } from './fixtures';

test('create, rename and delete projects with the keyboard', async ({ page, axe }) => {
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
	await expect(page.getByText('No projects yet.')).toBeVisible();
	await axe(page);

	// Keyboard only: Tab to the name field, type, Enter submits.
	await page.getByLabel('Project name').focus();
	await page.keyboard.type('Street signs');
	await page.keyboard.press('Enter');
	await page.waitForURL(/\/project\?id=\d+/);
	await expect(page.getByRole('heading', { name: 'Street signs', level: 1 })).toBeVisible();

	await page.getByRole('link', { name: 'Projects' }).first().click();
	await expect(page.getByRole('link', { name: 'Street signs' })).toBeVisible();

	await page.getByRole('button', { name: 'Create project' }).click();
	await expect(page.getByRole('alert')).toHaveText('Give the project a name.');

	await page.getByRole('button', { name: 'Rename Street signs' }).click();
	await page.keyboard.press('ControlOrMeta+a');
	await page.keyboard.type('Road signs');
	await page.keyboard.press('Enter');
	await expect(page.getByRole('link', { name: 'Road signs' })).toBeVisible();

	await page.reload();
	await expect(page.getByRole('link', { name: 'Road signs' })).toBeVisible();

	await page.getByRole('button', { name: 'Delete Road signs' }).click();
	const dialog = page.getByRole('dialog', { name: /Delete “Road signs”/ });
	await expect(dialog).toContainText('cannot be undone');
	await axe(page);
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
	await page.getByRole('button', { name: 'Delete Road signs' }).click();
	await dialog.getByRole('button', { name: 'Delete project' }).click();
	await expect(page.getByText('No projects yet.')).toBeVisible();
});

test('deleting a project cascades to its items', async ({ page }) => {
	const id = await createProject(page, 'Temporary');
	await page.goto(`/project/import?id=${id}`);
	await page.getByLabel('Choose files').setInputFiles({
		name: 'a.txt',
		mimeType: 'text/plain',
		buffer: Buffer.from('one\ntwo\nthree')
	});
	await page.getByLabel('One item per line').check();
	await page.getByRole('button', { name: 'Start import' }).click();
	await expect(page.getByTestId('count-imported')).toHaveText('3');
	await page.goto('/');
	await page.getByRole('button', { name: 'Delete Temporary' }).click();
	await page.getByRole('button', { name: 'Delete project' }).click();
	await expect(page.getByText('No projects yet.')).toBeVisible();
	const remaining = await page.evaluate(
		() =>
			new Promise<number>((resolve, reject) => {
				const open = indexedDB.open('modelship');
				open.onsuccess = () => {
					const count = open.result.transaction('items').objectStore('items').count();
					count.onsuccess = () => resolve(count.result);
					count.onerror = () => reject(count.error);
				};
				open.onerror = () => reject(open.error);
			})
	);
	expect(remaining).toBe(0);
});
