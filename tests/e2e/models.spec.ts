import { readFileSync } from 'node:fs';
import {
	BlobReader,
	BlobWriter,
	Uint8ArrayReader,
	Uint8ArrayWriter,
	ZipReader,
	ZipWriter
} from '@zip.js/zip.js/lib/zip-core-native.js';
import type { Locator, Page } from '@playwright/test';
import { makePng } from '../fixtures/png';
import { createProject, expect, test } from './fixtures';
import { flipModelByte } from './setup';

// The model registry as a person uses it: bring an ONNX model (manifest file or form), run it
// in the real inference worker, export it, see changed copies refused, promote and compare.

const FIXTURE = 'tests/fixtures/models/tiny-image-classifier';
const NAME = 'tiny-image-classifier';

// Service workers precache the app and its model runtimes; nothing here tests offline use.
test.use({ serviceWorkers: 'block' });

const png = (rgb: [number, number, number], name: string) => ({
	name,
	mimeType: 'image/png',
	buffer: Buffer.from(makePng(32, 32, rgb))
});

async function openAdd(page: Page): Promise<void> {
	await page.goto('/models?view=add&from=onnx');
	await expect(page.getByRole('heading', { name: 'ONNX + manifest' })).toBeVisible();
}

/** Imports the fixture with its manifest file; `asVersionOf` adds it to an existing model. */
async function importWithManifestFile(page: Page, asVersionOf?: string): Promise<string> {
	await openAdd(page);
	if (asVersionOf) {
		await page.getByLabel('Add as').selectOption({ label: `A new version of ${asVersionOf}` });
	}
	await page.getByLabel('ONNX model file').setInputFiles(`${FIXTURE}/model.onnx`);
	await page.getByLabel('Manifest file', { exact: true }).setInputFiles(`${FIXTURE}/manifest.json`);
	const summary = page.getByRole('definition').filter({ hasText: 'red, green, blue' });
	await expect(summary).toBeVisible();
	const version = await page.getByLabel('Version', { exact: true }).inputValue();
	await page.getByRole('button', { name: 'Import model' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Imported' })).toContainText(
		`Imported ${NAME} ${version}`
	);
	return version;
}

function versionItem(page: Page, version: string): Locator {
	return page.getByRole('listitem', { name: `${NAME} ${version}`, exact: true });
}

/** Runs Try it on an image from a version's row (or the open dialog) and returns the dialog. */
async function tryOnImage(page: Page, file: ReturnType<typeof png>): Promise<Locator> {
	const dialog = page.getByRole('dialog', { name: 'Try a model' });
	await expect(dialog).toBeVisible();
	await dialog.getByLabel('Image').setInputFiles(file);
	await dialog.getByRole('button', { name: 'Run' }).click();
	return dialog;
}

test('import an ONNX model with its manifest file and try it on a red image', async ({
	page,
	axe
}) => {
	await page.goto('/');
	await page
		.getByRole('navigation', { name: 'Main' })
		.getByRole('link', { name: 'Models' })
		.click();
	await expect(page.getByRole('heading', { name: 'Models', level: 1 })).toBeVisible();
	// The embedded defaults are registered on first open and marked as offline-ready.
	await expect(page.getByText('Built in, works offline').first()).toBeVisible();
	await axe(page);

	await importWithManifestFile(page);
	await page.getByRole('status').getByRole('button', { name: 'Try it' }).click();
	const dialog = await tryOnImage(page, png([255, 0, 0], 'red.png'));
	const top = dialog.getByRole('list', { name: 'Top classes' }).getByRole('listitem');
	await expect(top.first()).toContainText('red');
	await expect(top.first()).toContainText('99.99%');
	await expect(top).toHaveCount(3);
	await expect(dialog.getByTestId('try-timing')).toContainText(/^[\d.]+ ms on onnxruntime-web/);
	await axe(page);
	await dialog.getByRole('button', { name: 'Close' }).click();

	// The registry lists it with its facts; the diagnostics panel shows how it ran.
	await page.getByRole('link', { name: 'See it in the registry' }).click();
	const item = versionItem(page, '1.0.0');
	await expect(item).toContainText('No stage');
	await expect(item).toContainText('SHA-256');
	await expect(item).toContainText('red, green, blue');
	const card = page.getByRole('region', { name: NAME });
	await expect(card).toContainText('ONNX Runtime Web (manifest)');
	await expect(card).toContainText('Imported ONNX');

	await page
		.getByRole('navigation', { name: 'Models' })
		.getByRole('link', { name: 'This device' })
		.click();
	await expect(page.getByTestId('planned-backend')).toContainText(/WASM/);
	await expect(page.getByText('Cross-origin isolation')).toBeVisible();
	await expect(page.getByTestId('last-execution')).toContainText(`${NAME} 1.0.0`);
	await expect(page.getByTestId('last-execution')).toContainText('onnxruntime-web');
	await axe(page);
});

test('fill in the manifest as a form: errors sit by their fields, then it imports and runs', async ({
	page,
	axe
}) => {
	await openAdd(page);
	await page.getByLabel('ONNX model file').setInputFiles(`${FIXTURE}/model.onnx`);
	await page.getByLabel('Fill in a form').check();
	await page.getByLabel('Name', { exact: true }).fill(NAME);
	await expect(page.getByLabel('Version', { exact: true })).toHaveValue('1.0.0');
	await page.getByLabel('Labels').fill('red\ngreen');
	await page.getByLabel('Input shape').fill('1, 3, 8, 8');
	await page.getByLabel('Width (px)').fill('8');
	await page.getByLabel('Height (px)').fill('16');
	await page.getByLabel('Mean').fill('0, 0, 0');
	await page.getByLabel('Standard deviation').fill('1, 1, 1');
	await page.getByLabel('Output name').fill('probs');
	await page.getByLabel('Output shape (optional)').fill('1, 3');
	await page.getByLabel('Activation').selectOption('none');
	await page.getByRole('button', { name: 'Import model' }).click();

	await expect(page.getByRole('alert')).toHaveText(
		'The manifest has problems; each is shown next to its field.'
	);
	// Each error is tied to its field (aria-describedby), with the JSON path it concerns.
	await expect(page.getByLabel('Labels')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByLabel('Labels')).toHaveAccessibleDescription(
		/labels: expected 3 labels \(outputs\[0\] has 3 scores\), got 2/
	);
	await expect(page.getByLabel('Input shape')).toHaveAccessibleDescription(
		/inputs\[0\]\.shape\[2\]: is 8 but preprocessing\.resize\.height is 16/
	);
	await axe(page);

	await page.getByLabel('Labels').fill('red\ngreen\nblue');
	await page.getByLabel('Height (px)').fill('8');
	await page.getByText('Manifest JSON this form makes').click();
	await expect(page.locator('pre')).toContainText('"scale": 0.00392156862745098');
	await page.getByRole('button', { name: 'Import model' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Imported' })).toContainText(
		`Imported ${NAME} 1.0.0`
	);

	await page.goto('/models');
	await versionItem(page, '1.0.0').getByRole('button', { name: 'Try it' }).click();
	const dialog = await tryOnImage(page, png([0, 200, 0], 'green.png'));
	const top = dialog.getByRole('list', { name: 'Top classes' }).getByRole('listitem');
	await expect(top.first()).toContainText('green');
	await expect(top.first()).toContainText(/\d+\.\d+%/);
});

async function zipEntries(bytes: Uint8Array): Promise<Map<string, Uint8Array>> {
	const reader = new ZipReader(new BlobReader(new Blob([bytes as Uint8Array<ArrayBuffer>])));
	const out = new Map<string, Uint8Array>();
	for (const entry of await reader.getEntries()) {
		if (!entry.directory && entry.getData) {
			out.set(entry.filename, await entry.getData(new Uint8ArrayWriter()));
		}
	}
	await reader.close();
	return out;
}

async function rezip(entries: Map<string, Uint8Array>): Promise<Buffer> {
	const writer = new ZipWriter(new BlobWriter('application/zip'));
	for (const [name, data] of entries) await writer.add(name, new Uint8ArrayReader(data));
	return Buffer.from(await (await writer.close()).arrayBuffer());
}

test('an exported package with one changed byte is refused, naming the file; the intact one imports elsewhere', async ({
	page,
	browser
}) => {
	await importWithManifestFile(page);
	await page.goto('/models');
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		versionItem(page, '1.0.0').getByRole('button', { name: 'Export' }).click()
	]);
	expect(download.suggestedFilename()).toBe(`${NAME}-1.0.0.modelship-model.zip`);
	const exported = readFileSync(await download.path());
	const entries = await zipEntries(exported);
	expect([...entries.keys()].sort()).toEqual(['model.onnx', 'modelship-model.json']);

	const onnx = entries.get('model.onnx') as Uint8Array;
	const tampered = new Map(entries);
	const changed = onnx.slice();
	const at = Math.floor(changed.length / 2);
	changed[at] = (changed[at] as number) ^ 0xff;
	tampered.set('model.onnx', changed);

	await page.goto('/models?view=add&from=package');
	await page.getByLabel('Choose a model package').setInputFiles({
		name: 'tampered.modelship-model.zip',
		mimeType: 'application/zip',
		buffer: await rezip(tampered)
	});
	const alert = page.getByRole('alert');
	await expect(alert).toContainText('tampered.modelship-model.zip was not imported');
	await expect(alert).toContainText(
		'model.onnx does not match the SHA-256 recorded in the package'
	);
	await expect(alert).toContainText('nothing was imported');
	await page.goto('/models');
	await expect(
		page.getByRole('list', { name: `Versions of ${NAME}` }).getByRole('listitem')
	).toHaveCount(1);

	// The untouched export imports into another browser profile and runs there.
	const other = await browser.newContext({ serviceWorkers: 'block' });
	const second = await other.newPage();
	await second.goto('/models?view=add&from=package');
	await second.getByLabel('Choose a model package').setInputFiles({
		name: download.suggestedFilename(),
		mimeType: 'application/zip',
		buffer: exported
	});
	await expect(second.getByRole('status').filter({ hasText: 'Imported' })).toContainText(
		`Imported ${NAME} 1.0.0`
	);
	await second.getByRole('status').getByRole('button', { name: 'Try it' }).click();
	const dialog = await tryOnImage(second, png([0, 0, 255], 'blue.png'));
	await expect(
		dialog.getByRole('list', { name: 'Top classes' }).getByRole('listitem').first()
	).toContainText('blue');
	await other.close();
});

