/**
 * `paperboy ingest` of saved discussion files, through the real CLI and a real SQLite file: the
 * recorded Reddit listing (a `.json` array of two, which must reach its parser whole, not be
 * streamed as two articles) and the HN API's example items, saved as a story alone and as an
 * array of items; and the other helpers' kinds (a Discourse topic, an article's comment feed) reach
 * their parsers the same way. The stored tree must be the parsed one, field for field.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseCommentFeed } from '../src/adapters/discussions/comment-feed.ts';
import { parseDiscourseTopic } from '../src/adapters/discussions/discourse.ts';
import { parseRedditListing } from '../src/adapters/discussions/reddit.ts';
import { readFiles } from '../src/adapters/sources/read.ts';
import { emptyReport } from '../src/adapters/sources/report.ts';
import type { Article } from '../src/core/model.ts';
import { cliWith } from './helpers/cli.ts';

const DIR = resolve(import.meta.dirname, 'fixtures/discussions');
const LISTING = resolve(DIR, 'reddit-n49rw-were-back.listing.json');
/** The README's example responses as written there (byte for byte), by item id. */
const HN_BLOCKS = new Map(
  [...readFileSync(resolve(DIR, 'hn-HackerNews-API-README.md'), 'utf8').matchAll(/```javascript\n([\s\S]*?)\n```/g)]
    .map((m) => m[1]!)
    .filter((b) => b.trim().startsWith('{') && b.includes('"type"'))
    .map((b) => [(JSON.parse(b) as { id: number }).id, b]),
);

let dir: string;
let db: string;
const cli = cliWith(() => db);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-discussions-'));
  db = join(dir, 'library.db');
});

async function stored(): Promise<Article[]> {
  const rows = JSON.parse((await cli('list', '--json')).stdout) as { id: string }[];
  return Promise.all(rows.map(async (r) => JSON.parse((await cli('show', r.id, '--json')).stdout) as Article));
}

describe('GIVEN the recorded Reddit listing saved as a file', () => {
  it('THEN ingest stores the post with its 485-comment tree as parsed, and says what the stubs held back', async () => {
    const file = join(dir, 'were-back.json');
    copyFileSync(LISTING, file);
    const r = await cli('ingest', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('added 1, updated 0, unchanged 0, failed 0');
    expect(r.stderr).toContain(`${file}: 1060 comments left in Reddit's \`more\` stubs were not read: follow the discussion to fetch them`);
    expect(r.stderr).toContain(`${file}: 1 "continue this thread" link`);
    const [article, ...others] = await stored();
    expect(others).toEqual([]);
    const parsed = parseRedditListing(file, JSON.parse(readFileSync(LISTING, 'utf8'))).article;
    expect(article?.title).toBe("We're back");
    expect(article?.comments).toHaveLength(485);
    expect(article?.comments).toEqual(parsed.comments);
    expect({ ...article, ingestedAt: null }).toEqual({ ...parsed, ingestedAt: null });
    expect(article?.comments.filter((c) => c.deleted)).toHaveLength(10);

    const again = await cli('ingest', file);
    expect(again.stdout).toContain('added 0, updated 0, unchanged 1, failed 0');
  });

  it('THEN a listing with a broken post is one failure naming the file, and an article array beside it still streams', async () => {
    writeFileSync(
      join(dir, 'broken.json'),
      JSON.stringify([
        { kind: 'Listing', data: { children: [] } },
        { kind: 'Listing', data: { children: [] } },
      ]),
    );
    writeFileSync(
      join(dir, 'articles.json'),
      JSON.stringify([
        { title: 'First', body: 'One.' },
        { title: 'Second', body: 'Two.' },
      ]),
    );
    const r = await cli('ingest', dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('added 2, updated 0, unchanged 0, failed 1');
    expect(r.stderr).toContain('broken.json: expected the first listing to hold the post');
  });

  it('THEN over the size cap it is refused whole, saying a discussion is not streamed, rather than read as two articles', async () => {
    const report = emptyReport();
    const read = [];
    for await (const source of readFiles([LISTING], report, { maxBytes: 100_000 })) read.push(source);
    expect(read).toEqual([]);
    expect(report.failures).toEqual([
      {
        file: LISTING,
        error: `${LISTING}: expected a file of at most 97.7 kB (INGEST_MAX_MB), got 550.8 kB; it was not read; a saved discussion (a Reddit listing, Hacker News items) is read whole`,
      },
    ]);
  });
});

describe("GIVEN the HN API's example items saved as files", () => {
  it('THEN a story alone is stored with its comments counted as missing', async () => {
    const file = join(dir, '8863.json');
    writeFileSync(file, HN_BLOCKS.get(8863)!);
    const r = await cli('ingest', file);
    expect(r.stdout).toContain('added 1');
    expect(r.stderr).toContain(`${file}: 71 comments of the 71 the source counts are not in the file: follow the discussion to fetch them`);
    const [article] = await stored();
    expect(article).toMatchObject({
      title: 'My YC app: Dropbox - Throw away your USB drive',
      source: 'Hacker News',
      commentsUrl: 'https://news.ycombinator.com/item?id=8863',
      comments: [],
    });
  });

  it('THEN an array of items (a story and a comment) is read whole as one discussion, not streamed as articles', async () => {
    const file = join(dir, 'thread.json');
    writeFileSync(file, `[\n${HN_BLOCKS.get(121003)!},\n${HN_BLOCKS.get(2921983)!}\n]\n`);
    const r = await cli('ingest', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('added 1, updated 0, unchanged 0, failed 0');
    expect(r.stderr).toContain(`${file}: 15 comments of the 16 the source counts are not in the file`);
    const [article] = await stored();
    expect(article?.title).toBe('Ask HN: The Arc Effect');
    expect(article?.comments).toEqual([
      expect.objectContaining({
        id: 'hn:2921983',
        author: 'norvig',
        replyTo: 'hn:2921506',
        url: 'https://news.ycombinator.com/item?id=2921983',
        paragraphs: [
          'Aw shucks, guys ... you make me blush with your compliments.',
          "Tell you what, Ill make a deal: I'll keep writing if you keep reading. K?",
        ],
      }),
    ]);
  });
});

describe('GIVEN a saved Discourse topic and a saved comment feed (fixtures of the other discussion parsers)', () => {
  it('THEN each is stored as its parser reads it, the article with its comment tree', async () => {
    const topic = join(dir, 'topic.json');
    const feed = join(dir, 'comments.atom');
    copyFileSync(resolve(DIR, 'discourse-topic-try-sandbox.json'), topic);
    copyFileSync(resolve(DIR, 'comment-feed-blogger-salmon-test.atom'), feed);
    const r = await cli('ingest', topic, feed);
    expect(r.stdout).toContain('added 2, updated 0, unchanged 0, failed 0');
    const expected = [parseDiscourseTopic(topic, JSON.parse(readFileSync(topic, 'utf8')), null).article, parseCommentFeed(feed, readFileSync(feed)).article];
    const got = await stored();
    for (const want of expected) {
      expect(want.comments.length).toBeGreaterThan(0);
      const article = got.find((a) => a.id === want.id);
      // The store gives an unknown link or edit time back as absent; a parser may say null.
      const known = (comments: readonly Article['comments'][number][]) =>
        comments.map((c) => Object.fromEntries(Object.entries(c).filter(([k, v]) => !((k === 'url' || k === 'editedAt') && v === null))));
      expect(known(article?.comments ?? [])).toEqual(known(want.comments));
      expect(article?.title).toBe(want.title);
    }
  });
});
