/**
 * Where a JSON text first goes wrong, for error messages: V8's `JSON.parse` errors give a
 * position only for some mistakes. A small recursive scanner of the JSON grammar; returns
 * the offset of the first character that cannot continue a valid document (the length when
 * the text ends too soon), or null when the text is valid.
 *
 * Example: `jsonErrorOffset('{"a": [,]}')` → `7`
 */
export function jsonErrorOffset(text: string): number | null {
	let at = 0;
	const fail = (): never => {
		throw at;
	};
	const ws = () => {
		while (at < text.length && ' \t\n\r'.includes(text[at] as string)) at++;
	};
	const literal = (word: string) => {
		for (const c of word) {
			if (text[at] !== c) fail();
			at++;
		}
	};
	const string = () => {
		at++;
		for (;;) {
			if (at >= text.length) fail();
			const c = text.charCodeAt(at);
			if (c === 34) return void at++;
			if (c < 32) fail();
			if (c === 92) {
				at++;
				const e = text[at];
				if (e === 'u') {
					if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 1, at + 5))) fail();
					at += 5;
				} else if (e !== undefined && '"\\/bfnrt'.includes(e)) at++;
				else fail();
			} else at++;
		}
	};
	const number = () => {
		const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at, at + 400));
		if (!m || m[0] === '' || m[0] === '-') fail();
		at += (m as RegExpExecArray)[0].length;
	};
	const value = (depth: number): void => {
		if (depth > 500) fail();
		ws();
		const c = text[at];
		if (c === '{') {
			at++;
			ws();
			if (text[at] === '}') return void at++;
			for (;;) {
				ws();
				if (text[at] !== '"') fail();
				string();
				ws();
				if (text[at] !== ':') fail();
				at++;
				value(depth + 1);
				ws();
				if (text[at] === ',') at++;
				else if (text[at] === '}') return void at++;
				else fail();
			}
		}
		if (c === '[') {
			at++;
			ws();
			if (text[at] === ']') return void at++;
			for (;;) {
				value(depth + 1);
				ws();
				if (text[at] === ',') at++;
				else if (text[at] === ']') return void at++;
				else fail();
			}
		}
		if (c === '"') return string();
		if (c === 't') return literal('true');
		if (c === 'f') return literal('false');
		if (c === 'n') return literal('null');
		return number();
	};
	try {
		value(0);
		ws();
		if (at < text.length) fail();
		return null;
	} catch (e) {
		if (typeof e === 'number') return Math.min(e, text.length);
		throw e;
	}
}
