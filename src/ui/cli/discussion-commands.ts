/** `paperboy discussion add | list | remove | sync`: the discussions Paperboy follows at their source, from the command line. */
import type { Command } from 'commander';
import { type Config, loadConfig } from '../../config.ts';
import { createDiscussionFetcher } from '../../adapters/discussions/fetch-discussion.ts';
import type { DiscussionFetcher } from '../../adapters/discussions/fetch-types.ts';
import { type DiscussionParser, createDiscussionParser } from '../../adapters/discussions/parse-worker.ts';
import type { Store } from '../../adapters/store/contract.ts';
import { processHolderId } from '../../adapters/store/leases.ts';
import type { BotState } from '../../adapters/store/state.ts';
import { DiscussionFollows, type DiscussionState } from '../../app/discussion/follow.ts';
import { type SyncResult, syncDiscussions } from '../../app/discussion/sync.ts';
import { UserError } from '../../core/errors.ts';
import { type Io, json, withStore } from './context.ts';

/** `parser` where the command fetches (sync): a worker's, as the bot's, so that its limits and failures are the bot's too. */
function fetcherOf(config: Config, parser?: DiscussionParser): DiscussionFetcher {
  // The same address rules as feeds: public hosts only, unless FEED_ALLOW_HOSTS names more.
  return createDiscussionFetcher({ limits: { allow: config.feedAllow }, parser });
}

function followsOf(store: Store, state: () => BotState, fetcher: DiscussionFetcher): DiscussionFollows {
  // The bot's own table (in the file, or in PostgreSQL with DATABASE_URL): what is followed here is what the bot syncs.
  return new DiscussionFollows(state().discussions, fetcher, store);
}

/** One line of `discussion list`: the address, its platform, its article, and how its syncs go. */
export function describeDiscussion(d: DiscussionState): string {
  const article = d.articleId ? `article ${d.articleId}` : 'its own article (on the first sync)';
  const missing = d.missing > 0 ? ` (${d.missing} more at the source not fetched)` : '';
  const how = d.paused
    ? `paused: ${d.paused}`
    : d.lastError
      ? `failing (${d.failures}×): ${d.lastError}; next try ${d.retryAt ?? 'now'}`
      : d.lastOkAt
        ? `synced ${d.lastOkAt}, ${d.comments} comments${missing}`
        : 'not synced yet';
  return `${d.url}  ${d.kind}  ${article}  ${how}`;
}

/** What one discussion's sync did, in a line; null for a failure (told on stderr). */
export function describeSync(r: SyncResult): string | null {
  const missing = r.missing > 0 ? `, ${r.missing} at the source not fetched` : '';
  switch (r.outcome) {
    case 'synced':
      return `${r.url}: ${r.added} new, ${r.edited} edited, ${r.deleted} deleted (${r.comments} comments${missing}) into article ${r.articleId ?? '?'}`;
    case 'not-modified':
      return `${r.url}: not modified`;
    case 'failed':
      return null;
    case 'waiting':
      return r.elsewhere ? `${r.url}: another Paperboy process is syncing it right now; its comments arrive from there` : `${r.url}: not due yet`;
    case 'paused':
      return `${r.url}: paused (${r.error ?? 'no reason given'}); not synced`;
    case 'over-budget':
      return `${r.url}: not reached: this run's DISCUSSION_REQUESTS_PER_RUN requests were spent; synced on the next run`;
    case 'cut-off':
      return `${r.url}: stopped before it was synced`;
  }
}

export function registerDiscussionCommands(program: Command, io: Io, setExitCode: (code: number) => void): void {
  const discussion = program
    .command('discussion')
    .description('discussions followed where they happen (Reddit, Hacker News, Discourse, comment feeds), kept in sync');

  discussion
    .command('add')
    .description('follow a discussion: its comments are synced before each delivery run (and on `discussion sync`)')
    .argument('<url>', 'the discussion’s address: a Reddit post, a Hacker News item, a Discourse topic or a comment feed')
    .option('--article <id>', 'the stored article its comments go to (an id, a unique prefix, or its URL); default: one with the same URL, else its own')
    .action(async (input: string, opts: { article?: string }, cmd: Command) => {
      const fetcher = fetcherOf(loadConfig());
      await withStore(
        cmd,
        async (store, state) => {
          const { discussion: d, existed } = await followsOf(store, state, fetcher).add(input, { articleId: opts.article, by: 'cli', now: new Date() });
          const into = d.articleId ? `; its comments go to article ${d.articleId}` : '';
          io.out(`${existed ? 'already following' : 'following'} ${d.url} (${d.kind})${into}`);
        },
        true,
      );
    });

  discussion
    .command('remove')
    .description('stop following a discussion (its comments stay stored)')
    .argument('<url>', 'the discussion’s address')
    .action(async (input: string, _opts: unknown, cmd: Command) => {
      const fetcher = fetcherOf(loadConfig());
      await withStore(cmd, async (store, state) => {
        if (!(await followsOf(store, state, fetcher).remove(input)))
          throw new UserError('not-found', `not following ${input.trim()} (see \`paperboy discussion list\`)`);
        io.out(`stopped following ${input.trim()}`);
      });
    });

  discussion
    .command('list')
    .description('the followed discussions, when each was last synced, and why one is failing')
    .option('--json', 'print the list as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store, state) => {
        const all = await followsOf(store, state, fetcherOf(loadConfig())).list();
        if (opts.json) return io.out(json(all.map(({ commentIds: _ids, ...shown }) => shown)));
        if (all.length === 0) return io.out('No discussions followed yet. Follow one with `paperboy discussion add URL`.');
        for (const d of all) io.out(describeDiscussion(d));
      });
    });

  discussion
    .command('sync')
    .description('sync every followed discussion now (even those backing off), within DISCUSSION_REQUESTS_PER_RUN requests')
    .option('--json', 'print the results as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const config = loadConfig();
      await withStore(cmd, async (store, state) => {
        // Under the same lease per discussion as the bot's processes: one a worker is syncing now is left to it.
        const lease = { repo: state().leases, holder: processHolderId(), ttlMs: config.leaseMs };
        const parser = createDiscussionParser();
        const results = await syncDiscussions(state().discussions, store, {
          fetcher: fetcherOf(config, parser),
          requestsPerRun: config.discussions.requestsPerRun,
          force: true,
          lease,
        }).finally(() => parser.close());
        if (opts.json) io.out(json(results));
        else {
          for (const r of results) {
            const line = describeSync(r);
            if (line === null) io.err(`failed: ${r.url}: ${r.error ?? 'no reason given'}`);
            else io.out(line);
            for (const w of r.warnings) io.err(`warning: ${r.url}: ${w}`);
          }
          if (results.length === 0) io.out('No discussions followed yet. Follow one with `paperboy discussion add URL`.');
        }
        if (results.some((r) => r.outcome === 'failed')) setExitCode(1);
      });
    });
}
