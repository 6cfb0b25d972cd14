import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Article } from '../src/core/model.ts';
import { cliWith } from './helpers/cli.ts';

const SAMPLE = resolve(import.meta.dirname, 'fixtures/000_19f3c93e7cb867fa.txt');
const SAMPLE_TITLE = 'Russia and NATO are severing ties: who is to blame and what to do?';

let dir: string;
let db: string;

const cli = cliWith(() => db);

interface SummaryJson {
  id: string;
  title: string;
  sentences: { text: string; block: number; section: string | null; start: number; end: number }[];
}

interface QuoteJson {
  id: string;
  title: string;
  about: string | null;
  from: string;
  quote: {
    text: string;
    sentences: number;
    source:
      | { kind: 'article'; title: string; section: string | null; block: number; start: number; end: number }
      | { kind: 'comment'; commentId: string; number: number | null; rating: number | null; paragraph: number; start: number; end: number };
  } | null;
}

/** The heading nearest before `block`, as a reader of the article would name its section. */
function sectionOf(article: Article, block: number): string | null {
  for (let i = block; i >= 0; i--) {
    const b = article.body[i];
    if (b?.type === 'heading') return b.text;
  }
  return null;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-cli-text-'));
  db = join(dir, 'cli.db');
});

describe('GIVEN the sample ingested', () => {
  let article: Article;

  beforeEach(async () => {
    expect((await cli('ingest', SAMPLE)).code).toBe(0);
    const [row] = JSON.parse((await cli('list', '--json')).stdout) as { id: string }[];
    article = Article.parse(JSON.parse((await cli('show', row!.id, '--json')).stdout));
  });

  it('THEN summarize --json by id is the documented shape, every sentence verbatim from its block', async () => {
    const r = await cli('summarize', article.id, '--json');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as SummaryJson;
    expect(Object.keys(summary)).toEqual(['id', 'title', 'sentences']);
    expect(summary).toMatchObject({ id: article.id, title: SAMPLE_TITLE });
    expect(summary.sentences).toHaveLength(5);
    for (const s of summary.sentences) {
      expect(Object.keys(s)).toEqual(['text', 'block', 'section', 'start', 'end']);
      expect(article.body[s.block]?.text.slice(s.start, s.end)).toBe(s.text);
      expect(s.section).toBe(sectionOf(article, s.block));
    }
  });

  it('THEN summarize by id prefix prints the title, then each sentence with its section in brackets', async () => {
    const r = await cli('summarize', article.id.slice(0, 6), '--sentences', '12');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(SAMPLE_TITLE);
    const { sentences } = JSON.parse((await cli('summarize', article.id, '--sentences', '12', '--json')).stdout) as SummaryJson;
    expect(sentences.map((s) => s.section)).toContainEqual(expect.any(String));
    expect(lines.slice(2)).toEqual(sentences.map((s) => (s.section ? `${s.text}  [${s.section}]` : s.text)));
  });

  it('THEN --sentences and --chars limit the summary', async () => {
    const two = JSON.parse((await cli('summarize', article.id, '--sentences', '2', '--json')).stdout) as SummaryJson;
    expect(two.sentences).toHaveLength(2);
    const short = JSON.parse((await cli('summarize', article.id, '--chars', '300', '--json')).stdout) as SummaryJson;
    expect(short.sentences.length).toBeGreaterThan(0);
    expect(short.sentences.map((s) => s.text).join(' ').length).toBeLessThanOrEqual(300);
  });

  it('THEN quote --about "expansion" gives a verbatim passage about it, cited by title, section and paragraph', async () => {
    const view = JSON.parse((await cli('quote', article.id, '--about', 'expansion', '--json')).stdout) as QuoteJson;
    expect(view).toMatchObject({ id: article.id, title: SAMPLE_TITLE, about: 'expansion', from: 'article' });
    const q = view.quote!;
    expect(q.text).toMatch(/expansion/i);
    expect(q.source.kind).toBe('article');
    if (q.source.kind !== 'article') return;
    expect(q.source.section).toBe(sectionOf(article, q.source.block));
    expect(q.source.section).not.toBeNull();
    expect(article.body[q.source.block]?.text.slice(q.source.start, q.source.end)).toBe(q.text);

    const r = await cli('quote', article.id, '--about', 'expansion');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.slice(0, -1)).toEqual(q.text.split('\n').map((l) => `> ${l}`));
    // Paragraphs are counted from the section's heading: blocks after it, up to and including this one.
    const block = q.source.block;
    const paragraph = block - article.body.findLastIndex((b, i) => i < block && b.type === 'heading');
    expect(lines.at(-1)).toBe(`— ${SAMPLE_TITLE}, "${q.source.section}", paragraph ${paragraph}`);
  });

  it('THEN quote --from comments cites the comment by number, date and rating', async () => {
    const view = JSON.parse((await cli('quote', article.id, '--from', 'comments', '--json')).stdout) as QuoteJson;
    const q = view.quote!;
    const source = q.source;
    expect(source.kind).toBe('comment');
    if (source.kind !== 'comment') return;
    const comment = article.comments.find((c) => c.id === source.commentId);
    expect(source.number).toBe(comment?.number);
    expect(comment?.paragraphs[source.paragraph]?.slice(source.start, source.end)).toBe(q.text);

    const r = await cli('quote', article.id, '--from', 'comments');
    expect(r.stdout).toContain(`> ${q.text.split('\n')[0]}`);
    expect(r.stdout).toContain(`— comment #${comment?.number}, ${comment?.postedAt?.replace('T', ' ')}, rating ${comment?.rating}`);
  });

  it('THEN a quote on a topic the article lacks is a plain sentence and exit 0, as search does', async () => {
    const r = await cli('quote', article.id, '--about', 'walrus');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`No passage about "walrus" in "${SAMPLE_TITLE}".`);
    const view = JSON.parse((await cli('quote', article.id, '--about', 'walrus', '--json')).stdout) as QuoteJson;
    expect(view.quote).toBeNull();
  });

  it('THEN digest --json counts 4 comments, their ratings, and the two passages comment 1 quotes', async () => {
    const r = await cli('digest', article.id, '--json');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as {
      id: string;
      count: number;
      ratings: unknown;
      quoted: { block: number; text: string; comments: number }[];
      summary: { text: string; comment: { id: string; number: number }; paragraph: number; start: number; end: number }[];
    };
    expect(d.id).toBe(article.id);
    expect(d.count).toBe(4);
    expect(d.ratings).toEqual({
      rated: 4,
      min: -1,
      max: 0,
      mean: -0.25,
      histogram: [
        { from: -1, to: -1, count: 1 },
        { from: 0, to: 0, count: 3 },
      ],
    });
    const first = article.comments.find((c) => c.number === 1);
    expect(first?.quotes).toHaveLength(2);
    expect(d.quoted.map((q) => q.block)).toEqual(first?.quotes.map((q) => q.block));
    for (const q of d.quoted) {
      expect(q.comments).toBe(1);
      expect(q.text).toBe(article.body[q.block]?.text);
    }
    expect(d.summary.length).toBeGreaterThan(0);
    for (const s of d.summary) {
      const c = article.comments.find((x) => x.id === s.comment.id);
      expect(c?.paragraphs[s.paragraph]?.slice(s.start, s.end)).toBe(s.text);
    }
  });

  it('THEN digest as text shows counts, span, ratings, top comments, quoted passages and who said what', async () => {
    const r = await cli('digest', article.id);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('4 comments, 2021-10-20 10:12 to 2021-10-24 17:51');
    expect(r.stdout).toContain('Ratings: 4 rated, from -1 to 0, mean -0.25\n  -1: 1\n   0: 3');
    expect(r.stdout).toContain('Top comments:\n  #2 (rating 0): And NATO would not go to hell!');
    expect(r.stdout).toMatch(/Most quoted passages:\n {2}1 comment, "The future of Russia-NATO relations", paragraph 1: "The future of relations/);
    const d = JSON.parse((await cli('digest', article.id, '--json')).stdout) as { summary: { text: string; comment: { number: number } }[] };
    for (const s of d.summary) expect(r.stdout).toContain(`  #${s.comment.number}: ${s.text.replace(/\s+/g, ' ')}`);
  });

  it('THEN user mistakes get one plain line naming the option, and exit 1', async () => {
    const zero = await cli('summarize', article.id, '--sentences', '0');
    expect(zero.code).toBe(1);
    expect(zero.stderr).toBe('paperboy: --sentences: expected a whole number from 1 up, got `0`\n');
    const abc = await cli('summarize', article.id, '--chars', 'abc');
    expect(abc.code).toBe(1);
    expect(abc.stderr).toContain('--chars: expected a whole number from 1 up, got `abc`');
    const missing = await cli('digest', 'ffffffffffffffff');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no article with id or URL "ffffffffffffffff"');
    const stopwords = await cli('quote', article.id, '--about', 'the of');
    expect(stopwords.code).toBe(1);
    expect(stopwords.stderr).toContain('--about: expected at least one word');
    const where = await cli('quote', article.id, '--from', 'elsewhere');
    expect(where.code).toBe(1);
    expect(where.stderr).toContain('Allowed choices are article, comments');
  });
});

