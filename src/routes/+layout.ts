// The whole app runs in the browser: pages are prerendered as empty shells that any static
// host (and the service worker, offline) can serve.
export const ssr = false;
export const prerender = true;
export const trailingSlash = 'never';
