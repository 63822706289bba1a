import type { AnnotationValue, LabelTask, Prediction, ReviewEvent } from '$lib/domain/schemas';
import { taskItemKind } from '$lib/domain/schemas';
import { DEFAULT_QUEUE_FILTER, isOpen } from '$lib/domain/review/queue';
import type { QueueCounts, QueueEntry, QueueFilter, QueueSort } from '$lib/domain/review/queue';
import {
	decide as decideRule,
	emptyValue,
	sameValue,
	stateOf
} from '$lib/domain/review/reviewActions';
import { ACTION_PAST, adjustCounts, entryAfter } from '$lib/domain/review/sessionUpdate';
import type { DecisionAction } from '$lib/domain/schemas/review';
import { mapToTask } from '$lib/domain/labeling/mapToTask';
import { originalUrl } from '$lib/services/blobUrls';
import { countItemsOfKind, loadItems } from '$lib/services/itemService';
import {
	bulkApprove,
	decideItem,
	highConfidenceOpen,
	loadQueue,
	queueHead,
	recentEvents,
	reviewItem,
	secondOpinionEntries,
	statsOf,
	undoLast,
	type ReviewItem,
	type ReviewStats
} from '$lib/services/reviewService';

/** Items fetched (record + decoded image) ahead of the current one, and kept behind it. */
const AHEAD = 3;
const AHEAD_WHILE_LOADING = 12;
const BEHIND = 2;
const RECENT = 12;
/** Entries of the default queue shown while the whole queue loads. */
const HEAD_SIZE = 50;

const isDefaultFilter = (filter: QueueFilter) =>
	(Object.keys(DEFAULT_QUEUE_FILTER) as (keyof QueueFilter)[]).every(
		(key) => filter[key] === DEFAULT_QUEUE_FILTER[key]
	);

/** One item ready to paint: its records and a decoded image's object URL. */
export interface LoadedItem {
	review: ReviewItem;
	url: string | null;
}

/**
 * Plain collections: the reactive fields are `$state.raw` and always replaced whole, and the
 * caches are private bookkeeping that nothing renders.
 */
const setOf = <T>(items: Iterable<T> = []): Set<T> => new Set(items);
const mapOf = <K, V>(entries: Iterable<readonly [K, V]> = []): Map<K, V> => new Map(entries);

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function decoded(url: string): Promise<void> {
	const img = new Image();
	img.src = url;
	// A broken image still shows (as broken); the stage says so, nothing to wait for.
	await img.decode().catch(() => undefined);
}

function statsAfter(stats: ReviewStats, before: QueueEntry, after: QueueEntry): ReviewStats {
	const next = { ...stats };
	next[before.status ?? 'pending'] -= 1;
	next[after.status ?? 'pending'] += 1;
	const decided = next.approved + next.rejected + next.corrected;
	next.progress = next.total > 0 ? decided / next.total : 0;
	return next;
}

/**
 * One reviewer's pass over a task's queue: the queue entries (kept in memory, in order),
 * the position, the current item with its draft label, prefetching, decisions, undo, bulk
 * approval, stats and the recent decisions. The queue is loaded again only when the task,
 * filter, sort or mode changes; a decision updates its entry in place, so the position stays.
 *
 * Example: `const s = new ReviewSession(3); await s.start(tasks, null); await s.decide('approve')`.
 */
export class ReviewSession {
	readonly projectId: number;
	tasks = $state.raw<LabelTask[]>([]);
	task = $state.raw<LabelTask | null>(null);
	filter = $state.raw<QueueFilter>(DEFAULT_QUEUE_FILTER);
	sort = $state<QueueSort>('uncertain');
	seed = $state(1);
	secondOpinion = $state(false);
	reviewer = $state('');
	/** Tasks whose item kind has items (the others cannot be reviewed). */
	tasksWithItems = $state.raw<ReadonlySet<string>>(setOf());

