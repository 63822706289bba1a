import { sha256Hex } from '../import/hash';

/**
 * What makes a model version trustworthy: one digest over all of its files, and a check of
 * every file's bytes against the hash recorded when the version was created. A version whose
 * bytes changed (a tampered export, a corrupted blob) is refused, never run.
 */

export interface HashedFile {
	path: string;
	sha256: string;
}

/**
 * The version's digest: SHA-256 over `path NUL sha256 LF` of each file, sorted by path. For a
 * one-file model it is still a digest of that list, so renaming a file changes the version.
 */
export async function versionDigest(files: readonly HashedFile[]): Promise<string> {
	const lines = [...files]
		.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
		.map((f) => `${f.path}\0${f.sha256}\n`)
		.join('');
	return sha256Hex(new TextEncoder().encode(lines));
}

export type IntegrityProblem =
	| { kind: 'missing'; path: string }
	| { kind: 'mismatch'; path: string; expected: string; actual: string };

/** Compares recorded hashes with the hashes of the bytes actually read. */
export async function checkFiles(
	expected: readonly HashedFile[],
	read: ReadonlyMap<string, Uint8Array>
): Promise<IntegrityProblem[]> {
	const problems: IntegrityProblem[] = [];
	for (const file of expected) {
		const bytes = read.get(file.path);
		if (!bytes) {
			problems.push({ kind: 'missing', path: file.path });
			continue;
		}
		const actual = await sha256Hex(bytes);
		if (actual !== file.sha256) {
			problems.push({ kind: 'mismatch', path: file.path, expected: file.sha256, actual });
		}
	}
	return problems;
}

/** "Sentiment 1.2.0: model.onnx does not match its SHA-256 (expected 3f2a…, got 9c1d…)". */
export function describeProblems(
	versionLabel: string,
	problems: readonly IntegrityProblem[]
): string {
	const parts = problems.map((p) =>
		p.kind === 'missing'
			? `${p.path} is missing`
			: `${p.path} does not match its SHA-256 (expected ${p.expected.slice(0, 12)}…, got ${p.actual.slice(0, 12)}…)`
	);
	return `${versionLabel}: ${parts.join('; ')}. The version was refused and not loaded.`;
}
