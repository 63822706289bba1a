import { createProject, expect, test } from './fixtures';
import { makePng } from '../fixtures/png';
import { encodeImages, makeZip } from './data';
import { addTask, importOnnxFixture, promote } from './setup';

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

	// A labelled dataset from another tool: what the page found, and where its labels go.
	const coco = {
		images: Array.from({ length: 12 }, (_, i) => ({
			id: i,
			file_name: `street_${i}.png`,
			width: 64,
			height: 48
		})),
		annotations: Array.from({ length: 11 }, (_, i) => ({
			id: i,
			image_id: i,
			category_id: i % 3,
			bbox: [4, 4, 20, 16]
		})),
		categories: ['car', 'bus', 'bicycle'].map((name, i) => ({ id: i, name }))
	};
	const cocoZip = await makeZip([
		['annotations/instances_train.json', JSON.stringify(coco)],
		...Array.from(
			{ length: 11 },
			(_, i) =>
				[`images/train/street_${i}.png`, makePng(64, 48, [40 + i * 15, 90, 160])] as [
					string,
					Uint8Array
				]
		)
	]);
	await page
		.getByLabel('Choose files')
		.setInputFiles({ name: 'street-coco.zip', mimeType: 'application/zip', buffer: cocoZip });
	const datasetPanel = page.getByRole('region', { name: 'Labelled dataset' });
	await expect(datasetPanel.getByTestId('dataset-summary')).toContainText('Found a COCO dataset');
	await datasetPanel.scrollIntoViewIfNeeded();
	await shot('import-dataset');
	await page.getByRole('button', { name: 'Clear' }).click();

	// Export: the dataset form with its live preview, then the history after an export.
	await page.goto(`/project/export?id=${id}`);
	await expect(page.getByTestId('export-preview')).toHaveText(/^18 items/);
	await page.getByRole('group', { name: 'Format' }).scrollIntoViewIfNeeded();
	await shot('export-form');
	await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: 'Export dataset' }).click()
	]);
	const history = page.getByRole('region', { name: 'Export history' });
	await expect(history.getByTestId('export-sha256')).toBeVisible();
	await history.scrollIntoViewIfNeeded();
	await shot('export-history');
	await axe(page);

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

