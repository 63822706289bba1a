import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The real consumers of exports (torchvision, PyYAML, protobuf, crcmod, msgpack) come from
 * Debian's python3-* packages, which only Debian's interpreter sees: `python3` on PATH may
 * be another one. `.ci/run` installs them; locally a missing module skips the consumer tests,
 * in CI it fails them.
 */
export const PYTHON = '/usr/bin/python3';

export function pythonHas(modules: readonly string[]): boolean {
	const probe = spawnSync(PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], {
		encoding: 'utf8'
	});
	if (probe.status === 0) return true;
	if (process.env.CI) throw new Error(`CI must have ${modules.join(', ')}: ${probe.stderr}`);
	return false;
}

/** Writes `files` under a fresh temporary folder and returns its path. */
export function writeTree(files: ReadonlyMap<string, Uint8Array>): string {
	const root = mkdtempSync(join(tmpdir(), 'modelship-export-'));
	for (const [path, bytes] of files) {
		const target = join(root, path);
		mkdirSync(dirname(target), { recursive: true });
		writeFileSync(target, bytes);
	}
	return root;
}

/** Runs a Python script with `cwd` as working folder; returns stdout, throws with stderr. */
export function runPython(script: string, cwd: string, args: readonly string[] = []): string {
	return execFileSync(PYTHON, ['-c', script, ...args], {
		cwd,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
		timeout: 120_000
	});
}
