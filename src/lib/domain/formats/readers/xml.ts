import { DatasetFormatError, lineAt } from './common';

/**
 * A small XML reader for annotation files (Pascal VOC, LabelImg, CVAT): elements, attributes,
 * text, comments, CDATA, processing instructions and a DOCTYPE without an internal subset.
 * The five predefined entities and numeric references are decoded. No namespaces, no DTDs:
 * the files we read use neither, and Node has no DOMParser.
 */

export type XmlElement = {
	name: string;
	attributes: Record<string, string>;
	children: XmlElement[];
	/** The element's own text (not its children's), entities decoded, untrimmed. */
	text: string;
};

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes `&amp;`-style entities and `&#65;` / `&#x41;` references. */
export function decodeEntities(text: string): string {
	return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
		if (ref.startsWith('#')) {
			const code =
				ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
			return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
		}
		return ENTITIES[ref] ?? whole;
	});
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;
const ATTRIBUTE = /\s*([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*("([^"]*)"|'([^']*)')/y;

/**
 * Parses an XML document into its root element; errors name `file` and the line.
 *
 * Example: `parseXml('<a x="1"><b>T &amp; C</b></a>', 'a.xml').children[0].text` → `'T & C'`
 */
export function parseXml(source: string, file: string): XmlElement {
	function fail(at: number, what: string): never {
		throw new DatasetFormatError(`${file}: line ${lineAt(source, at)}: ${what}`);
	}
	const stack: XmlElement[] = [];
	let root: XmlElement | null = null;
	let at = source.charCodeAt(0) === 0xfeff ? 1 : 0;
	while (at < source.length) {
		const lt = source.indexOf('<', at);
		const textEnd = lt === -1 ? source.length : lt;
		if (textEnd > at) {
			const text = source.slice(at, textEnd);
			const top = stack[stack.length - 1];
			if (top) top.text += decodeEntities(text);
			else if (text.trim() !== '') fail(at, 'text outside the root element');
		}
		if (lt === -1) break;
		at = lt;
		if (source.startsWith('<!--', at)) {
			const end = source.indexOf('-->', at + 4);
			if (end === -1) fail(at, 'unclosed comment');
			at = end + 3;
		} else if (source.startsWith('<![CDATA[', at)) {
			const end = source.indexOf(']]>', at + 9);
			if (end === -1) fail(at, 'unclosed CDATA section');
			const top = stack[stack.length - 1];
			if (top) top.text += source.slice(at + 9, end);
			at = end + 3;
		} else if (source.startsWith('<?', at)) {
			const end = source.indexOf('?>', at + 2);
			if (end === -1) fail(at, 'unclosed processing instruction');
			at = end + 2;
		} else if (source.startsWith('<!', at)) {
			const end = source.indexOf('>', at + 2);
			if (end === -1) fail(at, 'unclosed declaration');
			at = end + 1;
		} else if (source.startsWith('</', at)) {
			const name = NAME.exec(source.slice(at + 2, at + 200))?.[0];
			const end = source.indexOf('>', at);
			const open = stack.pop();
			if (!name || end === -1) fail(at, 'malformed closing tag');
			if (!open || open.name !== name)
				fail(at, `</${name}> does not close <${open?.name ?? 'nothing'}>`);
			at = end + 1;
		} else {
			const name = NAME.exec(source.slice(at + 1, at + 200))?.[0];
			if (!name) fail(at, 'malformed tag');
			const element: XmlElement = { name, attributes: {}, children: [], text: '' };
			let p = at + 1 + name.length;
			for (;;) {
				ATTRIBUTE.lastIndex = p;
				const m = ATTRIBUTE.exec(source);
				if (!m) break;
				element.attributes[m[1] as string] = decodeEntities(m[3] ?? m[4] ?? '');
				p = ATTRIBUTE.lastIndex;
			}
			while (/\s/.test(source[p] ?? '')) p++;
			const selfClosing = source.startsWith('/>', p);
			if (!selfClosing && source[p] !== '>') fail(at, `malformed tag <${name}>`);
			const parent = stack[stack.length - 1];
			if (parent) parent.children.push(element);
			else if (root) fail(at, 'a second root element');
			else root = element;
			if (!selfClosing) stack.push(element);
			at = p + (selfClosing ? 2 : 1);
		}
	}
	if (stack.length > 0) fail(source.length, `<${stack[stack.length - 1]?.name}> is not closed`);
	if (!root) fail(0, 'no root element');
	return root as XmlElement;
}

/** The first child element named `name`. */
export const child = (el: XmlElement | undefined, name: string): XmlElement | undefined =>
	el?.children.find((c) => c.name === name);

/** The trimmed text of the child at `path` (`size/width`), or undefined. */
export function childText(el: XmlElement, path: string): string | undefined {
	let node: XmlElement | undefined = el;
	for (const part of path.split('/')) node = child(node, part);
	return node?.text.trim();
}