	entries = $state.raw<QueueEntry[]>([]);
	counts = $state.raw<QueueCounts | null>(null);
	/** Entries of the whole task, before the filter. */
	total = $state(0);
	stats = $state.raw<ReviewStats>(statsOf([]));
	loading = $state(true);
	position = $state(0);
	current = $state.raw<LoadedItem | null>(null);
	/** The label being settled on: the editor's value, or the multi-label classes toggled. */
	draft = $state.raw<AnnotationValue | null>(null);
	/** Decisions taken in this session, by item (a second opinion leaves the entry alone). */
	decided = $state.raw<ReadonlyMap<number, DecisionAction>>(mapOf());
	selection = $state.raw<ReadonlySet<number>>(setOf());
	recent = $state.raw<ReviewEvent[]>([]);
	names = $state.raw<ReadonlyMap<number, string>>(mapOf());
	/** The polite announcement of what just happened. */
	announcement = $state('');
	error = $state<string | null>(null);
	busy = $state(false);
	/** Decisions being written, in order (see `decide`). */
	private writes: Promise<unknown> = Promise.resolve();

	private index = mapOf<number, number>();
	private cache = mapOf<number, Promise<LoadedItem | null>>();
	private ready = mapOf<number, LoadedItem>();
	private token = 0;
	/** Showing the queue's head while the whole queue loads (see `reload`). */
	private partial = false;

	constructor(projectId: number) {
		this.projectId = projectId;
	}

	get currentEntry(): QueueEntry | undefined {
		return this.entries[this.position];
	}

	get highConfidence(): number[] {
		return highConfidenceOpen(this.entries);
	}

	/** Picks the task (the requested one, else the first with items) and loads its queue. */
	async start(tasks: LabelTask[], requested: string | null, reviewer: string): Promise<void> {
		this.tasks = tasks;
		this.reviewer = reviewer;
		const kinds = mapOf<string, number>();
		for (const kind of setOf(tasks.map((t) => taskItemKind[t.kind]))) {
			kinds.set(kind, await countItemsOfKind(this.projectId, kind));
		}
		this.tasksWithItems = setOf(
			tasks.filter((t) => (kinds.get(taskItemKind[t.kind]) ?? 0) > 0).map((t) => t.id)
		);
		const task =
			tasks.find((t) => t.id === requested) ??
			tasks.find((t) => this.tasksWithItems.has(t.id)) ??
			tasks[0] ??
			null;
		this.task = task;
		void this.refreshRecent();
		await this.reload();
	}

	/** The project changed (renamed classes, a new task): keep the task object current. */
	updateTasks(tasks: LabelTask[]): void {
		this.tasks = tasks;
		const task = tasks.find((t) => t.id === this.task?.id);
		if (task && task !== this.task) this.task = task;
	}

	async setTask(taskId: string): Promise<void> {
		this.task = this.tasks.find((t) => t.id === taskId) ?? null;
		await this.reload();
	}

	async setFilter(patch: Partial<QueueFilter>): Promise<void> {
		this.filter = { ...this.filter, ...patch };
		await this.reload();
	}

	async setSort(sort: QueueSort): Promise<void> {
		this.sort = sort;
		await this.reload();
	}

	async reshuffle(): Promise<void> {
		this.seed = (Math.floor(Math.random() * 999_983) % 999_983) + 1;
		this.sort = 'random';
		await this.reload();
	}

	async setSecondOpinion(on: boolean): Promise<void> {
		this.secondOpinion = on;
		await this.reload();
	}

