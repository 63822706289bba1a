import { untrack } from 'svelte';
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { Annotation, Item, ItemKind } from '$lib/domain/schemas';
import type { ItemConfidence } from '$lib/domain/labeling/itemConfidence';
import { watchItemCount } from '$lib/services/live';
import {
	annotationsForItems,
	confidenceForItems,
	defaultKind,
	deleteItems,
	loadItems,
	watchPredictionCount
} from '$lib/services/itemService';
import { NO_FILTER, queryItemIds, type ItemFilter, type ItemSort } from '$lib/services/itemQuery';

/** How many item records (and their labels) stay cached around what is on screen. */
const RECORD_CACHE = 2000;
const SEARCH_DEBOUNCE_MS = 200;
/**
 * While an import keeps changing the item count (every write chunk), the list is requeried
 * at most this often, so the main thread is not busy re-reading ids chunk after chunk.
 */
const COUNT_REQUERY_MS = 1000;

export type ItemLayout = 'grid' | 'list';

const filterKey = (filter: ItemFilter, sort: ItemSort) => JSON.stringify([filter, sort]);

/** A read-only lookup over many ids (the reactive collections are for mutable state). */
const setOf = (ids: Iterable<number>): ReadonlySet<number> => new Set(ids);

const describe = (what: string, e: unknown) =>
	`${what}: ${e instanceof Error ? e.message : String(e)}`;

/**
 * State of one project's item browser: filter and sort, the matching ids (keys only, in
 * display order), a cached window of records for the rows on screen, the selection, the
 * active item and the item open in the detail view.
 *
 * Create it while a component initialises: it starts effects that requery when the filter,
 * the sort or the project's item count change.
 *
 * Example: `const browser = new ItemBrowser(projectId); browser.filter.kind = 'text';`
 */
export class ItemBrowser {
	readonly projectId: number;
	filter = $state<ItemFilter>({ ...NO_FILTER, kind: 'image' });
	sort = $state<ItemSort>('oldest');
	/** What the search box shows; copied into `filter.search` after a pause in typing. */
	searchText = $state('');
	/** Matching ids in display order. */
	ids = $state.raw<number[]>([]);
	/** Items in the whole project (null until counted). */
	total = $state<number | null>(null);
	/** True once the first query for the current project has answered. */
	loaded = $state(false);
	error = $state<string | null>(null);
	/** Selected item ids. */
	readonly selection = new SvelteSet<number>();
	/** Index (into `ids`) of the keyboard-active item. */
	active = $state(0);
	/** Index of the item shown in the detail view, or null. */
	openIndex = $state<number | null>(null);
	/** Cached records of the items on (and around) the screen. */
	readonly records = new SvelteMap<number, Item>();
	/** Annotations of the cached records; items without any have no entry. */
	readonly labels = new SvelteMap<number, Annotation[]>();
	/** Confidence of the cached records; items without predictions have no entry. */
	readonly confidence = new SvelteMap<number, ItemConfidence>();
	/** Bumped when a new filter or sort replaced the list, so views scroll back to the top. */
	resetCount = $state(0);

	private defaultKindValue = $state<ItemKind>('image');
	private kindResolved = $state(false);
	private searchTimer: ReturnType<typeof setTimeout> | undefined;
	private anchor: number | null = null;
	private appliedKey = '';
	private pending: { filter: ItemFilter; sort: ItemSort } | null = null;
	private querying = false;
	private readonly loading = new SvelteSet<number>();
	private windowIds: number[] = [];
	/** Whether the first count arrived; a derived, so later counts do not rerun the query effect. */
	private counted = $derived(this.total !== null);
	private countTimer: ReturnType<typeof setTimeout> | undefined;
	/** A count-driven requery came due while a query ran; it waits for the next interval. */
	private countDueAfterQuery = false;
	/** When the last query answered (ms since epoch); count-driven requeries keep their distance. */
	private lastQueryAt = 0;
	/** Set when the component goes away, so a query still in flight schedules nothing more. */
	private disposed = false;
	/** The project's prediction count as last seen (null before the first answer). */
	private predictionCount: number | null = null;
	private predictionTimer: ReturnType<typeof setTimeout> | undefined;
	/** When predictions last refreshed what is shown (ms since epoch). */
	private lastPredictionRefreshAt = 0;

