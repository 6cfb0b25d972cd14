/**
 * The page's files: `public/` as it is, and the client's TypeScript bundled into one script by
 * esbuild at start-up (about a tenth of a second), so there is no build step to forget and the
 * page always matches the server.
 */
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export type Assets = ReadonlyMap<string, { readonly type: string; readonly body: string }>;

export async function loadAssets(): Promise<Assets> {
  const assets = new Map<string, { type: string; body: string }>();
  const dir = join(HERE, 'public');
  for (const name of await readdir(dir)) {
    const type = TYPES[extname(name)];
    if (type) assets.set(`/${name}`, { type, body: await readFile(join(dir, name), 'utf8') });
  }
  const index = assets.get('/index.html');
  if (index) assets.set('/', index);
  // The page names its icon, but tools and bookmarks still ask for /favicon.ico by habit.
  const icon = assets.get('/favicon.svg');
  if (icon) assets.set('/favicon.ico', icon);
  const bundle = await build({
    entryPoints: [join(HERE, 'client', 'app.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    minify: false,
    // Unminified and without a map: the page's script reads as its sources do, and stays small.
    sourcemap: false,
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0];
  if (!script) throw new Error('playground: esbuild produced no script');
  assets.set('/app.js', { type: TYPES['.js'] ?? '', body: script.text });
  return assets;
}
