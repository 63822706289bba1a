/**
 * Version strings of model versions: semver (`1.2.0`, `2.1.3-beta`) or a generated
 * timestamp (`20261129-143022`). Ordering lets the registry list newest first and suggest
 * the next version in the import form.
 */

const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;
const TIMESTAMP = /^\d{8}-\d{6}$/;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `20261129-143022` in UTC, so two browsers in different zones agree on the order. */
export function timestampVersion(date: Date): string {
	return (
		`${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}-` +
		`${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`
	);
}

type Parsed =
	| { kind: 'semver'; core: [number, number, number]; pre: string[] }
	| { kind: 'timestamp'; value: string }
	| { kind: 'other'; value: string };

function parse(version: string): Parsed {
	const m = SEMVER.exec(version);
	if (m) {
		return {
			kind: 'semver',
			core: [Number(m[1]), Number(m[2]), Number(m[3])],
			pre: m[4] ? m[4].split('.') : []
		};
	}
	if (TIMESTAMP.test(version)) return { kind: 'timestamp', value: version };
	return { kind: 'other', value: version };
}

/** Semver §11: numeric identifiers compare numerically and sort before alphanumeric ones. */
function comparePre(a: string[], b: string[]): number {
	if (a.length === 0 || b.length === 0) return b.length - a.length; // release > pre-release
	for (let i = 0; i < Math.max(a.length, b.length); i++) {
		const x = a[i];
		const y = b[i];
		if (x === undefined) return -1;
		if (y === undefined) return 1;
		const xn = /^\d+$/.test(x);
		const yn = /^\d+$/.test(y);
		if (xn && yn) {
			const d = Number(x) - Number(y);
			if (d !== 0) return Math.sign(d);
		} else if (xn !== yn) return xn ? -1 : 1;
		else if (x !== y) return x < y ? -1 : 1;
	}
	return 0;
}

const RANK = { other: 0, semver: 1, timestamp: 2 } as const;

/**
 * Negative when `a` is older. Semver compares by precedence, timestamps by time; a mix
 * puts semver first (a project that switches to generated versions does so later).
 */
export function compareVersions(a: string, b: string): number {
	const x = parse(a);
	const y = parse(b);
	if (x.kind !== y.kind) return RANK[x.kind] - RANK[y.kind];
	if (x.kind === 'semver' && y.kind === 'semver') {
		for (let i = 0; i < 3; i++) {
			const d = (x.core[i] as number) - (y.core[i] as number);
			if (d !== 0) return Math.sign(d);
		}
		return comparePre(x.pre, y.pre);
	}
	const xs = (x as { value: string }).value;
	const ys = (y as { value: string }).value;
	return xs < ys ? -1 : xs > ys ? 1 : 0;
}

/**
 * What the import form proposes: the next minor after the newest semver release, `1.0.0`
 * for a first version, or a timestamp when the model has only timestamp versions.
 */
export function suggestNextVersion(existing: readonly string[], now: Date): string {
	if (existing.length === 0) return '1.0.0';
	const newest = [...existing].sort(compareVersions).at(-1) as string;
	const parsed = parse(newest);
	if (parsed.kind === 'semver') {
		const [major, minor] = parsed.core;
		const candidate = `${major}.${minor + 1}.0`;
		return existing.includes(candidate) ? timestampVersion(now) : candidate;
	}
	return timestampVersion(now);
}