test.describe('models', () => {
	// The service worker would precache model runtimes while the tour runs them.
	test.use({ serviceWorkers: 'block' });

	test('a tour of the model screens', async ({ page, axe }) => {
		await page.setViewportSize({ width: 1280, height: 860 });
		const shot = async (name: string, fullPage = false) => {
			for (const dir of dirs) await page.screenshot({ path: `${dir}/${name}.png`, fullPage });
		};
		const fixture = (name: string, file: string) => `tests/fixtures/models/${name}/${file}`;
		const importOnnx = async (name: string, asVersionOf?: string) => {
			await page.goto('/models?view=add&from=onnx');
			if (asVersionOf) {
				await page.getByLabel('Add as').selectOption({ label: `A new version of ${asVersionOf}` });
			}
			await page.getByLabel('ONNX model file').setInputFiles(fixture(name, 'model.onnx'));
			await page
				.getByLabel('Manifest file', { exact: true })
				.setInputFiles(fixture(name, 'manifest.json'));
			await expect(page.getByLabel('Version', { exact: true })).toBeVisible();
			await page.getByRole('button', { name: 'Import model' }).click();
			await expect(page.getByRole('status').filter({ hasText: 'Imported' })).toContainText(name);
		};
		const version = (label: string) => page.getByRole('listitem', { name: label, exact: true });

		const id = await createProject(page, 'Street scenes');
		await page.goto(`/project/tasks?id=${id}`);
		await page.getByLabel('Task name').fill('Colour');
		await page
			.getByLabel('Task kind')
			.selectOption({ label: 'Image classification — single label' });
		await page.getByRole('textbox', { name: 'Classes (optional)' }).fill('red, green, blue');
		await page.getByRole('button', { name: 'Add task' }).click();
		await page.getByLabel('Task name').fill('Vehicles');
		await page.getByLabel('Task kind').selectOption({ label: 'Object detection (boxes)' });
		await page.getByRole('textbox', { name: 'Classes (optional)' }).fill('car, person');
		await page.getByRole('button', { name: 'Add task' }).click();

		await importOnnx('tiny-image-classifier');
		await importOnnx('tiny-image-classifier', 'tiny-image-classifier');
		await importOnnx('tiny-detector');

		await page.goto('/models');
		for (const [label, metrics, tags] of [
			[
				'tiny-image-classifier 1.0.0',
				'accuracy = 0.912\nmacro_f1 = 0.88\nlatency_ms = 3.1',
				'baseline'
			],
			[
				'tiny-image-classifier 1.1.0',
				'accuracy = 0.947\nmacro_f1 = 0.93\nlatency_ms = 3.4',
				'candidate'
			]
		] as const) {
			await version(label).getByRole('button', { name: 'Edit' }).click();
			const dialog = page.getByRole('dialog', { name: `Edit ${label}` });
			await dialog.getByLabel('Metrics').fill(metrics);
			await dialog.getByLabel('Tags').fill(tags);
			await dialog.getByLabel('Description').fill('Trained on generated solid-colour swatches.');
			await dialog.getByRole('button', { name: 'Save' }).click();
			await expect(dialog).toBeHidden();
		}

		await page.goto(`/project/tasks?id=${id}`);
		const colour = page.getByRole('region', { name: 'Colour', exact: true });
		for (const label of ['tiny-image-classifier 1.0.0', 'tiny-image-classifier 1.1.0']) {
			await colour.getByLabel('Model version').selectOption({ label: `${label} · No stage` });
			await colour.getByRole('button', { name: 'Promote' }).click();
			await expect(colour.getByTestId('production-current')).toContainText(label);
		}
		await expect(colour.getByRole('button', { name: /Roll back to/ })).toBeEnabled();
		const vehicles = page.getByRole('region', { name: 'Vehicles', exact: true });
		await vehicles.getByRole('button', { name: 'Promote' }).click();
		await expect(vehicles.getByTestId('production-current')).toContainText('tiny-detector 1.0.0');
		await shot('tasks-production', true);

		await page.goto('/models');
		await version('tiny-image-classifier 1.0.0').getByLabel('Compare').check();
		await version('tiny-image-classifier 1.1.0').getByLabel('Compare').check();
		await expect(
			page.getByRole('region', { name: 'Compare versions' }).getByRole('table')
		).toBeVisible();
		await page.evaluate(() => window.scrollTo(0, 0));
		await shot('models-registry');
		await shot('models-registry-full', true);
		await axe(page);

		await version('tiny-image-classifier 1.1.0').getByRole('button', { name: 'Try it' }).click();
		const tryDialog = page.getByRole('dialog', { name: 'Try a model' });
		await tryDialog.getByLabel('Image').setInputFiles({
			name: 'swatch.png',
			mimeType: 'image/png',
			buffer: Buffer.from(makePng(96, 64, [200, 40, 30]))
		});
		await tryDialog.getByRole('button', { name: 'Run' }).click();
		await expect(tryDialog.getByRole('list', { name: 'Top classes' })).toBeVisible();
		await shot('models-try-classes');
		await tryDialog.getByLabel('Model version').selectOption({ label: 'tiny-detector 1.0.0' });
		const street = await encodeImages(page, [{ type: 'image/png', w: 320, h: 240, hue: 200 }]);
		await tryDialog.getByLabel('Image').setInputFiles({
			name: 'street.png',
			mimeType: 'image/png',
			buffer: street[0] as Buffer
		});
		await tryDialog.getByRole('button', { name: 'Run' }).click();
		await expect(tryDialog.getByRole('list', { name: 'Detected objects' })).toBeVisible();
		await shot('models-try-boxes');
		await axe(page);
		await tryDialog.getByRole('button', { name: 'Close' }).click();

		await page.goto('/models?view=add&from=folder');
		await page
			.getByLabel('Choose a model folder')
			.setInputFiles('tests/fixtures/models/hf/tiny-ner');
		await page.getByRole('button', { name: 'Import model' }).click();
		await page.getByRole('status').getByRole('button', { name: 'Try it' }).click();
		await tryDialog.getByLabel('Text').fill('Alice visited Paris with Bob.');
		await tryDialog.getByRole('button', { name: 'Run' }).click();
		await expect(tryDialog.getByRole('list', { name: 'Entities' })).toBeVisible();
		await shot('models-try-spans');
		await tryDialog.getByRole('button', { name: 'Close' }).click();

		await page.goto('/models?view=add&from=folder');
		await page
			.getByLabel('Choose a model folder')
			.setInputFiles('tests/fixtures/models/hf/tiny-sentiment');
		await expect(page.getByRole('heading', { name: 'Found in “tiny-sentiment”' })).toBeVisible();
		await shot('models-add-folder');

		await page.goto('/models?view=add&from=onnx');
		await page.getByLabel('Fill in a form').check();
		await page.getByLabel('Name', { exact: true }).fill('Product defects');
		await page.getByLabel('Labels').fill('scratch\ndent');
		await page.getByLabel('Output shape (optional)').fill('1, 3');
		await page.getByRole('button', { name: 'Import model' }).click();
		await expect(page.getByLabel('Labels')).toHaveAttribute('aria-invalid', 'true');
		await shot('models-add-onnx-form', true);

		await page.goto('/models?view=add&from=catalog');
		await expect(page.getByRole('button', { name: /^Download/ }).first()).toBeVisible();
		await shot('models-catalog');

		await page.goto('/models?view=device');
		await expect(page.getByTestId('planned-backend')).toBeVisible();
		await shot('models-device');
	});
});

