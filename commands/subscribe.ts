/** /subscribe: post new articles into a channel, each with a thread of its comments. */
import { ChannelType } from 'discord-api-types/v10';
import { CLEAR, chosen, countWaiting, subscribe, SubscriptionOptionError, WAITING_CAP } from '../src/app/delivery/subscribe.ts';
import { SettingsError, settingsProblemsMarkdown } from '../src/app/delivery/settings-errors.ts';
import { type Backfill, showBackfill, type Subscription } from '../src/app/delivery/subscriptions.ts';
import { plural } from '../src/app/views/format.ts';
import { escape } from '../src/app/views/markdown.ts';
import { inlineCode } from '../src/app/views/settings-view.ts';
import { UserError } from '../src/core/errors.ts';
import { slashCommand } from '../src/ui/discord/command.ts';
import { boolean, options, text } from '../src/ui/discord/options.ts';
import { ADMIN_ONLY, channelOption, requireAdmin } from './admin.ts';

/** The service's plain-words complaint about an option, as markdown, saying how to drop keywords kept from before. */
function optionProblem(error: SubscriptionOptionError): UserError {
  if (error.option === 'filter') {
    const kept = error.kept ? ` (the filter kept from before; give a new one, or filter:${CLEAR} for none)` : '';
    const problem = new SettingsError({ option: 'filter', given: error.given, reason: `${error.reason}${kept}`, column: error.column });
    return new UserError(error.code, settingsProblemsMarkdown([problem], escape));
  }
  if (error.option === 'backfill')
    return new UserError(error.code, `Backfill "${escape(error.given)}" is not one of: none, latest N (such as latest 10), all.`);
  const kept = error.kept ? ` (the keywords kept from before; give new ones, or keywords:${CLEAR} for none)` : '';
  return new UserError(error.code, `Keywords: ${escape(error.reason)}${kept}.`);
}

export default slashCommand({
  definition: { name: 'subscribe', description: 'Post new articles in a channel, one thread of comments each', ...ADMIN_ONLY },
  options: options({
    channel: channelOption,
    source: text({ description: 'Only articles from this source (not given: kept as it was; - for every source)', max_length: 200 }),
    keywords: text({ description: 'Words, comma-separated (any matches), or /regex/i (not given: kept as it was; - for none)', max_length: 300 }),
    backfill: text({ description: 'What already stored to post first: latest 3 (default), latest N, all, or none', max_length: 20 }),
    filter: text({ description: 'Filter expression, e.g. title contains "nato" and not source = "X" (not given: kept; - for none)', max_length: 1000 }),
    discussions: boolean({ description: 'Follow the discussion each posted article links to, e.g. a feed item’s comments (not given: kept)' }),
  }),
  defer: true,
  ephemeral: true,
  run: async ({ channel, source, keywords, backfill, filter: expression, discussions }, ctx) => {
    const { subscriptions, cron, guildId } = requireAdmin(ctx);
    const kind = channel.type === ChannelType.GuildForum ? 'forum' : 'text';
    const request = {
      guildId,
      channel: { id: channel.id, name: channel.name, kind },
      source,
      keywords,
      filter: expression,
      backfill,
      followDiscussions: discussions,
      by: ctx.actor?.name ?? '',
      now: ctx.now(),
    } as const;
    const done = await subscribe(subscriptions, ctx.store, request).catch((error: unknown) => {
      throw error instanceof SubscriptionOptionError ? optionProblem(error) : error;
    });
    const { before: existing, after: sub, given, filter } = done;
    const { backfill: fill, cursor } = sub;
    const what = [sub.source && `from ${escape(sub.source)}`, sub.keywords && `matching \`${sub.keywords.replace(/`/g, 'ˋ')}\``].filter(Boolean).join(' ');
    const lines = [
      `${existing ? 'Updated' : 'Subscribed'} <#${channel.id}>${sub.kind === 'forum' ? ' (a forum: one post per article)' : ''}: ${what ? `new articles ${what}` : 'every new article'}, each with a thread of its comments.`,
    ];
    const expressionNow = sub.options?.filter ?? null;
    if (expressionNow !== null) lines.push(`Filter: ${inlineCode(expressionNow)}${expression === undefined && existing ? ' (kept from before)' : ''}.`);
    const filters = existing && filterChanges({ ...existing, filter: existing.options?.filter ?? null }, { source, keywords, filter: expression });
    if (filters) lines.push(filters);
    if (!existing) lines.push(firstBackfill(fill, given === null, await countWaiting(ctx.store, sub, filter, cursor)));
    else if (given)
      lines.push(
        changedBackfill(
          fill,
          showBackfill(fill) === showBackfill(existing.backfill),
          existing.cursor,
          cursor,
          await countWaiting(ctx.store, sub, filter, Math.min(existing.cursor, cursor), Math.max(existing.cursor, cursor)),
        ),
      );
    const following = followingLine(existing?.followDiscussions === true, sub.followDiscussions === true, discussions !== undefined);
    if (following) lines.push(following);
    if (existing?.paused) lines.push(`It was paused (${escape(existing.paused.reason)}); it runs again now.`);
    lines.push(cron ? `Articles go out on schedule (\`${cron}\`), or now with /deliver.` : 'Run /deliver to post now.');
    return { ephemeral: true, content: lines.join('\n') };
  },
});

