import type { Locator, Page } from '@playwright/test';
import { createProject, expect, test } from './fixtures';
import {
	addTask,
	corruptItemBytes,
	flipModelByte,
	importFiles,
	importHfFixture,
	importOnnxFixture,
	png,
	promote,
	readStore
} from './setup';

// Auto-labelling as a person runs it: tasks with production models (the fixture models, whose
// outputs are known), a job over images and texts, stored levels and review flags checked
// against those outputs, a corrupt item isolated, and a job that survives its tab closing.

test.use({ serviceWorkers: 'block' });

interface StoredPrediction {
	itemId: number;
	taskId: string;
	modelVersionId: string;
	jobId: number;
	score: number;
	level: string;
	needsReview: boolean;
	reviewReason: string | null;
	failed: { code: string; message: string } | null;
	backend: string | null;
	latencyMs: number;
	output:
		| { kind: 'classes'; classes: { label: string; score: number }[] }
		| { kind: 'boxes'; boxes: { label: string; score: number }[] }
		| { kind: 'spans'; spans: { label: string; start: number; end: number; score: number }[] }
		| null;
}

interface StoredAnnotation {
	itemId: number;
	taskId: string;
	source: string;
	status: string;
	value: { type: string; classIds?: string[]; spans?: { classId: string }[] };
}

const jobItem = (page: Page, label: string): Locator =>
	page.getByRole('region', { name: 'Jobs' }).getByRole('listitem', { name: label });

/** Name → id of the project's tasks and items, from what is stored. */
async function lookups(page: Page, projectId: number) {
	const projects = await readStore<{ id: number; tasks: { id: string; name: string }[] }>(
		page,
		'projects'
	);
	const tasks = new Map(
		(projects.find((p) => p.id === projectId)?.tasks ?? []).map((t) => [t.name, t.id])
	);
	const items = await readStore<{ id: number; name: string; text: string | null }>(page, 'items');
	return {
		task: (name: string) => tasks.get(name) as string,
		item: (name: string) =>
			(items.find((i) => i.name === name || i.text === name) as { id: number }).id
	};
}

function summaryValue(job: Locator, term: string): Locator {
	return job.locator('dt', { hasText: term }).locator('+ dd');
}