	/** Opened with a filter (a link from a job): the project's default kind does not replace it. */
	private readonly preset: boolean;

	constructor(projectId: number, initial: ItemFilter | null = null) {
		this.projectId = projectId;
		this.preset = initial !== null;
		if (initial) {
			this.filter = { ...initial };
			this.searchText = initial.search;
		}

		$effect(() => {
			const subscription = watchItemCount(projectId).subscribe({
				next: (count) => this.countChanged(count),
				error: (e: unknown) => (this.error = describe('Could not count items', e))
			});
			const predictions = watchPredictionCount(projectId).subscribe({
				next: (count) => this.predictionsChanged(count),
				error: (e: unknown) => (this.error = describe('Could not count predictions', e))
			});
			return () => {
				subscription.unsubscribe();
				predictions.unsubscribe();
				clearTimeout(this.predictionTimer);
				this.predictionTimer = undefined;
				clearTimeout(this.searchTimer);
				this.disposed = true;
				clearTimeout(this.countTimer);
				this.countTimer = undefined;
				this.countDueAfterQuery = false;
			};
		});

		$effect(() => {
			const filter = $state.snapshot(this.filter);
			const sort = this.sort;
			// Filter and sort changes requery at once; count changes go through
			// scheduleCountRequery instead, so only whether a count exists is read here.
			if (!this.kindResolved || !this.counted) return;
			untrack(() => void this.requery(filter, sort));
		});
	}

	get layout(): ItemLayout {
		return this.filter.kind === 'text' ? 'list' : 'grid';
	}

	get selectedIds(): number[] {
		return [...this.selection];
	}

	get activeId(): number | undefined {
		return this.ids[this.active];
	}

	get openId(): number | undefined {
		return this.openIndex === null ? undefined : this.ids[this.openIndex];
	}

	setSearch(text: string): void {
		this.searchText = text;
		clearTimeout(this.searchTimer);
		this.searchTimer = setTimeout(() => (this.filter.search = text), SEARCH_DEBOUNCE_MS);
	}

	clearFilters(): void {
		clearTimeout(this.searchTimer);
		this.searchText = '';
		this.filter = { ...NO_FILTER, kind: this.defaultKindValue };
	}

	// --- selection -------------------------------------------------------------------

	isSelected(id: number): boolean {
		return this.selection.has(id);
	}

	toggle(index: number): void {
		const id = this.ids[index];
		if (id === undefined) return;
		if (this.selection.has(id)) this.selection.delete(id);
		else this.selection.add(id);
		this.anchor = index;
	}

	/** Adds the items from the last toggled (or active) one through `index`. */
	selectRange(index: number): void {
		const from = this.anchor ?? this.active;
		const [lo, hi] = from <= index ? [from, index] : [index, from];
		for (const id of this.ids.slice(lo, hi + 1)) this.selection.add(id);
	}

	selectAll(): void {
		for (const id of this.ids) this.selection.add(id);
	}

	clearSelection(): void {
		this.selection.clear();
		this.anchor = null;
	}

	/** Moves the active item; with `extend` the range from the anchor becomes selected. */
	moveTo(index: number, extend = false): void {
		if (this.ids.length === 0) return;
		const clamped = Math.min(this.ids.length - 1, Math.max(0, index));
		if (extend) {
			this.anchor ??= this.active;
			this.active = clamped;
			this.selectRange(clamped);
		} else {
			this.active = clamped;
			this.anchor = clamped;
		}
	}

	// --- detail ----------------------------------------------------------------------

	open(index: number): void {
		if (index < 0 || index >= this.ids.length) return;
		this.active = index;
		this.openIndex = index;
	}

	close(): void {
		this.openIndex = null;
	}

	step(delta: number): void {
		if (this.openIndex === null) return;
		this.open(Math.min(this.ids.length - 1, Math.max(0, this.openIndex + delta)));
	}

	// --- records ---------------------------------------------------------------------

