#!/usr/bin/env node
// The npm bin runs the TypeScript sources directly through tsx, resolved from this package
// (not the caller's directory), so `npx paperboy` works from anywhere without a build step.
import { existsSync } from 'node:fs';
import { register } from 'tsx/esm/api';

// A .env file in the current directory fills in settings that the environment does not set.
if (existsSync('.env')) process.loadEnvFile('.env');

// A reader that stops early (`paperboy export | head`) closes the pipe: that ends the output, it is no error.
process.stdout.on('error', (/** @type {NodeJS.ErrnoException} */ error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
