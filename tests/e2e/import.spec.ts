import { readFileSync } from 'node:fs';
import { createProject, expect, test } from './fixtures';
import { encodeImages, makeZip, writeTree } from './data';

const GIF_1X1 = Buffer.from(
	'R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==',
	'base64'
);

/** A 2×2, 24-bit BMP, written by hand (54-byte header, rows padded to 4 bytes). */
function bmp2x2(): Buffer {
	const rowBytes = 8;
	const bmp = Buffer.alloc(54 + rowBytes * 2);
	bmp.write('BM', 0, 'latin1');
	bmp.writeUInt32LE(bmp.length, 2);
	bmp.writeUInt32LE(54, 10);
	bmp.writeUInt32LE(40, 14);
	bmp.writeInt32LE(2, 18);
	bmp.writeInt32LE(2, 22);
	bmp.writeUInt16LE(1, 26);
	bmp.writeUInt16LE(24, 28);
	bmp.writeUInt32LE(rowBytes * 2, 34);
	for (let i = 54; i < bmp.length; i++) bmp[i] = (i * 37) & 0xff;
	return bmp;
}

test.describe('import', () => {
	test('folders of images, a CSV, a labeled zip and bad files, as a person would', async ({
		page,
		axe
	}) => {
		const projectId = await createProject(page, 'Photos and reviews');
		await page
			.getByRole('navigation', { name: 'Project' })
			.getByRole('link', { name: 'Import' })
			.click();
		await expect(
			page.getByText('Drop images, texts, tables, zips or whole folders here')
		).toBeVisible();
		await axe(page);

		// 1. A folder (with a subfolder) of real PNG, JPEG and WebP files, one of them twice.
		const [png, jpeg, webp, jpeg2] = await encodeImages(page, [
			{ type: 'image/png', w: 64, h: 48, hue: 10 },
			{ type: 'image/jpeg', w: 80, h: 60, hue: 100 },
			{ type: 'image/webp', w: 50, h: 50, hue: 200 },
			{ type: 'image/jpeg', w: 640, h: 480, hue: 300 }
		]);
		const folder = writeTree('photos', {
			'photos/red.png': png!,
			'photos/green.jpg': jpeg!,
			'photos/more/blue.webp': webp!,
			'photos/more/big.jpg': jpeg2!,
			'photos/more/copy-of-red.png': png!,
			// GIF and BMP (Chromium's canvas cannot encode them): tiny real files, and a PNG
			// named .jpg, which must still be recognised by its bytes.
			'photos/dot.gif': GIF_1X1,
			'photos/more/pixels.bmp': bmp2x2(),
			'photos/misnamed.jpg': await encodeImages(page, [
				{ type: 'image/png', w: 9, h: 9, hue: 33 }
			]).then((b) => b[0]!)
		});
		await page.getByLabel('Choose a folder').setInputFiles(folder);
		await expect(page.getByRole('heading', { name: /8 files ready/ })).toBeVisible();
		await page.getByRole('button', { name: 'Start import' }).click();
		await expect(page.getByRole('heading', { name: 'Import finished' })).toBeVisible();
		await expect(page.getByTestId('count-imported')).toHaveText('7');
		await expect(page.getByTestId('count-duplicates')).toHaveText('1');
		await expect(page.getByTestId('count-failed')).toHaveText('0');

		// 2. A CSV of texts with a label column, BOM, quotes and an embedded newline.
		const csv =
			'\ufefftext,label\n"Loved it, would buy again",positive\n"Broke after\ntwo days",negative\nJust okay,neutral\n';
		await page.getByLabel('Choose files').setInputFiles({
			name: 'reviews.csv',
			mimeType: 'text/csv',
			buffer: Buffer.from(csv)
		});
		await expect(page.getByRole('region', { name: 'Table preview' })).toContainText('Loved it');
		await expect(page.getByLabel('Text column')).toHaveValue('text');
		await page.getByLabel('Label column').selectOption('label');
		await page.getByRole('button', { name: 'Start import' }).click();
		await expect(page.getByRole('heading', { name: 'Import finished' })).toBeVisible();
		await expect(page.getByTestId('count-imported')).toHaveText('3');

		// 3. A zip in image-folder layout, with a nested folder, labels from folder names.
		const [cat1, cat2, dog1] = await encodeImages(page, [
			{ type: 'image/png', w: 32, h: 32, hue: 20 },
			{ type: 'image/jpeg', w: 32, h: 32, hue: 40 },
			{ type: 'image/webp', w: 32, h: 32, hue: 60 }
		]);
		const zip = await makeZip([
			['pets/cat/1.png', cat1!],
			['pets/cat/2.jpg', cat2!],
			['pets/dog/puppies/3.webp', dog1!]
		]);
		await page
			.getByLabel('Choose files')
			.setInputFiles({ name: 'pets.zip', mimeType: 'application/zip', buffer: zip });
		await page.getByLabel("Use each image's folder name as its class").check();
		await expect(page.getByLabel('Image task for folder labels')).toBeVisible();
		await page.getByRole('button', { name: 'Start import' }).click();
		await expect(page.getByRole('heading', { name: 'Import finished' })).toBeVisible();
		await expect(page.getByTestId('count-imported')).toHaveText('3');
		await expect(page.locator('dt:text-is("Labeled") + dd')).toHaveText('3');

		// 4. Bad files, each with its own message, next to good ones that still import.
		const unsafeZip = await makeZip([
			['ok.txt', 'a fine text inside a zip'],
			['../../evil.txt', 'escape attempt']
		]);
		const bomb = await makeZip([['zeros.txt', new Uint8Array(8 * 1024 * 1024)]], 9);
		const deep = await makeZip([
			[
				'l1.zip',
				await makeZip([['l2.zip', await makeZip([['l3.zip', await makeZip([['x.txt', 'deep']])]])]])
			]
		]);
		await page.getByLabel('Choose files').setInputFiles([
			{ name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) },
			{
				name: 'broken.png',
				mimeType: 'image/png',
				buffer: Buffer.concat([png!.subarray(0, 40), Buffer.alloc(60, 7)])
			},
			{ name: 'latin1.txt', mimeType: 'text/plain', buffer: Buffer.from([0x63, 0x61, 0x66, 0xe9]) },
			{
				name: 'utf16.txt',
				mimeType: 'text/plain',
				buffer: Buffer.from('\ufeffBonjour à tous', 'utf16le')
			},
			{
				name: 'tool.exe',
				mimeType: 'application/octet-stream',
				buffer: Buffer.from('MZ\0\0\0binary')
			},
			{
				name: 'notes.jsonl',
				mimeType: 'application/json',
				buffer: Buffer.from('{"text":"first"}\n{"text": oops}\n{"text":"third"}\n')
			},
			{ name: 'unsafe.zip', mimeType: 'application/zip', buffer: unsafeZip },
			{ name: 'bomb.zip', mimeType: 'application/zip', buffer: bomb },
			{ name: 'deep.zip', mimeType: 'application/zip', buffer: deep }
		]);
		await page.getByRole('button', { name: 'Start import' }).click();
		await expect(page.getByRole('heading', { name: 'Import finished' })).toBeVisible();
		// utf16.txt, notes.jsonl lines 1 and 3, and ok.txt from the zip.
		await expect(page.getByTestId('count-imported')).toHaveText('4');
		await expect(page.getByTestId('count-failed')).toHaveText('8');
		const problems = page.getByRole('region', { name: 'Import problems' });
		for (const [file, message] of [
			['empty.txt', 'file is empty'],
			['broken.png', 'corrupt or undecodable PNG image'],
			['latin1.txt', 'invalid UTF-8'],
			['tool.exe', 'unsupported file type (.exe)'],
			['notes.jsonl', 'invalid JSON'],
			['unsafe.zip/../../evil.txt', 'unsafe path'],
			['bomb.zip', 'zip bomb'],
			['deep.zip/l1.zip/l2.zip/l3.zip', 'nested']
		] as const) {
			await expect(problems.getByRole('row').filter({ hasText: file }).first()).toContainText(
				message
			);
		}
		await expect(problems.getByRole('row').filter({ hasText: 'notes.jsonl' })).toContainText('2');
		await axe(page);

		const download = page.waitForEvent('download');
		await page.getByRole('button', { name: 'Download errors as CSV' }).click();
		const csvReport = readFileSync(await (await download).path(), 'utf8');
		expect(csvReport.split('\r\n')[0]).toBe('path,line,code,message');
		expect(csvReport).toContain('notes.jsonl,2,jsonl-syntax');
		expect(csvReport).toContain('zip-slip');

		// 5. Everything is still there after a reload: history, counts, labels.
		await page.reload();
		const history = page.getByRole('region', { name: 'Import history' });
		await expect(history.getByRole('listitem')).toHaveCount(4);
		await page.getByRole('button', { name: 'Show problems' }).first().click();
		await expect(page.getByRole('region', { name: 'Import problems' })).toContainText('bomb.zip');

		await page.goto('/');
		await expect(
			page.getByRole('listitem').filter({ hasText: 'Photos and reviews' })
		).toContainText('17 items');
		await page.goto(`/project/tasks?id=${projectId}`);
		await expect(page.getByRole('heading', { name: 'Image class' })).toBeVisible();
		await expect(page.getByRole('heading', { name: 'label', exact: true })).toBeVisible();
	});

	test('the size limit is a setting', async ({ page }) => {
		await page.goto('/settings');
		await page.getByLabel('Largest file (MiB)').fill('1');
		await page.getByRole('button', { name: 'Save settings' }).click();
		await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
		await createProject(page, 'Limits');
		await page
			.getByRole('navigation', { name: 'Project' })
			.getByRole('link', { name: 'Import' })
			.click();
		await page.getByLabel('Choose files').setInputFiles([
			{ name: 'huge.txt', mimeType: 'text/plain', buffer: Buffer.alloc(1.5 * 1024 * 1024, 'a') },
			{ name: 'small.txt', mimeType: 'text/plain', buffer: Buffer.from('small') }
		]);
		await page.getByRole('button', { name: 'Start import' }).click();
		await expect(page.getByRole('heading', { name: 'Import finished' })).toBeVisible();
		await expect(page.getByRole('region', { name: 'Import problems' })).toContainText(
			'over the 1 MiB limit'
		);
		await expect(page.getByTestId('count-imported')).toHaveText('1');
	});
});

