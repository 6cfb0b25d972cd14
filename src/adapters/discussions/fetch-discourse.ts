/**
 * A Discourse topic, from its own forum: `/t/<id>.json` (the topic with its first posts), then the
 * rest of `post_stream.stream` through `/t/<id>/posts.json?post_ids[]=…`, 20 ids a request as
 * Discourse's own client asks, while the run's budget lasts. Posts not fetched are counted in `missing`.
 * Every answer is parsed by the context's parser (in the product, a worker thread: parse-worker.ts).
 */
import type { Comment } from '../../core/model.ts';
import { treeOrder } from '../../core/tree.ts';
import type { FetchedDiscussion } from './fetch-types.ts';
import { type PlatformContext, failedFrom, parsed, partWarning } from './fetch-platform.ts';
import { SPENT } from './http-run.ts';
import { discourseTopicOf } from './recognise.ts';

/** Post ids one posts.json request asks for. */
export const POSTS_PER_REQUEST = 20;
const ACCEPT = 'application/json';

export async function fetchDiscourse(url: string, context: PlatformContext): Promise<FetchedDiscussion> {
  const { session, options } = context;
  const topic = discourseTopicOf(url);
  if (topic === null) return { outcome: 'failed', reason: `${url} is not a Discourse topic address`, retryAt: null, requests: 0 };
  const spacingMs = options.spacing('discourse');
  const got = await session.get(`${topic.origin}/t/${topic.id}.json`, { accept: ACCEPT, validators: context.validators, spacingMs });
  if (got.kind === 'failed') return failedFrom(got, session);
  if (got.kind === 'not-modified') return { outcome: 'not-modified', requests: session.requests };
  let ids: number[] = [];
  return parsed(
    session,
    got,
    async () => {
      const read = await context.parser.parse({
        kind: 'discourse-topic',
        where: got.url,
        bytes: got.body,
        origin: topic.origin,
        options: context.parseOptions,
      });
      ids = read.postIds;
      return read.discussion;
    },
    async (first) => {
      const comments = [...first.article.comments];
      const have = new Set(comments.map((c) => c.id));
      const warnings = [...first.warnings];
      let body = first.article.body;
      let asked = 0;
      let bodyFound = false;
      for (let at = 0; at < ids.length; at += POSTS_PER_REQUEST) {
        const page = ids.slice(at, at + POSTS_PER_REQUEST);
        const address = `${topic.origin}/t/${topic.id}/posts.json?${page.map((n) => `post_ids[]=${n}`).join('&')}`;
        const more = await session.get(address, { accept: ACCEPT, spacingMs });
        if (more.kind !== 'ok') {
          if (more.kind === 'failed' && more.reason !== SPENT) warnings.push(partWarning(address, `${page.length} posts were`, more));
          break;
        }
        asked += page.length;
        const posts = await context.parser.parse({
          kind: 'discourse-posts',
          where: more.url,
          bytes: more.body,
          origin: topic.origin,
          // Replies on this page are resolved against what is held by post number: numbers and ids are all the parser needs.
          earlier: numbered(comments),
          articleBody: body.length > 0 ? body : null,
        });
        // A topic saved without post 1 gets its text from the page that holds it (the parser links
        // that page's quotes against it; the topic's own comments keep what they were linked to).
        if (posts.body !== null && body.length === 0) body = posts.body;
        if (posts.body !== null) bodyFound = true;
        const fresh = posts.comments.filter((c) => !have.has(c.id));
        for (const c of fresh) have.add(c.id);
        comments.push(...fresh);
        warnings.push(...posts.warnings);
      }
      const host = new URL(topic.origin).host;
      const returned = ids.slice(0, asked).filter((n) => have.has(`discourse:${host}:${n}`)).length + (bodyFound ? 1 : 0);
      return {
        ...first,
        article: {
          ...first.article,
          body,
          comments: treeOrder(comments).map((n) => n.comment),
        },
        // Posts not asked for, and posts asked for that did not come (deleted since, or hidden).
        missing: ids.length - asked + Math.max(0, asked - returned),
        warnings,
      };
    },
  );
}

/** The post numbers and comment ids of the comments held, as parallel arrays (cheap to copy to the parser). */
function numbered(comments: readonly Comment[]): { numbers: number[]; ids: string[] } {
  const numbers: number[] = [];
  const ids: string[] = [];
  for (const c of comments) {
    if (c.number === null) continue;
    numbers.push(c.number);
    ids.push(c.id);
  }
  return { numbers, ids };
}
