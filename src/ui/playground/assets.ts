/**
 * The page's files, as `npm run build` left them in dist/page (scripts/build.ts): `public/` as it is
 * and the client's TypeScript bundled into `app.js`. Built ahead, so starting the playground needs no
 * bundler; npm install builds it, and so does the tests' global setup when the client changed.
 */
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { PROJECT_ROOT } from '../../config.ts';

/** Where scripts/build.ts writes the page. */
export const PAGE_DIR = join(PROJECT_ROOT, 'dist', 'page');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export type Assets = ReadonlyMap<string, { readonly type: string; readonly body: string }>;

export async function loadAssets(): Promise<Assets> {
  const dir = PAGE_DIR;
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new Error(`playground: the page is not built (no ${dir}); run npm run build`);
    throw error;
  });
  const assets = new Map<string, { type: string; body: string }>();
  for (const name of names) {
    const type = TYPES[extname(name)];
    if (type) assets.set(`/${name}`, { type, body: await readFile(join(dir, name), 'utf8') });
  }
  if (!assets.has('/app.js')) throw new Error(`playground: the page in ${dir} has no app.js; run npm run build`);
  const index = assets.get('/index.html');
  if (index) assets.set('/', index);
  // The page names its icon, but tools and bookmarks still ask for /favicon.ico by habit.
  const icon = assets.get('/favicon.svg');
  if (icon) assets.set('/favicon.ico', icon);
  return assets;
}
