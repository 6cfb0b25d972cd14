/**
 * The application layer's use cases, called as the front ends call them, on a real in-memory
 * store: finding an article (and why not), quoting with a citation, the feed address and default
 * name, and how the CLI reports a bug.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { addFeed, defaultFeedName, feedAddress } from '../src/app/feeds/manage.ts';
import type { FeedRegistry } from '../src/app/feeds/registry.ts';
import { ArticleNotFound, requireArticle } from '../src/app/library/find.ts';
import { quotePassage } from '../src/app/library/quote.ts';
import { UserError, errorMessage } from '../src/core/errors.ts';
import { run } from '../src/ui/cli/main.ts';
import { article, comment } from './helpers/articles.ts';
import { capture } from './helpers/cli.ts';

let store: SqliteStore;
beforeEach(() => {
  store = SqliteStore.open(':memory:');
});
afterEach(() => store.close());

const ferry = article({
  title: 'The ferry returns',
  url: 'https://example.com/ferry',
  text: 'The island ferry returned to service on Monday after a long winter refit.\n\nPassengers queued at the harbour from early morning to board the first crossing.',
  comments: [comment(1, 'I took the first crossing and the harbour queue was worth it for the view.', { author: 'Maren', rating: 4 })],
});

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

async function rejected(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('GIVEN an article stored', () => {
  beforeEach(async () => {
    await store.upsert(ferry);
  });

  it('THEN it is found by id, id prefix in any case, and URL', async () => {
    for (const ref of [ferry.id, ferry.id.slice(0, 6).toUpperCase(), ` ${ferry.url ?? ''} `]) expect((await requireArticle(store, ref)).id, ref).toBe(ferry.id);
  });

  it('THEN what finds nothing is a UserError saying why by its code, with what was typed, trimmed', async () => {
    const short = await rejected(requireArticle(store, ` ${ferry.id.slice(0, 3)} `));
    expect(short).toBeInstanceOf(ArticleNotFound);
    expect(short).toBeInstanceOf(UserError);
    expect(short).toMatchObject({ code: 'too-short', ref: ferry.id.slice(0, 3) });
    expect(await rejected(requireArticle(store, 'no such thing'))).toMatchObject({ code: 'not-found', ref: 'no such thing' });
  });

  it('THEN a quote of the article cites its title and paragraph, and one of the comments cites the comment', () => {
    const fromArticle = quotePassage(ferry, { about: 'harbour passengers', from: 'article' });
    expect(fromArticle?.citation).toEqual({ kind: 'article', title: 'The ferry returns', place: 'paragraph 2' });
    expect(fromArticle?.quote.text).toContain('Passengers queued at the harbour');
    const fromComments = quotePassage(ferry, { about: 'crossing view', from: 'comments' });
    expect(fromComments?.citation).toEqual({
      kind: 'comment',
      title: 'The ferry returns',
      comment: { id: 'n1', number: 1 },
      author: 'Maren',
      postedAt: '2021-10-20T10:12',
      rating: 4,
    });
    expect(quotePassage(ferry, { about: 'zeppelin', from: 'article' })).toBeNull();
  });
});

describe('GIVEN feed addresses as typed', () => {
  it('THEN the address is normalized and the default name is the host without www.', () => {
    const address = feedAddress('  https://www.example.org/feed.xml#top ');
    expect(address).toBe('https://www.example.org/feed.xml');
    expect(defaultFeedName(address)).toBe('example.org');
  });

  it('THEN one that is not an http(s) URL is a bad-option UserError saying what is wrong', () => {
    expect(thrown(() => feedAddress('ftp://example.org/feed'))).toMatchObject({
      code: 'bad-option',
      message: '"ftp:" feeds are not supported; use an http(s) URL',
    });
    expect(thrown(() => feedAddress('not a url'))).toBeInstanceOf(UserError);
  });

  it('THEN a feed added without a name gets the default one, and a blank name counts as none', async () => {
    const added: [string, string][] = [];
    const registry = { add: (url: string, name: string) => (added.push([url, name]), Promise.resolve({ existed: false })) } as unknown as FeedRegistry;
    expect(await addFeed(registry, 'https://news.example.net/rss', '  ', new Date())).toEqual({
      address: 'https://news.example.net/rss',
      name: 'news.example.net',
      existed: false,
    });
    expect(added).toEqual([['https://news.example.net/rss', 'news.example.net']]);
  });
});

describe('GIVEN a bug in a CLI command', () => {
  it('THEN it exits 2 and prints a reference with the stack; a UserError prints its message alone and exits 1', async () => {
    const io = capture();
    const code = await run(['boom'], io, [
      (program) => {
        program.command('boom').action(() => {
          throw new TypeError('boom went the command');
        });
      },
    ]);
    expect(code).toBe(2);
    expect(io.stderr).toMatch(/^paperboy: unexpected error \(ref [0-9a-f]{8}\): TypeError: boom went the command\n {4}at /);
    const user = capture();
    const userCode = await run(['oops'], user, [
      (program) => void program.command('oops').action(() => Promise.reject(new UserError('bad-option', 'that is not an option'))),
    ]);
    expect({ code: userCode, stderr: user.stderr }).toEqual({ code: 1, stderr: 'paperboy: that is not an option\n' });
    expect(errorMessage('plain')).toBe('plain');
  });
});
