/** `paperboy feed add | remove | list | poll | resume | import | export | health-channel`: the feeds Paperboy reads, from the command line. */
import { readFile, stat, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { createFeedParser } from '../../adapters/feeds/parse-worker.ts';
import { processHolderId } from '../../adapters/store/leases.ts';
import { pollFeeds } from '../../app/feeds/poll.ts';
import { addFeed, feedAddress, listFeeds, removeFeed, resumeFeed } from '../../app/feeds/manage.ts';
import { OPML_MAX_BYTES, exportOpml, importOpml, importSummary, readOpml } from '../../app/feeds/opml.ts';
import { chooseHealthChannel, healthChannelOf } from '../../app/feeds/health-channel.ts';
import { feedHealth } from '../../app/feeds/status.ts';
import { FeedRegistry } from '../../app/feeds/registry.ts';
import type { BotState } from '../../adapters/store/state.ts';
import { UserError, errorMessage } from '../../core/errors.ts';
import type { FeedState } from '../../core/state.ts';
import { type Io, json, withStore } from './context.ts';

/** One feed's line in `feed list`: its health, last success, next poll and items seen. */
function listLine(f: FeedState): string {
  const h = feedHealth(f);
  const state =
    h.state === 'paused'
      ? `paused since ${h.since}: ${h.reason} (resume with \`paperboy feed resume ${f.url}\`)`
      : h.state === 'failing'
        ? // The detail first (an operator at a terminal may search for it), then what it means when that says more.
          `failing (${f.failures}×): ${f.lastError ?? h.reason}${h.reason && h.reason !== f.lastError ? ` (${h.reason})` : ''}; since ${h.since ?? '?'}`
        : h.state === 'ok'
          ? 'ok'
          : 'not read yet';
  const success = h.lastSuccess ? `; last success ${h.lastSuccess}, ${h.items} items` : '';
  return `${f.url}  "${f.name}"  ${state}${success}${h.nextPoll ? `; next poll ${h.nextPoll === 'next run' ? 'on the next run' : h.nextPoll}` : ''}`;
}

/** The OPML file's text, refused before it is read whole when it is larger than an OPML file should be. */
async function opmlText(file: string): Promise<string> {
  try {
    const size = (await stat(file)).size;
    if (size > OPML_MAX_BYTES) throw new UserError('bad-input', `${file}: an OPML file is at most ${OPML_MAX_BYTES / 1e6} MB, this one is ${size} bytes`);
    return await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError('not-found', `cannot read ${file}: ${errorMessage(error)}`, { cause: error });
  }
}

/** A Discord id as typed on the command line. */
function snowflake(name: string): (value: string) => string {
  return (value) => {
    if (!/^\d{1,20}$/u.test(value.trim())) throw new UserError('bad-option', `${name}: expected a Discord id (digits), got \`${value.slice(0, 40)}\``);
    return value.trim();
  };
}

const where = (channelId: string | null): string => (channelId ? `channel ${channelId}` : 'nowhere');

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
        if (opts.json) return io.out(json(feeds.map((f) => ({ ...f, health: feedHealth(f) }))));
        if (feeds.length === 0) return io.out('No feeds yet. Add one with `paperboy feed add URL`.');
        for (const f of feeds) io.out(listLine(f));
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
            else if (r.paused) io.out(`${r.url}: paused (see \`paperboy feed list\`; \`paperboy feed resume URL\` reads it again)`);
            else if (r.elsewhere) io.out(`${r.url}: another Paperboy process is reading it right now; its items arrive from there`);
            else io.out(`${r.url}: ${r.outcome === 'stored' ? `${r.items} items, ${r.added} new, ${r.updated} updated` : 'not modified'}`);
            for (const w of r.warnings) io.err(`warning: ${w}`);
          }
          if (results.length === 0) io.out('No feeds yet. Add one with `paperboy feed add URL`.');
        }
        if (results.some((r) => r.outcome === 'failed')) setExitCode(1);
      });
    });

  feed
    .command('resume')
    .description('read a paused feed again from the next poll')
    .argument('<url>', 'the feed’s address')
    .action(async (input: string, _opts: unknown, cmd: Command) => {
      const address = feedAddress(input);
      await withStore(cmd, async (_store, state) => {
        await resumeFeed(registryOf(state), address);
        io.out(`resumed ${address}: it is read on the next poll`);
      });
    });

  feed
    .command('import')
    .description('read the feeds an OPML file lists (folders flattened); each outline that cannot be used is named')
    .argument('<file>', 'an OPML file (most feed readers export one)')
    .option('--json', 'print what was added, already read and refused as JSON')
    .action(async (file: string, opts: { json?: boolean }, cmd: Command) => {
      const outlines = readOpml(await opmlText(file), file);
      await withStore(
        cmd,
        async (_store, state) => {
          const result = await importOpml(registryOf(state), outlines, new Date());
          if (opts.json) io.out(json(result));
          else {
            for (const a of result.added) io.out(`added ${a.url} as "${a.name}"`);
            for (const r of result.refused) io.err(`refused: ${r.outline}: ${r.reason}`);
            io.out(`${file}: ${importSummary(result)}`);
          }
          if (result.refused.length > 0) setExitCode(1);
        },
        true,
      );
    });

  feed
    .command('export')
    .description('write the feeds as an OPML file, for another feed reader or another Paperboy')
    .argument('[file]', 'where to write it (default: standard output)')
    .action(async (file: string | undefined, _opts: unknown, cmd: Command) => {
      await withStore(cmd, async (_store, state) => {
        const opml = exportOpml(await listFeeds(registryOf(state)), new Date());
        if (file === undefined) return io.out(opml);
        await writeFile(file, opml.endsWith('\n') ? opml : `${opml}\n`);
        io.err(`wrote ${file}`);
      });
    });

  feed
    .command('health-channel')
    .description('where a server hears when a feed it subscribes to fails, is paused or recovers (as /feed health-channel); without --channel: nowhere')
    .requiredOption('--guild <id>', 'the server’s id', snowflake('--guild'))
    .option('--channel <id>', 'a text channel of that server the bot may post in (not checked here: Discord is not asked)', snowflake('--channel'))
    .option('--show', 'print the server’s health channel, changing nothing')
    .option('--json', 'print the setting as JSON')
    .action(async (opts: { guild: string; channel?: string; show?: boolean; json?: boolean }, cmd: Command) => {
      if (opts.show && opts.channel) throw new UserError('bad-option', '--show only reads the setting: leave out --channel, or --show to change it');
      await withStore(cmd, async (_store, state) => {
        const settings = state().guildSettings;
        if (opts.show) {
          const channelId = await healthChannelOf(settings, opts.guild);
          if (opts.json) return io.out(json({ guildId: opts.guild, channelId }));
          return io.out(
            channelId
              ? `guild ${opts.guild}: feed health notices go to channel ${channelId}`
              : `guild ${opts.guild}: feed health notices are off (turn them on with --channel ID)`,
          );
        }
        const change = await chooseHealthChannel(settings, opts.guild, opts.channel ?? null, new Date());
        // Unlike /feed health-channel, nothing here knows the server: a mistyped --guild would be a silent no-op.
        const subscribed = await state().subscriptions.list(opts.guild);
        if (change.channelId && subscribed.subscriptions.length + subscribed.invalid.length === 0)
          io.err(`note: guild ${opts.guild} has no subscriptions, so its health channel hears nothing until it subscribes (is --guild right?)`);
        if (opts.json) return io.out(json(change));
        const now = change.channelId ? `go to channel ${change.channelId}` : 'are off';
        io.out(`guild ${change.guildId}: feed health notices ${now} (before: ${where(change.previous)})`);
      });
    });
}