test('auto-label images and texts with two tasks each: levels and review flags match the models, a corrupt image fails alone', async ({
	page,
	axe
}) => {
	test.setTimeout(120_000);
	const projectId = await createProject(page, 'Mixed media');
	await addTask(page, projectId, 'Colour', 'Image classification — single label', [
		'red',
		'green',
		'blue'
	]);
	await addTask(page, projectId, 'Objects', 'Object detection (boxes)', ['car', 'person']);
	await addTask(page, projectId, 'Sentiment', 'Text classification — single label', [
		'negative',
		'positive'
	]);
	await addTask(page, projectId, 'Entities', 'Named entities (spans)', ['PER', 'LOC']);
	await importOnnxFixture(page, 'tiny-image-classifier');
	await importOnnxFixture(page, 'tiny-detector');
	await importHfFixture(page, 'tiny-sentiment');
	await importHfFixture(page, 'tiny-ner');
	await promote(page, projectId, 'Colour', 'tiny-image-classifier 1.0.0');
	await promote(page, projectId, 'Objects', 'tiny-detector 1.0.0');
	await promote(page, projectId, 'Sentiment', 'tiny-sentiment 1.0.0');
	await promote(page, projectId, 'Entities', 'tiny-ner 1.0.0');

	await importFiles(page, projectId, [
		png([255, 0, 0], 'red.png'),
		png([255, 235, 0], 'amber.png'),
		png([128, 128, 128], 'grey.png'),
		png([0, 0, 0], 'black.png'),
		png([0, 0, 255], 'broken.png')
	]);
	const texts = [
		'I love this movie, it is great!',
		'The book is on the table.',
		'Alice visited Paris with Bob.',
		'This product is bad.'
	];
	await importFiles(
		page,
		projectId,
		[{ name: 'texts.txt', mimeType: 'text/plain', buffer: Buffer.from(texts.join('\n')) }],
		true
	);
	await corruptItemBytes(page, 'broken.png');

	// Set-up: every task with a production model is ticked; the estimate covers all 9 items.
	await page.goto(`/project/autolabel?id=${projectId}`);
	const setup = page.getByRole('region', { name: 'New job' });
	await expect(setup.getByLabel('All items')).toBeChecked();
	for (const task of ['Colour', 'Objects', 'Sentiment', 'Entities']) {
		await expect(setup.getByLabel(`Label ${task}`)).toBeChecked();
	}
	await expect(setup.getByLabel('Model for Colour')).toHaveValue(/.+/);
	await expect(setup.getByLabel('Model for Colour').locator('option:checked')).toHaveText(
		'tiny-image-classifier 1.0.0 (production)'
	);
	await expect(setup.getByLabel('Threshold for Sentiment')).toHaveValue('0.8');
	await setup.getByLabel('Auto-approve high-confidence predictions').check();
	await expect(setup.getByRole('status', { name: 'Estimate' })).toContainText(/^9 items · /);
	await axe(page);
	await setup.getByRole('button', { name: 'Start auto-labeling' }).click();

	const job = jobItem(page, 'Colour + Objects + Sentiment + Entities · 9 items');
	await expect(job.getByTestId('job-status')).toHaveText('Completed', { timeout: 60_000 });
	await expect(summaryValue(job, 'Processed')).toHaveText('9');
	await expect(summaryValue(job, 'Failed')).toHaveText('2');
	await expect(job.getByRole('progressbar', { name: /^Progress of / })).toHaveAttribute(
		'aria-valuenow',
		'100'
	);
	await expect(job.getByRole('img', { name: /^Confidence histogram for Colour: / })).toBeVisible();
	await axe(page);

	const { task, item } = await lookups(page, projectId);
	const predictions = await readStore<StoredPrediction>(page, 'predictions');
	// Exactly one per item × task that applies: 5 images × 2 + 4 texts × 2.
	expect(predictions).toHaveLength(18);
	expect(new Set(predictions.map((p) => `${p.itemId}:${p.taskId}`)).size).toBe(18);
	const find = (itemName: string, taskName: string) =>
		predictions.find(
			(p) => p.itemId === item(itemName) && p.taskId === task(taskName)
		) as StoredPrediction;

	// Colour: logits are 10 × each channel's mean, so p(red) = softmax(10, 10·235/255, 0).
	const red = find('red.png', 'Colour');
	expect(red).toMatchObject({ level: 'high', needsReview: false, reviewReason: null });
	expect(red.score).toBeCloseTo(0.9999, 3);
	expect(red.backend).toMatch(/^onnxruntime-web /);
	// Chromium's PNG decode may move a channel by a level, hence 2 decimals.
	const amberScore = 1 / (1 + Math.exp(-10 * (1 - 235 / 255)) + Math.exp(-10));
	const amber = find('amber.png', 'Colour');
	expect(amber.score).toBeCloseTo(amberScore, 2);
	expect(amber).toMatchObject({
		level: 'low',
		needsReview: true,
		reviewReason: `low confidence for Colour: ${amber.score.toFixed(2)} (tiny-image-classifier 1.0.0)`
	});
	const grey = find('grey.png', 'Colour');
	expect(grey.level).toBe('uncertain');
	expect(grey.reviewReason).toContain('tie at the top for Colour');

	// Objects: the detector's golden outputs for mid-grey and black after NMS.
	const greyBoxes = find('grey.png', 'Objects');
	expect(greyBoxes.output?.kind).toBe('boxes');
	const boxes = (greyBoxes.output as { boxes: { label: string; score: number }[] }).boxes;
	expect(boxes.map((b) => b.label).sort()).toEqual(['car', 'person']);
	expect(greyBoxes.score).toBeCloseTo(0.90043, 3);
	expect(greyBoxes).toMatchObject({ level: 'medium', needsReview: false });
	const blackBoxes = find('black.png', 'Objects');
	expect(blackBoxes.score).toBeCloseTo(0.84553, 3);
	expect(blackBoxes).toMatchObject({ level: 'medium', needsReview: false });

	// The corrupt image failed for both of its tasks, with the reason; the rest went on.
	for (const taskName of ['Colour', 'Objects']) {
		const broken = find('broken.png', taskName);
		expect(broken.failed?.code).toBe('bad-input');
		expect(broken).toMatchObject({ needsReview: true, output: null, level: 'uncertain' });
		expect(broken.reviewReason).toContain(
			`failed for ${taskName}: broken.png could not be decoded`
		);
	}

	// Sentiment: the fixture's logits are ±(15 × sentiment words / tokens).
	const love = find(texts[0] as string, 'Sentiment');
	expect(love.score).toBeCloseTo(1 / (1 + Math.exp(-2 * 2.72727)), 3);
	expect(love).toMatchObject({ level: 'high', needsReview: false });
	const neutral = find(texts[1] as string, 'Sentiment');
	expect(neutral.score).toBeCloseTo(0.5, 3);
	expect(neutral).toMatchObject({ level: 'uncertain', needsReview: true });

	// Entities: Alice, Paris, Bob with their character offsets.
	const alice = find(texts[2] as string, 'Entities');
	const spans = (alice.output as { spans: { label: string; start: number; end: number }[] }).spans;
	expect(spans.map((s) => [s.label, s.start, s.end])).toEqual([
		['PER', 0, 5],
		['LOC', 14, 19],
		['PER', 25, 28]
	]);
	expect(alice).toMatchObject({ level: 'high', needsReview: false });

	// Annotations: auto-approved where no review is needed, pending where it is.
	const annotations = await readStore<StoredAnnotation>(page, 'annotations');
	const note = (itemName: string, taskName: string) =>
		annotations.find((a) => a.itemId === item(itemName) && a.taskId === task(taskName));
	expect(note('red.png', 'Colour')).toMatchObject({ source: 'model', status: 'approved' });
	expect(note('amber.png', 'Colour')).toMatchObject({ source: 'model', status: 'pending' });
	expect(note('broken.png', 'Colour')).toBeUndefined();
	expect(note(texts[2] as string, 'Entities')?.value.spans).toHaveLength(3);

	// The job links to the browser filtered to what needs review; badges show each item's level.
	await page.goto(`/project/autolabel?id=${projectId}`);
	await job.getByRole('link', { name: 'Show items that need review' }).click();
	await expect(page.getByLabel('Confidence', { exact: true })).toHaveValue('needs-review');
	await expect(page.getByLabel('Kind', { exact: true })).toHaveValue('any');
	await expect(page.getByRole('option', { name: 'broken.png, confidence: failed' })).toBeVisible();
	await expect(page.getByRole('option', { name: 'grey.png, confidence: uncertain' })).toBeVisible();
	await page.getByLabel('Confidence', { exact: true }).selectOption({ label: 'Failed' });
	await expect(page.getByRole('status').filter({ hasText: /^\d+ items?$/ })).toHaveText('1 item');
	await axe(page);
});