test('a stored model whose bytes changed is refused by Try it, naming the version', async ({
	page
}) => {
	await importWithManifestFile(page);
	// Flip one byte of the stored model.onnx blob, as disk corruption or meddling would.
	const key = await flipModelByte(page, NAME);
	expect(key).toMatch(/^model:[0-9a-f]{64}$/);

	await page.goto('/models');
	await versionItem(page, '1.0.0').getByRole('button', { name: 'Try it' }).click();
	const dialog = await tryOnImage(page, png([255, 0, 0], 'red.png'));
	const alert = dialog.getByRole('alert');
	await expect(alert).toContainText('Refused: the stored files were changed');
	await expect(alert).toContainText(`${NAME} 1.0.0: model.onnx does not match its SHA-256`);
	await expect(alert).toContainText('The version was refused and not loaded.');
	await expect(dialog.getByRole('list', { name: 'Top classes' })).toHaveCount(0);
});

test('promote two versions to a label task, roll back, and compare their metrics', async ({
	page,
	axe
}) => {
	const projectId = await createProject(page, 'Colour swatches');
	await page.goto(`/project/tasks?id=${projectId}`);
	await page.getByLabel('Task name').fill('Colour');
	await page.getByLabel('Task kind').selectOption({ label: 'Image classification — single label' });
	await page.getByRole('textbox', { name: 'Classes (optional)' }).fill('red, green, blue');
	await page.getByRole('button', { name: 'Add task' }).click();
	const colour = page.getByRole('region', { name: 'Colour', exact: true });
	await expect(colour.getByTestId('production-current')).toHaveText(
		'None yet: auto-labelling needs a model for this task.'
	);

	expect(await importWithManifestFile(page)).toBe('1.0.0');
	// The next version of the same model is suggested.
	expect(await importWithManifestFile(page, NAME)).toBe('1.1.0');

	// Metrics for both, through the edit dialog.
	await page.goto('/models');
	const setMetrics = async (version: string, metrics: string, tags: string) => {
		await versionItem(page, version).getByRole('button', { name: 'Edit' }).click();
		const dialog = page.getByRole('dialog', { name: `Edit ${NAME} ${version}` });
		await dialog.getByLabel('Metrics').fill(metrics);
		await dialog.getByLabel('Tags').fill(tags);
		await dialog.getByLabel('Stage').selectOption('staging');
		await dialog.getByRole('button', { name: 'Save' }).click();
		await expect(dialog).toBeHidden();
	};
	await setMetrics('1.0.0', 'accuracy = 0.9\nlatency_ms = 12', 'baseline');
	await setMetrics('1.1.0', 'accuracy: 0.95\nlatency_ms = 15', 'candidate, int8');
	await expect(versionItem(page, '1.1.0')).toContainText('Staging');
	await expect(versionItem(page, '1.1.0')).toContainText('int8');

	await versionItem(page, '1.0.0').getByLabel('Compare').check();
	await expect(page.getByRole('region', { name: 'Compare versions' })).toContainText(
		'Tick “Compare” on one more version'
	);
	await versionItem(page, '1.1.0').getByLabel('Compare').check();
	const table = page.getByRole('region', { name: 'Compare versions' }).getByRole('table');
	const accuracy = table.getByRole('row', { name: /^accuracy/ });
	await expect(accuracy.getByRole('cell')).toHaveText(['0.9', '0.95', '+0.05', 'B']);
	const latency = table.getByRole('row', { name: /^latency_ms/ });
	await expect(latency.getByRole('rowheader')).toContainText('lower is better');
	await expect(latency.getByRole('cell')).toHaveText(['12', '15', '+3', 'A']);
	await axe(page);

	// Promote 1.0.0, then 1.1.0; roll back returns to 1.0.0.
	await page.goto(`/project/tasks?id=${projectId}`);
	const picker = colour.getByLabel('Model version');
	await picker.selectOption({ label: `${NAME} 1.0.0 · Staging` });
	await colour.getByRole('button', { name: 'Promote' }).click();
	await expect(colour.getByTestId('production-current')).toHaveText(
		`${NAME} 1.0.0 labels this task.`
	);
	await expect(colour.getByRole('button', { name: /^Roll back/ })).toBeDisabled();
	await picker.selectOption({ label: `${NAME} 1.1.0 · Staging` });
	await colour.getByRole('button', { name: 'Promote' }).click();
	await expect(colour.getByTestId('production-current')).toHaveText(
		`${NAME} 1.1.0 labels this task.`
	);
	const rollBack = colour.getByRole('button', { name: `Roll back to ${NAME} 1.0.0` });
	await expect(rollBack).toBeEnabled();
	await axe(page);
	await rollBack.click();
	await expect(colour.getByTestId('production-current')).toHaveText(
		`${NAME} 1.0.0 labels this task.`
	);
	await expect(page.getByRole('status').filter({ hasText: 'rolled back' })).toHaveText(
		`Colour rolled back to ${NAME} 1.0.0`
	);

	// The registry shows where 1.0.0 runs; production is read-only and cannot be deleted.
	await page.goto('/models');
	const live = versionItem(page, '1.0.0');
	await expect(live).toContainText('Production');
	await expect(live).toContainText('In production for Colour swatches › Colour');
	await expect(versionItem(page, '1.1.0')).toContainText('Archived');
	await live.getByRole('button', { name: 'Delete' }).click();
	await expect(live.getByRole('alert')).toHaveText(
		'Version 1.0.0 is in production and cannot be deleted. Promote another version or roll back first.'
	);
	await live.getByRole('button', { name: 'Edit' }).click();
	const edit = page.getByRole('dialog', { name: `Edit ${NAME} 1.0.0` });
	await expect(edit.getByRole('note')).toContainText(
		'Version 1.0.0 is in production and read-only.'
	);
	await expect(edit.getByLabel('Tags')).toBeDisabled();
	await edit.getByRole('button', { name: 'Close' }).click();

	// An archived version can go.
	await versionItem(page, '1.1.0').getByRole('button', { name: 'Delete' }).click();
	const confirm = page.getByRole('dialog', { name: `Delete ${NAME} 1.1.0?` });
	await confirm.getByRole('button', { name: 'Delete version' }).click();
	await expect(versionItem(page, '1.1.0')).toHaveCount(0);
	await expect(versionItem(page, '1.0.0')).toBeVisible();
});

