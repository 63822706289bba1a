import { describe, expect, it } from 'vitest';
import {
	chord,
	chordFromEvent,
	chordLabel,
	commandFor,
	conflicts,
	DEFAULT_KEYMAP,
	isReserved,
	rebind,
	reservedReason,
	resetCommand,
	resolveKeymap,
	ReviewCommand,
	ReviewKeymap,
	toOverrides,
	type Keymap
} from './keymap';

const press = (
	key: string,
	mods: Partial<Record<'ctrl' | 'alt' | 'shift' | 'meta', boolean>> = {}
) =>
	chordFromEvent({
		key,
		ctrlKey: !!mods.ctrl,
		altKey: !!mods.alt,
		shiftKey: !!mods.shift,
		metaKey: !!mods.meta
	});

describe('chordFromEvent', () => {
	it('lower-cases letters and keeps Shift on them', () => {
		expect(press('A', { shift: true })).toEqual(chord('a', { shift: true }));
		expect(press('z', { ctrl: true })).toEqual(chord('z', { ctrl: true }));
		expect(press('I', { ctrl: true, shift: true })).toEqual(
			chord('i', { ctrl: true, shift: true })
		);
	});

	it('takes other printable characters as typed, without Shift', () => {
		expect(press('?', { shift: true })).toEqual(chord('?'));
		expect(press('!', { shift: true })).toEqual(chord('!'));
		expect(press('/')).toEqual(chord('/'));
	});

	it('keeps named keys and their modifiers, and renames old and blank names', () => {
		expect(press('Tab', { shift: true })).toEqual(chord('Tab', { shift: true }));
		expect(press('ArrowRight')).toEqual(chord('ArrowRight'));
		expect(press(' ')).toEqual(chord('Space'));
		expect(press('Esc')).toEqual(chord('Escape'));
		expect(press('Left')).toEqual(chord('ArrowLeft'));
	});

	it('binds nothing for a modifier alone, a dead key or a composition', () => {
		for (const key of ['Shift', 'Control', 'Alt', 'Meta', 'Dead', 'Process', 'Unidentified', '']) {
			expect(press(key)).toBeNull();
		}
	});
});

describe('chordLabel', () => {
	it('shows modifiers, upper-case letters and arrows', () => {
		expect(chordLabel(chord('z', { ctrl: true }))).toBe('Ctrl+Z');
		expect(chordLabel(chord('ArrowRight'))).toBe('→');
		expect(chordLabel(chord('Enter'))).toBe('Enter');
		expect(chordLabel(chord('a', { shift: true }))).toBe('Shift+A');
		expect(chordLabel(chord('?'))).toBe('?');
	});
});

describe('DEFAULT_KEYMAP', () => {
	it('binds every command, with no conflicts among commands or with the digit keys', () => {
		for (const command of ReviewCommand.options) {
			expect(DEFAULT_KEYMAP[command].length).toBeGreaterThan(0);
		}
		expect(conflicts(DEFAULT_KEYMAP)).toEqual([]);
	});

	it('holds no reserved chord', () => {
		const all = Object.values(DEFAULT_KEYMAP).flat();
		expect(all.filter(isReserved).map(chordLabel)).toEqual([]);
	});
});

describe('reserved chords', () => {
	it('says who keeps a chord and why', () => {
		expect(reservedReason(chord('w', { ctrl: true }))).toBe(
			'Ctrl+W is kept by the browser (closes the tab)'
		);
		expect(reservedReason(chord('F4', { alt: true }))).toBe(
			'Alt+F4 is kept by the system (closes the window)'
		);
		expect(reservedReason(chord('Tab'))).toMatch(/moves keyboard focus/);
		expect(reservedReason(chord('i', { ctrl: true, shift: true }))).toMatch(/developer tools/);
		expect(reservedReason(chord('t', { ctrl: true, shift: true }))).toMatch(/opens a tab/);
		expect(reservedReason(chord('F5'))).toMatch(/reloads/);
		expect(reservedReason(chord('z', { meta: true }))).toMatch(/kept by the system/);
	});

	it('lets ordinary chords through', () => {
		expect(reservedReason(chord('z', { ctrl: true }))).toBeNull();
		expect(reservedReason(chord('e'))).toBeNull();
		expect(reservedReason(chord('w'))).toBeNull();
	});
});

