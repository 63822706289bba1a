import type { Page } from '@playwright/test';
import { createProject, expect, test } from './fixtures';
import {
	addTask,
	importFiles,
	importHfFixture,
	importOnnxFixture,
	png,
	promote,
	readStore
} from './setup';

// Reviewing as a person does, keyboard first: a project auto-labelled by the fixture colour
// model, then approve, reject, correct, skip, flag, undo and bulk approval on the review page,
// each found again after a reload in the annotations and the append-only review log.

test.use({ serviceWorkers: 'block' });

interface StoredAnnotation {
	itemId: number;
	taskId: string;
	status: string;
	source: string;
	reviewer: string | null;
	note?: string | null;
	value: { type: string; classIds?: string[] };
}

interface StoredEvent {
	seq: number;
	itemId: number;
	action: string;
	reviewer: string;
	before: { status: string } | null;
	after: { status: string } | null;
	undoes: number | null;
}

async function autolabel(page: Page, projectId: number, label: string): Promise<void> {
	await page.goto(`/project/autolabel?id=${projectId}`);
	await page
		.getByRole('region', { name: 'New job' })
		.getByRole('button', { name: 'Start auto-labeling' })
		.click();
	const job = page.getByRole('region', { name: 'Jobs' }).getByRole('listitem', { name: label });
	await expect(job.getByTestId('job-status')).toHaveText('Completed', { timeout: 60_000 });
}

