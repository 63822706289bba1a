// A stand-in for the Hugging Face hub, so the hub download path is tested without the internet
// (DESIGN.md: no test may download from the hub). It serves fixture folders under the hub's URL
// scheme, `/<org>/<name>/resolve/<revision>/<file>`, with the headers a cross-origin-isolated
// page needs to read them (CORS, CORP), content-length for byte progress, and single byte
// ranges (transformers.js sizes files with a `Range: bytes=0-0` request first).
//
//   const hub = await startMockHub({ port: 0 });
//   // env.remoteHost = hub.url → `${hub.url}/modelship-fixtures/tiny-sentiment/resolve/main/config.json`
//   hub.requests; // [{ method, path, status, range }]
//   await hub.close();
//
// Run alone: `node tests/mockHub.mjs [port]` prints its URL and logs requests.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentType, isFile } from './isolatedServer.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));

const CORS = {
	'Access-Control-Allow-Origin': '*',
	'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
	'Access-Control-Allow-Headers': 'Range, Content-Type',
	'Access-Control-Expose-Headers': 'Content-Length, Content-Range, Accept-Ranges, ETag',
	'Cross-Origin-Resource-Policy': 'cross-origin'
};

/**
 * @param {{ port?: number, host?: string, root?: string, org?: string, log?: boolean }} [options]
 * @returns {Promise<{ url: string, port: number, requests: { method: string, path: string, status: number, range: string | null }[], close: () => Promise<void> }>}
 */
export async function startMockHub({
	port = 0,
	host = '127.0.0.1',
	root = path.join(repo, 'tests/fixtures/models/hf'),
	org = 'modelship-fixtures',
	log = false
} = {}) {
	const absRoot = path.resolve(repo, root);
	/** @type {{ method: string, path: string, status: number, range: string | null }[]} */
	const requests = [];
	const prefix = `/${org}/`;

	/** @param {string} urlPath @returns {Promise<string | null>} */
	async function resolveFile(urlPath) {
		let pathname;
		try {
			pathname = decodeURIComponent(urlPath);
		} catch {
			return null;
		}
		if (!pathname.startsWith(prefix)) return null;
		// <name>/resolve/<revision>/<file…>
		const match = /^([^/]+)\/resolve\/[^/]+\/(.+)$/.exec(pathname.slice(prefix.length));
		if (!match) return null;
		const [, name = '', file = ''] = match;
		const full = path.resolve(absRoot, name, file);
		if (!full.startsWith(absRoot + path.sep) || full.includes('\0')) return null;
		return (await isFile(full)) ? full : null;
	}

	const server = http.createServer(async (req, res) => {
		const method = req.method ?? 'GET';
		const urlPath = new URL(req.url ?? '/', 'http://hub').pathname;
		const range = typeof req.headers.range === 'string' ? req.headers.range : null;
		const done = (/** @type {number} */ status) => {
			requests.push({ method, path: urlPath, status, range });
			if (log) console.log(`${status} ${method} ${urlPath}${range ? ` (${range})` : ''}`);
		};

		if (method === 'OPTIONS') {
			res.writeHead(204, { ...CORS, 'Access-Control-Max-Age': '600' }).end();
			return done(204);
		}
		if (method !== 'GET' && method !== 'HEAD') {
			res.writeHead(405, CORS).end();
			return done(405);
		}
		const file = await resolveFile(urlPath);
		if (!file) {
			res.writeHead(404, { ...CORS, 'Content-Type': 'text/plain' }).end('Entry not found');
			return done(404);
		}
		const size = (await stat(file)).size;
		const headers = {
			...CORS,
			'Content-Type': contentType(file),
			'Accept-Ranges': 'bytes',
			'Cache-Control': 'no-store'
		};
		const bytes = /^bytes=(\d+)-(\d*)$/.exec(range ?? '');
		if (bytes) {
			const start = Number(bytes[1]);
			const end = Math.min(bytes[2] ? Number(bytes[2]) : size - 1, size - 1);
			if (start >= size || start > end) {
				res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}` }).end();
				return done(416);
			}
			res.writeHead(206, {
				...headers,
				'Content-Length': String(end - start + 1),
				'Content-Range': `bytes ${start}-${end}/${size}`
			});
			if (method === 'HEAD') res.end();
			else createReadStream(file, { start, end }).pipe(res);
			return done(206);
		}
		res.writeHead(200, { ...headers, 'Content-Length': String(size) });
		if (method === 'HEAD') res.end();
		else createReadStream(file).pipe(res);
		return done(200);
	});

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolve(undefined));
	});
	const address = server.address();
	const actualPort = typeof address === 'object' && address ? address.port : port;
	return {
		url: `http://${host}:${actualPort}`,
		port: actualPort,
		requests,
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const hub = await startMockHub({ port: Number(process.argv[2] ?? 0), log: true });
	console.log(`mock hub at ${hub.url}/modelship-fixtures/<name>/resolve/main/<file>`);
}
