// scratch: CPU-profile the runner on the page
import { chromium } from '@playwright/test';
const base = process.argv[2];
const n = Number(process.argv[3] ?? 20000);
const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu']
});
const page = await (await browser.newContext({ serviceWorkers: 'block' })).newPage();
await page.goto(`${base}/bench/`);
await page.waitForFunction(() => document.title === 'bench ready');
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
await cdp.send('Profiler.start');
const r = await page.evaluate((n) => window.bench.runnerOnPage(n), n);
const { profile } = await cdp.send('Profiler.stop');
console.log('seconds', r.seconds, 'trace', JSON.stringify(r.trace.filter((_, i) => i % 4 === 0)));
const self = new Map();
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const dt = profile.timeDeltas;
const counts = new Map();
profile.samples.forEach((id, i) => counts.set(id, (counts.get(id) ?? 0) + (dt[i] ?? 0)));
for (const [id, us] of counts) {
	const n = byId.get(id);
	const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
	self.set(k, (self.get(k) ?? 0) + us);
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
console.log('total ms', (total / 1000).toFixed(0));
for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25))
	console.log((us / 1000).toFixed(0).padStart(8), k);
// parents of top function
await browser.close();