test('the hub URL and the device preference are settings; catalog downloads say why they fail', async ({
	page,
	baseURL
}) => {
	await page.goto('/settings');
	const hub = page.getByLabel('Model hub URL');
	await expect(hub).toHaveValue('https://huggingface.co');
	await hub.fill('ftp://mirror.example');
	await page.getByRole('button', { name: 'Save settings' }).click();
	await expect(page.getByRole('alert')).toHaveText(
		'The hub URL must be an http(s) address, such as https://huggingface.co.'
	);
	await hub.fill('http://localhost:9999/hub/');
	await page.getByLabel('Run models on').selectOption('wasm');
	await page.getByRole('button', { name: 'Save settings' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
	await page.reload();
	await expect(page.getByLabel('Model hub URL')).toHaveValue('http://localhost:9999/hub');
	await expect(page.getByLabel('Run models on')).toHaveValue('wasm');

	await page.goto('/models?view=device');
	await expect(page.getByText('Settings ask for WASM on this device.')).toBeVisible();
	await page.goto('/models?view=add&from=catalog');
	await expect(page.getByText('http://localhost:9999/hub', { exact: true })).toBeVisible();
	await expect(
		page.getByRole('button', { name: 'Download Image: general (ResNet-50)' })
	).toBeVisible();

	// A hub that does not have the model (this app's own origin: no request leaves it).
	await page.goto('/settings');
	await page.getByLabel('Model hub URL').fill(`${baseURL}/no-hub-here`);
	await page.getByRole('button', { name: 'Save settings' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
	await page.goto('/models?view=add&from=catalog');
	const entry = page.getByRole('listitem').filter({ hasText: 'Xenova/all-MiniLM-L6-v2' });
	await entry.getByRole('button', { name: 'Download Text: embeddings (MiniLM)' }).click();
	await expect(entry.getByRole('alert')).toContainText('Xenova/all-MiniLM-L6-v2');
	await expect(entry.getByRole('button', { name: /^Download/ })).toBeEnabled();

	// Offline: said at once, without trying.
	await page.context().setOffline(true);
	await expect(page.getByText('You are offline. Catalog models need a connection')).toBeVisible();
	await entry.getByRole('button', { name: 'Download Text: embeddings (MiniLM)' }).click();
	await expect(entry.getByRole('alert')).toContainText('You are offline.');
	await page.context().setOffline(false);
});

test('import a Hugging Face folder after seeing what it holds, and tag entities in a text', async ({
	page,
	axe
}) => {
	await page.goto('/models?view=add&from=folder');
	await page.getByLabel('Choose a model folder').setInputFiles('tests/fixtures/models/hf/tiny-ner');
	const found = page.getByRole('form', { name: 'Import tiny-ner' });
	await expect(found.getByRole('heading', { name: 'Found in “tiny-ner”' })).toBeVisible();
	await expect(found.getByLabel('Task')).toHaveValue('token-classification');
	await expect(found.getByLabel('Name')).toHaveValue('tiny-ner');
	await expect(found).toContainText('fp32');
	await expect(found).toContainText('5: O, B-PER, I-PER, B-LOC, I-LOC');
	await expect(found).toContainText('onnx/model.onnx');
	await expect(found).toContainText('tokenizer.json');
	await axe(page);
	await found.getByRole('button', { name: 'Import model' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Imported' })).toContainText(
		'Imported tiny-ner 1.0.0'
	);

	await page.getByRole('status').getByRole('button', { name: 'Try it' }).click();
	const dialog = page.getByRole('dialog', { name: 'Try a model' });
	await dialog.getByLabel('Text').fill('Alice visited Paris with Bob.');
	await dialog.getByRole('button', { name: 'Run' }).click();
	const entities = dialog.getByRole('list', { name: 'Entities' }).getByRole('listitem');
	await expect(entities).toHaveCount(3);
	await expect(entities.nth(0)).toContainText('PER “Alice”');
	await expect(entities.nth(1)).toContainText('LOC “Paris”');
	await expect(dialog.locator('mark')).toHaveCount(3);
	await expect(dialog.getByTestId('try-timing')).toContainText(/^[\d.]+ ms on /);
});
