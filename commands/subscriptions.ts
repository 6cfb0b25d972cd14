/**
 * /subscriptions: this server's subscriptions, with what each has posted and when, any pause, and
 * the articles set aside; `retry:#channel` has the next run try that channel's set-aside articles again.
 */
import { retrySetAside } from '../src/app/delivery/subscribe.ts';
import {
  type InvalidSubscription,
  MAX_SET_ASIDE,
  setAsideOf,
  showBackfill,
  type Subscription,
  type Subscriptions,
  unfinishedOf,
} from '../src/app/delivery/subscriptions.ts';
import { plural } from '../src/app/views/format.ts';
import { escape } from '../src/app/views/markdown.ts';
import { UserError } from '../src/core/errors.ts';
import { truncate } from '../src/core/text/truncate.ts';
import type { EmbedField, View } from '../src/core/view.ts';
import { slashCommand } from '../src/ui/discord/command.ts';
import { channel, options } from '../src/ui/discord/options.ts';
import { ADMIN_ONLY, SUBSCRIBABLE, requireAdmin } from './admin.ts';

/** Set-aside articles named in a subscription's entry, at most this many (the count says how many more). */
const SET_ASIDE_SHOWN = 3;
/** An article's title in a list is cut here. */
const TITLE_SHOWN = 80;
/** Why an article was set aside is cut here. */
const REASON_SHOWN = 200;
/** Subscriptions listed, one embed field each: as many fields as one embed holds. */
const LISTED = 25;

function setAsideLines(s: Subscription): string[] {
  const list = setAsideOf(s);
  const dropped = s.setAsideDropped ?? 0;
  if (list.length === 0)
    return dropped > 0 ? [`⚠ ${plural(dropped, 'article')} set aside and no longer listed (the list keeps ${MAX_SET_ASIDE}); see the log.`] : [];
  const waiting = list.filter((e) => e.retry).length;
  const lines = [
    `⚠ ${plural(list.length, 'article')} set aside: ${list.length === 1 ? 'it cannot' : 'they cannot'} be posted as ${list.length === 1 ? 'it is' : 'they are'}, and later articles went on.`,
  ];
  for (const e of list.slice(0, SET_ASIDE_SHOWN)) {
    lines.push(
      `• “${escape(truncate(e.title, TITLE_SHOWN, '…').text)}”${e.retry ? ' (retry asked)' : ''}: ${escape(truncate(e.reason, REASON_SHOWN, '…').text)}`,
    );
  }
  if (list.length > SET_ASIDE_SHOWN) lines.push(`• and ${list.length - SET_ASIDE_SHOWN} more`);
  if (dropped > 0) lines.push(`• and ${dropped} more set aside; see the log (the list keeps the latest ${MAX_SET_ASIDE}, and a retry cannot reach these)`);
  lines.push(waiting === list.length ? 'They are tried again on the next run.' : `Try again: /subscriptions retry:<#${s.channelId}>.`);
  return lines;
}

/** Threads still being posted, a slice of comments per run: progress, shown apart from any error. */
function postingLines(s: Subscription): string[] {
  const list = unfinishedOf(s);
  const lines = list.slice(0, SET_ASIDE_SHOWN).map((e) => `⏳ Posting the comments of “${escape(truncate(e.title, TITLE_SHOWN, '…').text)}”: ${e.left} left.`);
  if (list.length > SET_ASIDE_SHOWN) lines.push(`⏳ And ${plural(list.length - SET_ASIDE_SHOWN, 'more thread')}.`);
  if (list.length > 0) lines.push(`Each run posts the next comments; later articles go out meanwhile.`);
  return lines;
}

/**
 * A stored ISO time to the minute, in UTC. Not showTime over the first 16 characters: that drops a
 * trailing `:00` as seconds, so 08:00 showed as "08".
 */
const minute = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

