#!/usr/bin/env node
// The npm bin, which `npm start` and the systemd unit run: the compiled JavaScript in dist/node
// (`npm run build`; npm install runs it, and so does this bin when the build is older than the sources
// and tsx is installed). `npm run dev` runs the TypeScript sources instead (bin/dev.js).
import { run } from './run.js';

await run(() => import('../dist/node/src/main.js'), { built: true });