test('review by keyboard: approve, reject, correct, skip, flag, undo twice, bulk approve; all logged', async ({
	page,
	axe
}) => {
	test.setTimeout(120_000);
	const projectId = await createProject(page, 'Swatch review');
	await addTask(page, projectId, 'Colour', 'Image classification — single label', [
		'red',
		'green',
		'blue'
	]);
	await importOnnxFixture(page, 'tiny-image-classifier');
	await promote(page, projectId, 'Colour', 'tiny-image-classifier 1.0.0');
	await importFiles(page, projectId, [
		png([255, 0, 0], 'red.png'),
		png([0, 255, 0], 'green.png'),
		png([0, 0, 255], 'blue.png'),
		png([255, 235, 0], 'amber.png'),
		png([128, 128, 128], 'grey.png'),
		png([0, 0, 0], 'black.png'),
		png([255, 0, 255], 'purple.png'),
		png([0, 255, 255], 'cyan.png')
	]);
	await autolabel(page, projectId, 'Colour · 8 items');

	// The nav has a Review tab; the page asks who reviews first.
	await page
		.getByRole('navigation', { name: 'Project' })
		.getByRole('link', { name: 'Review' })
		.click();
	await expect(page).toHaveURL(/\/project\/review\?id=\d+/);
	await page.getByLabel('Your name').fill('Ana');
	await page.getByRole('button', { name: 'Start reviewing' }).click();
	await expect(page.getByText('Reviewing as Ana')).toBeVisible();

	const queue = page.getByLabel('Queue', { exact: true });
	await expect(queue.locator('option:checked')).toHaveText('Needs review (5)');
	await expect(page.getByLabel('Task', { exact: true })).toHaveValue(/.+/);
	const stage = page.getByRole('region', { name: 'Item under review' });
	const heading = stage.getByRole('heading', { level: 2 });
	await expect(stage.getByTestId('review-position')).toHaveText('1 of 5');
	await axe(page);
	await page.screenshot({ path: '/tmp/review-shots/review-classes.png', fullPage: true });

	const decided: Record<string, string> = {};
	const names: string[] = [];
	const current = async () => (await heading.textContent())?.trim() ?? '';
	const status = page.getByTestId('review-announcement');

	// Enter approves.
	names.push(await current());
	await page.keyboard.press('Enter');
	await expect(status).toContainText(`Approved ${names[0]} · next: `);
	decided[names[0] as string] = 'approved';
	await expect(stage.getByTestId('review-position')).toHaveText('2 of 5');

	// R rejects.
	names.push(await current());
	await page.keyboard.press('r');
	await expect(status).toContainText(`Rejected ${names[1]}`);
	decided[names[1] as string] = 'rejected';

	// A digit picks the n-th class: a correction to a class the model did not give.
	names.push(await current());
	const label = (await stage.locator('.label-line').textContent())?.trim();
	const digit = label === 'green' ? '3' : '2';
	await page.keyboard.press(digit);
	await expect(status).toContainText(`Corrected ${names[2]}`);
	decided[names[2] as string] = 'corrected';

	// S skips; F flags with a note.
	names.push(await current());
	await page.keyboard.press('s');
	await expect(status).toContainText(`Skipped ${names[3]}`);
	names.push(await current());
	await page.keyboard.press('f');
	const flag = page.getByRole('dialog', { name: 'Flag item' });
	await flag.getByLabel('Note').fill('fox or dog?');
	await flag.getByRole('button', { name: 'Flag' }).click();
	await expect(status).toContainText(`Flagged ${names[4]}`);

	// Undo twice: the flag, then the skip; it goes back to the skipped item.
	await page.keyboard.press('Control+z');
	await expect(status).toContainText(`Undid the decision on ${names[4]}`);
	await expect(heading).toHaveText(names[4] as string);
	await page.keyboard.press('Control+z');
	await expect(status).toContainText(`Undid the decision on ${names[3]}`);
	await expect(heading).toHaveText(names[3] as string);

	// Stats follow each decision without a reload.
	const stats = page.getByRole('region', { name: 'Review stats' });
	await expect(stats.getByTestId('stat-approved')).toHaveText('1');
	await expect(stats.getByTestId('stat-rejected')).toHaveText('1');
	await expect(stats.getByTestId('stat-corrected')).toHaveText('1');
	await expect(stats.getByRole('progressbar', { name: 'Review progress' })).toHaveAttribute(
		'aria-valuenow',
		'60'
	);
	await expect(stats.getByRole('listitem').first()).toContainText(`Undid ${names[3]} · Ana`);

	// Bulk: every high-confidence item of the "All" queue, after a confirmation.
	await queue.selectOption('all');
	await expect(stage).toHaveAttribute('aria-busy', 'false');
	const bulk = page.getByRole('button', { name: 'Approve all high-confidence in this filter (3)' });
	await expect(bulk).toBeEnabled();
	await bulk.click();
	const confirm = page.getByRole('dialog', { name: 'Approve 3 high-confidence items?' });
	await confirm.getByRole('button', { name: 'Approve' }).click();
	await expect(confirm).toBeHidden();
	await expect(status).toContainText('Approved 3 items');
	await page.screenshot({ path: '/tmp/review-shots/review-after-bulk.png', fullPage: true });

	// After a reload, every decision is stored: the annotations and the log in order.
	await page.reload();
	await expect(page.getByText('Reviewing as Ana')).toBeVisible();
	const items = await readStore<{ id: number; name: string }>(page, 'items');
	const idOf = (name: string) => (items.find((i) => i.name === name) as { id: number }).id;
	const annotations = await readStore<StoredAnnotation>(page, 'annotations');
	const statusOf = (name: string) => annotations.find((a) => a.itemId === idOf(name));
	for (const [name, s] of Object.entries(decided)) {
		expect(statusOf(name)).toMatchObject({ status: s, source: 'human', reviewer: 'Ana' });
	}
	expect(statusOf(names[3] as string)).toMatchObject({ status: 'pending', source: 'model' });
	expect(statusOf(names[4] as string)).toMatchObject({ status: 'pending', source: 'model' });
	for (const name of ['red.png', 'green.png', 'blue.png']) {
		expect(statusOf(name)).toMatchObject({ status: 'approved', reviewer: 'Ana' });
	}
	const corrected = statusOf(names[2] as string);
	expect(corrected?.value.classIds).toHaveLength(1);

	const log = await readStore<StoredEvent>(page, 'reviewEvents');
	expect(log.map((e) => e.action)).toEqual([
		'approve',
		'reject',
		'correct',
		'skip',
		'flag',
		'undo',
		'undo',
		'approve',
		'approve',
		'approve'
	]);
	for (let i = 1; i < log.length; i++) {
		expect((log[i] as StoredEvent).seq).toBeGreaterThan((log[i - 1] as StoredEvent).seq);
	}
	expect(log[0]).toMatchObject({ before: { status: 'pending' }, after: { status: 'approved' } });
	expect(log[4]).toMatchObject({ before: { status: 'pending' }, after: { status: 'flagged' } });
	expect(log[5]).toMatchObject({
		itemId: idOf(names[4] as string),
		undoes: log[4]?.seq,
		before: { status: 'flagged' },
		after: { status: 'pending' }
	});
	expect(log[6]).toMatchObject({ itemId: idOf(names[3] as string), undoes: log[3]?.seq });
	expect(log.every((e) => e.reviewer === 'Ana')).toBe(true);

	// Recent decisions: Reopen jumps to that item.
	const recent = page.getByRole('list', { name: 'Recent decisions' });
	const rejectedRow = recent
		.getByRole('listitem')
		.filter({ hasText: `Rejected ${names[1]} · Ana` });
	await rejectedRow.getByRole('button', { name: 'Reopen' }).click();
	await expect(heading).toHaveText(names[1] as string);
	await expect(stage.getByTestId('annotation-status')).toHaveText('rejected · Ana');

	// Shortcuts: ? opens the cheat sheet.
	await stage.focus();
	await page.keyboard.press('?');
	await expect(page.getByRole('dialog').filter({ hasText: 'Approve' }).first()).toBeVisible();
	await page.keyboard.press('Escape');
	await axe(page);

	// A second reviewer gives blind second opinions: Ana's decision stays hidden and stays put.
	await page.goto('/settings');
	await page.getByLabel('Reviewer name').fill('Bo');
	await page.getByRole('button', { name: 'Use this name' }).click();
	await page.goto(`/project/review?id=${projectId}`);
	await expect(page.getByText('Reviewing as Bo')).toBeVisible();
	await page.getByRole('switch', { name: 'Second opinion' }).check();
	await expect(stage).toHaveAttribute('aria-busy', 'false');
	await expect(heading).toHaveText(/\.png$/);
	const blindName = (await heading.textContent()) ?? '';
	await expect(stage.getByTestId('annotation-status')).toHaveCount(0);
	await stage.focus();
	await page.keyboard.press('r');
	await expect(page.getByTestId('review-announcement')).toContainText(`Rejected ${blindName}`);
	const afterBlind = await readStore<StoredEvent & { secondOpinion: boolean }>(
		page,
		'reviewEvents'
	);
	expect(afterBlind.at(-1)).toMatchObject({
		reviewer: 'Bo',
		action: 'reject',
		secondOpinion: true,
		itemId: idOf(blindName)
	});
	const kept = (await readStore<StoredAnnotation>(page, 'annotations')).find(
		(a) => a.itemId === idOf(blindName)
	);
	expect(kept?.reviewer).toBe('Ana');
});

