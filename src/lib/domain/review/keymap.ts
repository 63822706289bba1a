import { z } from 'zod';

/**
 * Review shortcuts: which key chord runs which review command, the browser's own chords a
 * binding may not take, and conflict checks against other commands and a task's class keys.
 *
 * Key normalisation (what `chordFromEvent` does, so stored chords compare by value):
 * - a single letter is lower-cased and keeps its Shift flag: Shift+A is `{ key: 'a', shift: true }`;
 * - any other single printable character (`?`, `/`, `!`, digits) is taken as typed and drops
 *   Shift, since Shift is already in the character: `?` is `{ key: '?', shift: false }`;
 * - the space bar is `'Space'`; old names (`Esc`, `Left`, …) become today's (`Escape`, `ArrowLeft`);
 * - named keys (`Enter`, `ArrowRight`, `F5`, `Tab`) keep their name and every modifier.
 * Digits 1–9 (unmodified) pick the n-th class while reviewing, so no command may take them.
 */

export const ReviewCommand = z.enum([
	'approve',
	'reject',
	'skip',
	'flag',
	'undo',
	'next',
	'previous',
	'copyPrevious',
	'searchClass',
	'cheatSheet',
	'bulkApproveHigh',
	'toggleSelect'
]);
export type ReviewCommand = z.infer<typeof ReviewCommand>;

/** What a person reads for each command: settings rows, the cheat sheet, conflict messages. */
export const COMMAND_LABELS: Record<ReviewCommand, string> = {
	approve: 'Approve',
	reject: 'Reject',
	skip: 'Skip',
	flag: 'Flag with a note',
	undo: 'Undo',
	next: 'Next item',
	previous: 'Previous item',
	copyPrevious: 'Copy previous annotation',
	searchClass: 'Search classes',
	cheatSheet: 'Show shortcuts',
	bulkApproveHigh: 'Approve all high-confidence',
	toggleSelect: 'Select item'
};

export const Chord = z.object({
	key: z.string().min(1).max(24),
	ctrl: z.boolean().default(false),
	alt: z.boolean().default(false),
	shift: z.boolean().default(false),
	meta: z.boolean().default(false)
});
export type Chord = z.infer<typeof Chord>;

/** A full keymap: every command with its chords (an empty list leaves a command unbound). */
export type Keymap = Record<ReviewCommand, Chord[]>;

/** Stored form: only the commands a person rebound; the rest come from `DEFAULT_KEYMAP`. */
export const ReviewKeymap = z.partialRecord(ReviewCommand, z.array(Chord).max(8));
export type ReviewKeymap = z.infer<typeof ReviewKeymap>;

/** A chord from its parts. Example: `chord('z', { ctrl: true })` is Ctrl+Z. */
export function chord(key: string, mods: Partial<Omit<Chord, 'key'>> = {}): Chord {
	return { key, ctrl: false, alt: false, shift: false, meta: false, ...mods };
}

export const DEFAULT_KEYMAP: Keymap = {
	approve: [chord('Enter'), chord('a')],
	reject: [chord('r')],
	skip: [chord('s')],
	flag: [chord('f')],
	undo: [chord('z', { ctrl: true }), chord('u')],
	next: [chord('ArrowRight'), chord('j')],
	previous: [chord('ArrowLeft'), chord('k')],
	copyPrevious: [chord('c')],
	searchClass: [chord('/')],
	cheatSheet: [chord('?')],
	bulkApproveHigh: [chord('a', { shift: true })],
	toggleSelect: [chord('x')]
};

const RENAMED: Record<string, string> = {
	' ': 'Space',
	Spacebar: 'Space',
	Esc: 'Escape',
	Left: 'ArrowLeft',
	Right: 'ArrowRight',
	Up: 'ArrowUp',
	Down: 'ArrowDown',
	Del: 'Delete'
};
const NOT_A_KEY = new Set([
	'Shift',
	'Control',
	'Alt',
	'AltGraph',
	'Meta',
	'OS',
	'CapsLock',
	'Dead',
	'Process',
	'Unidentified'
]);