describe('conflicts', () => {
	it('names two commands on one chord', () => {
		const keymap: Keymap = { ...DEFAULT_KEYMAP, previous: [chord('j')] };
		expect(conflicts(keymap)).toEqual(['J is bound to both Next item and Previous item']);
	});

	it('names a command and a class on one key', () => {
		expect(conflicts(DEFAULT_KEYMAP, [{ key: 'r', name: 'rabbit' }])).toEqual([
			'R is bound to both Reject and class ‘rabbit’'
		]);
		expect(conflicts(DEFAULT_KEYMAP, ['s'])).toEqual(['S is bound to both Skip and class key S']);
	});

	it('names two classes on one key and a command on a class digit', () => {
		const keymap: Keymap = { ...DEFAULT_KEYMAP, skip: [chord('2')] };
		expect(
			conflicts(keymap, [
				{ key: 'b', name: 'bird' },
				{ key: 'b', name: 'bee' }
			])
		).toEqual([
			'2 is bound to both Skip and the 2nd class',
			'B is bound to both class ‘bird’ and class ‘bee’'
		]);
	});

	it('leaves Shift+R alone when a class takes R', () => {
		const keymap: Keymap = { ...DEFAULT_KEYMAP, reject: [chord('r', { shift: true })] };
		expect(conflicts(keymap, [{ key: 'r', name: 'rabbit' }])).toEqual([]);
	});
});

describe('rebind', () => {
	it('rebinds a command to a free chord', () => {
		const result = rebind(DEFAULT_KEYMAP, 'reject', [chord('e')]);
		expect(result).toEqual({ ok: true, keymap: { ...DEFAULT_KEYMAP, reject: [chord('e')] } });
		expect(DEFAULT_KEYMAP.reject).toEqual([chord('r')]);
	});

	it('refuses reserved chords, class digits and chords held elsewhere', () => {
		expect(rebind(DEFAULT_KEYMAP, 'reject', [chord('w', { ctrl: true })])).toEqual({
			ok: false,
			reason: 'Ctrl+W is kept by the browser (closes the tab)'
		});
		expect(rebind(DEFAULT_KEYMAP, 'reject', [chord('3')])).toEqual({
			ok: false,
			reason: '3 is kept for picking the 3rd class'
		});
		expect(rebind(DEFAULT_KEYMAP, 'reject', [chord('x')])).toEqual({
			ok: false,
			reason: 'X is already bound to Select item'
		});
		expect(rebind(DEFAULT_KEYMAP, 'reject', [chord('q')], [{ key: 'q', name: 'quail' }])).toEqual({
			ok: false,
			reason: 'Q is already bound to class ‘quail’'
		});
	});

	it('lets a command keep its own chords, once each', () => {
		const result = rebind(DEFAULT_KEYMAP, 'approve', [chord('a'), chord('a'), chord('Enter')]);
		expect(result.ok && result.keymap.approve).toEqual([chord('a'), chord('Enter')]);
	});

	it('refuses a reset when another command took a default chord since', () => {
		const moved = rebind(DEFAULT_KEYMAP, 'reject', [chord('e')]);
		if (!moved.ok) throw new Error(moved.reason);
		const taken = rebind(moved.keymap, 'skip', [chord('r')]);
		if (!taken.ok) throw new Error(taken.reason);
		expect(resetCommand(taken.keymap, 'reject')).toEqual({
			ok: false,
			reason: 'R is already bound to Skip'
		});
		expect(resetCommand(moved.keymap, 'reject')).toEqual({ ok: true, keymap: DEFAULT_KEYMAP });
	});
});

describe('commandFor', () => {
	it('finds the command a chord runs', () => {
		expect(commandFor(DEFAULT_KEYMAP, chord('j'))).toBe('next');
		expect(commandFor(DEFAULT_KEYMAP, chord('Enter'))).toBe('approve');
		expect(commandFor(DEFAULT_KEYMAP, chord('z', { ctrl: true }))).toBe('undo');
		expect(commandFor(DEFAULT_KEYMAP, chord('a', { shift: true }))).toBe('bulkApproveHigh');
		expect(commandFor(DEFAULT_KEYMAP, press('?', { shift: true })!)).toBe('cheatSheet');
		expect(commandFor(DEFAULT_KEYMAP, chord('z'))).toBeNull();
	});

	it('follows a rebound keymap', () => {
		const result = rebind(DEFAULT_KEYMAP, 'reject', [chord('e')]);
		if (!result.ok) throw new Error(result.reason);
		expect(commandFor(result.keymap, chord('e'))).toBe('reject');
		expect(commandFor(result.keymap, chord('r'))).toBeNull();
	});
});

describe('stored overrides', () => {
	it('stores only what differs from the defaults and resolves back', () => {
		const result = rebind(DEFAULT_KEYMAP, 'skip', [chord('ArrowDown')]);
		if (!result.ok) throw new Error(result.reason);
		const overrides = toOverrides(result.keymap);
		expect(overrides).toEqual({ skip: [chord('ArrowDown')] });
		expect(resolveKeymap(ReviewKeymap.parse(JSON.parse(JSON.stringify(overrides))))).toEqual(
			result.keymap
		);
		expect(toOverrides(DEFAULT_KEYMAP)).toEqual({});
		expect(resolveKeymap()).toEqual(DEFAULT_KEYMAP);
	});

	it('fills missing modifier flags and refuses unknown commands', () => {
		expect(ReviewKeymap.parse({ reject: [{ key: 'e' }] })).toEqual({ reject: [chord('e')] });
		expect(ReviewKeymap.safeParse({ explode: [{ key: 'e' }] }).success).toBe(false);
	});
});
