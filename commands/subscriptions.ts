/**
 * /subscriptions: this server's subscriptions, with what each has posted and when, any pause, and
 * the articles set aside; `retry:#channel` has the next run try that channel's set-aside articles again;
 * `edit:#channel` with setting options changes that subscription's settings (issue 17), and alone shows them.
 */
import { editSubscription, type Edited, type EditRequest, RESUMED, SETTING_NAMES } from '../src/app/delivery/settings.ts';
import { SettingsRefused, settingsProblemsMarkdown } from '../src/app/delivery/settings-errors.ts';
import { retrySetAside } from '../src/app/delivery/subscribe-retry.ts';
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
import { inlineCode, settingsBrief, settingsLines } from '../src/app/views/settings-view.ts';
import { UserError } from '../src/core/errors.ts';
import { truncate } from '../src/core/text/truncate.ts';
import type { EmbedField, View } from '../src/core/view.ts';
import { type CommandContext, slashCommand } from '../src/ui/discord/command.ts';
import { channel, options, text } from '../src/ui/discord/options.ts';
import { ADMIN_ONLY, SUBSCRIBABLE, requireAdmin } from './admin.ts';

/** How to resume a paused subscription, unless its reason says it already (a filter pause names /subscriptions edit, since /subscribe keeps the filter). */
function resumeHint(reason: string): string {
  return reason.includes('/subscriptions edit') ? '' : ' Fix it, then /subscribe again to resume.';
}

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
  const settings = settingsBrief(s.options, inlineCode);
  if (settings) lines.push(`⚙ ${settings}`);
  if (s.paused) lines.push(`⏸ **Paused** since ${minute(s.paused.at)}: ${escape(s.paused.reason)}.${resumeHint(s.paused.reason)}`);
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
  const paused = sub.paused ? ` It is paused (${escape(sub.paused.reason)}), and nothing runs until it resumes.${resumeHint(sub.paused.reason)}` : '';
  return {
    ephemeral: true,
    content: `${plural(list.length, 'set-aside article')} in <#${channelId}> (${named}) will be tried again ${when}. One refused again stays set aside with the new reason.${paused}`,
  };
}

/** The setting options, as `/subscriptions edit:` takes them: text each, so `-` can clear any of them. */
const SETTING_OPTIONS = {
  filter: text({ description: 'Filter expression, e.g. title contains "nato" and not source = "X" (- clears)', max_length: 1000 }),
  content: text({ description: 'Message text template, e.g. {title} {url} (- clears)', max_length: 2000 }),
  title: text({ description: 'Embed title template, e.g. {title:100} (- clears)', max_length: 500 }),
  description: text({ description: 'Embed description template, e.g. {summary:2} (- clears)', max_length: 4000 }),
  thread_name: text({ description: 'Thread or forum post name template (- clears)', max_length: 300 }),
  date_format: text({ description: 'How {published} is written: yyyy-LL-dd HH:mm, short, medium, long, full (- clears)', max_length: 100 }),
  timezone: text({ description: 'Time zone for {published}, e.g. Europe/Berlin (- clears)', max_length: 100 }),
  locale: text({ description: 'Locale for {published}, e.g. de-DE (- clears)', max_length: 100 }),
  mentions: text({ description: 'Who is pinged: <@&ROLE> if <filter>; user:ID; … (- clears)', max_length: 2000 }),
  webhook_name: text({ description: 'Post through a webhook under this name (- goes back to the bot’s own messages)', max_length: 100 }),
  webhook_avatar: text({ description: 'The webhook’s avatar: an https:// image address (- clears)', max_length: 2000 }),
  tags: text({ description: 'Forum tags: TAG_ID if <filter>; TAG_ID; … (forum subscriptions; - clears)', max_length: 2000 }),
  thread: text({ description: 'Post into this existing thread (its id; text channels; - clears)', max_length: 30 }),
  daily_cap: text({ description: 'Articles a day at most, 1 to 1000 (- clears)', max_length: 10 }),
  min_spacing: text({ description: 'Minutes between posts at least, 0 to 1440 (- clears)', max_length: 10 }),
  max_age: text({ description: 'Skip articles older than this many hours, 1 to 8760 (- clears)', max_length: 10 }),
  digest: text({ description: 'daily 08:00 [Europe/Berlin] [only], or weekly mon 08:00 … (- clears)', max_length: 200 }),
} as const;

