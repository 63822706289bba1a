#!/usr/bin/env node
// `npx modelship …` from a checkout of ModelShip: runs the TypeScript command line (the same
// export writers as the app) through Vite's module runner, so there is nothing to build first.
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

// `modelship formats | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error) => {
	if (error.code === 'EPIPE') process.exit(0);
	throw error;
});

const entry = fileURLToPath(new URL('./modelship.ts', import.meta.url));
const { module } = await runnerImport(entry, { configFile: false, logLevel: 'silent' });
process.exitCode = await module.main(process.argv.slice(2));
