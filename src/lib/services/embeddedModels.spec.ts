import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getFastTextClass, getFastTextModule } from 'fasttext.wasm.js';
import { describe, expect, it } from 'vitest';
import { versionDigest } from '$lib/domain/models/integrity';
import { ModelRecord, ModelVersionRecord } from '$lib/domain/schemas';
import { EMBEDDED_IDS, EMBEDDED_MODELS } from './embeddedModels';
import { decodeNsfwMobileNetV2, sha256Hex } from './embeddedModels.vite';

/**
 * The embedded defaults pin their bytes. These tests recompute every hash and size from
 * node_modules: when an upgrade changes a model, they fail and name the file, and the record
 * (hash, size, version string, labels, metrics) has to be updated on purpose.
 */

const packageJson = (name: string) =>
	JSON.parse(readFileSync(resolve('node_modules', name, 'package.json'), 'utf8')) as {
		version: string;
	};

const LID_FILE =
	'node_modules/fasttext.wasm.js/dist/models/language-identification/assets/lid.176.ftz';

/** The bytes each embedded file's URL serves, read from where the build takes them. */
function packageBytes(): Map<string, Uint8Array> {
	const bytes = new Map<string, Uint8Array>();
	bytes.set(`${EMBEDDED_IDS.langid}/lid.176.ftz`, new Uint8Array(readFileSync(LID_FILE)));
	for (const [path, data] of decodeNsfwMobileNetV2())
		bytes.set(`${EMBEDDED_IDS.nsfw}/${path}`, data);
	return bytes;
}

const byId = (id: string) => {
	const entry = EMBEDDED_MODELS.find((e) => e.model.id === id);
	if (!entry) throw new Error(`no embedded model ${id}`);
	return entry;
};

describe('embedded models', () => {
	it('are valid registry records with stable ids', () => {
		expect(EMBEDDED_MODELS.map((e) => e.model.id)).toEqual(Object.values(EMBEDDED_IDS));
		for (const { model, version } of EMBEDDED_MODELS) {
			expect(() => ModelRecord.parse(model)).not.toThrow();
			expect(() => ModelVersionRecord.parse(version)).not.toThrow();
			expect(model.source).toBe('embedded');
			expect(version.modelId).toBe(model.id);
			expect(version.id).toBe(`${model.id}@${version.version}`);
			expect(version.stage).toBe('none');
			for (const file of version.files) expect(file.url, file.path).toMatch(/\S/);
		}
	});

	it('pin the SHA-256 and size of every file in node_modules', () => {
		const actual = packageBytes();
		const problems: string[] = [];
		for (const { model, version } of EMBEDDED_MODELS) {
			for (const file of version.files) {
				const bytes = actual.get(`${model.id}/${file.path}`);
				if (!bytes) {
					problems.push(`${model.id}: ${file.path} was not found in node_modules`);
					continue;
				}
				const sha256 = sha256Hex(bytes);
				if (sha256 !== file.sha256 || bytes.byteLength !== file.size) {
					problems.push(
						`${model.id}: ${file.path} changed (now ${bytes.byteLength} bytes, sha256 ${sha256}; ` +
							`recorded ${file.size}, ${file.sha256}). A dependency upgrade changed the model: ` +
							're-run the evaluation and update embeddedModels.ts on purpose.'
					);
				}
			}
		}
		expect(problems).toEqual([]);
	});

	it('carry their version digest and total size', async () => {
		for (const { version } of EMBEDDED_MODELS) {
			expect(version.sha256, version.id).toBe(await versionDigest(version.files));
			expect(version.size, version.id).toBe(version.files.reduce((n, f) => n + f.size, 0));
		}
	});

	it('name the installed package versions', () => {
		expect(byId(EMBEDDED_IDS.langid).version.version).toBe(packageJson('fasttext.wasm.js').version);
		expect(byId(EMBEDDED_IDS.nsfw).version.version).toBe(packageJson('nsfwjs').version);
		// wink has no weights file to hash: its version is the lexicon package's, and the
		// scorer's version is pinned too, because either changing changes the scores.
		const wink = byId(EMBEDDED_IDS.sentiment).version;
		expect(wink.files).toEqual([]);
		expect(wink.version).toBe(packageJson('wink-eng-lite-web-model').version);
		expect(wink.config.runtime).toBe(`wink-nlp@${packageJson('wink-nlp').version}`);
	});

	it('list lid.176 labels in the model’s own order', async () => {
		const FastText = await getFastTextClass({ getFastTextModule });
		const model = await new FastText().loadModel(pathToFileURL(resolve(LID_FILE)).href);
		const [vector] = model.getLabels();
		const labels: string[] = [];
		for (let i = 0; i < vector.size(); i++) labels.push(vector.get(i).replace('__label__', ''));
		expect(byId(EMBEDDED_IDS.langid).version.labels).toEqual(labels);
	});

	it('list the NSFW labels in the output order of nsfwjs', async () => {
		// Not in the package's exports map: read by path.
		const url = pathToFileURL(resolve('node_modules/nsfwjs/dist/esm/nsfw_classes.js')).href;
		const { NSFW_CLASSES } = (await import(/* @vite-ignore */ url)) as {
			NSFW_CLASSES: Record<number, string>;
		};
		expect(byId(EMBEDDED_IDS.nsfw).version.labels).toEqual(Object.values(NSFW_CLASSES));
	});
});