/**
 * The chord a key press makes, normalised as the header says; null for a press of a modifier
 * alone, a dead key or an IME composition, which bind nothing.
 * Example: `chordFromEvent({ key: 'Z', ctrlKey: true, shiftKey: true, altKey: false, metaKey: false })`
 * is Ctrl+Shift+Z.
 */
export function chordFromEvent(e: {
	key: string;
	ctrlKey: boolean;
	altKey: boolean;
	shiftKey: boolean;
	metaKey: boolean;
}): Chord | null {
	const named = RENAMED[e.key] ?? e.key;
	if (!named || NOT_A_KEY.has(named)) return null;
	const single = [...named].length === 1;
	const letter = single && named.toLowerCase() !== named.toUpperCase();
	return {
		key: letter ? named.toLowerCase() : named,
		ctrl: e.ctrlKey,
		alt: e.altKey,
		shift: e.shiftKey && (letter || !single),
		meta: e.metaKey
	};
}

/** A stable id for comparing chords: `ctrl+shift+z`. */
export function chordId(c: Chord): string {
	const mods = [c.ctrl && 'ctrl', c.alt && 'alt', c.shift && 'shift', c.meta && 'meta'];
	return [...mods.filter(Boolean), c.key.length === 1 ? c.key.toLowerCase() : c.key].join('+');
}

const KEY_LABELS: Record<string, string> = {
	ArrowRight: '→',
	ArrowLeft: '←',
	ArrowUp: '↑',
	ArrowDown: '↓',
	Escape: 'Esc'
};

/** How a chord is shown. Example: `chordLabel(chord('z', { ctrl: true }))` is "Ctrl+Z". */
export function chordLabel(c: Chord): string {
	const key = KEY_LABELS[c.key] ?? (c.key.length === 1 ? c.key.toUpperCase() : c.key);
	const mods = [c.ctrl && 'Ctrl', c.alt && 'Alt', c.shift && 'Shift', c.meta && 'Meta'];
	return [...mods.filter(Boolean), key].join('+');
}

type Reserved = { chord: Chord; by: 'the browser' | 'the system' | 'ModelShip'; reason: string };

function reserved(
	keys: string[],
	mods: Partial<Omit<Chord, 'key'>>[],
	by: Reserved['by'],
	reason: string
): Reserved[] {
	return keys.flatMap((key) => mods.map((m) => ({ chord: chord(key, m), by, reason })));
}

const CTRL_ANY_SHIFT = [{ ctrl: true }, { ctrl: true, shift: true }];
const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

/**
 * Chords a binding may not take: browsers and operating systems act on them before the page
 * sees them, or taking them would break keyboard use of the page. Any chord with Meta (⌘ or the
 * Windows key) is refused as well; `reservedReason` says so.
 */
