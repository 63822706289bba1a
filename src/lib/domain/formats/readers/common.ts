import type { z } from 'zod';
import { safeEntryPath } from '../../import/zipSafety';
import { readText, type SourceFiles } from '../sourceFiles';
import { jsonErrorOffset } from './jsonPosition';

/** Helpers every reader shares: errors, paths, splits, class lists and warnings. */

/** A dataset that cannot be read; the message names the file and the line or key. */
export class DatasetFormatError extends Error {
	readonly code = 'dataset-format';

	constructor(message: string) {
		super(message);
		this.name = 'DatasetFormatError';
	}
}

export type Split = 'train' | 'validation' | 'test';

export const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** The folder of a path, '' at the root. */
export const dirname = (path: string): string => {
	const at = path.lastIndexOf('/');
	return at === -1 ? '' : path.slice(0, at);
};

/** The file name without its last extension. */
export const stem = (path: string): string => {
	const base = basename(path);
	const dot = base.lastIndexOf('.');
	return dot > 0 ? base.slice(0, dot) : base;
};

/** The lower-case extension without the dot, '' when none. */
export const extension = (path: string): string => {
	const base = basename(path);
	const dot = base.lastIndexOf('.');
	return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
};

/** `dir` joined with `rel`; `..` may climb only inside `dir`'s own path, else null. */
export function joinPath(dir: string, rel: string): string | null {
	const out = dir === '' ? [] : dir.split('/');
	for (const segment of rel.replace(/\\/g, '/').split('/')) {
		if (segment === '' || segment === '.') continue;
		if (segment === '..') {
			if (out.length === 0) return null;
			out.pop();
		} else out.push(segment);
	}
	return out.join('/');
}

const IMAGE_EXTENSIONS = new Set(['jpg', 'jpeg', 'jpe', 'png', 'gif', 'bmp', 'webp', 'avif']);

export const isImagePath = (path: string): boolean => IMAGE_EXTENSIONS.has(extension(path));

/**
 * The split a file or folder name stands for: `instances_train2017.json` → train,
 * `eng.testa` / `dev.conll` / `images/val` → validation, `test.csv` → test; null otherwise.
 * The base name decides first, then the folders above it.
 */
export function splitFromName(path: string): Split | null {
	const parts = path.toLowerCase().split('/').reverse();
	for (const part of parts) {
		const words = part.split(/[^a-z]+/).filter((w) => w !== '');
		for (const word of words) {
			if (word === 'train' || word === 'training') return 'train';
			if (['val', 'valid', 'validation', 'dev', 'testa'].includes(word)) return 'validation';
			if (word === 'test' || word === 'testb' || word === 'testing') return 'test';
		}
	}
	return null;
}

/**
 * A reference from an annotation file to another file, made relative and checked: absolute
 * paths, drive letters, `..` segments and NUL characters are refused (zip slip).
 */
export function safeReference(ref: string): { ok: true; path: string } | { ok: false } {
	const checked = safeEntryPath(ref.trim());
	return checked.ok ? { ok: true, path: checked.path } : { ok: false };
}

/** Finds the files that annotation files refer to, without ever leaving `paths`. */
export class FileIndex {
	readonly #paths: Set<string>;
	readonly #byBase = new Map<string, string[]>();

	constructor(paths: readonly string[]) {
		this.#paths = new Set(paths);
		for (const p of paths) {
			const key = basename(p).toLowerCase();
			const list = this.#byBase.get(key);
			if (list) list.push(p);
			else this.#byBase.set(key, [p]);
		}
	}

	has(path: string): boolean {
		return this.#paths.has(path);
	}