	/** Loads the queue for the task, filter, sort and mode; keeps `keep` current if it is in it. */
	async reload(keep?: number): Promise<void> {
		const task = this.task;
		const token = ++this.token;
		this.cache.clear();
		this.ready.clear();
		if (!task) {
			this.entries = [];
			this.current = null;
			this.loading = false;
			return;
		}
		this.loading = true;
		this.error = null;
		try {
			let entries: QueueEntry[];
			if (this.secondOpinion) {
				const queue = await loadQueue(
					this.projectId,
					task.id,
					{ ...DEFAULT_QUEUE_FILTER, view: 'all' },
					this.sort,
					this.seed
				);
				entries = await secondOpinionEntries(this.projectId, task.id, this.reviewer, queue.entries);
				this.counts = queue.counts;
				this.total = queue.total;
			} else {
				// The default queue opens on its first entries, read in score order; the whole queue
				// (100,000 items take seconds) loads after them, not beside them, so IndexedDB
				// answers the head first.
				if (keep === undefined && this.sort === 'uncertain' && isDefaultFilter(this.filter)) {
					const head = await queueHead(this.projectId, task.id, HEAD_SIZE).catch(() => null);
					if (token !== this.token) return;
					if (head && head.length > 0) this.showHead(head);
				}
				const queue = await loadQueue(this.projectId, task.id, this.filter, this.sort, this.seed);
				if (token !== this.token) return;
				if (this.partial) return this.mergeFull(queue);
				entries = queue.entries;
				this.counts = queue.counts;
				this.total = queue.total;
			}
			if (token !== this.token) return;
			this.entries = entries;
			this.index = mapOf(entries.map((e, i) => [e.itemId, i]));
			this.stats = statsOf(entries);
			this.decided = mapOf();
			this.selection = setOf();
			this.loading = false;
			this.goTo(keep === undefined ? 0 : (this.index.get(keep) ?? 0));
		} catch (e) {
			if (token !== this.token) return;
			this.error = message(e);
			this.loading = false;
		}
	}

	/** The queue's first entries, shown before the whole queue has loaded. */
	private showHead(head: QueueEntry[]): void {
		this.partial = true;
		this.entries = head;
		this.index = mapOf(head.map((e, i) => [e.itemId, i]));
		this.stats = statsOf(head);
		this.decided = mapOf();
		this.selection = setOf();
		this.loading = false;
		this.goTo(0);
	}

	/**
	 * The whole queue arrived after its head: entries decided meanwhile keep their new state
	 * (the full read may predate them), the counts follow, and the item on screen stays.
	 */
	private mergeFull(queue: Awaited<ReturnType<typeof loadQueue>>): void {
		this.partial = false;
		const changed = mapOf<number, QueueEntry>();
		for (const itemId of this.decided.keys()) {
			const at = this.index.get(itemId);
			if (at !== undefined) changed.set(itemId, this.entries[at] as QueueEntry);
		}
		let counts = queue.counts;
		const entries = queue.entries.map((e) => {
			const now = changed.get(e.itemId);
			if (!now) return e;
			counts = adjustCounts(counts, e, now);
			return now;
		});
		const here = this.currentEntry?.itemId;
		this.entries = entries;
		this.index = mapOf(entries.map((e, i) => [e.itemId, i]));
		this.counts = counts;
		this.total = queue.total;
		this.stats = statsOf(entries);
		const at = here === undefined ? undefined : this.index.get(here);
		if (at === undefined) this.goTo(0);
		else {
			// Same item on screen: keep it (and any edit in progress), only the position moves.
			this.position = at;
			this.prefetch();
		}
	}

	/** Moves to an entry; paints at once when it was prefetched. */
	goTo(position: number): void {
		if (this.entries.length === 0) {
			this.position = 0;
			this.current = null;
			this.draft = null;
			return;
		}
		const at = Math.max(0, Math.min(this.entries.length - 1, position));
		this.position = at;
		const id = (this.entries[at] as QueueEntry).itemId;
		const ready = this.ready.get(id);
		if (ready) this.show(ready);
		else {
			this.current = null;
			void this.fetch(id).then((loaded) => {
				if (loaded && this.currentEntry?.itemId === id) this.show(loaded);
			});
		}
		this.prefetch();
	}

	step(by: number): void {
		this.goTo(this.position + by);
	}

	/** Jumps to an item of the queue, or (another task's, or filtered out) reloads to show it. */
	async reopen(itemId: number, taskId: string): Promise<void> {
		if (taskId === this.task?.id && this.index.has(itemId)) {
			this.goTo(this.index.get(itemId) as number);
			return;
		}
		this.task = this.tasks.find((t) => t.id === taskId) ?? this.task;
		this.secondOpinion = false;
		this.filter = { ...DEFAULT_QUEUE_FILTER, view: 'all' };
		await this.reload(itemId);
	}