test('a long import shows progress with an ETA, can be cancelled, and keeps what it stored', async ({
	page
}) => {
	await createProject(page, 'Cancel me');
	await page
		.getByRole('navigation', { name: 'Project' })
		.getByRole('link', { name: 'Import' })
		.click();
	const lines = Array.from(
		{ length: 60_000 },
		(_, i) => `sentence number ${i} about ${i % 97} things`
	);
	await page.getByLabel('Choose files').setInputFiles([
		{ name: 'a.txt', mimeType: 'text/plain', buffer: Buffer.from(lines.join('\n')) },
		{
			name: 'b.txt',
			mimeType: 'text/plain',
			buffer: Buffer.from(lines.map((l) => l + ' again').join('\n'))
		}
	]);
	await page.getByLabel('One item per line').check();
	await page.getByRole('button', { name: 'Start import' }).click();
	const bar = page.getByRole('progressbar', { name: 'Import progress' });
	await expect(bar).toBeVisible();
	// Let some chunks land first, then cancel mid-way.
	await expect(page.getByTestId('import-figures')).toContainText(/[1-9][\d,]*\s+items\s+·/);
	await page.keyboard.press('Tab');
	await page.getByRole('button', { name: 'Cancel import' }).click();
	await expect(page.getByRole('heading', { name: 'Import cancelled' })).toBeVisible();
	const imported = Number(
		await page
			.getByTestId('count-imported')
			.textContent()
			.then((t) => t?.replace(/\D/g, ''))
	);
	expect(imported).toBeGreaterThan(0);
	expect(imported).toBeLessThan(120_000);
	// What was stored is complete and browsable: the count matches the project's items.
	await page.goto('/');
	await expect(page.getByRole('listitem').filter({ hasText: 'Cancel me' })).toContainText(
		`${imported.toLocaleString('en-US')} items`
	);
});