function describe(s: Subscription): EmbedField {
  const filter =
    [s.source && `source ${escape(s.source)}`, s.keywords && `keywords \`${s.keywords.replace(/`/g, 'ˋ')}\``].filter(Boolean).join(', ') || 'every article';
  const lines = [
    `<#${s.channelId}> (${s.kind}): ${filter}; backfill ${showBackfill(s.backfill)}${s.followDiscussions ? '; discussions followed' : ''}`,
    `Posted ${plural(s.posted, 'article')}${s.lastPostedAt ? `, last at ${minute(s.lastPostedAt)}` : ''}.`,
  ];
  if (s.paused) lines.push(`⏸ **Paused** since ${minute(s.paused.at)}: ${escape(s.paused.reason)}. Fix it, then /subscribe again to resume.`);
  else if (s.lastError) lines.push(`⚠ Last run stopped part way: ${escape(s.lastError)}. The next run resumes.`);
  lines.push(...postingLines(s), ...setAsideLines(s));
  return { name: `#${s.channelName}`, value: lines.join('\n') };
}

/** A subscription whose stored row does not read back: named, so the admin knows that channel gets nothing. */
function describeInvalid(bad: InvalidSubscription): EmbedField {
  const problem = escape(truncate(bad.error.problem, REASON_SHOWN, '…').text);
  return {
    // A field's name shows a channel mention as raw text, so the channel is named in the value.
    name: 'Unreadable subscription',
    value: `⚠ <#${bad.channelId}>: its stored subscription cannot be read (${problem}), so nothing is delivered there. /unsubscribe it and /subscribe it again to replace it.`,
  };
}

export function subscriptionsView(subs: readonly Subscription[], cron: string | null, invalid: readonly InvalidSubscription[] = []): View {
  const fields = [...invalid.map(describeInvalid), ...subs.map(describe)];
  const shown = fields.slice(0, LISTED);
  const more = fields.length - shown.length;
  const count = subs.length + invalid.length;
  return {
    ephemeral: true,
    embeds: [
      {
        title: 'Subscriptions',
        description:
          count === 0
            ? 'None yet. Add one with /subscribe.'
            : `${plural(count, 'subscription')}${more > 0 ? ` (the first ${shown.length} shown)` : ''}.${cron ? ` Delivery runs on \`${cron}\`.` : ''}`,
        fields: shown,
      },
    ],
  };
}

/** Has the next run try a channel's set-aside articles again, and says which. */
async function retryView(subscriptions: Subscriptions, guildId: string, channelId: string, cron: string | null): Promise<View> {
  const retry = await retrySetAside(subscriptions, guildId, channelId);
  if (retry.outcome === 'no-subscription') throw new UserError('not-found', `<#${channelId}> has no subscription.`);
  if (retry.outcome === 'nothing-set-aside') throw new UserError('not-found', `<#${channelId}> has no articles set aside: nothing to retry.`);
  const { sub, list } = retry;
  const when = cron ? `on the next scheduled run (\`${cron}\`), or now with /deliver` : 'when you run /deliver';
  const titles = list.slice(0, SET_ASIDE_SHOWN).map((e) => `“${escape(truncate(e.title, TITLE_SHOWN, '…').text)}”`);
  const named = `${titles.join(', ')}${list.length > SET_ASIDE_SHOWN ? ` and ${list.length - SET_ASIDE_SHOWN} more` : ''}`;
  const paused = sub.paused ? ` It is paused (${escape(sub.paused.reason)}): /subscribe it again to resume, or nothing runs.` : '';
  return {
    ephemeral: true,
    content: `${plural(list.length, 'set-aside article')} in <#${channelId}> (${named}) will be tried again ${when}. One refused again stays set aside with the new reason.${paused}`,
  };
}

export default slashCommand({
  definition: { name: 'subscriptions', description: 'List this server’s subscriptions and what each has posted', ...ADMIN_ONLY },
  options: options({ retry: channel({ description: 'Try this channel’s set-aside articles again on the next run', channel_types: SUBSCRIBABLE }) }),
  defer: false,
  ephemeral: true,
  run: async ({ retry }, ctx) => {
    const { subscriptions, cron, guildId } = requireAdmin(ctx);
    if (retry) return retryView(subscriptions, guildId, retry.id, cron);
    const list = await subscriptions.list(guildId);
    return subscriptionsView(list.subscriptions, cron, list.invalid);
  },
});
