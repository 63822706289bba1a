import type { Page } from '@playwright/test';
import { makePng } from '../fixtures/png';
import { expect } from './fixtures';

// Steps several specs take to get a project ready for auto-labelling, done through the UI
// as a person would: add label tasks, import fixture models, promote them to their tasks.

const MODELS = 'tests/fixtures/models';

export interface UploadFile {
	name: string;
	mimeType: string;
	buffer: Buffer;
}

/** A solid-colour 32×32 PNG to upload. */
export const png = (rgb: [number, number, number], name: string): UploadFile => ({
	name,
	mimeType: 'image/png',
	buffer: Buffer.from(makePng(32, 32, rgb))
});

/** Imports files on the Import page (`perLine`: a text file holds one item per line). */
export async function importFiles(
	page: Page,
	projectId: number,
	files: UploadFile[],
	perLine = false
): Promise<void> {
	await page.goto(`/project/import?id=${projectId}`);
	await page.getByLabel('Choose files').setInputFiles(files);
	if (perLine) await page.getByLabel('One item per line').check();
	await page.getByRole('button', { name: 'Start import' }).click();
	await expect(page.getByRole('heading', { name: 'Import finished' })).toBeVisible();
}

/** Adds a label task on the Label tasks page. */
export async function addTask(
	page: Page,
	projectId: number,
	name: string,
	kind: string,
	classes: string[]
): Promise<void> {
	await page.goto(`/project/tasks?id=${projectId}`);
	await page.getByLabel('Task name').fill(name);
	await page.getByLabel('Task kind').selectOption({ label: kind });
	await page.getByRole('textbox', { name: 'Classes (optional)' }).fill(classes.join(', '));
	await page.getByRole('button', { name: 'Add task' }).click();
	await expect(page.getByRole('region', { name, exact: true })).toBeVisible();
}

/** Imports a raw-ONNX fixture (`model.onnx` + `manifest.json`) and returns its version. */
export async function importOnnxFixture(page: Page, fixture: string): Promise<string> {
	await page.goto('/models?view=add&from=onnx');
	await page.getByLabel('ONNX model file').setInputFiles(`${MODELS}/${fixture}/model.onnx`);
	await page
		.getByLabel('Manifest file', { exact: true })
		.setInputFiles(`${MODELS}/${fixture}/manifest.json`);
	const version = await page.getByLabel('Version', { exact: true }).inputValue();
	await page.getByRole('button', { name: 'Import model' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Imported' })).toContainText(
		`Imported ${fixture} ${version}`
	);
	return version;
}

/**
 * Imports a Hugging Face-layout fixture folder and returns its version; `newVersion` adds it
 * as the next version of the model of the same name.
 */
export async function importHfFixture(
	page: Page,
	fixture: string,
	newVersion = false
): Promise<string> {
	await page.goto('/models?view=add&from=folder');
	await page.getByLabel('Choose a model folder').setInputFiles(`${MODELS}/hf/${fixture}`);
	const form = page.getByRole('form', { name: `Import ${fixture}` });
	if (newVersion) {
		const field = form.getByLabel('Version', { exact: true });
		const first = await field.inputValue();
		await form.getByLabel('Add as').selectOption({ label: `A new version of ${fixture}` });
		await expect(field).not.toHaveValue(first);
	}
	await form.getByRole('button', { name: 'Import model' }).click();
	// The version is read from what was imported: the form fills it in asynchronously.
	const status = page.getByRole('status').filter({ hasText: `Imported ${fixture} ` });
	await expect(status).toBeVisible();
	const imported = /Imported \S+ (\d+\.\d+\.\d+)/.exec((await status.textContent()) ?? '');
	return imported?.[1] ?? '';
}

/** Promotes the version labelled `label` ("tiny-ner 1.0.0") to production for a task. */
export async function promote(
	page: Page,
	projectId: number,
	task: string,
	label: string
): Promise<void> {
	await page.goto(`/project/tasks?id=${projectId}`);
	const region = page.getByRole('region', { name: task, exact: true });
	const select = region.getByLabel('Model version');
	const value = await select.locator('option', { hasText: `${label} · ` }).getAttribute('value');
	await select.selectOption(value as string);
	await region.getByRole('button', { name: 'Promote' }).click();
	await expect(region.getByTestId('production-current')).toHaveText(`${label} labels this task.`);
}

/** Every record of an IndexedDB store, read with the raw API (what is really stored). */
export async function readStore<T>(page: Page, store: string): Promise<T[]> {
	return page.evaluate(async (name) => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const request = indexedDB.open('modelship');
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		try {
			return await new Promise<T[]>((resolve, reject) => {
				const request = db.transaction(name).objectStore(name).getAll();
				request.onsuccess = () => resolve(request.result as T[]);
				request.onerror = () => reject(request.error);
			});
		} finally {
			db.close();
		}
	}, store);
}

/** Replaces the stored bytes of an item's blob, as disk corruption would. */
export async function corruptItemBytes(page: Page, itemName: string): Promise<void> {
	await page.evaluate(async (name) => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const request = indexedDB.open('modelship');
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		const done = <T>(request: IDBRequest<T>) =>
			new Promise<T>((resolve, reject) => {
				request.onsuccess = () => resolve(request.result);
				request.onerror = () => reject(request.error);
			});
		const items = await done(db.transaction('items').objectStore('items').getAll());
		const item = items.find((i: { name: string }) => i.name === name) as { sha256: string };
		await done(
			db
				.transaction('blobs', 'readwrite')
				.objectStore('blobs')
				.put({ key: item.sha256, blob: new Blob([new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])]) })
		);
		db.close();
	}, itemName);
}

/**
 * Flips one bit of the last byte of a model's stored file (its first file, in the first
 * version), as disk corruption or meddling would; flipping again restores it. Returns the
 * blob key.
 */
export async function flipModelByte(page: Page, modelName: string): Promise<string> {
	return page.evaluate(async (name) => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const request = indexedDB.open('modelship');
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		const done = <T>(request: IDBRequest<T>) =>
			new Promise<T>((resolve, reject) => {
				request.onsuccess = () => resolve(request.result);
				request.onerror = () => reject(request.error);
			});
		const models = await done(db.transaction('models').objectStore('models').getAll());
		const model = models.find((m: { name: string }) => m.name === name);
		const versions = await done(
			db.transaction('modelVersions').objectStore('modelVersions').getAll()
		);
		const version = versions.find((v: { modelId: string }) => v.modelId === model.id);
		const key = `model:${version.files[0].sha256}`;
		const record = await done(db.transaction('blobs').objectStore('blobs').get(key));
		const bytes = new Uint8Array(await record.blob.arrayBuffer());
		bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0x01;
		await done(
			db
				.transaction('blobs', 'readwrite')
				.objectStore('blobs')
				.put({ key, blob: new Blob([bytes]) })
		);
		db.close();
		return key;
	}, modelName);
}