test('boxes and spans: drawn and removed by keyboard in the editors, approved as corrections', async ({
	page,
	axe
}) => {
	test.setTimeout(120_000);
	const projectId = await createProject(page, 'Marks review');
	await addTask(page, projectId, 'Objects', 'Object detection (boxes)', ['car', 'person']);
	await addTask(page, projectId, 'Entities', 'Named entities (spans)', ['PER', 'LOC']);
	await importOnnxFixture(page, 'tiny-detector');
	await importHfFixture(page, 'tiny-ner');
	await promote(page, projectId, 'Objects', 'tiny-detector 1.0.0');
	await promote(page, projectId, 'Entities', 'tiny-ner 1.0.0');
	await importFiles(page, projectId, [
		png([128, 128, 128], 'grey.png'),
		{
			name: 'alice.txt',
			mimeType: 'text/plain',
			buffer: Buffer.from('Alice visited Paris with Bob.')
		}
	]);
	await autolabel(page, projectId, 'Objects + Entities · 2 items');
	const projects = await readStore<{
		id: number;
		tasks: { id: string; name: string; classes: { id: string; name: string }[] }[];
	}>(page, 'projects');
	const tasks = projects.find((p) => p.id === projectId)?.tasks ?? [];
	const objects = tasks.find((t) => t.name === 'Objects');
	const person = objects?.classes.find((c) => c.name === 'person')?.id;

	await page.goto(`/project/review?id=${projectId}`);
	await page.getByLabel('Your name').fill('Bo');
	await page.getByRole('button', { name: 'Start reviewing' }).click();
	const stage = page.getByRole('region', { name: 'Item under review' });
	await page.getByLabel('Task', { exact: true }).selectOption({ label: 'Objects' });
	await page.getByLabel('Queue', { exact: true }).selectOption('all');
	await expect(stage).toHaveAttribute('aria-busy', 'false');
	await expect(stage.getByRole('heading', { level: 2 })).toHaveText('grey.png');

	// N draws a box, an arrow moves it, 2 makes it a person; Enter approves the draft.
	const editor = stage.getByRole('application', { name: 'Box editor' });
	await editor.focus();
	await page.keyboard.press('n');
	await page.keyboard.press('ArrowRight');
	await page.keyboard.press('2');
	// Alt+→ widens it by a pixel; [ selects the model's person box, Delete removes it.
	await page.keyboard.press('Alt+ArrowRight');
	await page.keyboard.press('BracketLeft');
	await page.keyboard.press('Delete');
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('review-announcement')).toContainText('Corrected grey.png');
	let annotations = await readStore<{
		taskId: string;
		status: string;
		value: {
			boxes?: {
				classId: string;
				score: number | null;
				x: number;
				y: number;
				w: number;
				h: number;
			}[];
			spans?: { classId: string; start: number; end: number }[];
		};
	}>(page, 'annotations');
	const boxes = annotations.find((a) => a.taskId === objects?.id);
	expect(boxes?.status).toBe('corrected');
	const car = objects?.classes.find((c) => c.name === 'car')?.id;
	expect(boxes?.value.boxes?.map((b) => [b.classId, b.score === null])).toEqual([
		[car, false],
		[person, true]
	]);
	expect(boxes?.value.boxes?.[1]).toMatchObject({ x: 13, y: 12, w: 9, h: 8 });

	// Spans: Enter on a word adds a span; one of the model's is removed; Approve stores both.
	await page.getByLabel('Task', { exact: true }).selectOption({ label: 'Entities' });
	await page.getByLabel('Queue', { exact: true }).selectOption('all');
	await expect(stage).toHaveAttribute('aria-busy', 'false');
	await expect(stage.getByRole('heading', { level: 2 })).toHaveText('alice.txt');
	const spans = stage.getByRole('application', { name: 'Span editor' });
	await spans.focus();
	await page.keyboard.press('Home');
	await page.keyboard.press('ArrowRight');
	await page.keyboard.press('Enter');
	// The new span is selected: 2 makes it a LOC.
	await page.keyboard.press('2');
	await expect(stage.getByRole('list', { name: 'Spans' })).toContainText('LOC “visited”');
	await stage.getByRole('button', { name: /^Remove .*Paris/ }).click();
	await page.getByRole('button', { name: 'Approve', exact: true }).click();
	await expect(page.getByTestId('review-announcement')).toContainText('Corrected alice.txt');
	annotations = await readStore(page, 'annotations');
	const entities = tasks.find((t) => t.name === 'Entities');
	const spanLabel = annotations.find((a) => a.taskId === entities?.id);
	expect(spanLabel?.status).toBe('corrected');
	expect(spanLabel?.value.spans?.map((s) => [s.start, s.end])).toEqual([
		[0, 5],
		[6, 13],
		[25, 28]
	]);
	const classOf = (name: string) => entities?.classes.find((c) => c.name === name)?.id;
	expect(spanLabel?.value.spans?.map((s) => s.classId)).toEqual([
		classOf('PER'),
		classOf('LOC'),
		classOf('PER')
	]);
	await axe(page);

	// A relations task: two spans by keyboard, a relation between them from the form.
	await addTask(page, projectId, 'Links', 'Relations between spans', ['visited']);
	await page.goto(`/project/review?id=${projectId}`);
	await page.getByLabel('Task', { exact: true }).selectOption({ label: 'Links' });
	await expect(stage).toHaveAttribute('aria-busy', 'false');
	await expect(stage.getByRole('heading', { level: 2 })).toHaveText('alice.txt');
	const links = stage.getByRole('application', { name: 'Span editor' });
	await links.focus();
	await page.keyboard.press('Home');
	await page.keyboard.press('Enter');
	await page.keyboard.press('ArrowRight');
	await page.keyboard.press('ArrowRight');
	await page.keyboard.press('2');
	await page.keyboard.press('BracketLeft');
	const form = stage.getByRole('form', { name: 'Add relation' });
	await form.getByLabel('From').selectOption({ index: 0 });
	await form.getByLabel('Relation').selectOption({ label: 'visited' });
	await form.getByLabel('To').selectOption({ index: 1 });
	await form.getByRole('button', { name: 'Add relation' }).click();
	await expect(stage.getByRole('list', { name: 'Relations' })).toContainText(
		'Alice —visited→ Paris'
	);
	await page.getByRole('button', { name: 'Approve', exact: true }).click();
	await expect(page.getByTestId('review-announcement')).toContainText('alice.txt');
	const stored = await readStore<{
		taskId: string;
		status: string;
		value: {
			spans: { id: string; classId: string }[];
			relations: { head: string; tail: string }[];
		};
	}>(page, 'annotations');
	const linksTask = (
		await readStore<{
			id: number;
			tasks: { id: string; name: string; classes: { id: string }[] }[];
		}>(page, 'projects')
	)
		.find((p) => p.id === projectId)
		?.tasks.find((t) => t.name === 'Links');
	const relation = stored.find((a) => a.taskId === linksTask?.id);
	expect(relation?.value.spans.map((s) => s.classId)).toEqual([classOf('PER'), classOf('LOC')]);
	expect(relation?.value.relations).toEqual([
		{
			head: relation?.value.spans[0]?.id,
			tail: relation?.value.spans[1]?.id,
			classId: linksTask?.classes[0]?.id
		}
	]);
	await axe(page);
});

