/** /feed add | remove | list | resume | health-channel: the RSS, Atom and JSON feeds Paperboy reads on each delivery run. */
import { ChannelType } from 'discord-api-types/v10';
import { addFeed, feedAddress, listFeeds, removeFeed, resumeFeed } from '../src/app/feeds/manage.ts';
import { feedHealth, utcMinute } from '../src/app/feeds/status.ts';
import type { FeedState } from '../src/app/feeds/registry.ts';
import { plural, showTime } from '../src/app/views/format.ts';
import { escape } from '../src/app/views/markdown.ts';
import { UserError } from '../src/core/errors.ts';
import type { EmbedField, View } from '../src/core/view.ts';
import { type CommandContext, type FeedsContext, slashCommand } from '../src/ui/discord/command.ts';
import { channel, subcommands, text } from '../src/ui/discord/options.ts';
import { ADMIN_ONLY, requireAdmin } from './admin.ts';

const urlOption = text({ description: 'The feed’s address (https://…)', required: true, max_length: 2000 });

function feedsOf(ctx: CommandContext): FeedsContext & { guildId: string } {
  const admin = requireAdmin(ctx);
  return { ...admin.feeds, guildId: admin.guildId };
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
  const health = feedHealth(feed);
  const parts = [`<${feed.url}>`];
  if (health.state === 'paused')
    parts.push(`⏸ Paused since ${utcMinute(health.since ?? '')}: ${escape(health.reason ?? 'unknown')}. Resume with /feed resume.`);
  else if (health.state === 'failing') {
    const since = health.since ? ` since ${utcMinute(health.since)}` : '';
    parts.push(`⚠ Failing${since} (${plural(feed.failures, 'time')}): ${escape(health.reason ?? 'unknown')}.`);
  } else parts.push(health.state === 'ok' ? '✅ OK.' : 'New: not read yet.');
  if (feed.lastOkAt) parts.push(`Last success ${showTime(feed.lastOkAt.slice(0, 16))} UTC: ${plural(feed.items, 'item')}.`);
  if (health.nextPoll) parts.push(`Next poll: ${health.nextPoll === 'next run' ? 'the next delivery run' : utcMinute(health.nextPoll)}.`);
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
    list: { description: 'The feeds: health, last success, next poll, items seen' },
    resume: { description: 'Read a paused feed again', options: { url: urlOption } },
    'health-channel': {
      description: 'Where to hear when a feed fails, is paused or recovers (no channel: nowhere)',
      options: { channel: channel({ description: 'A text channel', channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement] }) },
    },
  }),
  defer: true,
  ephemeral: true,
  run: async (options, ctx) => {
    const feeds = feedsOf(ctx);
    if (options.subcommand === 'list') return feedListView(await listFeeds(feeds.registry));
    if (options.subcommand === 'health-channel') {
      if (!feeds.guildSettings) throw new UserError('unavailable', 'Server settings are not available in this bot.');
      await feeds.guildSettings.setHealthChannel(feeds.guildId, options.channel?.id ?? null, ctx.now().toISOString());
      if (!options.channel) return { ephemeral: true, content: 'Feed health notices are off for this server. Choose a channel to turn them on.' };
      return {
        ephemeral: true,
        content: `Feed health goes to <#${options.channel.id}>: one message when a feed this server subscribes to starts failing, one if it is paused, one when it recovers.`,
      };
    }
    const address = addressOf(options.url);
    if (options.subcommand === 'remove') {
      if (!(await removeFeed(feeds.registry, address))) throw new UserError('not-found', `Paperboy does not read <${address}>.`);
      return { ephemeral: true, content: `Stopped reading <${address}>. Its articles stay stored.` };
    }
    if (options.subcommand === 'resume') {
      await resumeFeed(feeds.registry, address);
      return { ephemeral: true, content: `Resumed <${address}>: it is read again on the next delivery run.` };
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
        : polled.paused
          ? 'It is paused (see /feed list); /feed resume reads it again.'
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
