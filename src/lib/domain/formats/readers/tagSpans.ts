import { NameList, Warnings, plural } from './common';

/**
 * Entity spans from per-token tags (BIO, BILOU/IOBES, IO), shared by the CoNLL and the Hugging
 * Face token-classification readers. A record's text is its tokens joined by single spaces,
 * sentences by "\n"; spans are UTF-16 offsets into that text.
 */

export type TagToken = { token: string; prefix: string; name: string | null; line: number };
export type TagScheme = 'BIO' | 'BILOU' | 'IO';

export function parseTag(tag: string): { prefix: string; name: string | null } {
	if (tag === 'O' || tag === '-' || tag === '_') return { prefix: 'O', name: null };
	const m = /^([BIESLUM])[-_](.+)$/.exec(tag);
	// A bare tag (`PER`) is an IO tag.
	return m ? { prefix: m[1] as string, name: m[2] as string } : { prefix: 'I', name: tag };
}

export function schemeOf(documents: readonly TagToken[][][]): TagScheme {
	const prefixes = new Set(documents.flat(2).map((t) => t.prefix));
	if (['E', 'S', 'L', 'U'].some((p) => prefixes.has(p))) return 'BILOU';
	return prefixes.has('B') ? 'BIO' : 'IO';
}

/** A record of `sentences`: their text and the spans their tags mark. */
export function decodeTags(
	sentences: readonly TagToken[][],
	scheme: TagScheme,
	file: string,
	classes: NameList,
	warnings: Warnings
) {
	const spans: { id: string; name: string; start: number; end: number }[] = [];
	const invalid = (t: TagToken, what: string) =>
		warnings.tally(
			`invalid:${what}`,
			(n) => `${plural(n, 'tag')} ${what} (first: ${file} line ${t.line})`
		);
	let text = '';
	type Open = { name: string; start: number; end: number };
	const state: { open: Open | null } = { open: null };
	const close = () => {
		if (state.open) spans.push({ id: `T${spans.length + 1}`, ...state.open });
		state.open = null;
	};
	for (const [s, sentence] of sentences.entries()) {
		if (s > 0) text += '\n';
		for (const [k, t] of sentence.entries()) {
			if (k > 0) text += ' ';
			const start = text.length;
			text += t.token;
			const end = text.length;
			if (t.name === null) {
				close();
				continue;
			}
			const name = classes.add(t.name);
			const open = state.open?.name === name ? state.open : null;
			if (t.prefix === 'B') {
				close();
				state.open = { name, start, end };
			} else if (t.prefix === 'S' || t.prefix === 'U') {
				close();
				state.open = { name, start, end };
				close();
			} else if (t.prefix === 'E' || t.prefix === 'L') {
				if (open) open.end = end;
				else {
					invalid(
						t,
						`end an entity that was not begun (${t.prefix}- without B-); read as single-token entities`
					);
					close();
					state.open = { name, start, end };
				}
				close();
			} else if (open) {
				open.end = end;
			} else {
				if (scheme !== 'IO')
					invalid(
						t,
						'continue an entity that was not begun (I- after O or another class); read as B-'
					);
				close();
				state.open = { name, start, end };
			}
		}
		close();
	}
	return { text, spans };
}