/** What the admin sees after an edit: what changed, and every setting now in force. */
export function editedView(channelId: string, edited: Edited, asked: boolean): View {
  const { after, changed, checkedWith } = edited;
  const lines = [
    !asked
      ? `Settings of <#${channelId}>:`
      : changed.length > 0
        ? `Updated <#${channelId}>: ${changed.join(', ')} changed.`
        : `Nothing changed in <#${channelId}>: those settings already had those values.`,
  ];
  const now = settingsLines(after.options, inlineCode);
  if (asked) lines.push(now.length > 0 ? 'Settings now in force:' : 'No settings now: it posts every article it gets as it always has.');
  else if (now.length === 0) lines.push('None: it posts every article it gets as it always has. Give setting options with edit: to change them.');
  lines.push(...now.map((l) => `• ${l}`));
  if (checkedWith && changed.length > 0) {
    const which =
      checkedWith.kind === 'matching'
        ? 'the newest article it would get'
        : checkedWith.kind === 'newest'
          ? 'the newest stored article'
          : 'a sample article (none is stored yet)';
    lines.push(`Template checked with ${which}: “${escape(truncate(checkedWith.article.title, TITLE_SHOWN, '…').text)}”.`);
  }
  if (edited.resumed) lines.push(`▶ ${RESUMED}`);
  return { ephemeral: true, content: lines.join('\n') };
}

/** Checks and saves the settings given for the channel's subscription; each problem named, with its column under a filter. */
async function editView(ctx: CommandContext, channelId: string, settings: EditRequest['settings']): Promise<View> {
  const { subscriptions, guildId } = requireAdmin(ctx);
  const edited = await editSubscription(subscriptions, ctx.store, { guildId, channelId, settings }).catch((error: unknown) => {
    throw error instanceof SettingsRefused ? new UserError(error.code, settingsProblemsMarkdown(error.problems, escape)) : error;
  });
  if (!edited) throw new UserError('not-found', `<#${channelId}> has no subscription: /subscribe it first.`);
  return editedView(
    channelId,
    edited,
    Object.values(settings).some((v) => v !== undefined),
  );
}

export default slashCommand({
  definition: { name: 'subscriptions', description: 'List this server’s subscriptions and what each has posted; edit: changes one’s settings', ...ADMIN_ONLY },
  options: options({
    retry: channel({ description: 'Try this channel’s set-aside articles again on the next run', channel_types: SUBSCRIBABLE }),
    edit: channel({ description: 'Change this channel’s subscription settings (the options below); alone, show them', channel_types: SUBSCRIBABLE }),
    ...SETTING_OPTIONS,
  }),
  // An edit runs the filters on stored articles (the template's article, the count): a filter may take
  // up to ~20 ms an article (src/app/filters/cost.ts), more than Discord's 3 s before an answer is due.
  defer: true,
  ephemeral: true,
  run: async ({ retry, edit, ...given }, ctx) => {
    const { subscriptions, cron, guildId } = requireAdmin(ctx);
    const settings = Object.fromEntries(SETTING_NAMES.map((n) => [n, given[n]]));
    const named = SETTING_NAMES.filter((n) => given[n] !== undefined);
    if (retry && edit) throw new UserError('bad-option', 'Give retry: or edit:, not both.');
    if (!edit && named.length > 0) throw new UserError('bad-option', `Name the subscription to change with edit:#channel (given: ${named.join(', ')}).`);
    if (edit) return editView(ctx, edit.id, settings);
    if (retry) return retryView(subscriptions, guildId, retry.id, cron);
    const list = await subscriptions.list(guildId);
    return subscriptionsView(list.subscriptions, cron, list.invalid);
  },
});