test('a job pauses, resumes, survives its tab closing mid-way, and a new version re-labels until cancelled', async ({
	page,
	context
}) => {
	test.setTimeout(240_000);
	const projectId = await createProject(page, 'Many reviews');
	await addTask(page, projectId, 'Sentiment', 'Text classification — single label', [
		'negative',
		'positive'
	]);
	await addTask(page, projectId, 'Entities', 'Named entities (spans)', ['PER', 'LOC']);
	await importHfFixture(page, 'tiny-sentiment');
	await importHfFixture(page, 'tiny-ner');
	await promote(page, projectId, 'Sentiment', 'tiny-sentiment 1.0.0');
	await promote(page, projectId, 'Entities', 'tiny-ner 1.0.0');
	const COUNT = 3000;
	const lines = Array.from({ length: COUNT }, (_, i) =>
		i % 3 === 0
			? `Alice visited Paris with Bob ${i} times.`
			: i % 3 === 1
				? `I love this movie ${i}, it is great!`
				: `The book ${i} is on the table.`
	);
	await importFiles(
		page,
		projectId,
		[{ name: 'reviews.txt', mimeType: 'text/plain', buffer: Buffer.from(lines.join('\n')) }],
		true
	);

	await page.goto(`/project/autolabel?id=${projectId}`);
	const setup = page.getByRole('region', { name: 'New job' });
	await expect(setup.getByRole('status', { name: 'Estimate' })).toContainText(/^3,000 items · /);
	await setup.getByRole('button', { name: 'Start auto-labeling' }).click();
	const label = 'Sentiment + Entities · 3,000 items';
	const job = jobItem(page, label);
	const processed = async () =>
		Number((await summaryValue(job, 'Processed').textContent())?.replace(/\D/g, ''));

	// Pause: the batch in flight finishes, then nothing moves.
	await expect(summaryValue(job, 'Processed')).not.toHaveText('0');
	await job.getByRole('button', { name: 'Pause' }).click();
	await expect(job.getByTestId('job-status')).toHaveText('Paused');
	const paused = await processed();
	expect(paused).toBeLessThan(COUNT);
	await page.waitForTimeout(500);
	expect(await processed()).toBe(paused);

	// Resume, then close the tab mid-way.
	await job.getByRole('button', { name: 'Resume' }).click();
	await expect(job.getByTestId('job-status')).toHaveText('Running');
	await expect.poll(processed).toBeGreaterThan(paused);
	const beforeClose = await readStore<{ type: string; status: string; cursor: number | null }>(
		page,
		'jobs'
	);
	expect(beforeClose.find((j) => j.type === 'autolabel')?.status).toBe('running');
	await page.close();

	// A new tab resumes the job from its cursor and finishes it.
	const again = await context.newPage();
	await again.goto(`/project/autolabel?id=${projectId}`);
	const resumed = jobItem(again, label);
	await expect(resumed.getByTestId('job-status')).toHaveText('Completed', { timeout: 120_000 });
	await expect(summaryValue(resumed, 'Processed')).toHaveText('3,000');
	const predictions = await readStore<StoredPrediction>(again, 'predictions');
	expect(predictions).toHaveLength(COUNT * 2);
	expect(new Set(predictions.map((p) => `${p.itemId}:${p.taskId}`)).size).toBe(COUNT * 2);

	// A second version of the sentiment model re-labels; history stays; cancel stops it.
	expect(await importHfFixture(again, 'tiny-sentiment', true)).toBe('1.1.0');
	await again.goto(`/project/autolabel?id=${projectId}`);
	const setup2 = again.getByRole('region', { name: 'New job' });
	await setup2.getByLabel('Label Entities').uncheck();
	await setup2.getByLabel('Model for Sentiment').selectOption({ label: 'tiny-sentiment 1.1.0' });
	await setup2.getByRole('button', { name: 'Start auto-labeling' }).click();
	const second = jobItem(again, 'Sentiment · 3,000 items');
	await expect(summaryValue(second, 'Processed')).not.toHaveText('0');
	await second.getByRole('button', { name: 'Cancel' }).click();
	await expect(second.getByTestId('job-status')).toHaveText('Cancelled');
	const after = await readStore<StoredPrediction>(again, 'predictions');
	const byVersion = new Map<string, number>();
	for (const p of after)
		byVersion.set(p.jobId.toString(), (byVersion.get(p.jobId.toString()) ?? 0) + 1);
	const counts = [...byVersion.values()].sort((a, b) => b - a);
	expect(counts[0]).toBe(COUNT * 2);
	expect(counts[1]).toBeGreaterThan(0);
	expect(counts[1]).toBeLessThan(COUNT);
	await expect(resumed.getByTestId('job-status')).toHaveText('Completed');
});

