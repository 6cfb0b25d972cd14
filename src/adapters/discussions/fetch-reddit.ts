/**
 * A Reddit post's tree: its listing, then its `more` stubs expanded through /api/morechildren (up to
 * 100 ids a request, Reddit's limit) for as long as the run's budget lasts. Stubs a request brings
 * back join the queue; what stays unexpanded is kept as stubs and counted in `missing`. Every answer
 * is parsed by the context's parser (in the product, a worker thread: parse-worker.ts).
 */
import { treeOrder } from '../../core/tree.ts';
import type { FetchedDiscussion } from './fetch-types.ts';
import { type PlatformContext, failedFrom, parsed, partWarning } from './fetch-platform.ts';
import { SPENT } from './http-run.ts';
import { redditIdOf } from './recognise.ts';
import { MAX_STUB_COUNT, missingOf } from './reddit.ts';
import type { Discussion, MoreStub } from './types.ts';

/** Ids /api/morechildren takes in one request. */
export const MORE_CHILDREN_PER_REQUEST = 100;
const ACCEPT = 'application/json';

export async function fetchReddit(url: string, context: PlatformContext): Promise<FetchedDiscussion> {
  const { session, options } = context;
  const id = redditIdOf(url);
  if (id === null) return { outcome: 'failed', reason: `${url} is not a Reddit post address`, retryAt: null, requests: 0 };
  const spacingMs = options.spacing('reddit');
  const got = await session.get(`${options.redditBase}/comments/${id}.json?raw_json=1&limit=500`, {
    accept: ACCEPT,
    validators: context.validators,
    spacingMs,
  });
  if (got.kind === 'failed') return failedFrom(got, session);
  if (got.kind === 'not-modified') return { outcome: 'not-modified', requests: session.requests };
  return parsed(
    session,
    got,
    () => context.parser.parse({ kind: 'reddit-listing', where: got.url, bytes: got.body, options: context.parseOptions }),
    (d) => expand(d, id, context),
  );
}

/** A stub in the queue, with how many of its children have been asked for. */
interface Queued {
  readonly stub: MoreStub;
  asked: number;
}

async function expand(discussion: Discussion, id: string, context: PlatformContext): Promise<Discussion> {
  const { session, options } = context;
  const queue: Queued[] = discussion.more.map((stub) => ({ stub, asked: 0 }));
  const comments = [...discussion.article.comments];
  const have = new Set(comments.map((c) => c.id));
  const warnings = [...discussion.warnings];
  const permalink = discussion.url === null ? null : new URL(discussion.url).pathname;
  const askedBefore = new Set<string>();
  for (;;) {
    const batch = nextBatch(queue, askedBefore);
    if (batch.length === 0) break;
    const address = `${options.redditBase}/api/morechildren.json?api_type=json&raw_json=1&link_id=t3_${id}&children=${batch.map((b) => encodeURIComponent(b.id)).join(',')}`;
    const got = await session.get(address, { accept: ACCEPT, spacingMs: options.spacing('reddit') });
    if (got.kind !== 'ok') {
      // Out of budget is the expected end; anything else is worth a line.
      if (got.kind === 'failed' && got.reason !== SPENT)
        warnings.push(
          partWarning(`${options.redditBase}/api/morechildren.json (post ${id})`, `${batch.length} comments held back in \`more\` stubs were`, got),
        );
      break;
    }
    for (const b of batch) b.of.asked += 1;
    try {
      // Quotes come linked against the article's body (a comment already held is dropped here, linked or not).
      const things = await context.parser.parse({
        kind: 'reddit-more',
        where: got.url,
        bytes: got.body,
        postPermalink: permalink,
        articleBody: discussion.article.body,
      });
      const fresh = things.comments.filter((c) => !have.has(c.id));
      for (const c of fresh) have.add(c.id);
      comments.push(...fresh);
      queue.push(...things.more.map((stub) => ({ stub, asked: 0 })));
      warnings.push(...things.warnings);
    } catch (error) {
      warnings.push(`${got.url}: ${(error as Error).message}`);
      break;
    }
  }
  const more = queue.flatMap((q) => (q.asked === 0 ? [q.stub] : q.asked < q.stub.children.length ? [rest(q.stub, q.asked)] : []));
  const stillHeld = new Set(more.flatMap((stub) => stub.children));
  const lost = queue.reduce((sum, q) => sum + lostOf(q, (child) => have.has(`reddit:${child}`) || stillHeld.has(child)), 0);
  return {
    ...discussion,
    article: { ...discussion.article, comments: treeOrder(comments).map((n) => n.comment) },
    more,
    missing: Math.max(0, discussion.missing - missingOf(discussion.more)) + missingOf(more) + lost,
    warnings,
  };
}

/** Up to 100 children never asked for before, in queue order, from stubs not yet fully asked for; "continue this thread" stubs (no children) are left as they are. */
function nextBatch(queue: Queued[], askedBefore: Set<string>): { id: string; of: Queued }[] {
  const batch: { id: string; of: Queued }[] = [];
  for (const q of queue) {
    // Children from q.asked on; those already asked for through another stub (a hostile or confused
    // answer) count as asked and cost nothing more.
    for (let i = q.asked; i < q.stub.children.length && batch.length < MORE_CHILDREN_PER_REQUEST; i++) {
      const child = q.stub.children[i]!;
      if (askedBefore.has(child)) {
        if (i === q.asked) q.asked += 1;
        continue;
      }
      askedBefore.add(child);
      batch.push({ id: child, of: q });
    }
    if (batch.length >= MORE_CHILDREN_PER_REQUEST) break;
  }
  return batch;
}

/** What is left of a stub whose first `asked` children were fetched: the rest, with its count less those. */
function rest(stub: MoreStub, asked: number): MoreStub {
  return { parent: stub.parent, children: stub.children.slice(asked), count: Math.max(stub.children.length - asked, stub.count - asked) };
}

/**
 * Comments of a stub that were asked for but neither came back nor were held back again (deleted at
 * the source since, or lost): counted, as the stub's count said. When none of a fully asked stub's
 * children came back, their replies (the rest of its count) are lost with them.
 */
function lostOf(q: Queued, arrived: (child: string) => boolean): number {
  const { stub, asked } = q;
  if (asked === 0) return 0;
  const notBack = stub.children.slice(0, asked).filter((child) => !arrived(child)).length;
  const allGone = asked === stub.children.length && notBack === asked;
  return notBack + (allGone ? Math.max(0, Math.min(stub.count, MAX_STUB_COUNT) - stub.children.length) : 0);
}
