import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Article } from '../src/core/model.ts';
import { run } from '../src/ui/cli/main.ts';
import { capture, cliWith } from './helpers/cli.ts';

const SAMPLE = resolve(import.meta.dirname, 'fixtures/000_19f3c93e7cb867fa.txt');
const SAMPLE_TITLE = 'Russia and NATO are severing ties: who is to blame and what to do?';

let dir: string;
let db: string;

const cli = cliWith(() => db);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-cli-'));
  db = join(dir, 'cli.db');
});

describe('GIVEN a folder with the sample, a JSON article, a broken file and a stray file', () => {
  beforeEach(() => {
    mkdirSync(join(dir, 'in', 'nested'), { recursive: true });
    copyFileSync(SAMPLE, join(dir, 'in', 'sample.txt'));
    writeFileSync(
      join(dir, 'in', 'nested', 'walrus.json'),
      JSON.stringify({ title: 'Walrus colony found', url: 'https://example.com/walrus', body: 'A colony of walruses.\n\nIt is large.' }),
    );
    writeFileSync(join(dir, 'in', 'broken.json'), '{ "title": "Half a file",\n  "body": ');
    writeFileSync(join(dir, 'in', 'notes.md'), '# not an article');
  });

  it('THEN ingest stores what parsed, names each failure, and exits 1', async () => {
    const r = await cli('ingest', join(dir, 'in'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('added 2, updated 0, unchanged 0, failed 1');
    expect(r.stderr).toMatch(/failed: .*broken\.json:2/);
    expect(r.stderr).toContain('skipped 1 file(s)');
    const list = JSON.parse((await cli('list', '--json')).stdout) as { title: string }[];
    expect(list.map((a) => a.title).sort()).toEqual([SAMPLE_TITLE, 'Walrus colony found']);
  });

  it('THEN ingesting again changes nothing, and a missing path is a failure', async () => {
    await cli('ingest', join(dir, 'in'));
    const again = await cli('ingest', join(dir, 'in', 'sample.txt'), join(dir, 'nope.txt'));
    expect(again.stdout).toContain('added 0, updated 0, unchanged 1, failed 1');
    expect(again.stderr).toContain('nope.txt');
  });

  it('THEN --json gives the report as data', async () => {
    const r = await cli('ingest', '--json', join(dir, 'in'));
    const report = JSON.parse(r.stdout) as { added: number; failed: number; failures: { file: string; error: string }[] };
    expect(report).toMatchObject({ added: 2, failed: 1 });
    expect(report.failures[0]?.file).toContain('broken.json');
  });
});

describe('GIVEN the sample ingested', () => {
  beforeEach(async () => {
    expect((await cli('ingest', SAMPLE)).code).toBe(0);
  });

  it('THEN search finds it by a stemmed word, with a highlighted snippet', async () => {
    const r = await cli('search', 'expanding');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(SAMPLE_TITLE);
    expect(r.stdout).toContain('**expansion**');
  });

  it('THEN search --json is the documented shape', async () => {
    const r = await cli('search', 'political', 'plane', '--in', 'comments', '--json');
    const result = JSON.parse(r.stdout) as { total: number; hits: { kind: string; comment: { number: number; rating: number } }[] };
    expect(result.total).toBe(1);
    expect(result.hits[0]).toMatchObject({ kind: 'comment', comment: { number: 1, rating: -1 } });
  });

  it('THEN -words, "phrases" and prefix* typed as separate arguments work as in the README', async () => {
    expect((await cli('search', 'nato', '-walrus', '--in', 'articles')).stdout).toContain(SAMPLE_TITLE);
    const excluded = await cli('search', 'nato', '-russia', '--in', 'articles');
    expect(excluded.code).toBe(0);
    expect(excluded.stdout).toMatch(/^No results for "nato -russia"/);
    expect((await cli('search', '"eastward expansion"')).stdout).toContain(SAMPLE_TITLE);
    expect((await cli('search', 'expan*', '--in', 'articles')).stdout).toContain(SAMPLE_TITLE);
  });

  it('THEN nothing found is a plain sentence, not an error', async () => {
    const r = await cli('search', '"unbalanced', 'NEAR(');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^No results for/);
  });

  it('THEN show --json prints a valid Article, found by id prefix too', async () => {
    const [row] = JSON.parse((await cli('list', '--json')).stdout) as { id: string }[];
    const r = await cli('show', row!.id.slice(0, 6), '--json');
    const article = Article.parse(JSON.parse(r.stdout));
    expect(article.title).toBe(SAMPLE_TITLE);
    expect(article.comments.map((c) => c.rating)).toEqual([-1, 0, 0, 0]);
    const text = await cli('show', row!.id);
    expect(text.stdout).toContain('## NATO and the USSR');
    expect(text.stdout).toContain('#1 · 2021-10-20 10:12 · rating -1');
  });

  it('THEN export gives JSON that ingest takes back unchanged', async () => {
    const out = join(dir, 'export.json');
    expect((await cli('export', '--output', out)).code).toBe(0);
    const exported = readFileSync(out, 'utf8');
    const other = join(dir, 'other.db');
    const io = capture();
    expect(await run(['--db', other, 'ingest', out], io)).toBe(0);
    expect(io.stdout).toContain('added 1');
    const io2 = capture();
    await run(['--db', other, 'export'], io2);
    expect(io2.stdout).toBe(exported);
  });

  it('THEN export to a folder that does not exist is one plain line, not a crash', async () => {
    const r = await cli('export', '--output', join(dir, 'no', 'such', 'folder.json'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot write .*folder\.json: ENOENT/);
  });

  it('THEN user mistakes get one plain line and exit 1', async () => {
    const missing = await cli('show', 'ffffffffffffffff');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no article with id or URL "ffffffffffffffff"');
    const badLimit = await cli('search', 'nato', '--limit', 'ten');
    expect(badLimit.code).not.toBe(0);
    expect(badLimit.stderr).toContain('--limit: expected a whole number from 1 up, got `ten`');
    for (const written of ['1e1', '0x10', '5.0', '-3']) {
      expect((await cli('search', 'nato', '--limit', written)).stderr).toContain(`--limit: expected a whole number from 1 up, got \`${written}\``);
    }
    const badDate = await cli('search', 'nato', '--from', 'yesterday');
    expect(badDate.stderr).toContain('--from: expected a date as YYYY-MM-DD, got `yesterday`');
  });
});

describe('GIVEN a folder with a symbolic link, a broken link and an unreadable subfolder', () => {
  it('THEN linked files are read, and each problem is named without stopping the rest', async () => {
    const { chmodSync, symlinkSync } = await import('node:fs');
    const root = join(dir, 'tree');
    mkdirSync(join(root, 'locked'), { recursive: true });
    copyFileSync(SAMPLE, join(dir, 'outside.txt'));
    symlinkSync(join(dir, 'outside.txt'), join(root, 'linked.txt'));
    symlinkSync(join(dir, 'missing.txt'), join(root, 'broken.txt'));
    writeFileSync(join(root, 'locked', 'hidden.json'), JSON.stringify({ title: 'Locked away', body: 'Text.' }));
    chmodSync(join(root, 'locked'), 0o000);
    try {
      const r = await cli('ingest', root);
      // Root can read any folder, so the unreadable one only fails for other users.
      const root_ = process.getuid?.() === 0;
      expect(r.stdout).toContain(root_ ? 'added 2, updated 0, unchanged 0, failed 1' : 'added 1, updated 0, unchanged 0, failed 2');
      expect(r.stderr).toContain('broken.txt');
      if (!root_) expect(r.stderr).toContain('locked');
    } finally {
      chmodSync(join(root, 'locked'), 0o755);
    }
  });
});

describe('GIVEN a library exported as JSON Lines', () => {
  it('THEN ingest reads it back line by line, unchanged, and a bad line fails alone', async () => {
    expect((await cli('ingest', SAMPLE)).code).toBe(0);
    writeFileSync(
      join(dir, 'more.json'),
      JSON.stringify([
        { title: 'Second', body: 'Two.' },
        { title: 'Third', body: 'Three.' },
      ]),
    );
    await cli('ingest', join(dir, 'more.json'));
    const out = join(dir, 'library.jsonl');
    expect((await cli('export', '--output', out)).code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.trimEnd().split('\n')).toHaveLength(3);

    const other = join(dir, 'other.db');
    const again = cliWith(() => other);
    expect((await again('ingest', out)).stdout).toContain('added 3, updated 0, unchanged 0, failed 0');
    expect((await again('export', '--jsonl')).stdout).toBe(text);

    const lines = text.trimEnd().split('\n');
    writeFileSync(join(dir, 'broken.jsonl'), [lines[0], '{"title": "Half', lines[2], ''].join('\n'));
    const third = cliWith(() => join(dir, 'third.db'));
    const r = await third('ingest', join(dir, 'broken.jsonl'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('added 2, updated 0, unchanged 0, failed 1');
    expect(r.stderr).toMatch(/broken\.jsonl:2: expected/);
  });
});

describe('GIVEN harbour articles published on 2020-02-29, 2021-02-28 and 2021-03-01', () => {
  beforeEach(async () => {
    const days = ['2020-02-29', '2021-02-28', '2021-03-01'];
    const articles = days.map((day) => ({
      title: `Harbour report ${day}`,
      url: `https://example.com/harbour/${day}`,
      publishedAt: day,
      body: `The harbour reopened on ${day}.`,
    }));
    writeFileSync(join(dir, 'harbour.json'), JSON.stringify(articles));
    expect((await cli('ingest', join(dir, 'harbour.json'))).code).toBe(0);
  });

  const titles = async (...args: string[]): Promise<string[]> => {
    const r = await cli('search', 'harbour', '--json', ...args);
    expect(r.code).toBe(0);
    return (JSON.parse(r.stdout) as { hits: { title: string }[] }).hits.map((h) => h.title).sort();
  };

  it('THEN --from and --to take only real calendar days, and a refusal names the option and why', async () => {
    const cases: [string[], string][] = [
      [['--from', '2021-13-45'], '--from: 2021-13-45 is not a date (there is no month 13)'],
      [['--to', '2021-02-30'], '--to: 2021-02-30 is not a date (February has 28 days in 2021)'],
      [['--to', '2021-02-29'], '--to: 2021-02-29 is not a date (February has 28 days in 2021)'],
      [['--from', '2021-04-31'], '--from: 2021-04-31 is not a date (April has 30 days)'],
      [['--from', '2021-00-10'], '--from: 2021-00-10 is not a date (there is no month 00)'],
      [['--from', '2021-01-00'], '--from: 2021-01-00 is not a date (there is no day 00)'],
      [['--from', '1900-02-29'], '--from: 1900-02-29 is not a date (February has 28 days in 1900)'],
      [['--from', '2021-03-01', '--to', '2021-02-28'], '--from 2021-03-01 is after --to 2021-02-28: nothing can match'],
    ];
    for (const [args, message] of cases) {
      const r = await cli('search', 'harbour', ...args);
      expect({ args, code: r.code, stdout: r.stdout, stderr: r.stderr.trim() }).toEqual({ args, code: 1, stdout: '', stderr: `paperboy: ${message}` });
    }
    // Leap days are days: 2020 and 2000 had a February 29th.
    expect(await titles('--from', '2020-02-29', '--to', '2020-02-29')).toEqual(['Harbour report 2020-02-29']);
    expect(await titles('--from', '2000-02-29', '--to', '2021-02-28')).toEqual(['Harbour report 2020-02-29', 'Harbour report 2021-02-28']);
    expect(await titles('--from', '2021-03-01', '--to', '2021-03-01')).toEqual(['Harbour report 2021-03-01']);
  });

  it('THEN --limit above 100 is refused with the allowed range, and 100 itself is taken', async () => {
    const over = await cli('search', 'harbour', '--limit', '1000');
    expect(over.code).toBe(1);
    expect(over.stdout).toBe('');
    expect(over.stderr).toContain('--limit: expected a whole number from 1 to 100, got `1000` (use --page for more)');
    const most = await cli('search', 'harbour', '--limit', '100', '--json');
    expect(most.code).toBe(0);
    expect(JSON.parse(most.stdout)).toMatchObject({ limit: 100, total: 3 });
    expect((await cli('search', 'harbour', '--limit', '0')).stderr).toContain('--limit: expected a whole number from 1 up, got `0`');
  });
});

describe('GIVEN the sample ingested, and an id typed in capitals or cut short', () => {
  let id: string;
  beforeEach(async () => {
    expect((await cli('ingest', SAMPLE)).code).toBe(0);
    id = (JSON.parse((await cli('list', '--json')).stdout) as { id: string }[])[0]!.id;
  });

  it('THEN an id or id prefix in capitals finds the article in show, summarize, quote and digest', async () => {
    for (const ref of [id.toUpperCase(), id.slice(0, 6).toUpperCase(), ` ${id.slice(0, 4).toUpperCase()} `]) {
      const shown = await cli('show', ref, '--json');
      expect({ ref, code: shown.code, stderr: shown.stderr }).toEqual({ ref, code: 0, stderr: '' });
      expect((JSON.parse(shown.stdout) as { id: string }).id).toBe(id);
      for (const command of ['summarize', 'quote', 'digest']) {
        const r = await cli(command, ref, '--json');
        expect({ command, ref, code: r.code, stderr: r.stderr }).toEqual({ command, ref, code: 0, stderr: '' });
        expect(JSON.parse(r.stdout)).toMatchObject({ id });
      }
    }
  });

  it('THEN a prefix of fewer than 4 hex digits says an id prefix needs at least 4, whatever its case', async () => {
    for (const ref of [id.slice(0, 3), id.slice(0, 3).toUpperCase(), id.slice(0, 1)]) {
      const r = await cli('show', ref);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`paperboy: "${ref}": an id prefix needs at least 4 hex digits (see \`paperboy list\` for ids)\n`);
    }
    // Not hex at all: no id prefix was meant, so the usual "no article" stays.
    expect((await cli('show', 'xyz')).stderr).toContain('no article with id or URL "xyz"');
    // Longer than an id: no article, rather than a prefix of one.
    expect((await cli('show', `${id}0`)).stderr).toContain(`no article with id or URL "${id}0"`);
  });
});
