/** /feed add | remove | list: the RSS, Atom and JSON feeds Paperboy reads on each delivery run. */
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { z } from 'zod';
import { LIMITS, truncate } from '../src/core/limits.ts';
import type { FeedState } from '../src/app/feeds/registry.ts';
import { normalizeFeedUrl } from '../src/app/feeds/registry.ts';
import { defineCommand, type CommandContext, type FeedsContext } from '../src/ui/discord/command.ts';
import { plural, showTime } from '../src/app/views/format.ts';
import { escape } from '../src/app/views/markdown.ts';
import { UserError, type EmbedField, type View } from '../src/core/view.ts';
import { ADMIN_ONLY, requireAdmin } from './admin.ts';

const urlOption = { type: ApplicationCommandOptionType.String, name: 'url', description: 'The feed’s address (https://…)', required: true, max_length: 2000 } as const;

function feedsOf(ctx: CommandContext): FeedsContext {
  const feeds = requireAdmin(ctx).feeds;
  if (!feeds) throw new UserError('This bot does not read feeds.');
  return feeds;
}

function urlOf(input: string): string {
  try {
    return normalizeFeedUrl(input);
  } catch (error) {
    throw new UserError(`${escape((error as Error).message)}.`);
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
  return { name: truncate(feed.name, LIMITS.embedFieldName).text, value: truncate(parts.join('\n'), LIMITS.embedFieldValue).text };
}

export function feedListView(feeds: readonly FeedState[]): View {
  return {
    ephemeral: true,
    embeds: [
      {
        title: 'Feeds',
        description: feeds.length === 0 ? 'None yet. Add one with /feed add.' : `${plural(feeds.length, 'feed')}, read on each delivery run.`,
        fields: feeds.slice(0, LIMITS.embedFields).map(line),
      },
    ],
  };
}

export default defineCommand({
  definition: {
    name: 'feed',
    description: 'Manage the RSS, Atom and JSON feeds Paperboy reads',
    ...ADMIN_ONLY,
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'add',
        description: 'Read a feed on each delivery run',
        options: [urlOption, { type: ApplicationCommandOptionType.String, name: 'name', description: 'Source name for its articles (default: the site’s host name)', max_length: 100 }],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'remove', description: 'Stop reading a feed (its articles stay)', options: [urlOption] },
      { type: ApplicationCommandOptionType.Subcommand, name: 'list', description: 'The feeds, when each was last read, and why one is failing' },
    ],
  },
  options: z.object({ subcommand: z.enum(['add', 'remove', 'list']), url: z.string().optional(), name: z.string().optional() }),
  defer: true,
  ephemeral: true,
  run: async ({ subcommand, url, name }, ctx) => {
    const feeds = feedsOf(ctx);
    if (subcommand === 'list') return feedListView(await feeds.registry.list());
    const address = urlOf(url ?? '');
    if (subcommand === 'remove') {
      if (!(await feeds.registry.remove(address))) throw new UserError(`Paperboy does not read <${address}>.`);
      return { ephemeral: true, content: `Stopped reading <${address}>. Its articles stay stored.` };
    }
    const source = name?.trim() || new URL(address).hostname.replace(/^www\./, '');
    const { existed } = await feeds.registry.add(address, source, ctx.now());
    const polled = await feeds.pollNow(address);
    const result = {
      failed: `It could not be read just now: ${escape(polled.error ?? 'unknown reason')}. Paperboy tries again later (see /feed list).`,
      stored: `Read ${plural(polled.items, 'item')} (${polled.added} new).`,
      'not-modified': 'It has not changed since it was last read.',
      waiting: 'It has not changed since it was last read.',
      // The bot is shutting down: the feed's state was left as it was, so the next run reads it.
      'cut-off': 'It was not read: Paperboy is restarting, and reads it on its next run.',
    }[polled.outcome];
    return { ephemeral: true, content: `${existed ? 'Updated' : 'Added'} <${address}> as “${escape(source)}”. ${result} Subscribed channels get its new articles on the next delivery run.` };
  },
});
