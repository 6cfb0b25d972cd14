#!/usr/bin/env node
// `npm run dev -- <command>`: Paperboy from its TypeScript sources through tsx, for development, with no
// build but the playground's page (the script builds it first). Its worker threads start through
// bin/ts-worker.js. Run with `--conditions=@paperboy/source` (as the script does), so the local Discord
// loads from packages/fake-discord/src too. Production runs the build: bin/paperboy.js.
import { register } from 'tsx/esm/api';
import { run } from './run.js';

register();
await run(() => import('../src/main.ts'));
