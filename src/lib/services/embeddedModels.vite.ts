/**
 * Build-time half of the embedded default models (runs in Node, from vite.config.ts and
 * embeddedModels.spec.ts; never imported by app code).
 *
 * 1. nsfwjs ships its MobileNetV2 weights as browserify bundles that wrap a base64 string
 *    (`dist/models/mobilenet_v2/*.min.js`). They are decoded here into a standard TF.js
 *    layers-model folder — `model.json` + `group1-shard1of1.bin` — so the model is two real
 *    files the registry can hash, verify, export and load like any other version, and the
 *    worker downloads 2.6 MB of bytes instead of 3.5 MB of base64 JavaScript. Imports of
 *    `$embedded-models/<folder>/<file>?url` resolve to those decoded files.
 * 2. The client build writes `_app/offline-assets.json`: every file the build emitted under
 *    `_app/immutable/` with its size, worker chunks and worker assets included. SvelteKit's
 *    `build` list (from the Vite manifest) misses what worker bundles emit, so the service
 *    worker reads this list to warm its cache after install.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

const require = createRequire(import.meta.url);

/** `node_modules/nsfwjs/dist`, found through the package's own entry point. */
function nsfwDist(): string {
	return join(dirname(require.resolve('nsfwjs')), '..');
}

/** Where decoded files go: ignored by git, rebuilt whenever Vite starts. */
export function embeddedCacheDir(): string {
	return join(nsfwDist(), '..', '..', '.cache', 'modelship-embedded');
}

export const EMBEDDED_ALIAS = '$embedded-models';

interface ModelJson {
	modelTopology: unknown;
	weightsManifest: { paths: string[]; weights: unknown[] }[];
	[key: string]: unknown;
}

/**
 * nsfwjs 4.4.0's MobileNetV2 as a TF.js layers-model folder. The shard keeps its name with a
 * `.bin` extension (what `tf.io` writes), and `model.json`'s `paths` say so.
 */
export function decodeNsfwMobileNetV2(): Map<string, Uint8Array> {
	const folder = join(nsfwDist(), 'models', 'mobilenet_v2');
	// The bundles are CommonJS (`dist/models/package.json`), exporting the object / string.
	const modelJson = require(join(folder, 'model.min.js')) as ModelJson;
	const files = new Map<string, Uint8Array>();
	const manifest = modelJson.weightsManifest.map((group) => ({
		...group,
		paths: group.paths.map((path) => {
			const base64 = require(join(folder, `${path}.min.js`)) as unknown;
			if (typeof base64 !== 'string') throw new Error(`nsfwjs: ${path}.min.js is not base64`);
			files.set(`${path}.bin`, new Uint8Array(Buffer.from(base64, 'base64')));
			return `${path}.bin`;
		})
	}));
	const json = JSON.stringify({ ...modelJson, weightsManifest: manifest });
	files.set('model.json', new TextEncoder().encode(json));
	return files;
}

/** Folder name under the alias → its files. */
export function embeddedGeneratedFolders(): Map<string, Map<string, Uint8Array>> {
	return new Map([['nsfw-mobilenet-v2', decodeNsfwMobileNetV2()]]);
}

function writeGenerated(root: string): void {
	for (const [folder, files] of embeddedGeneratedFolders()) {
		mkdirSync(join(root, folder), { recursive: true });
		for (const [name, bytes] of files) {
			const path = join(root, folder, name);
			let same = false;
			try {
				same = readFileSync(path).equals(bytes);
			} catch {
				// not written yet
			}
			if (!same) writeFileSync(path, bytes);
		}
	}
}

export function sha256Hex(bytes: Uint8Array): string {
	return createHash('sha256').update(bytes).digest('hex');
}

/** The list `src/service-worker.ts` reads (see OfflineAssets there). */
export const OFFLINE_ASSETS_FILE = '_app/offline-assets.json';

/**
 * The Vite plugin: decoded model files behind `$embedded-models/…`, and the offline asset
 * list of a client build. Add it to every Vite config that imports `embeddedModels.ts`
 * (the app, harnesses).
 */
export function embeddedModels(): Plugin {
	const root = embeddedCacheDir();
	let ssr = false;
	let base = '/';
	return {
		name: 'modelship:embedded-models',
		enforce: 'post',
		config() {
			writeGenerated(root);
			// An alias (not resolveId) so worker bundles, which run their own plugin list,
			// resolve it too.
			// Inside node_modules/, so the dev server's default `fs.allow` (the workspace) covers it.
			return { resolve: { alias: [{ find: EMBEDDED_ALIAS, replacement: root }] } };
		},
		configResolved(config) {
			ssr = Boolean(config.build.ssr);
			base = config.base;
		},
		generateBundle: {
			order: 'post',
			handler(_options, bundle) {
				if (ssr) return;
				const assets: { url: string; size: number }[] = [];
				for (const [fileName, output] of Object.entries(bundle)) {
					if (!fileName.includes('_app/immutable/') || fileName.endsWith('.map')) continue;
					const source = output.type === 'chunk' ? output.code : output.source;
					const size = typeof source === 'string' ? Buffer.byteLength(source) : source.byteLength;
					assets.push({ url: `${base}${fileName}`.replace(/\/{2,}/g, '/'), size });
				}
				if (assets.length === 0) return; // not a SvelteKit client build (e.g. a harness)
				assets.sort((a, b) => (a.url < b.url ? -1 : 1));
				this.emitFile({
					type: 'asset',
					fileName: OFFLINE_ASSETS_FILE,
					source: JSON.stringify({ assets })
				});
			}
		}
	};
}