export const RESERVED: readonly Reserved[] = [
	...reserved(['w'], CTRL_ANY_SHIFT, 'the browser', 'closes the tab'),
	...reserved(['t'], CTRL_ANY_SHIFT, 'the browser', 'opens a tab'),
	...reserved(['n'], CTRL_ANY_SHIFT, 'the browser', 'opens a window'),
	...reserved(['q'], CTRL_ANY_SHIFT, 'the browser', 'quits the browser'),
	...reserved(['l'], CTRL_ANY_SHIFT, 'the browser', 'focuses the address bar'),
	...reserved(['r', 'F5'], CTRL_ANY_SHIFT, 'the browser', 'reloads the page'),
	...reserved(['Tab', 'PageUp', 'PageDown'], CTRL_ANY_SHIFT, 'the browser', 'switches tabs'),
	...reserved(
		['i', 'j', 'c'],
		[{ ctrl: true, shift: true }],
		'the browser',
		'opens developer tools'
	),
	...reserved(['Delete'], [{ ctrl: true, shift: true }], 'the browser', 'clears browsing data'),
	...reserved(['d'], [{ ctrl: true }], 'the browser', 'bookmarks the page'),
	...reserved(['f', 'g'], [{ ctrl: true }], 'the browser', 'finds in the page'),
	...reserved(['h'], [{ ctrl: true }], 'the browser', 'opens the history'),
	...reserved(['j'], [{ ctrl: true }], 'the browser', 'opens the downloads'),
	...reserved(['p'], [{ ctrl: true }], 'the browser', 'prints the page'),
	...reserved(['s'], [{ ctrl: true }], 'the browser', 'saves the page'),
	...reserved(['o'], [{ ctrl: true }], 'the browser', 'opens a file'),
	...reserved(['u'], [{ ctrl: true }], 'the browser', 'shows the page source'),
	...reserved(['+', '-', '=', '0'], [{ ctrl: true }], 'the browser', 'zooms the page'),
	...reserved(DIGITS, [{ ctrl: true }], 'the browser', 'switches tabs'),
	...reserved(['Tab'], [{}, { shift: true }], 'the browser', 'moves keyboard focus'),
	...reserved(['F1'], [{}], 'the browser', 'opens help'),
	...reserved(['F3'], [{}, { shift: true }], 'the browser', 'finds in the page'),
	...reserved(['F5'], [{}, { shift: true }], 'the browser', 'reloads the page'),
	...reserved(['F6'], [{}, { shift: true }], 'the browser', 'focuses the address bar'),
	...reserved(['F7'], [{}], 'the browser', 'turns on caret browsing'),
	...reserved(['F11'], [{}], 'the browser', 'switches to full screen'),
	...reserved(['F12'], [{}], 'the browser', 'opens developer tools'),
	...reserved(['ArrowLeft', 'ArrowRight'], [{ alt: true }], 'the browser', 'goes back or forward'),
	...reserved(['d', 'e', 'f'], [{ alt: true }], 'the browser', 'opens the browser menu'),
	...reserved(['Home'], [{ alt: true }], 'the browser', 'opens the home page'),
	...reserved(['F4'], [{ alt: true }], 'the system', 'closes the window'),
	...reserved(['Space'], [{ alt: true }], 'the system', 'opens the window menu'),
	...reserved(['Escape'], [{}], 'ModelShip', 'closes dialogs and cancels')
];

const RESERVED_INDEX = new Map(RESERVED.map((r) => [chordId(r.chord), r]));

/**
 * Why a chord may not be bound, or null when it may.
 * Example: `reservedReason(chord('w', { ctrl: true }))` is
 * "Ctrl+W is kept by the browser (closes the tab)".
 */
export function reservedReason(c: Chord): string | null {
	if (c.meta) {
		return `${chordLabel(c)} is kept by the system (⌘ and Windows-key shortcuts belong to the operating system)`;
	}
	const hit = RESERVED_INDEX.get(chordId(c));
	return hit ? `${chordLabel(c)} is kept by ${hit.by} (${hit.reason})` : null;
}

export function isReserved(c: Chord): boolean {
	return reservedReason(c) !== null;
}

/** A class key while reviewing: a bare string, or a class's own key with its name. */
export type ClassKey = string | { key: string; name: string };

const plain = (c: Chord): boolean => !c.ctrl && !c.alt && !c.shift && !c.meta;
const DIGIT_KEY = /^[1-9]$/;