test.describe('storage quota', () => {
	// The service worker's cache would share the tiny quota; this test is about IndexedDB.
	test.use({ serviceWorkers: 'block' });

	test('a full disk stops the import with a clear message and keeps what was stored', async ({
		page,
		context,
		baseURL
	}) => {
		const origin = new URL(baseURL ?? 'http://localhost').origin;
		// Chromium applies a quota override to databases opened after it: set it first.
		await page.goto('/');
		const cdp = await context.newCDPSession(page);
		await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 2_500_000 });
		// The page opened its database before the override: reload so every connection (the
		// page's and the import worker's) is opened under it.
		await page.reload();
		await createProject(page, 'Quota');
		const images = await encodeImages(
			page,
			Array.from({ length: 40 }, (_, i) => ({
				type: 'image/png' as const,
				w: 400,
				h: 400,
				hue: i * 9
			}))
		);
		// About 7 MB of images against 2.5 MB of room: the browser refuses a later chunk.
		expect(images.reduce((n, b) => n + b.length, 0)).toBeGreaterThan(5_000_000);
		await page
			.getByRole('navigation', { name: 'Project' })
			.getByRole('link', { name: 'Import' })
			.click();
		await page
			.getByLabel('Choose files')
			.setInputFiles(
				images.map((buffer, i) => ({ name: `noise-${i}.png`, mimeType: 'image/png', buffer }))
			);
		await page.getByRole('button', { name: 'Start import' }).click();
		await expect(page.getByRole('heading', { name: 'Import stopped' })).toBeVisible({
			timeout: 30_000
		});
		await expect(page.getByRole('alert')).toContainText('Storage is full');
		const imported = Number(await page.getByTestId('count-imported').textContent());
		expect(imported).toBeLessThan(40);
		await cdp.send('Storage.overrideQuotaForOrigin', { origin });
		// What was stored is whole: the project lists exactly the items the import reported.
		await page.goto('/');
		await expect(page.getByRole('listitem').filter({ hasText: 'Quota' })).toContainText(
			`${imported} ${imported === 1 ? 'item' : 'items'}`
		);
	});
});

test('files dropped on the page are staged for import', async ({ page }) => {
	await createProject(page, 'Dropped');
	await page
		.getByRole('navigation', { name: 'Project' })
		.getByRole('link', { name: 'Import' })
		.click();
	const zone = page.getByRole('group', { name: 'Drop files or folders here' });
	const transfer = await page.evaluateHandle(() => {
		const dt = new DataTransfer();
		dt.items.add(new File(['dropped text one'], 'one.txt', { type: 'text/plain' }));
		dt.items.add(new File(['dropped text two'], 'two.txt', { type: 'text/plain' }));
		return dt;
	});
	await zone.dispatchEvent('dragover', { dataTransfer: transfer });
	await zone.dispatchEvent('drop', { dataTransfer: transfer });
	await expect(page.getByRole('heading', { name: /2 files ready/ })).toBeVisible();
	await page.getByRole('button', { name: 'Start import' }).click();
	await expect(page.getByTestId('count-imported')).toHaveText('2');
});
