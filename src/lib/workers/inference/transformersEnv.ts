/// <reference lib="webworker" />
import * as transformers from '@huggingface/transformers';
import type { ExecutionPlan, VerifiedFiles } from './backend';
import { configureOrt } from './ortRuntime';

/**
 * transformers.js set up so that it reads model files only from where ModelShip says: a
 * version's verified files in memory, or — during an explicit hub download — the hub the user
 * asked for. Shared by the transformers backend and the hub download, both inside the worker.
 *
 * transformers.js looks every file up in a cache first, under two keys: the local path
 * `<localModelPath><model>/<file>` and the remote URL `<remoteHost><model>/resolve/<revision>/<file>`
 * (`loadResourceFile` in its hub.js). Our custom cache answers both forms:
 * - A loaded version is registered under a fresh model id `modelship-memory/m<n>` (fresh so that
 *   transformers' memoised configs never mix two versions), and `match` serves its bytes.
 * - A hub download registers a capture: `match` misses (so transformers fetches), and `put`
 *   keeps each fetched file's bytes under its relative path.
 * `env.fetch` answers 404 for memory ids (an optional file that is absent: transformers moves
 * on, a required one fails with the path) and lets only the capture's hub through; anything
 * else is refused, so no code path can reach huggingface.co behind the user's back.
 */

export type Transformers = typeof transformers;

export const MEMORY_ORG = 'modelship-memory';

/** `…/modelship-memory/m12/…` in a local path or a remote URL; group 2 is the file path. */
const MEMORY_KEY = new RegExp(`(?:^|/)(${MEMORY_ORG}/m\\d+)/(?:resolve/[^/]+/)?(.+)$`);

const memory = new Map<string, VerifiedFiles>();
let counter = 0;

interface Capture {
	hubId: string;
	/** `remoteHost` with a trailing slash. */
	host: string;
	files: Map<string, Uint8Array>;
	signal?: AbortSignal;
}
let capture: Capture | null = null;

function escapeRegExp(s: string): string {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function captured(key: string): { capture: Capture; path: string } | null {
	if (!capture) return null;
	const match = new RegExp(`(?:^|/)${escapeRegExp(capture.hubId)}/resolve/[^/]+/(.+)$`).exec(key);
	return match?.[1] ? { capture, path: decodeURIComponent(match[1]) } : null;
}

/** Where a cache key points: a registered version's file, or a captured hub file. */
export function locate(key: string): Uint8Array | undefined {
	const m = MEMORY_KEY.exec(key);
	if (m?.[1] && m[2]) return memory.get(m[1])?.get(decodeURIComponent(m[2]));
	const hit = captured(key);
	return hit?.capture.files.get(hit.path);
}

function respond(bytes: Uint8Array): Response {
	return new Response(bytes as Uint8Array<ArrayBuffer>, {
		headers: { 'content-length': String(bytes.byteLength) }
	});
}

const cache = {
	async match(key: string): Promise<Response | undefined> {
		const bytes = locate(key);
		return bytes ? respond(bytes) : undefined;
	},
	async put(key: string, response: Response): Promise<void> {
		const hit = captured(key);
		if (hit) hit.capture.files.set(hit.path, new Uint8Array(await response.arrayBuffer()));
	}
};

/** Thrown by our `env.fetch` for a URL transformers.js may not reach. */
export class BlockedRequestError extends Error {
	constructor(url: string) {
		super(
			`transformers.js tried to fetch ${url}, which is neither a loaded version nor the hub being downloaded from`
		);
		this.name = 'BlockedRequestError';
	}
}

function guardedFetch(input: string | URL, init?: RequestInit): Promise<Response> {
	const url = String(input);
	if (MEMORY_KEY.test(url)) return Promise.resolve(new Response(null, { status: 404 }));
	if (capture && url.startsWith(capture.host)) {
		return fetch(url, { ...init, signal: capture.signal ?? init?.signal ?? null });
	}
	return Promise.reject(new BlockedRequestError(url));
}

let configured = false;

function configureEnv(): void {
	if (configured) return;
	const env = transformers.env;
	env.allowLocalModels = false;
	// Must stay true (transformers refuses to load with both off); `guardedFetch` decides.
	env.allowRemoteModels = true;
	env.useFS = false;
	env.useFSCache = false;
	env.useBrowserCache = false;
	// Its wasm pre-loading needs an `mjs` path we do not set; the service worker caches wasm.
	env.useWasmCache = false;
	env.useCustomCache = true;
	env.customCache = cache;
	env.fetch = guardedFetch;
	env.logLevel = transformers.LogLevel.ERROR;
	configured = true;
}

/**
 * transformers.js, with its file access locked down and its onnxruntime (the same
 * `onnxruntime-web/webgpu` module as `ortRuntime`) pointed at the app's own wasm.
 */
export async function prepareTransformers(plan: ExecutionPlan): Promise<Transformers> {
	configureEnv();
	const ort = await configureOrt(plan);
	// The same object as `ort.env.wasm` when both resolve to one ORT module; set anyway, so a
	// duplicated ORT copy still never falls back to transformers' CDN default.
	const wasm = transformers.env.backends.onnx.wasm;
	if (wasm && wasm !== ort.env.wasm) {
		wasm.wasmPaths = ort.env.wasm.wasmPaths;
		wasm.numThreads = ort.env.wasm.numThreads;
		wasm.proxy = false;
	}
	return transformers;
}

/** Makes `files` loadable as the model id returned, until `release()`. */
export function registerFiles(files: VerifiedFiles): { modelId: string; release: () => void } {
	const modelId = `${MEMORY_ORG}/m${++counter}`;
	memory.set(modelId, files);
	return { modelId, release: () => memory.delete(modelId) };
}

/** The relative path inside a model for a key or URL of a registered version, if it is one. */
export function memoryPath(keyOrUrl: string): string | null {
	return MEMORY_KEY.exec(keyOrUrl)?.[2] ?? null;
}

let captureChain: Promise<unknown> = Promise.resolve();

/**
 * Runs `body` with fetches to `hubUrl` allowed and every fetched file of `hubId` kept.
 * One capture at a time: `env.remoteHost` is global to transformers.js.
 */
export function withCapture<T>(
	hubId: string,
	hubUrl: string,
	signal: AbortSignal | undefined,
	body: (files: Map<string, Uint8Array>) => Promise<T>
): Promise<T> {
	const run = async () => {
		const host = hubUrl.endsWith('/') ? hubUrl : `${hubUrl}/`;
		const files = new Map<string, Uint8Array>();
		const previousHost = transformers.env.remoteHost;
		capture = { hubId, host, files, signal };
		transformers.env.remoteHost = host;
		try {
			return await body(files);
		} finally {
			capture = null;
			transformers.env.remoteHost = previousHost;
		}
	};
	const result = captureChain.then(run, run);
	captureChain = result.catch(() => undefined);
	return result;
}