test.describe('auto-labeling', () => {
	test.use({ serviceWorkers: 'block' });

	test('a tour of the auto-label screens', async ({ page, axe }) => {
		test.setTimeout(120_000);
		await page.setViewportSize({ width: 1280, height: 860 });
		const shot = async (name: string, fullPage = false) => {
			for (const dir of dirs) await page.screenshot({ path: `${dir}/${name}.png`, fullPage });
		};
		const id = await createProject(page, 'Paint swatches');
		await addTask(page, id, 'Colour', 'Image classification — single label', [
			'red',
			'green',
			'blue'
		]);
		await addTask(page, id, 'Objects', 'Object detection (boxes)', ['car', 'person']);
		await importOnnxFixture(page, 'tiny-image-classifier');
		await importOnnxFixture(page, 'tiny-detector');
		await promote(page, id, 'Colour', 'tiny-image-classifier 1.0.0');
		await promote(page, id, 'Objects', 'tiny-detector 1.0.0');

		// Swatches from pure to muddled colours, so every confidence level shows up.
		const swatches: [number, number, number][] = [];
		for (let i = 0; i < 24; i++) {
			const main = 255 - (i % 8) * 12;
			const mix = (i * 37) % 200;
			const rgb: [number, number, number] =
				i % 3 === 0 ? [main, mix, 0] : i % 3 === 1 ? [0, main, mix] : [mix, 0, main];
			swatches.push(rgb);
		}
		await page.goto(`/project/import?id=${id}`);
		await page.getByLabel('Choose files').setInputFiles(
			swatches.map((rgb, i) => ({
				name: `swatch-${String(i + 1).padStart(2, '0')}.png`,
				mimeType: 'image/png',
				buffer: Buffer.from(makePng(48, 48, rgb))
			}))
		);
		await page.getByRole('button', { name: 'Start import' }).click();
		await expect(page.getByRole('heading', { name: 'Import finished' })).toBeVisible();

		await page.goto(`/project/autolabel?id=${id}`);
		const setup = page.getByRole('region', { name: 'New job' });
		await setup.getByLabel('Threshold for Colour').fill('0.9');
		await setup.getByLabel('Auto-approve high-confidence predictions').check();
		await expect(setup.getByRole('status', { name: 'Estimate' })).toContainText(/^24 items · /);
		await shot('autolabel-setup');
		await setup.getByRole('button', { name: 'Start auto-labeling' }).click();
		const job = page.getByRole('region', { name: 'Jobs' }).getByRole('listitem').first();
		await expect(job.getByTestId('job-status')).toHaveText('Completed', { timeout: 60_000 });
		await shot('autolabel-jobs', true);
		await axe(page);

		await job.getByRole('link', { name: 'Show items that need review' }).click();
		const list = page.getByRole('listbox', { name: /Items/ });
		await expect(list.getByRole('option').first()).toBeVisible();
		await page.getByLabel('Confidence', { exact: true }).selectOption({ label: 'Any' });
		await expect(list.getByRole('option')).toHaveCount(24);
		await shot('items-confidence');
		await list.getByRole('option').nth(1).click();
		await expect(page.getByRole('dialog')).toBeVisible();
		await shot('item-detail-confidence');
		await axe(page);
		await page.keyboard.press('Escape');

		// The review workspace on the same swatches: the queue, the box editor, the stats.
		await page.goto(`/project/review?id=${id}`);
		await page.getByLabel('Your name').fill('Ana');
		await page.getByRole('button', { name: 'Start reviewing' }).click();
		const stage = page.getByRole('region', { name: 'Item under review' });
		await expect(stage.getByRole('heading', { level: 2 })).toBeVisible();
		await stage.focus();
		await page.keyboard.press('Enter');
		await page.keyboard.press('r');
		await expect(page.getByTestId('review-announcement')).toContainText('Rejected');
		await shot('review-classes', true);
		await page.getByLabel('Task', { exact: true }).selectOption({ label: 'Objects' });
		await page.getByLabel('Queue', { exact: true }).selectOption('all');
		const editor = stage.getByRole('application', { name: 'Box editor' });
		await editor.focus();
		await page.keyboard.press('n');
		await shot('review-boxes', true);
		await axe(page);
	});
});
