// npm install's `prepare`: the build (scripts/build.ts, through tsx). A production install
// (`npm ci --omit=dev`, as the README's service setup does) has neither tsx nor esbuild: it keeps the
// build that came with the copied tree, and refuses a tree without one, saying how to make it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outputs = ['dist/node/src/main.js', 'dist/page/app.js', 'packages/fake-discord/dist/index.js'];

let tsx = true;
try {
  import.meta.resolve('tsx');
} catch {
  tsx = false;
}

if (tsx) {
  const build = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('build.ts', import.meta.url))], { stdio: 'inherit', cwd: root });
  process.exitCode = build.status ?? 1;
} else {
  const missing = outputs.filter((file) => !existsSync(new URL(`../${file}`, import.meta.url)));
  if (missing.length === 0) {
    process.stdout.write('build: dev dependencies not installed, so the build copied in is kept as it is (dist/, packages/fake-discord/dist/)\n');
  } else {
    process.stderr.write(
      `build: ${missing.join(', ')} missing, and the dev dependencies that build it (tsx, esbuild) are not installed: install with \`npm ci\` (which builds), then \`npm prune --omit=dev\`\n`,
    );
    process.exitCode = 1;
  }
}