function ordinal(n: number): string {
	return n === 1 ? '1st' : n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`;
}

/** The one-key chord of a class key, and how conflict messages name its class. */
function classChord(k: ClassKey): { id: string; owner: string } {
	const key = typeof k === 'string' ? k : k.key;
	const owner = typeof k === 'string' ? `class key ${key.toUpperCase()}` : `class ‘${k.name}’`;
	return { id: chordId(chord(key.toLowerCase())), owner };
}

/**
 * Every chord claimed twice, as sentences: by two commands, by a command and a class key, by a
 * command and the digit keys 1–9 (which pick the n-th class), or by two classes.
 * Example: `conflicts(DEFAULT_KEYMAP, [{ key: 'r', name: 'rabbit' }])` is
 * `['R is bound to both Reject and class ‘rabbit’']`.
 */
export function conflicts(keymap: Keymap, classKeys: readonly ClassKey[] = []): string[] {
	const owners = new Map<string, { label: string; names: string[] }>();
	const claim = (id: string, label: string, name: string) => {
		const entry = owners.get(id) ?? { label, names: [] };
		if (!entry.names.includes(name)) entry.names.push(name);
		owners.set(id, entry);
	};
	for (const command of ReviewCommand.options) {
		for (const c of keymap[command]) {
			claim(chordId(c), chordLabel(c), COMMAND_LABELS[command]);
			if (plain(c) && DIGIT_KEY.test(c.key)) {
				claim(chordId(c), c.key, `the ${ordinal(Number(c.key))} class`);
			}
		}
	}
	for (const k of classKeys) {
		const { id, owner } = classChord(k);
		claim(id, (typeof k === 'string' ? k : k.key).toUpperCase(), owner);
	}
	return [...owners.values()]
		.filter((o) => o.names.length > 1)
		.map(
			(o) => `${o.label} is bound to both ${o.names.slice(0, -1).join(', ')} and ${o.names.at(-1)}`
		);
}

export type RebindResult = { ok: true; keymap: Keymap } | { ok: false; reason: string };

/**
 * Binds `command` to `chords` (replacing its chords), refusing reserved chords, the class digits
 * 1–9, chords another command holds and the given class keys.
 * Example: `rebind(DEFAULT_KEYMAP, 'reject', [chord('x')])` is refused:
 * "X is already bound to Select item".
 */
export function rebind(
	keymap: Keymap,
	command: ReviewCommand,
	chords: readonly Chord[],
	classKeys: readonly ClassKey[] = []
): RebindResult {
	const unique = [...new Map(chords.map((c) => [chordId(c), c])).values()];
	const classes = new Map(classKeys.map((k) => [classChord(k).id, classChord(k).owner]));
	for (const c of unique) {
		const why = reservedReason(c);
		if (why) return { ok: false, reason: why };
		if (plain(c) && DIGIT_KEY.test(c.key)) {
			return {
				ok: false,
				reason: `${c.key} is kept for picking the ${ordinal(Number(c.key))} class`
			};
		}
		const holder = ReviewCommand.options.find(
			(other) => other !== command && keymap[other].some((o) => chordId(o) === chordId(c))
		);
		if (holder) {
			return {
				ok: false,
				reason: `${chordLabel(c)} is already bound to ${COMMAND_LABELS[holder]}`
			};
		}
		const owner = classes.get(chordId(c));
		if (owner) return { ok: false, reason: `${chordLabel(c)} is already bound to ${owner}` };
	}
	return { ok: true, keymap: { ...keymap, [command]: unique } };
}

const indexes = new WeakMap<Keymap, Map<string, ReviewCommand>>();

/**
 * The command a chord runs, or null. The lookup table is built once per keymap object.
 * Example: `commandFor(DEFAULT_KEYMAP, chord('j'))` is 'next'.
 */
export function commandFor(keymap: Keymap, c: Chord): ReviewCommand | null {
	let index = indexes.get(keymap);
	if (!index) {
		index = new Map();
		for (const command of ReviewCommand.options) {
			for (const bound of keymap[command]) {
				if (!index.has(chordId(bound))) index.set(chordId(bound), command);
			}
		}
		indexes.set(keymap, index);
	}
	return index.get(chordId(c)) ?? null;
}

/** The full keymap from stored overrides. */
export function resolveKeymap(overrides: ReviewKeymap = {}): Keymap {
	const keymap = { ...DEFAULT_KEYMAP };
	for (const command of ReviewCommand.options) {
		const chords = overrides[command];
		if (chords) keymap[command] = chords.map((c) => ({ ...c }));
	}
	return keymap;
}

const sameChords = (a: readonly Chord[], b: readonly Chord[]): boolean =>
	a.length === b.length && a.every((c, i) => b[i] !== undefined && chordId(c) === chordId(b[i]));

/** Whether a command's chords are its defaults. */
export function isDefault(keymap: Keymap, command: ReviewCommand): boolean {
	return sameChords(keymap[command], DEFAULT_KEYMAP[command]);
}

/** The overrides to store: only the commands whose chords differ from the defaults. */
export function toOverrides(keymap: Keymap): ReviewKeymap {
	const overrides: ReviewKeymap = {};
	for (const command of ReviewCommand.options) {
		if (!isDefault(keymap, command)) overrides[command] = keymap[command];
	}
	return overrides;
}

/**
 * Puts one command back to its default chords, refused like `rebind` when another command has
 * taken one of them since.
 */
export function resetCommand(keymap: Keymap, command: ReviewCommand): RebindResult {
	return rebind(keymap, command, DEFAULT_KEYMAP[command]);
}