	/**
	 * Makes sure the records and labels of `ids[start..end)` are cached, fetching only the
	 * missing ones; older entries beyond RECORD_CACHE are dropped.
	 */
	async ensureWindow(start: number, end: number): Promise<void> {
		const wanted = this.ids.slice(start, end);
		this.windowIds = wanted;
		const missing = wanted.filter((id) => !this.records.has(id) && !this.loading.has(id));
		if (missing.length === 0) return;
		await this.fetchRecords(missing);
	}

	/** Refetches what is on screen (labels may have changed). */
	async refreshWindow(): Promise<void> {
		const ids = this.windowIds.filter((id) => !this.loading.has(id));
		if (ids.length > 0) await this.fetchRecords(ids);
	}

	private async fetchRecords(ids: number[]): Promise<void> {
		for (const id of ids) this.loading.add(id);
		try {
			const [records, labels, confidence] = await Promise.all([
				loadItems(ids),
				annotationsForItems(ids),
				confidenceForItems(ids)
			]);
			for (const id of ids) {
				// Re-inserted, so the map's insertion order is the order of last fetch.
				this.records.delete(id);
				const record = records.get(id);
				if (record) this.records.set(id, record);
				const list = labels.get(id);
				if (list) this.labels.set(id, list);
				else this.labels.delete(id);
				const summary = confidence.get(id);
				if (summary) this.confidence.set(id, summary);
				else this.confidence.delete(id);
			}
			this.evict();
		} catch (e) {
			this.error = describe('Could not load items', e);
		} finally {
			for (const id of ids) this.loading.delete(id);
		}
	}

	/** Drops the least recently fetched records beyond RECORD_CACHE, never the window's. */
	private evict(): void {
		const excess = this.records.size - RECORD_CACHE;
		if (excess <= 0) return;
		const keep = setOf(this.windowIds);
		const drop = [...this.records.keys()].filter((id) => !keep.has(id)).slice(0, excess);
		for (const id of drop) this.forget(id);
	}

	/** Drops an item from the cache (record, labels and confidence). */
	private forget(id: number): void {
		this.records.delete(id);
		this.labels.delete(id);
		this.confidence.delete(id);
	}

	// --- deleting --------------------------------------------------------------------

	/** Deletes items (labels and unshared blobs go with them); failures land in `error`. */
	async deleteIds(ids: number[]): Promise<void> {
		try {
			await deleteItems(ids);
		} catch (e) {
			this.error = describe('Could not delete', e);
			return;
		}
		const gone = setOf(ids);
		this.ids = this.ids.filter((id) => !gone.has(id));
		for (const id of ids) {
			this.selection.delete(id);
			this.forget(id);
		}
		this.active = Math.min(this.active, Math.max(0, this.ids.length - 1));
		if (this.openIndex !== null) {
			this.openIndex = this.ids.length === 0 ? null : Math.min(this.openIndex, this.ids.length - 1);
		}
	}

	// --- predictions -----------------------------------------------------------------

	/**
	 * A job (in a worker) wrote predictions, and usually labels with them. At most once per
	 * COUNT_REQUERY_MS (and after the last change), what is shown is brought up to date.
	 */
	private predictionsChanged(count: number): void {
		const before = this.predictionCount;
		this.predictionCount = count;
		if (before === null || before === count) return;
		if (this.disposed || this.predictionTimer !== undefined) return;
		const since = Math.max(this.lastPredictionRefreshAt, this.lastQueryAt);
		const wait = Math.max(0, since + COUNT_REQUERY_MS - Date.now());
		this.predictionTimer = setTimeout(() => {
			this.predictionTimer = undefined;
			this.lastPredictionRefreshAt = Date.now();
			this.refreshPredictions();
		}, wait);
	}

	/**
	 * Cached records off screen are dropped (they are refetched when scrolled to, with fresh
	 * labels and confidence). A filter that reads labels or predictions requeries, which
	 * refreshes the window; other filters only refetch the window.
	 */
	private refreshPredictions(): void {
		if (this.disposed || !this.kindResolved || !this.counted) return;
		const keep = setOf(this.windowIds);
		for (const id of [...this.records.keys()]) if (!keep.has(id)) this.forget(id);
		const filter = $state.snapshot(this.filter);
		if (filter.confidence !== 'any' || filter.label !== 'any' || filter.classRef !== null) {
			void this.requery(filter, this.sort);
		} else {
			void this.refreshWindow();
		}
	}

