import { createProject, expect, test } from './fixtures';

test('define label tasks and edit their classes with the keyboard', async ({ page, axe }) => {
	const id = await createProject(page, 'Pets and notes');
	await page
		.getByRole('navigation', { name: 'Project' })
		.getByRole('link', { name: 'Label tasks' })
		.click();
	await page.waitForURL(`/project/tasks?id=${id}`);
	await expect(page.getByText('No label tasks yet — add one to say what to label.')).toBeVisible();
	await axe(page);

	// An empty name is refused next to the form.
	await page.getByRole('button', { name: 'Add task' }).click();
	await expect(page.getByRole('alert')).toHaveText('Give the task a name.');

	// Keyboard only: name, kind, classes, then Ctrl+Enter submits from the class list.
	await page.getByLabel('Task name').focus();
	await page.keyboard.type('Animals');
	await page.keyboard.press('Tab');
	await expect(page.getByLabel('Task kind')).toBeFocused();
	await page.getByLabel('Task kind').selectOption({ label: 'Image classification — single label' });
	await page.keyboard.press('Tab');
	await page.keyboard.type('cat, dog');
	await expect(page.getByText('2 classes')).toBeVisible();
	await page.keyboard.press('ControlOrMeta+Enter');

	const animals = page.getByRole('region', { name: 'Animals', exact: true });
	await expect(animals.getByRole('heading', { name: 'Animals', level: 2 })).toBeVisible();
	await expect(animals).toContainText('Image classification — single label');
	await expect(
		animals.getByRole('list', { name: 'Classes of Animals' }).getByRole('listitem')
	).toHaveCount(2);
	await expect(page.getByLabel('Task name')).toBeFocused();
	await expect(page.getByLabel('Task name')).toHaveValue('');

	// A second task; Enter in the name field submits.
	await page.keyboard.type('Named entities');
	await page.getByLabel('Task kind').selectOption({ label: 'Named entities (spans)' });
	await page.getByLabel('Task name').press('Enter');
	const entities = page.getByRole('region', { name: 'Named entities', exact: true });
	await expect(entities).toContainText('Named entities (spans)');
	await expect(entities).toContainText('No classes yet');

	// Add a class with Enter; a duplicate name is refused.
	await page.getByLabel('New class for Named entities').fill('person');
	await page.getByLabel('New class for Named entities').press('Enter');
	await expect(entities.getByRole('listitem')).toHaveCount(1);
	await page.getByLabel('New class for Named entities').fill('Person');
	await page.getByLabel('New class for Named entities').press('Enter');
	await expect(entities.getByRole('alert')).toHaveText(
		'"Person" is already a class of Named entities'
	);

	// Rename cat → kitten inline; still two classes, and focus returns to the Rename button.
	await animals.getByRole('button', { name: 'Rename cat' }).click();
	await expect(page.getByLabel('New name for cat')).toBeFocused();
	await page.keyboard.press('ControlOrMeta+a');
	await page.keyboard.type('kitten');
	await page.keyboard.press('Enter');
	await expect(animals.getByRole('button', { name: 'Rename kitten' })).toBeFocused();
	const rows = animals.getByRole('list', { name: 'Classes of Animals' }).getByRole('listitem');
	await expect(rows).toHaveCount(2);
	await expect(rows.nth(0)).toContainText('kitten');

	// Escape cancels a rename.
	await animals.getByRole('button', { name: 'Rename dog' }).click();
	await page.keyboard.type('wolf');
	await page.keyboard.press('Escape');
	await expect(animals.getByRole('button', { name: 'Rename dog' })).toBeFocused();

	// Keys 1 and 2 were given out in order; taking dog's key for kitten is a conflict.
	const kittenKey = animals.getByLabel('Key for kitten');
	await expect(kittenKey).toHaveValue('1');
	await expect(animals.getByLabel('Key for dog')).toHaveValue('2');
	await kittenKey.focus();
	await page.keyboard.type('2');
	await expect(animals.getByRole('alert')).toHaveText(
		'Key "2" already picks "dog"; choose another key'
	);
	await expect(kittenKey).toHaveValue('1');
	await page.keyboard.type('k');
	await expect(animals.getByRole('alert')).toHaveCount(0);
	await expect(kittenKey).toHaveValue('k');

	// Move dog up with its button, then back down and up again with Alt+Arrow keys.
	await expect(animals.getByRole('button', { name: 'Move kitten up' })).toBeDisabled();
	await animals.getByRole('button', { name: 'Move dog up' }).click();
	await expect(rows.nth(0)).toContainText('dog');
	await expect(animals.getByRole('button', { name: 'Move dog down' })).toBeFocused();
	await page.keyboard.press('Alt+ArrowDown');
	await expect(rows.nth(0)).toContainText('kitten');
	await animals.getByLabel('Key for dog').focus();
	await page.keyboard.press('Alt+ArrowUp');
	await expect(rows.nth(0)).toContainText('dog');
	await expect(animals.getByLabel('Key for dog')).toBeFocused();

	// The review threshold starts at 0.8 and is saved on change.
	const threshold = animals.getByLabel('Review threshold');
	await expect(threshold).toHaveValue('0.8');
	await threshold.fill('0.7');
	await threshold.press('Enter');
	await threshold.blur();
	await expect(animals).toContainText('(default 0.8)');

	await axe(page);

	await page.reload();
	await expect(animals.getByLabel('Review threshold')).toHaveValue('0.7');
	await expect(rows).toHaveCount(2);
	await expect(rows.nth(0)).toContainText('dog');
	await expect(rows.nth(1)).toContainText('kitten');
	await expect(animals.getByLabel('Key for kitten')).toHaveValue('k');
	await expect(animals.getByLabel('kitten threshold')).toHaveCount(0);
	await expect(entities.getByLabel('Review threshold')).toHaveValue('0.8');

	// Removing an unused class asks first.
	await entities.getByRole('button', { name: 'Remove person' }).click();
	const removeDialog = page.getByRole('dialog', { name: 'Remove class “person”?' });
	await expect(removeDialog).toBeVisible();
	await removeDialog.getByRole('button', { name: 'Remove class' }).click();
	await expect(entities).toContainText('No classes yet');
	await expect(page.getByLabel('New class for Named entities')).toBeFocused();

	// Delete the NER task: Escape backs out, then confirm.
	await entities.getByRole('button', { name: 'Delete task' }).click();
	const deleteDialog = page.getByRole('dialog', { name: 'Delete task “Named entities”?' });
	await expect(deleteDialog).toContainText('This deletes the task; no labels use it yet.');
	await axe(page);
	await page.keyboard.press('Escape');
	await expect(deleteDialog).toBeHidden();
	await expect(entities).toBeVisible();
	await entities.getByRole('button', { name: 'Delete task' }).click();
	await deleteDialog.getByRole('button', { name: 'Delete task' }).click();
	await expect(entities).toHaveCount(0);
	await expect(animals).toBeVisible();
	await expect(page.getByLabel('Task name')).toBeFocused();

	// Renaming the task itself.
	await animals.getByRole('button', { name: 'Rename', exact: true }).click();
	await page.keyboard.press('ControlOrMeta+a');
	await page.keyboard.type('Pets');
	await page.keyboard.press('Enter');
	await expect(
		page.getByRole('region', { name: 'Pets', exact: true }).getByRole('heading', { level: 2 })
	).toHaveText('Pets');
});