/** On a second /subscribe: which filters were dropped and which kept (and how to drop those), or null when neither. */
function filterChanges(
  had: Pick<Subscription, 'source' | 'keywords'> & { readonly filter: string | null },
  given: { readonly source: string | undefined; readonly keywords: string | undefined; readonly filter: string | undefined },
): string | null {
  const names = ['source', 'keywords', 'filter'] as const;
  const dropped = names.filter((n) => given[n] !== undefined && had[n] !== null && chosen(given[n], had[n]) === null);
  // A kept filter expression is said on its own line (Filter: … (kept from before)).
  const kept = names.filter((n) => n !== 'filter' && given[n] === undefined && had[n] !== null);
  const sentences: string[] = [];
  if (dropped.length > 0) sentences.push(`${capitalized(dropped.join(' and '))} dropped.`);
  if (kept.length > 0) {
    const how = kept.map((n) => `${n}:${CLEAR}`).join(' or ');
    sentences.push(`${capitalized(kept.join(' and '))} kept from before (${how} ${kept.length === 1 ? 'drops it' : 'drops one'}).`);
  }
  return sentences.length > 0 ? sentences.join(' ') : null;
}

/** What the discussions option now does, when it is on or was just changed; null when it is off and stays off unasked. */
function followingLine(had: boolean, has: boolean, given: boolean): string | null {
  if (has)
    return `Discussions: each article it posts that links to a discussion elsewhere (a feed item’s comments link) has that discussion followed${had ? ' (as before)' : ''}; /discussion list shows them.`;
  if (had) return 'Discussions: no longer followed for new articles. Those already followed stay (/discussion remove stops one).';
  return given ? 'Discussions: not followed (discussions:True follows those the articles link to).' : null;
}

const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

const count = (n: number, word: string): string => (n >= WAITING_CAP ? `${plural(n, word)} or more` : plural(n, word));

function firstBackfill(fill: Backfill, byDefault: boolean, found: number): string {
  const head = `Backfill: ${showBackfill(fill)}${byDefault ? ' (the default)' : ''}`;
  if (fill.kind === 'none') return `${head}: only articles stored from now on.`;
  const which = fill.kind === 'all' ? 'every stored article' : `the latest ${fill.count} stored`;
  const now =
    found === 0 ? 'none is stored yet that matches, so articles go out as they arrive' : `${count(found, 'article')} now, then new ones as they arrive`;
  const more = byDefault ? ' Nothing older is posted: subscribe again with backfill:all for every stored article, or backfill:none for new ones only.' : '';
  return `${head}: ${which} first (${now}).${more}`;
}

function changedBackfill(fill: Backfill, same: boolean, before: number, after: number, between: number): string {
  const head = same ? `Backfill ${showBackfill(fill)} applied again` : `Backfill changed to ${showBackfill(fill)}`;
  if (after < before)
    return `${head}: ${count(between, 'stored article')} before where it had got to ${between === 1 ? 'is' : 'are'} due again; those already posted here are not posted twice.`;
  if (after > before) return `${head}: ${count(between, 'stored article')} not yet posted ${between === 1 ? 'is' : 'are'} skipped.`;
  return `${head}: it had got no further than that, so nothing else changes.`;
}