	private show(loaded: LoadedItem): void {
		this.current = loaded;
		this.draft = this.startingValue(loaded.review);
		// The shared URL cache may have revoked an old URL: ask again (a hit returns the same).
		const item = loaded.review.item;
		if (item.kind === 'image') {
			void originalUrl(item.sha256).then((url) => {
				if (url && url !== loaded.url && this.current === loaded) {
					loaded.url = url;
					this.current = { ...loaded };
				}
			});
		}
	}

	/** The draft an item starts with: its label, or blind (second opinion) the model's. */
	private startingValue(review: ReviewItem): AnnotationValue | null {
		const task = this.task;
		if (!task) return null;
		if (!this.secondOpinion && review.annotation) return review.annotation.value;
		const output = review.prediction?.output;
		if (output) {
			const mapped = mapToTask(output as Prediction, task);
			if (mapped.ok) return mapped.value;
		}
		return emptyValue(task);
	}

	private fetch(itemId: number): Promise<LoadedItem | null> {
		const task = this.task;
		if (!task) return Promise.resolve(null);
		let pending = this.cache.get(itemId);
		if (!pending) {
			pending = (async () => {
				const review = await reviewItem(itemId, task.id);
				if (!review) return null;
				let url: string | null = null;
				if (review.item.kind === 'image') {
					url = await originalUrl(review.item.sha256);
					if (url) await decoded(url);
				}
				const loaded = { review, url };
				if (this.cache.get(itemId) === pending) this.ready.set(itemId, loaded);
				return loaded;
			})();
			pending.catch(() => this.cache.delete(itemId));
			this.cache.set(itemId, pending);
		}
		return pending;
	}

	/** Fetches the next few items and forgets those far behind (the URL cache holds 8). */
	private prefetch(): void {
		const from = Math.max(0, this.position - BEHIND);
		// While the whole queue loads, IndexedDB is busy with it: fetch further ahead meanwhile.
		const ahead = this.partial ? AHEAD_WHILE_LOADING : AHEAD;
		const to = Math.min(this.entries.length - 1, this.position + ahead);
		const keep = setOf<number>();
		for (let i = from; i <= to; i++) keep.add((this.entries[i] as QueueEntry).itemId);
		for (const id of [...this.cache.keys()]) {
			if (!keep.has(id)) {
				this.cache.delete(id);
				this.ready.delete(id);
			}
		}
		for (let i = this.position + 1; i <= to; i++) {
			void this.fetch((this.entries[i] as QueueEntry).itemId).catch(() => undefined);
		}
		if (this.position > 0) {
			void this.fetch((this.entries[this.position - 1] as QueueEntry).itemId).catch(
				() => undefined
			);
		}
	}

	nameOf(itemId: number): string {
		return this.ready.get(itemId)?.review.item.name ?? this.names.get(itemId) ?? `item ${itemId}`;
	}

	/** Loads item names (for the queue list and the log) not known yet. */
	async ensureNames(ids: readonly number[]): Promise<void> {
		const missing = ids.filter((id) => !this.names.has(id));
		if (missing.length === 0) return;
		const items = await loadItems(missing);
		const names = mapOf(this.names);
		for (const [id, item] of items) names.set(id, item.name);
		this.names = names;
	}

	async refreshRecent(): Promise<void> {
		const events = await recentEvents(this.projectId, RECENT);
		await this.ensureNames(events.map((e) => e.itemId));
		this.recent = events;
	}

	/** Replaces one entry after its annotation changed: stats and counts by difference. */
	private apply(itemId: number, after: QueueEntry): void {
		const at = this.index.get(itemId);
		if (at === undefined) return;
		const before = this.entries[at] as QueueEntry;
		const entries = this.entries.slice();
		entries[at] = after;
		this.entries = entries;
		this.stats = statsAfter(this.stats, before, after);
		if (this.counts) this.counts = adjustCounts(this.counts, before, after);
	}

