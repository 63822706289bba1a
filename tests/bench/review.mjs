// The review workspace benchmark (`--only=review`, issue 5): opens the real review page on a
// project of 100,000 texts, approves 500 items in a row at a fast reviewer's pace, then holds
// Enter, and checks what the page stored. See tests/bench/README.md for the figures.
//
// The page reports its own paints with User Timing marks:
// - `review-queue-ready`: the first item of a freshly opened queue is painted;
// - `review-item-painted` { detail: { itemId } }: a new item is painted (after a double rAF).
// Keypresses are real input (Playwright → CDP Input.dispatchKeyEvent); their time is the
// keydown event's `timeStamp`, read by a capturing listener on the page.

/** The reviewer name the seed stores in the settings, so the page does not ask for one. */
export const REVIEWER = 'bench';
/** Approvals before the measured ones (code caches, first decisions), not measured. */
const WARMUP_APPROVALS = 20;
/** One keypress per GAP_MS in the measured run: a fast reviewer who only glances. */
const GAP_MS = 120;
/** Keys held: auto-repeat at 30 Hz (a typical OS repeat rate) for this long. */
const HOLD_MS = 5000;
const REPEAT_MS = 1000 / 30;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Installs the measuring hooks in the review page: Enter keydowns (capture, before the page's
 * own handlers), `review-item-painted` marks and long tasks. `reset()` starts a new stretch.
 */
async function instrument(page) {
	await page.evaluate(() => {
		const state = {
			keys: [],
			paints: [],
			longTasks: [],
			measuring: false,
			longTaskSupported: PerformanceObserver.supportedEntryTypes?.includes('longtask') ?? false,
			/** A new stretch: clears keys and paints; long tasks too unless `keepLong`. */
			reset(measuring, keepLong = false) {
				state.keys.length = 0;
				state.paints.length = 0;
				if (!keepLong) state.longTasks.length = 0;
				state.measuring = measuring;
			}
		};
		addEventListener(
			'keydown',
			(e) => {
				if (e.key === 'Enter') state.keys.push({ t: e.timeStamp, repeat: e.repeat });
			},
			{ capture: true }
		);
		new PerformanceObserver((list) => {
			for (const e of list.getEntries()) {
				if (e.name === 'review-item-painted') {
					state.paints.push({ t: e.startTime, itemId: e.detail?.itemId ?? null });
				}
			}
		}).observe({ type: 'mark' });
		if (state.longTaskSupported) {
			new PerformanceObserver((list) => {
				if (!state.measuring) return;
				for (const e of list.getEntries()) {
					state.longTasks.push({ t: e.startTime, ms: e.duration });
				}
			}).observe({ type: 'longtask' });
		}
		window.__reviewBench = state;
	});
}

const read = (page) =>
	page.evaluate(() => {
		const { keys, paints, longTasks } = window.__reviewBench;
		return { keys: [...keys], paints: [...paints], longTasks: [...longTasks] };
	});

/**
 * Puts keyboard focus where a reviewer's would be: the page's stage if it marks one, else the
 * document body. Never a button, link or field, where Enter would mean something else.
 */