test('a multi-label class keeps its own review threshold', async ({ page, axe }) => {
	const id = await createProject(page, 'Tagged notes');
	await page.goto(`/project/tasks?id=${id}`);
	await page.getByLabel('Task name').fill('Topics');
	await page.getByLabel('Task kind').selectOption({ label: 'Text classification — multi-label' });
	await page.getByRole('textbox', { name: 'Classes (optional)' }).fill('cat, dog');
	await page.getByRole('button', { name: 'Add task' }).click();

	const topics = page.getByRole('region', { name: 'Topics', exact: true });
	await expect(topics).toContainText('Text classification — multi-label');
	const cat = topics.getByLabel('cat threshold', { exact: true });
	const dog = topics.getByLabel('dog threshold', { exact: true });
	// Empty: the task threshold, shown as the placeholder.
	await expect(cat).toHaveValue('');
	await expect(cat).toHaveAttribute('placeholder', '0.8');

	// Out of range is refused and the field goes back to what was saved.
	await cat.fill('1.5');
	await cat.blur();
	await expect(topics.getByRole('alert')).toHaveText(
		'The cat threshold is a number from 0 to 1, or empty for the task threshold.'
	);
	await expect(cat).toHaveValue('');

	await cat.fill('0.9');
	await cat.blur();
	await expect(page.getByText('cat threshold set to 0.9')).toBeAttached();
	await expect(topics.getByRole('alert')).toHaveCount(0);
	await axe(page);

	await page.reload();
	await expect(cat).toHaveValue('0.9');
	await expect(dog).toHaveValue('');

	// The placeholder follows the task threshold.
	await topics.getByLabel('Review threshold').fill('0.7');
	await topics.getByLabel('Review threshold').blur();
	await expect(dog).toHaveAttribute('placeholder', '0.7');

	// Clearing it goes back to the task threshold.
	await cat.fill('');
	await cat.blur();
	await expect(page.getByText('cat uses the task threshold')).toBeAttached();
	await page.reload();
	await expect(cat).toHaveValue('');
	await expect(cat).toHaveAttribute('placeholder', '0.7');
});

test('a class that labels use cannot be removed', async ({ page }) => {
	const id = await createProject(page, 'Reviews');
	await page.goto(`/project/import?id=${id}`);
	await page.getByLabel('Choose files').setInputFiles({
		name: 'reviews.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from('text,label\nLoved it,positive\nGreat,positive\nBroke,negative\n')
	});
	await page.getByLabel('Label column').selectOption('label');
	await page.getByRole('button', { name: 'Start import' }).click();
	await expect(page.getByTestId('count-imported')).toHaveText('3');

	await page.goto(`/project/tasks?id=${id}`);
	const task = page.getByRole('region', { name: 'label', exact: true });
	await task.getByRole('button', { name: 'Remove positive' }).click();
	await expect(task.getByRole('alert')).toHaveText('2 labels use this class; relabel them first.');
	await expect(page.getByRole('dialog')).toBeHidden();
	await expect(task.getByRole('listitem')).toHaveCount(2);
});

test('an unknown project says so', async ({ page }) => {
	await page.goto('/project/tasks?id=999999');
	await expect(page.getByRole('heading', { name: 'Project not found' })).toBeVisible();
	await page.getByRole('link', { name: 'Back to projects' }).click();
	await expect(page.getByRole('heading', { name: 'Projects', level: 1 })).toBeVisible();
});