	/**
	 * The file a safe relative `ref` names: tried under each base folder (and its `images/`,
	 * `images/<split>/` and `<split>/` folders), then as a path suffix, then by base name.
	 * Ties prefer a path that mentions `splitDir`. Null when nothing matches.
	 */
	resolve(ref: string, bases: readonly string[], splitDirs: readonly string[] = []): string | null {
		const subs = ['', 'images/', ...splitDirs.flatMap((s) => [`images/${s}/`, `${s}/`])];
		for (const base of bases) {
			for (const sub of subs) {
				const candidate = joinPath(base, sub + ref);
				if (candidate !== null && this.#paths.has(candidate)) return candidate;
			}
		}
		const same = this.#byBase.get(basename(ref).toLowerCase()) ?? [];
		if (same.length === 0) return null;
		const suffix = same.filter((p) => p === ref || p.endsWith(`/${ref}`));
		const pool = suffix.length > 0 ? suffix : same;
		const preferred = pool.find((p) => splitDirs.some((s) => p.split('/').includes(s)));
		return preferred ?? (pool[0] as string);
	}
}

/** Names in first-seen order, without repeats. */
export class NameList {
	readonly names: string[] = [];
	readonly #seen = new Set<string>();

	add(name: string): string {
		if (!this.#seen.has(name)) {
			this.#seen.add(name);
			this.names.push(name);
		}
		return name;
	}

	has(name: string): boolean {
		return this.#seen.has(name);
	}
}

const MAX_LISTED = 20;

/**
 * Warnings for the import report. One-off problems are listed (the first 20, then a count);
 * repeated kinds are tallied into one line, e.g. "3 annotations point at image ids that do
 * not exist (first: id 99 in instances_train.json)".
 */
export class Warnings {
	readonly #listed: string[] = [];
	#more = 0;
	readonly #tallies = new Map<string, { count: number; render: (n: number) => string }>();

	add(message: string): void {
		if (this.#listed.length < MAX_LISTED) this.#listed.push(message);
		else this.#more++;
	}

	tally(key: string, render: (n: number) => string): void {
		const entry = this.#tallies.get(key);
		if (entry) entry.count++;
		else this.#tallies.set(key, { count: 1, render });
	}

	toArray(): string[] {
		const out = [...this.#listed];
		if (this.#more > 0) out.push(`… and ${this.#more} more warnings`);
		for (const { count, render } of this.#tallies.values()) out.push(render(count));
		return out;
	}
}

export { plural } from '../../plural';

/** A file's text; throws when it is missing. */
export async function requireText(files: SourceFiles, path: string): Promise<string> {
	const text = await readText(files, path);
	if (text === undefined) throw new DatasetFormatError(`${path}: file is missing`);
	return text;
}

/** The 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
	let line = 1;
	for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
	return line;
}

/** Parses JSON; a syntax error becomes a DatasetFormatError naming the file and line. */
export function parseJson(path: string, text: string): unknown {
	try {
		return JSON.parse(text);
	} catch (e) {
		const reason = (e instanceof Error ? e.message : String(e)).replace(
			/, "[^]*" is not valid JSON$/,
			''
		);
		const offset = jsonErrorOffset(text);
		const line = offset === null ? null : lineAt(text, offset);
		const short = reason.length > 120 ? `${reason.slice(0, 120)}…` : reason;
		throw new DatasetFormatError(
			`${path}: invalid JSON${line === null ? '' : ` at line ${line}`} (${short})`
		);
	}
}

/** A zod issue path as a key: `images[3].file_name`. */
export function keyOf(path: readonly PropertyKey[]): string {
	let out = '';
	for (const part of path) {
		if (typeof part === 'number') out += `[${part}]`;
		else out += out === '' ? String(part) : `.${String(part)}`;
	}
	return out;
}

/** Validates `value` with `schema`; the first issue becomes `file: key: message`. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, path: string, prefix = ''): T {
	const result = schema.safeParse(value);
	if (result.success) return result.data;
	const issue = result.error.issues[0];
	const key = keyOf([...(prefix === '' ? [] : [prefix]), ...(issue?.path ?? [])]);
	throw new DatasetFormatError(
		`${path}: ${key === '' ? '' : `${key}: `}${issue?.message ?? 'invalid'}`
	);
}

/** A finite number from a text cell, or null. */
export function numberOf(text: string | undefined): number | null {
	if (text === undefined || text.trim() === '') return null;
	const n = Number(text);
	return Number.isFinite(n) ? n : null;
}
