/** /subscribe: post new articles into a channel, each with a thread of its comments. */
import { ApplicationCommandOptionType, ChannelType } from 'discord-api-types/v10';
import { z } from 'zod';
import { backfillCursor, matching, storedFrom } from '../src/app/delivery/due.ts';
import { type Filter, FilterError, parseFilter } from '../src/app/delivery/filter.ts';
import type { ArticleStore } from '../src/adapters/store/store.ts';
import { plural } from '../src/app/views/format.ts';
import { type Backfill, parseBackfill, revisionOf, showBackfill, type Subscription } from '../src/app/delivery/subscriptions.ts';
import { defineCommand } from '../src/ui/discord/command.ts';
import { escape } from '../src/app/views/markdown.ts';
import { UserError } from '../src/core/view.ts';
import { ADMIN_ONLY, ChannelValue, channelOption, requireAdmin } from './admin.ts';

export default defineCommand({
  definition: {
    name: 'subscribe',
    description: 'Post new articles in a channel, one thread of comments each',
    ...ADMIN_ONLY,
    options: [
      channelOption,
      { type: ApplicationCommandOptionType.String, name: 'source', description: 'Only articles from this source (not given: kept as it was; - for every source)', max_length: 200 },
      { type: ApplicationCommandOptionType.String, name: 'keywords', description: 'Words, comma-separated (any matches), or /regex/i (not given: kept as it was; - for none)', max_length: 300 },
      { type: ApplicationCommandOptionType.String, name: 'backfill', description: 'What already stored to post first: latest 3 (default), latest N, all, or none', max_length: 20 },
    ],
  },
  options: z.object({ channel: ChannelValue, source: z.string().optional(), keywords: z.string().optional(), backfill: z.string().optional() }),
  defer: true,
  ephemeral: true,
  run: async ({ channel, source, keywords, backfill }, ctx) => {
    const { subscriptions, cron, guildId } = requireAdmin(ctx);
    const given = backfill === undefined ? null : parseBackfill(backfill);
    if (backfill !== undefined && !given) throw new UserError(`Backfill "${escape(backfill)}" is not one of: none, latest N (such as latest 10), all.`);
    const now = ctx.now().toISOString();
    let filter: Filter = parseFilter(null);
    // Read and written in one queued change: a delivery run's update cannot write the old cursor over it.
    const { before: existing, after } = await subscriptions.upsert({ guildId, channelId: channel.id }, (existing) => {
      // Subscribing again keeps what is not given: an admin changing the backfill must not lose the filters.
      const fill = given ?? existing?.backfill ?? DEFAULT_BACKFILL;
      const base = { source: chosen(source, existing?.source ?? null), keywords: chosen(keywords, existing?.keywords ?? null), backfill: fill };
      try {
        filter = parseFilter(base.keywords);
      } catch (error) {
        // Keywords kept from before can fail a check added since: say how to drop or replace them.
        const kept = keywords === undefined ? ` (the keywords kept from before; give new ones, or keywords:${CLEAR} for none)` : '';
        if (error instanceof FilterError) throw new UserError(`Keywords: ${escape(error.message)}${kept}.`);
        throw error;
      }
      const cursor = existing && !given ? existing.cursor : backfillCursor(ctx.store, base, filter);
      if (existing) {
        const changed = cursor !== existing.cursor || base.source !== existing.source || base.keywords !== existing.keywords || showBackfill(fill) !== showBackfill(existing.backfill);
        return { ...existing, ...base, cursor, paused: null, lastError: null, revision: revisionOf(existing) + (changed ? 1 : 0) };
      }
      return {
        guildId,
        channelId: channel.id,
        channelName: channel.name ?? channel.id,
        kind: channel.type === ChannelType.GuildForum ? 'forum' : 'text',
        ...base,
        cursor,
        checkedAt: now,
        createdAt: now,
        createdBy: ctx.actor?.name ?? '',
        paused: null,
        posted: 0,
        lastPostedAt: null,
        lastRunAt: null,
        lastError: null,
      };
    });
    if (!after) throw new Error('subscribe: the change made no subscription');
    const sub = after;
    const { backfill: fill, cursor } = sub;
    const what = [sub.source && `from ${escape(sub.source)}`, sub.keywords && `matching \`${sub.keywords.replace(/`/g, 'ˋ')}\``].filter(Boolean).join(' ');
    const lines = [
      `${existing ? 'Updated' : 'Subscribed'} <#${channel.id}>${sub.kind === 'forum' ? ' (a forum: one post per article)' : ''}: ${what ? `new articles ${what}` : 'every new article'}, each with a thread of its comments.`,
    ];
    const filters = existing && filterChanges(existing, { source, keywords });
    if (filters) lines.push(filters);
    if (!existing) lines.push(firstBackfill(fill, given === null, waiting(ctx.store, sub, filter, cursor)));
    else if (given) lines.push(changedBackfill(fill, showBackfill(fill) === showBackfill(existing.backfill), existing.cursor, cursor, waiting(ctx.store, sub, filter, Math.min(existing.cursor, cursor), Math.max(existing.cursor, cursor))));
    if (existing?.paused) lines.push(`It was paused (${escape(existing.paused.reason)}); it runs again now.`);
    lines.push(cron ? `Articles go out on schedule (\`${cron}\`), or now with /deliver.` : 'Run /deliver to post now.');
    return { ephemeral: true, content: lines.join('\n') };
  },
});

