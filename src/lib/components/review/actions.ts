import type { Chord, ReviewCommand } from '$lib/domain/review/keymap';

/**
 * A review action as data: the button (title, tone, enabled) and the keyboard handler both
 * run `run`, with the chords the keymap gives the command.
 */
export interface ReviewActionItem {
	command: ReviewCommand;
	/** The button's accessible name. */
	title: string;
	shortcuts: readonly Chord[];
	enabled: boolean;
	tone?: 'primary' | 'danger';
	run: () => void;
}

/** True when a key press belongs to what has focus (typing, a dialog, a button's own key). */
export function keyBelongsToTarget(e: KeyboardEvent): boolean {
	const target = e.target instanceof HTMLElement ? e.target : null;
	if (!target) return false;
	if (target.closest('input, textarea, select, [contenteditable="true"], dialog')) return true;
	if (document.querySelector('dialog[open]')) return true;
	// Enter and Space press a focused button or follow a link; leave them to it.
	const activating = e.key === 'Enter' || e.key === ' ';
	return activating && target.closest('button, a[href], summary, [role="button"]') !== null;
}