test('multi-label by keyboard: toggle classes, copy the previous label, search the class list', async ({
	page,
	axe
}) => {
	const projectId = await createProject(page, 'Topics');
	await addTask(page, projectId, 'Topics', 'Text classification — multi-label', [
		'sports',
		'politics',
		'tech'
	]);
	await importFiles(page, projectId, [
		{ name: 'a.txt', mimeType: 'text/plain', buffer: Buffer.from('The match went to extra time.') },
		{ name: 'b.txt', mimeType: 'text/plain', buffer: Buffer.from('The final was replayed.') },
		{ name: 'c.txt', mimeType: 'text/plain', buffer: Buffer.from('Parliament passed the bill.') }
	]);
	await page.goto(`/project/review?id=${projectId}`);
	await page.getByLabel('Your name').fill('Cy');
	await page.getByRole('button', { name: 'Start reviewing' }).click();
	const stage = page.getByRole('region', { name: 'Item under review' });
	const heading = stage.getByRole('heading', { level: 2 });
	// No model has seen these texts: all three need review, in id order.
	await expect(page.getByLabel('Queue', { exact: true })).toContainText('Needs review (3)');
	await expect(heading).toHaveText('a.txt');
	await stage.focus();

	// 1 and 3 toggle sports and tech, 3 again untoggles tech, 3 once more; Enter approves.
	for (const key of ['1', '3', '3', '3']) await page.keyboard.press(key);
	await page.keyboard.press('Enter');
	await expect(heading).toHaveText('b.txt');
	// C copies a.txt's label onto b.txt.
	await page.keyboard.press('c');
	await expect(heading).toHaveText('c.txt');
	// / opens the class search; typing narrows it; Enter picks politics; Enter approves.
	await page.keyboard.press('/');
	const search = page.getByRole('combobox', { name: 'Search classes' });
	await expect(search).toBeFocused();
	await page.keyboard.type('pol');
	await page.keyboard.press('Enter');
	await stage.focus();
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('review-announcement')).toContainText('c.txt');

	const projects = await readStore<{
		id: number;
		tasks: { classes: { id: string; name: string }[] }[];
	}>(page, 'projects');
	const classes = projects.find((p) => p.id === projectId)?.tasks[0]?.classes ?? [];
	const id = (name: string) => classes.find((c) => c.name === name)?.id;
	const items = await readStore<{ id: number; name: string }>(page, 'items');
	const annotations = await readStore<StoredAnnotation>(page, 'annotations');
	const labelOf = (name: string) =>
		annotations.find((a) => a.itemId === items.find((i) => i.name === name)?.id);
	expect(labelOf('a.txt')).toMatchObject({ status: 'corrected', reviewer: 'Cy' });
	expect(labelOf('a.txt')?.value.classIds).toEqual([id('sports'), id('tech')]);
	expect(labelOf('b.txt')?.value.classIds).toEqual([id('sports'), id('tech')]);
	expect(labelOf('c.txt')?.value.classIds).toEqual([id('politics')]);
	await axe(page);
});