/**
 * The default for a first subscription: the latest few stored articles. Someone trying the bot
 * subscribes and runs /deliver and sees it post, and a channel is not flooded with a whole archive;
 * the reply says how to get every stored article, or none.
 */
export const DEFAULT_BACKFILL: Backfill = { kind: 'latest', count: 3 };

/**
 * What an admin gives to drop a filter: Discord has no empty string option, and a word such as
 * `none` could be a real source or keyword. A value of only spaces drops it too.
 */
export const CLEAR = '-';

/** A filter option: not given keeps what the subscription had, `-` drops it, anything else replaces it. */
function chosen(given: string | undefined, had: string | null): string | null {
  if (given === undefined) return had;
  const text = given.trim();
  return text === CLEAR || text === '' ? null : text;
}

/** On a second /subscribe: which filters were dropped and which kept (and how to drop those), or null when neither. */
function filterChanges(had: Pick<Subscription, 'source' | 'keywords'>, given: { readonly source: string | undefined; readonly keywords: string | undefined }): string | null {
  const names = ['source', 'keywords'] as const;
  const dropped = names.filter((n) => given[n] !== undefined && had[n] !== null && chosen(given[n], had[n]) === null);
  const kept = names.filter((n) => given[n] === undefined && had[n] !== null);
  const sentences: string[] = [];
  if (dropped.length > 0) sentences.push(`${capitalized(dropped.join(' and '))} dropped.`);
  if (kept.length > 0) {
    const how = kept.map((n) => `${n}:${CLEAR}`).join(' or ');
    sentences.push(`${capitalized(kept.join(' and '))} kept from before (${how} ${kept.length === 1 ? 'drops it' : 'drops one'}).`);
  }
  return sentences.length > 0 ? sentences.join(' ') : null;
}

const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** Counting stored articles for a reply stops here ("1,000 articles or more"): the answer stays quick. */
const WAITING_CAP = 1000;

/** Matching articles stored after position `from`, up to `to`, counted up to WAITING_CAP. */
function waiting(store: ArticleStore, sub: Pick<Subscription, 'source'>, filter: Filter, from: number, to: number = store.positions.last()): number {
  let n = 0;
  for (const p of storedFrom(store, from, 'after')) {
    if (p.position > to || n >= WAITING_CAP) break;
    if (matching(store, sub, filter, p)) n++;
  }
  return n;
}

const count = (n: number, word: string): string => (n >= WAITING_CAP ? `${plural(n, word)} or more` : plural(n, word));

function firstBackfill(fill: Backfill, byDefault: boolean, found: number): string {
  const head = `Backfill: ${showBackfill(fill)}${byDefault ? ' (the default)' : ''}`;
  if (fill.kind === 'none') return `${head}: only articles stored from now on.`;
  const which = fill.kind === 'all' ? 'every stored article' : `the latest ${fill.count} stored`;
  const now = found === 0 ? 'none is stored yet that matches, so articles go out as they arrive' : `${count(found, 'article')} now, then new ones as they arrive`;
  const more = byDefault ? ' Nothing older is posted: subscribe again with backfill:all for every stored article, or backfill:none for new ones only.' : '';
  return `${head}: ${which} first (${now}).${more}`;
}

function changedBackfill(fill: Backfill, same: boolean, before: number, after: number, between: number): string {
  const head = same ? `Backfill ${showBackfill(fill)} applied again` : `Backfill changed to ${showBackfill(fill)}`;
  if (after < before) return `${head}: ${count(between, 'stored article')} before where it had got to ${between === 1 ? 'is' : 'are'} due again; those already posted here are not posted twice.`;
  if (after > before) return `${head}: ${count(between, 'stored article')} not yet posted ${between === 1 ? 'is' : 'are'} skipped.`;
  return `${head}: it had got no further than that, so nothing else changes.`;
}