async function focusStage(page) {
	return page.evaluate(() => {
		const stage = document.querySelector(
			'[data-testid="review-stage"], section.stage[aria-label="Item under review"], .stage'
		);
		if (stage instanceof HTMLElement) {
			if (!stage.hasAttribute('tabindex')) stage.tabIndex = -1;
			stage.focus();
		} else if (document.activeElement instanceof HTMLElement) {
			document.activeElement.blur();
		}
		const active = document.activeElement;
		if (active && /^(BUTTON|A|INPUT|TEXTAREA|SELECT)$/.test(active.tagName)) active.blur();
		const el = document.activeElement;
		return el === document.body || !el
			? 'the document body'
			: `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[data-testid=${el.getAttribute('data-testid')}]` : el.className ? `.${String(el.className).trim().split(/\s+/).join('.')}` : ''}`;
	});
}

/** Navigates to the queue and answers the `review-queue-ready` mark's time (from navigation start). */
async function openQueue(page, url, FunctionalError) {
	await page.goto(url, { waitUntil: 'commit' });
	try {
		const handle = await page.waitForFunction(
			() => performance.getEntriesByName('review-queue-ready')[0]?.startTime ?? false,
			null,
			{ polling: 'raf', timeout: 60_000 }
		);
		return await handle.jsonValue();
	} catch (error) {
		const shown = await page
			.evaluate(() => document.body?.innerText.slice(0, 300).replace(/\s+/g, ' '))
			.catch(() => '?');
		throw new FunctionalError(
			`the review page set no 'review-queue-ready' mark within 60 s (${error.message.split('\n')[0]}); it shows: ${shown}`
		);
	}
}

/** Presses Enter `count` times, one every GAP_MS (on a fixed schedule, not after each paint). */
async function pacedApprovals(page, count) {
	const start = Date.now();
	for (let k = 0; k < count; k++) {
		await sleep(start + k * GAP_MS - Date.now());
		await page.keyboard.press('Enter');
	}
}

/**
 * Keypress → next item painted, as the reviewer sees it: from each Enter keydown to the first
 * paint after it of an item other than the one on screen when the key went down. Paints are
 * in time order; `shownBefore` is the item on screen when the stretch began.
 */
function latencies(keys, paints, shownBefore) {
	const values = [];
	let missing = 0;
	for (const key of keys) {
		const before = paints.findLast((p) => p.t <= key.t);
		const shown = before ? before.itemId : shownBefore;
		const next = paints.find((p) => p.t > key.t && p.itemId !== shown);
		if (next) values.push(next.t - key.t);
		else missing += 1;
	}
	return { values, missing };
}

export async function measureReview({
	page,
	base,
	call,
	harness,
	n,
	approvals,
	record,
	notes,
	FunctionalError,
	median,
	percentile,
	profile = false
}) {
	console.log(
		`\nreview workspace (${n} texts, ~40 % need review; ${approvals} approvals one per ${GAP_MS} ms, then Enter held ${HOLD_MS / 1000} s at 30 Hz)`
	);
	await harness();
	const seed = await call(
		'reviewSeed',
		n,
		REVIEWER,
		WARMUP_APPROVALS + approvals + Math.ceil(HOLD_MS / REPEAT_MS) + 100
	);
	console.log(
		`  seeded ${seed.items} texts with predictions and pending model labels in ${seed.seedSeconds.toFixed(1)} s; ` +
			`${seed.needsReview} need review (the default queue: ${seed.queueLength}); loadQueue alone ${seed.loadQueueMs.toFixed(0)} ms on the harness page`
	);
	if (profile) {
		const stages = await call('reviewProfile', seed.projectId, seed.taskId);
		console.log(`  where opening the queue's storage side goes (harness page, ms):`);
		for (const [stage, ms] of Object.entries(stages)) console.log(`    ${stage}: ${ms}`);
	}
	const url = `${base}/project/review?id=${seed.projectId}&task=${encodeURIComponent(seed.taskId)}&nosw`;

	// Opening the queue: a warm-up visit, then the median of 3.
	await openQueue(page, url, FunctionalError);
	const opens = [];
	for (let i = 0; i < 3; i++) opens.push(await openQueue(page, url, FunctionalError));
	console.log(`  open queue runs: ${opens.map((ms) => ms.toFixed(0)).join(', ')} ms`);

	await instrument(page);
	if (!(await page.evaluate(() => window.__reviewBench.longTaskSupported))) {
		throw new FunctionalError("this Chromium does not report 'longtask' entries");
	}
	await sleep(1000); // let the page settle after its first paint
	const focused = await focusStage(page);
	console.log(`  keyboard focus: ${focused}`);

	// Warm-up approvals (not measured); Enter must advance the queue.
	const shownFirst = await page.evaluate(
		() => performance.getEntriesByName('review-item-painted').at(-1)?.detail?.itemId ?? null
	);
	await page.evaluate(() => window.__reviewBench.reset(false));
	await pacedApprovals(page, WARMUP_APPROVALS);
	await sleep(2000);
	const warm = await read(page);
	if (warm.keys.length !== WARMUP_APPROVALS) {
		throw new FunctionalError(
			`the page saw ${warm.keys.length} of ${WARMUP_APPROVALS} Enter keydowns (focus: ${focused})`
		);
	}
	if (warm.paints.length === 0) {
		throw new FunctionalError(
			`Enter × ${WARMUP_APPROVALS} painted no new item ('review-item-painted' marks): ` +
				`the page did not advance on Enter (focus: ${focused}), or does not mark its paints`
		);
	}

	// The measured run: `approvals` keypresses on a fixed schedule.
	const shownBefore = warm.paints.at(-1)?.itemId ?? shownFirst;
	await page.evaluate(() => window.__reviewBench.reset(true));
	const pacedStart = Date.now();
	await pacedApprovals(page, approvals);
	await sleep(2000); // the last decisions and paints land
	const paced = await read(page);
	const lat = latencies(paced.keys, paced.paints, shownBefore);
	if (paced.keys.length !== approvals || lat.values.length === 0) {
		throw new FunctionalError(
			`${approvals} paced approvals: the page saw ${paced.keys.length} Enter keydowns and painted ${paced.paints.length} new items`
		);
	}
	const sorted = [...lat.values].sort((a, b) => a - b);

	// Keys held: Enter down, auto-repeat at 30 Hz (keyboard.down on a held key sends
	// repeat: true). Each dispatch waits for the page to take the event, so a busy page slows
	// the repeat, as it would a real one's input queue.
	const pacedLongTasks = paced.longTasks.length;
	await page.evaluate(() => window.__reviewBench.reset(true, true));
	const holdStart = Date.now();
	let sent = 0;
	while (Date.now() - holdStart < HOLD_MS) {
		await page.keyboard.down('Enter');
		sent += 1;
		await sleep(holdStart + sent * REPEAT_MS - Date.now());
	}
	await page.keyboard.up('Enter');
	const holdEnd = Date.now();
	await sleep(2000); // decisions still in flight land (counted in the check, not the rate)
	const held = await read(page);
	await page.evaluate(() => {
		window.__reviewBench.measuring = false;
	});

	// What the page stored, read on the harness page (same origin, same database). Events are
	// assigned to a stretch by their time (`at`, the page's Date.now(), the same clock as here).
	await harness();
	const stored = await call('reviewStored', seed.projectId, seed.taskId, REVIEWER);
	const events = stored.events;
	const decisions = events.filter((e) => e.action === 'approve' && e.reviewer === REVIEWER);
	const pacedDecisions = decisions.filter((e) => e.at >= pacedStart && e.at < holdStart).length;
	const heldDecisions = decisions.filter((e) => e.at >= holdStart).length;
	const inWindow = decisions.filter((e) => e.at >= holdStart && e.at <= holdEnd).length;
	const itemIds = new Set(decisions.map((e) => e.itemId));
	const problems = [];
	if (decisions.length !== events.length)
		problems.push(
			`${events.length - decisions.length} of ${events.length} review events are not approvals by ${REVIEWER}`
		);
	if (itemIds.size !== decisions.length)
		problems.push(`${decisions.length - itemIds.size} items were approved twice`);
	if (pacedDecisions > approvals || pacedDecisions === 0)
		problems.push(`${pacedDecisions} approvals stored for ${approvals} paced keypresses`);
	if (heldDecisions > held.keys.length)
		problems.push(
			`${heldDecisions} approvals stored while Enter was held, more than the ${held.keys.length} keydowns`
		);
	// Each approval moves to the next item, which is painted (the queue is far from its end).
	if (
		Math.abs(paced.paints.length - pacedDecisions) > 1 ||
		Math.abs(held.paints.length - heldDecisions) > 1
	)
		problems.push(
			`items painted (${paced.paints.length} paced, ${held.paints.length} held) do not match approvals stored (${pacedDecisions}, ${heldDecisions})`
		);
	const approvedAnnotations = stored.annotations['human:approved'] ?? 0;
	if (approvedAnnotations !== decisions.length || stored.approvedBy.length !== decisions.length)
		problems.push(
			`${decisions.length} approval events but ${approvedAnnotations} approved annotations (${stored.approvedBy.length} by ${REVIEWER})`
		);
	const annotated = new Set(stored.approvedBy);
	const unmatched = [...itemIds].filter((id) => !annotated.has(id)).length;
	if (unmatched > 0) problems.push(`${unmatched} approved items have no approved annotation`);
	if (stored.approvedNotFlagged > 0)
		problems.push(
			`${stored.approvedNotFlagged} approved items were not in the "needs review" queue`
		);
	if (problems.length) throw new FunctionalError(`review: ${problems.join('; ')}`);
	const inOrder = decisions.every((e, k) => e.itemId === seed.queueIds[k]);
	if (!inOrder)
		notes.push(
			'review: the approvals did not follow the default queue order (needs review, most uncertain first)'
		);
	const dropped = approvals - pacedDecisions;
	if (dropped > 0)
		notes.push(
			`review: ${dropped} of ${approvals} Enter presses one per ${GAP_MS} ms approved nothing (the page was still busy with the previous item)`
		);

	const holdSeconds = (holdEnd - holdStart) / 1000;
	const longTasks = held.longTasks;
	const longest = longTasks.length ? Math.max(...longTasks.map((t) => t.ms)) : 0;
	console.log(
		`  ${approvals} Enter presses one per ${GAP_MS} ms: ${pacedDecisions} approvals stored, ${paced.paints.length} items painted; ` +
			`keypress → next item painted median ${median(sorted).toFixed(1)}, p95 ${percentile(sorted, 95).toFixed(1)}, ` +
			`p99 ${percentile(sorted, 99).toFixed(1)}, max ${sorted.at(-1).toFixed(1)} ms` +
			(lat.missing ? ` (${lat.missing} keypresses with no paint after them)` : '')
	);
	console.log(
		`  Enter held ${holdSeconds.toFixed(1)} s: ${sent} keydowns sent (${held.keys.length} seen by the page), ` +
			`${inWindow} approvals stored while held, ${heldDecisions} in all after keyup, ${held.paints.length} items painted; ` +
			`approvals in queue order: ${inOrder ? 'yes' : 'no'}`
	);
	console.log(
		`  long tasks: ${pacedLongTasks} during the ${approvals} presses, ${longTasks.length - pacedLongTasks} more while held` +
			(longTasks.length
				? `; longest ${longTasks
						.map((t) => t.ms)
						.sort((a, b) => b - a)
						.slice(0, 8)
						.map((ms) => ms.toFixed(0))
						.join(', ')}${longTasks.length > 8 ? ', …' : ''} ms`
				: '')
	);
	console.log(
		`  stored: ${decisions.length} approval events (${decisions.length - pacedDecisions - heldDecisions} in the warm-up), annotations ${JSON.stringify(stored.annotations)}`
	);

	record('review_open_queue_ms', median(opens), 'ms', { op: '<', value: 1000 });
	record('review_next_item_p50_ms', median(sorted), 'ms');
	record('review_next_item_p95_ms', percentile(sorted, 95), 'ms', { op: '<', value: 50 });
	record('review_actions_per_s', inWindow / holdSeconds, 'items/s', { op: '>=', value: 10 });
	record('review_long_tasks', longTasks.length, 'tasks');
	record('review_longest_task_ms', longest, 'ms');
}
