/**
 * OPML import and export through the CLI (`paperboy feed import | export`), on a real OPML file
 * (test/fixtures/opml/README.md says where it is from): a round trip keeps every feed and its name,
 * nested folders are flattened, each outline that cannot be used is named while the rest are
 * imported, and a broken file is refused with its line.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOpml } from '../src/app/feeds/opml.ts';
import { cliWith } from './helpers/cli.ts';

const REAL = new URL('./fixtures/opml/engineering_blogs.opml', import.meta.url).pathname;

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'paperboy-opml-'));
}

interface Listed {
  url: string;
  name: string;
  health: { state: string };
}

describe('GIVEN a real OPML file of 422 feeds in one folder', () => {
  it('THEN import adds 420 (two are listed twice), export writes them all, and importing the export elsewhere gives the same feeds', async () => {
    const dir = tempDir();
    const cli = cliWith(() => join(dir, 'first.db'));
    const imported = await cli('feed', 'import', REAL);
    expect(imported.code).toBe(0);
    expect(imported.stdout.split('\n').at(-2)).toBe(`${REAL}: 420 added, 2 already read, 0 refused`);
    expect(imported.stdout).toContain('added https://blog.cloudflare.com/rss as "Cloudflare"\n');
    const first = JSON.parse((await cli('feed', 'list', '--json')).stdout) as Listed[];
    expect(first).toHaveLength(420);
    expect(new Set(first.map((f) => f.health.state))).toEqual(new Set(['new']));

    // Again: nothing new, nothing renamed.
    expect((await cli('feed', 'import', REAL)).stdout.split('\n').at(-2)).toBe(`${REAL}: 0 added, 422 already read, 0 refused`);

    const out = join(dir, 'export.opml');
    const exported = await cli('feed', 'export', out);
    expect(exported).toMatchObject({ code: 0, stderr: `wrote ${out}\n` });
    const outlines = readOpml(readFileSync(out, 'utf8'), out);
    expect(outlines).toHaveLength(420);
    expect(outlines.find((o) => o.xmlUrl === 'https://blog.cloudflare.com/rss')).toMatchObject({ text: 'Cloudflare', title: 'Cloudflare', type: 'rss' });

    const again = cliWith(() => join(dir, 'second.db'));
    expect((await again('feed', 'import', out)).stdout.split('\n').at(-2)).toBe(`${out}: 420 added, 0 already read, 0 refused`);
    const second = JSON.parse((await again('feed', 'list', '--json')).stdout) as Listed[];
    expect(second.map((f) => [f.url, f.name])).toEqual(first.map((f) => [f.url, f.name]));
    // Without a file, the OPML goes to standard output.
    // (Its dateCreated is the time of each export, so the outlines are compared.)
    expect(readOpml((await again('feed', 'export')).stdout, 'stdout')).toEqual(outlines);
  });
});

describe('GIVEN OPML files with mistakes', () => {
  it('THEN nested folders are flattened, each unusable outline is named, the rest imported, and the exit code says some were refused', async () => {
    const dir = tempDir();
    const cli = cliWith(() => join(dir, 'p.db'));
    const file = join(dir, 'mixed.opml');
    writeFileSync(
      file,
      `<?xml version="1.0"?>
<opml version="2.0"><head><title>Mixed</title></head><body>
  <outline text="News">
    <outline text="World">
      <outline text="Harbour Gazette" xmlUrl="https://harbour.example/rss"/>
      <outline text="Old FTP" xmlUrl="ftp://files.example/feed.xml"/>
    </outline>
    <outline text="Not a link" xmlUrl="just words"/>
  </outline>
  <!-- <outline text="Retired" xmlUrl="https://retired.example/rss"/> -->
  <outline text="A bookmark" type="link" url="https://example.com/"/>
  <outline title="Quay Times" text="quay" xmlUrl="https://quay.example/feed#top"/>
</body></opml>`,
    );
    const result = await cli('feed', 'import', file);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      `added https://harbour.example/rss as "Harbour Gazette"\nadded https://quay.example/feed as "Quay Times"\n${file}: 2 added, 0 already read, 3 refused\n`,
    );
    expect(result.stderr).toBe(
      [
        'refused: News / World / Old FTP: "ftp:" feeds are not supported; use an http(s) URL',
        'refused: News / Not a link: "just words" is not a URL; give the feed\'s full address, starting with https://',
        'refused: A bookmark: no xmlUrl: not a feed',
        '',
      ].join('\n'),
    );
  });

  it('THEN broken XML is refused with its line, and so are an oversized file and folders nested without end', async () => {
    const dir = tempDir();
    const cli = cliWith(() => join(dir, 'p.db'));
    const broken = join(dir, 'broken.opml');
    writeFileSync(broken, '<?xml version="1.0"?>\n<opml version="2.0">\n<body>\n<outline text="A" xmlUrl="https://a.example/rss">\n</body>\n</opml>\n');
    const refused = await cli('feed', 'import', broken);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      `${broken}:5: not well-formed XML (column 1): Expected closing tag 'outline' (opened in line 4, col 1) instead of closing tag 'body'.`,
    );

    const big = join(dir, 'big.opml');
    writeFileSync(big, `<opml><body>${'<outline text="x" xmlUrl="https://x.example/"/>'.repeat(25_000)}</body></opml>`);
    expect((await cli('feed', 'import', big)).stderr).toMatch(new RegExp(`^.*${big}: an OPML file is at most 1 MB, this one is \\d+ bytes`, 'm'));

    const deep = join(dir, 'deep.opml');
    writeFileSync(deep, `<opml><body>${'<outline text="f">'.repeat(40)}${'</outline>'.repeat(40)}</body></opml>`);
    expect((await cli('feed', 'import', deep)).stderr).toContain(`${deep}: folders nest deeper than 32 levels`);
    // Refused before the database was opened: none was made.
    expect((await cli('feed', 'list', '--json')).stderr).toMatch(/^paperboy: no database at /);
  });

  it('THEN exporting with no feeds says there is nothing to export, exit 1, and writes no file', async () => {
    const dir = tempDir();
    const cli = cliWith(() => join(dir, 'empty.db'));
    // A library that had a feed and has none now.
    expect((await cli('feed', 'add', 'https://harbour.example/rss')).code).toBe(0);
    expect((await cli('feed', 'remove', 'https://harbour.example/rss')).code).toBe(0);
    const out = join(dir, 'feeds.opml');
    const result = await cli('feed', 'export', out);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('there are no feeds to export: add one with `feed add` (or /feed add), or import an OPML file');
    expect(existsSync(out)).toBe(false);
  });

  it('THEN a `>` inside an attribute value (titles such as "A -> B") is text, not the end of a tag: 40 of them nest nothing', () => {
    const outlines = Array.from({ length: 40 }, (_, i) => `<outline text='A -> B ${i}' title="C > D" xmlUrl="https://e.example/${i}"/>`).join('\n');
    const read = readOpml(`<?xml version="1.0"?>\n<opml version="2.0"><head><title>t</title></head><body>\n${outlines}\n</body></opml>`, 'arrows.opml');
    expect(read.map((o) => o.text)).toEqual(Array.from({ length: 40 }, (_, i) => `A -> B ${i}`));
  });
});