	private markDecided(itemId: number, action: DecisionAction | null): void {
		const decided = mapOf(this.decided);
		if (action) decided.set(itemId, action);
		else decided.delete(itemId);
		this.decided = decided;
	}

	/**
	 * Decides the current item and moves on. `approve` with a changed value is stored as a
	 * correction. Errors (nothing to approve) are announced and leave the position alone.
	 */
	async decide(
		action: DecisionAction,
		options: { value?: AnnotationValue; note?: string } = {}
	): Promise<boolean> {
		const entry = this.currentEntry;
		const task = this.task;
		const reviewer = this.reviewer;
		// While an undo runs, decisions wait for the reviewer to see where it landed; while the
		// queue reloads (another filter, mode or task), the item on screen is on its way out.
		if (!entry || !task || !reviewer || this.busy) return false;
		if (this.loading) {
			this.announcement = 'The queue is loading; decide once it shows.';
			return false;
		}
		const name = this.nameOf(entry.itemId);
		const shown = this.ready.get(entry.itemId);
		// The rules are checked before moving on, so a refused decision keeps its item on screen.
		if (shown) {
			try {
				decideRule(stateOf(shown.review.annotation), task, {
					action,
					reviewer,
					value: options.value,
					note: options.note ?? null
				});
			} catch (e) {
				this.announcement = message(e);
				return false;
			}
		}
		// The next item is painted at once; the writes go one after another behind it, so a
		// reviewer holding Enter never waits on IndexedDB and no key press is dropped.
		const last = this.position >= this.entries.length - 1;
		if (!last) this.step(1);
		const secondOpinion = this.secondOpinion;
		const write = this.writes.then(() =>
			decideItem({
				projectId: this.projectId,
				itemId: entry.itemId,
				taskId: task.id,
				reviewer,
				action,
				value: options.value,
				note: options.note ?? null,
				secondOpinion
			})
		);
		this.writes = write.catch(() => undefined);
		try {
			const result = await write;
			const done = result.event.action as DecisionAction;
			if (!secondOpinion) {
				this.apply(entry.itemId, entryAfter(entry, result.annotation));
				const loaded = this.ready.get(entry.itemId);
				if (loaded) loaded.review = { ...loaded.review, annotation: result.annotation };
			}
			this.markDecided(entry.itemId, done);
			const now = this.currentEntry;
			const next = last || !now || now.itemId === entry.itemId ? null : this.nameOf(now.itemId);
			this.announcement = `${ACTION_PAST[done]} ${name} · ${next ? `next: ${next}` : 'end of the queue'}`;
			void this.refreshRecent();
			return true;
		} catch (e) {
			this.announcement = `${name}: ${message(e)}`;
			return false;
		}
	}

	/**
	 * Approve: the draft when it differs from the label (stored as a correction), else the
	 * label as it is. A multi-label draft on an unlabelled item is a correction too.
	 */
	async approve(): Promise<boolean> {
		const label = this.current?.review.annotation?.value;
		const draft = this.draft;
		if (!draft || (label && sameValue(label, draft))) return this.decide('approve');
		if (draft.type === 'classes') {
			if (draft.classIds.length === 0 && !label) return this.decide('approve');
			return this.decide(label ? 'approve' : 'correct', { value: draft });
		}
		return this.decide('approve', { value: draft });
	}

	/** Sets the draft (the editor's value). */
	edit(value: AnnotationValue): void {
		this.draft = value;
	}

	/**
	 * A class key: single-label decides (approve when it is the label, else correct);
	 * multi-label toggles the class in the draft; boxes and spans leave it to the editor.
	 */
	async pickClass(classId: string): Promise<void> {
		const task = this.task;
		if (!task || !this.current) return;
		const name = task.classes.find((c) => c.id === classId)?.name ?? classId;
		if (task.kind === 'image-classification' || task.kind === 'text-classification') {
			if (task.multiLabel) {
				const ids = this.draft?.type === 'classes' ? this.draft.classIds : [];
				const on = !ids.includes(classId);
				this.draft = {
					type: 'classes',
					classIds: on ? [...ids, classId] : ids.filter((id) => id !== classId)
				};
				this.announcement = `${name} ${on ? 'added' : 'removed'}; Enter approves`;
				return;
			}
			const label = this.current.review.annotation?.value;
			const same = label?.type === 'classes' && label.classIds.join() === classId;
			await (same
				? this.decide('approve')
				: this.decide('correct', { value: { type: 'classes', classIds: [classId] } }));
		}
	}