test('a model that cannot load stops the job with the reason; after the fix, Retry finishes it', async ({
	page
}) => {
	const projectId = await createProject(page, 'Swatches');
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
		png([0, 0, 255], 'blue.png')
	]);
	await flipModelByte(page, 'tiny-image-classifier');

	await page.goto(`/project/autolabel?id=${projectId}`);
	const setup = page.getByRole('region', { name: 'New job' });
	await expect(setup.getByRole('status', { name: 'Estimate' })).toContainText('does not match');
	await setup.getByRole('button', { name: 'Start auto-labeling' }).click();
	const job = jobItem(page, 'Colour · 3 items');
	await expect(job.getByTestId('job-status')).toHaveText('Failed');
	const alert = job.getByRole('alert');
	await expect(alert).toContainText(
		'tiny-image-classifier 1.0.0: model.onnx does not match its SHA-256'
	);
	await expect(alert).toContainText('Labels stored so far are kept');
	await expect(summaryValue(job, 'Processed')).toHaveText('0');

	// The stored bytes are put right (as re-importing would); Retry runs the job to the end.
	await flipModelByte(page, 'tiny-image-classifier');
	await job.getByRole('button', { name: 'Retry' }).click();
	await expect(job.getByTestId('job-status')).toHaveText('Completed');
	await expect(summaryValue(job, 'Processed')).toHaveText('3');
	await expect(summaryValue(job, 'High confidence')).toHaveText('3');
	await expect(job.getByRole('alert')).toHaveCount(0);
});