describe('GIVEN files and an empty library', () => {
  it('THEN summarize FILE works without opening the store, and stores nothing', async () => {
    const r = await cli('summarize', SAMPLE, '--sentences', '3', '--json');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as SummaryJson;
    expect(summary.title).toBe(SAMPLE_TITLE);
    expect(summary.sentences).toHaveLength(3);
    expect(existsSync(db)).toBe(false);
    const list = await cli('list', '--json');
    expect(list.code).toBe(1);
    expect(list.stderr).toContain(`no database at ${db}`);
    expect(existsSync(db)).toBe(false);
  });

  it('THEN a file with several articles gives one summary each: an array in JSON, one after another in text', async () => {
    const file = join(dir, 'two.json');
    writeFileSync(
      file,
      JSON.stringify([
        { title: 'Walrus colony found', body: 'A colony of walruses was found on the coast. It is large.' },
        { title: 'Harbour expansion approved', body: 'The council approved the harbour expansion. It costs 40 million.' },
      ]),
    );
    const many = JSON.parse((await cli('summarize', file, '--json')).stdout) as SummaryJson[];
    expect(many.map((s) => s.title)).toEqual(['Walrus colony found', 'Harbour expansion approved']);
    expect(many[0]?.sentences.map((s) => s.text)).toEqual(['A colony of walruses was found on the coast.', 'It is large.']);
    const text = await cli('summarize', file);
    expect(text.stdout).toMatch(/^Walrus colony found\n\n[^]*\n\nHarbour expansion approved\n\n/);
  });

  it('THEN a file that does not parse prints its file:line message and exits 1', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "title": "Half a file",\n  "body": ');
    const r = await cli('summarize', broken);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^paperboy: .*broken\.json:2: expected /);
    const other = join(dir, 'notes.md');
    copyFileSync(SAMPLE, other);
    const md = await cli('summarize', other);
    expect(md.code).toBe(1);
    expect(md.stderr).toContain('notes.md: expected a file ending in .txt, .json, .jsonl, .rss, .atom, .rdf or .xml');
  });

  it('THEN a folder is refused by name, and an unknown id is not found', async () => {
    const folder = await cli('summarize', dir);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toContain(`${dir} is a folder`);
    expect((await cli('ingest', SAMPLE)).code).toBe(0);
    const unknown = await cli('summarize', 'abcdef');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no article with id or URL "abcdef"');
  });
});
