// The one local static server of the benchmark, evaluation and harness runners: folders
// mounted under URL prefixes, files built in memory, and the COOP/COEP headers the app is
// deployed with (so pages are cross-origin isolated and WASM runs threaded, as in the app).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';

/** @type {Record<string, string>} */
export const CONTENT_TYPES = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json',
	'.jsonl': 'application/json',
	'.webmanifest': 'application/manifest+json',
	'.wasm': 'application/wasm',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.ico': 'image/x-icon',
	'.txt': 'text/plain; charset=utf-8',
	'.gz': 'application/gzip',
	'.onnx': 'application/octet-stream'
};

/** @param {string} file */
export const contentType = (file) =>
	CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';

/** @param {string} file */
export async function isFile(file) {
	try {
		return (await stat(file)).isFile();
	} catch {
		return false;
	}
}

/**
 * URL path → file: the first mount whose prefix matches, else `fallback` (a SvelteKit static
 * build, where `/a/b` is `a/b.html`). Paths that leave their folder resolve to nothing.
 * @param {string} urlPath
 * @param {[string, string][]} mounts
 * @param {string | null} fallback
 * @returns {Promise<string | null>}
 */
async function resolveFile(urlPath, mounts, fallback) {
	let pathname;
	try {
		pathname = path.posix.normalize(decodeURIComponent(urlPath));
	} catch {
		return null;
	}
	if (pathname.includes('\0') || !pathname.startsWith('/')) return null;
	let root = fallback;
	for (const [prefix, dir] of mounts) {
		if (pathname === prefix || pathname.startsWith(`${prefix}/`)) {
			root = dir;
			pathname = pathname.slice(prefix.length) || '/';
			break;
		}
	}
	if (!root) return null;
	const candidates = pathname.endsWith('/')
		? [`${pathname}index.html`]
		: [pathname, `${pathname}.html`, `${pathname}/index.html`];
	for (const candidate of candidates) {
		const file = path.join(root, candidate);
		if (file.startsWith(root + path.sep) && (await isFile(file))) return file;
	}
	return null;
}

/**
 * Starts the server on a free port of 127.0.0.1.
 * @param {{ mounts?: [string, string][], fallback?: string | null, memoryFiles?: Map<string, Uint8Array>, onRequest?: (urlPath: string) => void }} options
 * @returns {Promise<http.Server>}
 */
export function startIsolatedServer({
	mounts = [],
	fallback = null,
	memoryFiles = new Map(),
	onRequest
} = {}) {
	const server = http.createServer(async (req, res) => {
		res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
		res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
		res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
		const url = new URL(req.url ?? '/', 'http://localhost');
		onRequest?.(url.pathname);
		const readable = req.method === 'GET' || req.method === 'HEAD';
		const inMemory = readable ? memoryFiles.get(url.pathname) : undefined;
		if (inMemory) {
			res.writeHead(200, {
				'Content-Type': contentType(url.pathname),
				'Content-Length': inMemory.byteLength,
				'Cache-Control': 'no-cache'
			});
			res.end(req.method === 'HEAD' ? undefined : inMemory);
			return;
		}
		const file = readable ? await resolveFile(url.pathname, mounts, fallback) : null;
		if (!file) {
			res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
			return;
		}
		const { size } = await stat(file);
		res.writeHead(200, {
			'Content-Type': contentType(file),
			'Content-Length': size,
			'Cache-Control': url.pathname.includes('/immutable/')
				? 'public, max-age=31536000, immutable'
				: 'no-cache'
		});
		if (req.method === 'HEAD') res.end();
		else createReadStream(file).pipe(res);
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve(server));
	});
}
