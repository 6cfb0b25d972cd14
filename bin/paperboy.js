#!/usr/bin/env node
// The npm bin, which `npm start` and the systemd unit run: the compiled JavaScript in dist/node
// (`npm run build`; npm install runs it). `npm run dev` runs the TypeScript sources instead (bin/dev.js).
import { run } from './run.js';

await run(new URL('../dist/node/src/main.js', import.meta.url), () => import('../dist/node/src/main.js'));
