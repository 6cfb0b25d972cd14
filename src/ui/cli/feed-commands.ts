/** `paperboy feed add | remove | list | poll`: the feeds Paperboy reads, from the command line. */
import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { createFeedParser } from '../../adapters/feeds/parse-worker.ts';
import { processHolderId } from '../../adapters/store/leases.ts';
import { pollFeeds } from '../../app/feeds/poll.ts';
import { addFeed, feedAddress, listFeeds, removeFeed } from '../../app/feeds/manage.ts';
import { FeedRegistry } from '../../app/feeds/registry.ts';
import type { BotState } from '../../adapters/store/state.ts';
import { UserError } from '../../core/errors.ts';
import { type Io, json, withStore } from './context.ts';

function registryOf(state: () => BotState): FeedRegistry {
  // The bot's own table (in the file, or in PostgreSQL with DATABASE_URL): feeds added here are the ones the bot polls.
  return new FeedRegistry(state().feeds);
}

export function registerFeedCommands(program: Command, io: Io, setExitCode: (code: number) => void): void {
  const feed = program.command('feed').description('the RSS, Atom and JSON feeds Paperboy reads');

  feed
    .command('add')
    .description('read a feed on each delivery run (and on `feed poll`)')
    .argument('<url>', 'the feed’s address')
    .option('--name <name>', 'source name for its articles (default: the host name)')
    .action(async (input: string, opts: { name?: string }, cmd: Command) => {
      const address = feedAddress(input);
      await withStore(
        cmd,
        async (_store, state) => {
          const added = await addFeed(registryOf(state), address, opts.name, new Date());
          io.out(`${added.existed ? 'updated' : 'added'} ${address} as "${added.name}"`);
        },
        true,
      );
    });

  feed
    .command('remove')
    .description('stop reading a feed (its articles stay)')
    .argument('<url>', 'the feed’s address')
    .action(async (input: string, _opts: unknown, cmd: Command) => {
      const address = feedAddress(input);
      await withStore(cmd, async (_store, state) => {
        if (!(await removeFeed(registryOf(state), address))) throw new UserError('not-found', `no feed ${address} (see \`paperboy feed list\`)`);
        io.out(`removed ${address}`);
      });
    });

  feed
    .command('list')
    .description('the feeds, when each was last read, and why one is failing')
    .option('--json', 'print the list as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (_store, state) => {
        const feeds = await listFeeds(registryOf(state));
        if (opts.json) return io.out(json(feeds));
        if (feeds.length === 0) return io.out('No feeds yet. Add one with `paperboy feed add URL`.');
        for (const f of feeds) {
          const state = f.lastError
            ? `failing (${f.failures}×): ${f.lastError}; next try ${f.retryAt ?? 'now'}`
            : f.lastOkAt
              ? `read ${f.lastOkAt}, ${f.items} items`
              : 'not read yet';
          io.out(`${f.url}  "${f.name}"  ${state}`);
        }
      });
    });

  feed
    .command('poll')
    .description('read every feed now (even those backing off) and store their items')
    .option('--json', 'print the results as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store, state) => {
        const parser = createFeedParser();
        const config = loadConfig();
        // Under the same lease per feed as the bot's processes: a feed a worker is reading now is left to it.
        const lease = { repo: state().leases, holder: processHolderId(), ttlMs: config.leaseMs };
        const results = await pollFeeds(registryOf(state), store, { parse: parser.parse, force: true, limits: { allow: config.feedAllow }, lease }).finally(
          () => parser.close(),
        );
        if (opts.json) io.out(json(results));
        else {
          for (const r of results) {
            if (r.outcome === 'failed') io.err(`failed: ${r.url}: ${r.error}`);
            else if (r.elsewhere) io.out(`${r.url}: another Paperboy process is reading it right now; its items arrive from there`);
            else io.out(`${r.url}: ${r.outcome === 'stored' ? `${r.items} items, ${r.added} new, ${r.updated} updated` : 'not modified'}`);
            for (const w of r.warnings) io.err(`warning: ${w}`);
          }
          if (results.length === 0) io.out('No feeds yet. Add one with `paperboy feed add URL`.');
        }
        if (results.some((r) => r.outcome === 'failed')) setExitCode(1);
      });
    });
}