	/** The previous entry's label (queue order) becomes this item's correction. */
	async copyPrevious(): Promise<void> {
		if (this.position === 0) {
			this.announcement = 'There is no previous item to copy from.';
			return;
		}
		const previous = this.entries[this.position - 1] as QueueEntry;
		// The previous decision may still be on its way to storage: copy what it settled on.
		await this.writes;
		const loaded = await this.fetch(previous.itemId);
		const value = loaded?.review.annotation?.value;
		if (!value) {
			this.announcement = `${this.nameOf(previous.itemId)} has no label to copy.`;
			return;
		}
		await this.decide('correct', { value });
	}

	/** Undoes this reviewer's latest decision and moves back to that item. */
	async undo(): Promise<void> {
		if (this.busy || !this.reviewer) return;
		this.busy = true;
		try {
			// Decisions still being written come first: undo reverts the latest one.
			await this.writes;
			const result = await undoLast(this.projectId, this.reviewer);
			if (!result) {
				this.announcement = 'Nothing to undo.';
				return;
			}
			const { itemId, taskId } = result.event;
			await this.ensureNames([itemId]);
			const at = this.index.get(itemId);
			const here = taskId === this.task?.id && at !== undefined;
			if (here) {
				if (!result.event.secondOpinion) {
					this.apply(itemId, entryAfter(this.entries[at] as QueueEntry, result.annotation));
					const loaded = this.ready.get(itemId);
					if (loaded) loaded.review = { ...loaded.review, annotation: result.annotation };
					else this.cache.delete(itemId);
				}
				this.markDecided(itemId, null);
				this.goTo(at);
			}
			this.announcement = `Undid the decision on ${this.nameOf(itemId)}${here ? '' : ' (not in this queue)'}`;
			void this.refreshRecent();
		} catch (e) {
			this.announcement = message(e);
		} finally {
			this.busy = false;
		}
	}

	toggleSelected(itemId: number): void {
		const selection = setOf(this.selection);
		if (selection.has(itemId)) selection.delete(itemId);
		else selection.add(itemId);
		this.selection = selection;
	}

	clearSelection(): void {
		this.selection = setOf();
	}

	/** Approves the given items' labels; entries are updated in place (no reload). */
	async approveMany(ids: readonly number[]): Promise<number> {
		const task = this.task;
		if (!task || ids.length === 0 || !this.reviewer) return 0;
		const count = await bulkApprove(this.projectId, task.id, ids, this.reviewer);
		const wanted = setOf(ids);
		const entries = this.entries.slice();
		let stats = this.stats;
		let counts = this.counts;
		const decided = mapOf(this.decided);
		entries.forEach((entry, i) => {
			if (!wanted.has(entry.itemId) || entry.status === null || !isOpen(entry)) return;
			const after: QueueEntry = { ...entry, status: 'approved', reviewer: this.reviewer };
			entries[i] = after;
			stats = statsAfter(stats, entry, after);
			if (counts) counts = adjustCounts(counts, entry, after);
			decided.set(entry.itemId, 'approve');
			const loaded = this.ready.get(entry.itemId);
			if (loaded) this.cache.delete(entry.itemId);
			this.ready.delete(entry.itemId);
		});
		this.entries = entries;
		this.stats = stats;
		this.counts = counts;
		this.decided = decided;
		this.selection = setOf();
		this.announcement = `Approved ${count.toLocaleString()} ${count === 1 ? 'item' : 'items'}`;
		this.goTo(this.position);
		void this.refreshRecent();
		return count;
	}
}
