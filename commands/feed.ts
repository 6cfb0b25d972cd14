/** /feed add | remove | list | resume | health-channel | import | export: the RSS, Atom and JSON feeds Paperboy reads on each delivery run. */
import { ChannelType } from 'discord-api-types/v10';
import { chooseHealthChannel } from '../src/app/feeds/health-channel.ts';
import { addFeed, feedAddress, listFeeds, removeFeed, resumeFeed } from '../src/app/feeds/manage.ts';
import { OPML_MAX_BYTES, exportOpml, importOpml, importSummary, readOpml, type OpmlImport } from '../src/app/feeds/opml.ts';
import type { FeedRegistry } from '../src/app/feeds/registry.ts';
import { feedHealth, utcMinute } from '../src/app/feeds/status.ts';
import type { FeedState } from '../src/app/feeds/registry.ts';
import { plural } from '../src/app/views/format.ts';
import { escape } from '../src/app/views/markdown.ts';
import { UserError } from '../src/core/errors.ts';
import { truncate } from '../src/core/text/truncate.ts';
import type { EmbedField, View } from '../src/core/view.ts';
import { type CommandContext, type FeedsContext, slashCommand } from '../src/ui/discord/command.ts';
import { type AttachmentValue, attachment, channel, subcommands, text } from '../src/ui/discord/options.ts';
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
  // utcMinute, not showTime: showTime drops a zero seconds field, which on a minute-cut time is the minutes (`08 UTC`).
  if (feed.lastOkAt) parts.push(`Last success ${utcMinute(feed.lastOkAt)}: ${plural(feed.items, 'item')}.`);
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

/** Lines until `budget` characters, then how many more there were: an import's lists can be long. */
function listed(lines: readonly string[], budget: number): string {
  const shown: string[] = [];
  let used = 0;
  for (const l of lines) {
    if (used + l.length + 1 > budget) break;
    shown.push(l);
    used += l.length + 1;
  }
  const more = lines.length - shown.length;
  return more > 0 ? `${shown.join('\n')}\n… and ${more} more.` : shown.join('\n');
}

/** What an import did: a summary line, the feeds added, and each refused outline with why. */
export function importView(result: OpmlImport, file: string): View {
  // A file's outline texts can be any length: each is cut so that one cannot take the whole list.
  const cut = (text: string): string => escape(truncate(text, 200, '…').text);
  const refused = result.refused.map((r) => `• ${cut(r.outline)}: ${cut(r.reason)}`);
  const added = result.added.map((a) => `• ${cut(a.name)} <${a.url}>`);
  const next = result.added.length > 0 ? ' New feeds are read on the next delivery run.' : '';
  return {
    ephemeral: true,
    content: `${escape(file)}: ${importSummary(result)}.${next}`,
    embeds: [
      ...(refused.length > 0 ? [{ title: 'Refused', description: listed(refused, 2500) }] : []),
      ...(added.length > 0 ? [{ title: 'Added', description: listed(added, 2500) }] : []),
    ],
  };
}

/** /feed import: the attached file read from Discord (1 MB at most), its outlines added as feeds. */
async function importFile(registry: FeedRegistry, file: AttachmentValue, ctx: CommandContext): Promise<View> {
  if (!ctx.attachments) throw new UserError('unavailable', 'This bot cannot read attached files.');
  const bytes = await ctx.attachments.read(file, OPML_MAX_BYTES);
  let outlines: ReturnType<typeof readOpml>;
  try {
    outlines = readOpml(bytes.toString('utf8'), file.name);
  } catch (error) {
    // Its message quotes the file's name and the parser's words: shown as text, never as markdown.
    if (error instanceof UserError) throw new UserError(error.code, `${escape(error.message)}.`, { cause: error });
    throw error;
  }
  return importView(await importOpml(registry, outlines, ctx.now()), file.name);
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
    import: {
      description: 'Read every feed an OPML file lists (most feed readers export one; at most 1 MB)',
      options: { file: attachment({ description: 'An .opml file', required: true }) },
    },
    export: { description: 'The feeds Paperboy reads, as an OPML file for another reader' },
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
    if (options.subcommand === 'import') return importFile(feeds.registry, options.file, ctx);
    if (options.subcommand === 'export') {
      const list = await listFeeds(feeds.registry);
      const opml = exportOpml(list, ctx.now());
      return { ephemeral: true, content: `${plural(list.length, 'feed')} in feeds.opml.`, files: [{ name: 'feeds.opml', bytes: Buffer.from(opml) }] };
    }
    if (options.subcommand === 'health-channel') {
      if (!feeds.guildSettings) throw new UserError('unavailable', 'Server settings are not available in this bot.');
      await chooseHealthChannel(feeds.guildSettings, feeds.guildId, options.channel?.id ?? null, ctx.now());
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