	// --- querying --------------------------------------------------------------------

	private countChanged(count: number): void {
		const before = this.total;
		if (before === null || (before === 0 && count > 0)) {
			// First count, or the first items arrived: open on the kind the project has.
			void defaultKind(this.projectId).then((kind) => {
				const untouched = this.filter.kind === this.defaultKindValue;
				this.defaultKindValue = kind;
				const keepPreset = this.preset && !this.kindResolved;
				if (!keepPreset && (untouched || !this.kindResolved)) this.filter.kind = kind;
				this.kindResolved = true;
				this.total = count;
				// The first items may keep the same kind, leaving the query effect untouched.
				if (before !== null) this.scheduleCountRequery();
			});
			return;
		}
		if (count === before) return;
		this.total = count;
		this.scheduleCountRequery();
	}

	/**
	 * Requeries for a changed item count, at most once per COUNT_REQUERY_MS. The timer fires
	 * after the last change too (trailing edge), so the list always ends up current.
	 */
	private scheduleCountRequery(): void {
		if (this.disposed || this.countTimer !== undefined || this.countDueAfterQuery) return;
		const wait = Math.max(0, this.lastQueryAt + COUNT_REQUERY_MS - Date.now());
		this.countTimer = setTimeout(() => {
			this.countTimer = undefined;
			if (this.querying) {
				// Running now would chain straight onto the current query; wait a full interval.
				this.countDueAfterQuery = true;
				return;
			}
			if (!this.kindResolved || !this.counted) return;
			void this.requery($state.snapshot(this.filter), this.sort);
		}, wait);
	}

	/** Runs queries one at a time; a burst of changes collapses into one more query. */
	private async requery(filter: ItemFilter, sort: ItemSort): Promise<void> {
		// A query that starts now already sees every item counted so far.
		clearTimeout(this.countTimer);
		this.countTimer = undefined;
		this.countDueAfterQuery = false;
		this.pending = { filter, sort };
		if (this.querying) return;
		this.querying = true;
		try {
			while (this.pending) {
				const next: { filter: ItemFilter; sort: ItemSort } = this.pending;
				this.pending = null;
				const key = filterKey(next.filter, next.sort);
				const ids = await queryItemIds(this.projectId, next.filter, next.sort);
				// A result for a filter the user already left would only flash by.
				const waiting = this.pending as { filter: ItemFilter; sort: ItemSort } | null;
				if (waiting && filterKey(waiting.filter, waiting.sort) !== key) continue;
				this.apply(ids, key);
			}
			this.error = null;
		} catch (e) {
			this.error = describe('Could not load items', e);
		} finally {
			this.querying = false;
			this.lastQueryAt = Date.now();
			if (this.countDueAfterQuery) {
				this.countDueAfterQuery = false;
				this.scheduleCountRequery();
			}
		}
	}

	private apply(ids: number[], key: string): void {
		const previousActive = this.activeId;
		const previousOpen = this.openId;
		const sameQuery = key === this.appliedKey;
		this.appliedKey = key;
		this.ids = ids;
		this.loaded = true;
		if (this.selection.size > 0) {
			const present = setOf(ids);
			for (const id of [...this.selection]) if (!present.has(id)) this.selection.delete(id);
		}
		if (sameQuery) {
			const at = previousActive === undefined ? -1 : ids.indexOf(previousActive);
			this.active = at >= 0 ? at : Math.min(this.active, Math.max(0, ids.length - 1));
			if (previousOpen !== undefined) {
				const openAt = ids.indexOf(previousOpen);
				if (openAt >= 0) this.openIndex = openAt;
			}
			void this.refreshWindow();
		} else {
			this.active = 0;
			this.anchor = null;
			this.resetCount += 1;
		}
		if (this.openIndex !== null && this.openIndex >= ids.length) this.openIndex = null;
	}
}
