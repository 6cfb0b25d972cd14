/** /feed add | remove | list: the RSS, Atom and JSON feeds Paperboy reads on each delivery run. */
import { addFeed, feedAddress, listFeeds, removeFeed } from '../src/app/feeds/manage.ts';
import type { FeedState } from '../src/app/feeds/registry.ts';
import { plural, showTime } from '../src/app/views/format.ts';
import { escape } from '../src/app/views/markdown.ts';
import { UserError } from '../src/core/errors.ts';
import type { EmbedField, View } from '../src/core/view.ts';
import { type CommandContext, type FeedsContext, slashCommand } from '../src/ui/discord/command.ts';
import { subcommands, text } from '../src/ui/discord/options.ts';
import { ADMIN_ONLY, requireAdmin } from './admin.ts';

const urlOption = text({ description: 'The feed’s address (https://…)', required: true, max_length: 2000 });

function feedsOf(ctx: CommandContext): FeedsContext {
  return requireAdmin(ctx).feeds;
}

/** The feed's address; what is wrong with it as a sentence of markdown. */
function addressOf(input: string): string {
  try {
    return feedAddress(input);
  } catch (error) {
    if (error instanceof UserError) throw new UserError(error.code, `${escape(error.message)}.`);
    throw error;
  }
}

function line(feed: FeedState): EmbedField {
  const parts = [`<${feed.url}>`];
  if (feed.lastOkAt) parts.push(`Last read ${showTime(feed.lastOkAt.slice(0, 16))} UTC: ${plural(feed.items, 'item')}.`);
  else parts.push('Not read yet.');
  if (feed.lastError) {
    const retry = feed.retryAt ? ` Next try ${showTime(feed.retryAt.slice(0, 16))} UTC.` : '';
    parts.push(`⚠ Failing (${plural(feed.failures, 'time')}): ${escape(feed.lastError)}.${retry}`);
  }
  return { name: feed.name, value: parts.join('\n') };
}

export function feedListView(feeds: readonly FeedState[]): View {
  return {
    ephemeral: true,
    embeds: [
      {
        title: 'Feeds',
        description: feeds.length === 0 ? 'None yet. Add one with /feed add.' : `${plural(feeds.length, 'feed')}, read on each delivery run.`,
        fields: feeds.map(line),
      },
    ],
  };
}

export default slashCommand({
  definition: { name: 'feed', description: 'Manage the RSS, Atom and JSON feeds Paperboy reads', ...ADMIN_ONLY },
  options: subcommands({
    add: {
      description: 'Read a feed on each delivery run',
      options: { url: urlOption, name: text({ description: 'Source name for its articles (default: the site’s host name)', max_length: 100 }) },
    },
    remove: { description: 'Stop reading a feed (its articles stay)', options: { url: urlOption } },
    list: { description: 'The feeds, when each was last read, and why one is failing' },
  }),
  defer: true,
  ephemeral: true,
  run: async (options, ctx) => {
    const feeds = feedsOf(ctx);
    if (options.subcommand === 'list') return feedListView(await listFeeds(feeds.registry));
    const address = addressOf(options.url);
    if (options.subcommand === 'remove') {
      if (!(await removeFeed(feeds.registry, address))) throw new UserError('not-found', `Paperboy does not read <${address}>.`);
      return { ephemeral: true, content: `Stopped reading <${address}>. Its articles stay stored.` };
    }
    const added = await addFeed(feeds.registry, address, options.name, ctx.now());
    const polled = await feeds.pollNow(address);
    const result = {
      failed: `It could not be read just now: ${escape(polled.error ?? 'unknown reason')}. Paperboy tries again later (see /feed list).`,
      stored: `Read ${plural(polled.items, 'item')} (${polled.added} new).`,
      'not-modified': 'It has not changed since it was last read.',
      // Forced, a poll waits only for another process polling the feed (its lease), or a feed removed meanwhile.
      waiting: polled.elsewhere
        ? 'Another Paperboy process is reading this feed right now; its items arrive from there.'
        : 'It was not read just now; /feed list shows its state.',
      // The bot is shutting down: the feed's state was left as it was, so the next run reads it.
      'cut-off': 'It was not read: Paperboy is restarting, and reads it on its next run.',
    }[polled.outcome];
    return {
      ephemeral: true,
      content: `${added.existed ? 'Updated' : 'Added'} <${address}> as “${escape(added.name)}”. ${result} Subscribed channels get its new articles on the next delivery run.`,
    };
  },
});
