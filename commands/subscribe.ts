/** /subscribe: post new articles into a channel, each with a thread of its comments. */
import { ApplicationCommandOptionType, ChannelType } from 'discord-api-types/v10';
import { z } from 'zod';
import { backfillCursor } from '../src/delivery/due.ts';
import { FilterError, parseFilter } from '../src/delivery/filter.ts';
import { parseBackfill, showBackfill, type Subscription } from '../src/delivery/subscriptions.ts';
import { defineCommand } from '../src/views/command.ts';
import { escape } from '../src/views/markdown.ts';
import { UserError } from '../src/views/view.ts';
import { ADMIN_ONLY, ChannelValue, channelOption, requireAdmin } from './admin.ts';

export default defineCommand({
  definition: {
    name: 'subscribe',
    description: 'Post new articles in a channel, one thread of comments each',
    ...ADMIN_ONLY,
    options: [
      channelOption,
      { type: ApplicationCommandOptionType.String, name: 'source', description: 'Only articles from this source', max_length: 200 },
      { type: ApplicationCommandOptionType.String, name: 'keywords', description: 'Words, comma-separated (any matches), or /regex/i', max_length: 300 },
      { type: ApplicationCommandOptionType.String, name: 'backfill', description: 'What already stored to post first: none (default), latest N, or all', max_length: 20 },
    ],
  },
  options: z.object({ channel: ChannelValue, source: z.string().optional(), keywords: z.string().optional(), backfill: z.string().optional() }),
  defer: true,
  ephemeral: true,
  run: async ({ channel, source, keywords, backfill }, ctx) => {
    const { subscriptions, cron, guildId } = requireAdmin(ctx);
    const fill = parseBackfill(backfill);
    if (!fill) throw new UserError(`Backfill "${escape(backfill ?? '')}" is not one of: none, latest N (such as latest 10), all.`);
    let filter;
    try {
      filter = parseFilter(keywords ?? null);
    } catch (error) {
      if (error instanceof FilterError) throw new UserError(`Keywords: ${escape(error.message)}.`);
      throw error;
    }
    const now = ctx.now().toISOString();
    const existing = await subscriptions.get(guildId, channel.id);
    const base = { source: source?.trim() || null, keywords: keywords?.trim() || null, backfill: fill };
    const sub: Subscription = existing
      ? { ...existing, ...base, paused: null, lastError: null }
      : {
          guildId,
          channelId: channel.id,
          channelName: channel.name ?? channel.id,
          kind: channel.type === ChannelType.GuildForum ? 'forum' : 'text',
          ...base,
          cursor: backfillCursor(ctx.store, base, filter),
          checkedAt: now,
          createdAt: now,
          createdBy: ctx.actor?.name ?? '',
          paused: null,
          posted: 0,
          lastPostedAt: null,
          lastRunAt: null,
          lastError: null,
        };
    await subscriptions.put(sub);
    const what = [sub.source && `from ${escape(sub.source)}`, sub.keywords && `matching \`${sub.keywords.replace(/`/g, 'ˋ')}\``].filter(Boolean).join(' ');
    const lines = [
      `${existing ? 'Updated' : 'Subscribed'} <#${channel.id}>${sub.kind === 'forum' ? ' (a forum: one post per article)' : ''}: new articles${what ? ` ${what}` : ''}, each with a thread of its comments.`,
    ];
    if (!existing) {
      const explained = fill.kind === 'none' ? 'only articles stored from now on' : fill.kind === 'all' ? 'every stored article first' : `the latest ${fill.count} first`;
      lines.push(`Backfill: ${showBackfill(fill)}${backfill === undefined ? ' (the default)' : ''}: ${explained}.`);
    } else if (existing.paused) lines.push(`It was paused (${escape(existing.paused.reason)}); it runs again now.`);
    lines.push(cron ? `Articles go out on schedule (\`${cron}\`), or now with /deliver.` : 'Run /deliver to post now.');
    return { ephemeral: true, content: lines.join('\n') };
  },
});
