/**
 * Editing a subscription's settings (issue 17): the use case behind `/subscriptions edit:` and
 * `paperboy subscription edit`. Every option as typed: not given keeps, `-` clears, anything else
 * replaces. All are checked before anything is saved; every problem is told at once (SettingsRefused),
 * and nothing of a refused change is written.
 */
import type { Store } from '../../adapters/store/contract.ts';
import type { PostTemplate, SubscriptionOptions } from '../../core/subscription-options.ts';
import { compileExpression } from '../filters/expression.ts';
import { parseFilter } from './filter.ts';
import { CLEAR } from './subscribe.ts';
import { articleForCheck, type CheckedWith } from './settings-article.ts';
import { SettingsError, SettingsRefused } from './settings-errors.ts';
import { readTemplate, TEMPLATE_OPTIONS, type TemplateOption } from './settings-template.ts';
import { readAvatarUrl, readCount, readDigest, readFilter, readMentions, readSnowflake, readTags, readWebhookName, withWebhook } from './settings-parse.ts';
import { revisionOf, type Subscription, type Subscriptions } from './subscriptions.ts';

/** What an edit that resumed a paused subscription says (both front ends). */
export const RESUMED = 'Delivery resumes: it was paused because its filter was no longer accepted, and the filter is accepted now.';

/** The settings by the names the commands give them, in the order they are listed. */
export const SETTING_NAMES = [
  'filter',
  ...TEMPLATE_OPTIONS,
  'mentions',
  'webhook_name',
  'webhook_avatar',
  'tags',
  'thread',
  'daily_cap',
  'min_spacing',
  'max_age',
  'digest',
] as const;
export type SettingName = (typeof SETTING_NAMES)[number];

export interface EditRequest {
  readonly guildId: string;
  readonly channelId: string;
  /** Each as typed; absent keeps, `-` (or only spaces) clears. */
  readonly settings: Partial<Record<SettingName, string>>;
}

export interface Edited {
  readonly before: Subscription;
  readonly after: Subscription;
  /** The settings whose stored value changed, in SETTING_NAMES order. */
  readonly changed: readonly SettingName[];
  /** The article the template was checked with; null when no template option was given. */
  readonly checkedWith: CheckedWith | null;
  /** Delivery was paused for a filter or keywords no longer accepted, and this change made them good: it resumes. */
  readonly resumed: boolean;
}

/** A setting as given: absent (keep), null (clear), or the text to read. */
type Given = string | null | undefined;

function given(text: string | undefined): Given {
  if (text === undefined) return undefined;
  const t = text.trim();
  return t === CLEAR || t === '' ? null : text;
}

/** Reads each given setting into `out`, collecting problems instead of stopping at the first. */
function attempt<T>(problems: SettingsError[], read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    problems.push(error);
    return undefined;
  }
}

/** The value a setting has in `o`, for telling which changed. */
export function settingValue(o: SubscriptionOptions | undefined, name: SettingName): unknown {
  const template = o?.template ?? undefined;
  const fields: Record<SettingName, unknown> = {
    filter: o?.filter,
    content: template?.content,
    title: template?.title,
    description: template?.description,
    thread_name: template?.threadName,
    date_format: template?.dateFormat,
    timezone: template?.timezone,
    locale: template?.locale,
    mentions: o?.mentions,
    webhook_name: o?.webhook?.name,
    webhook_avatar: o?.webhook?.avatarUrl,
    tags: o?.tags,
    thread: o?.threadId,
    daily_cap: o?.dailyCap,
    min_spacing: o?.minSpacingMinutes,
    max_age: o?.maxAgeHours,
    digest: o?.digest,
  };
  return fields[name] ?? null;
}

/** What a change sets: a key present with undefined or null clears, a value replaces; keys absent keep. */
type Patch = { -readonly [K in keyof SubscriptionOptions]?: SubscriptionOptions[K] | null };

/** The options after `patch`; cleared settings leave no key, so a subscription with none reads as before issue 17. */
function patched(had: SubscriptionOptions | undefined, patch: Patch): SubscriptionOptions | undefined {
  const out: Record<string, unknown> = { ...had };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) delete out[key];
    else out[key] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Checks every given setting against the subscription as read; the patch to apply, or SettingsRefused. */
async function planned(store: Store, sub: Subscription, settings: EditRequest['settings']): Promise<{ patch: Patch; checkedWith: CheckedWith | null }> {
  const g = Object.fromEntries(SETTING_NAMES.map((n) => [n, given(settings[n])])) as Record<SettingName, Given>;
  const problems: SettingsError[] = [];
  const patch: Patch = {};
  const read = <T>(name: SettingName, fn: (text: string) => T): T | null | undefined => {
    const value = g[name];
    if (value === undefined || value === null) return value;
    return attempt(problems, () => fn(value));
  };
  const has = (name: SettingName) => name in settings && settings[name] !== undefined;
  if (has('filter')) patch.filter = read('filter', (t) => readFilter('filter', t.trim()));
  if (has('mentions')) patch.mentions = read('mentions', readMentions) ?? [];
  if (has('tags')) {
    if (g.tags && sub.kind !== 'forum')
      problems.push(new SettingsError({ option: 'tags', given: g.tags, reason: 'only a forum subscription has tags; this one posts in a text channel' }));
    else patch.tags = read('tags', readTags) ?? [];
  }
  if (has('thread')) {
    if (g.thread && sub.kind !== 'text')
      problems.push(
        new SettingsError({ option: 'thread', given: g.thread, reason: 'only a text channel subscription posts into an existing thread; this one is a forum' }),
      );
    else patch.threadId = read('thread', (t) => readSnowflake('thread', t, 'a thread'));
  }
  if (has('daily_cap')) patch.dailyCap = read('daily_cap', (t) => readCount('daily_cap', t, 1, 1000, 'articles'));
  if (has('min_spacing')) patch.minSpacingMinutes = read('min_spacing', (t) => readCount('min_spacing', t, 0, 1440, 'minutes'));
  if (has('max_age')) patch.maxAgeHours = read('max_age', (t) => readCount('max_age', t, 1, 8760, 'hours'));
  if (has('digest')) patch.digest = read('digest', readDigest);
  if (has('webhook_name') || has('webhook_avatar')) {
    const name = read('webhook_name', readWebhookName);
    const avatar = read('webhook_avatar', readAvatarUrl);
    const had = sub.options?.webhook ?? null;
    if (name === null) {
      if (avatar)
        problems.push(
          new SettingsError({ option: 'webhook_avatar', given: g.webhook_avatar ?? '', reason: 'cannot be set while webhook_name clears the webhook' }),
        );
      else patch.webhook = null;
    } else if (name === undefined && had === null) {
      // An avatar alone needs a webhook to belong to; clearing the avatar of none changes nothing.
      if (avatar)
        problems.push(new SettingsError({ option: 'webhook_avatar', given: g.webhook_avatar ?? '', reason: 'needs a webhook: give webhook_name too' }));
    } else patch.webhook = withWebhook(had, name, avatar);
  }
  let checkedWith: CheckedWith | null = null;
  const templateGiven = TEMPLATE_OPTIONS.filter((n) => has(n));
  const mentions = patch.mentions === undefined ? (sub.options?.mentions ?? []) : (patch.mentions ?? []);
  // New mentions lengthen the content they go before: a content template is checked again with them.
  const recheck = has('mentions') && patch.mentions !== undefined && sub.options?.template?.content !== undefined;
  if (templateGiven.length > 0 || recheck) {
    const filter = patch.filter === undefined ? sub.options?.filter : patch.filter;
    checkedWith = await articleForCheck(store, sub, problems.some((p) => p.option === 'filter') ? sub.options?.filter : filter);
    const changes = Object.fromEntries(templateGiven.map((n) => [n, g[n]])) as Partial<Record<TemplateOption, string | null>>;
    const template = readTemplate(sub.options?.template ?? null, changes, checkedWith.article, problems, mentions);
    if (template !== undefined) patch.template = template;
  }
  if (problems.length > 0) throw new SettingsRefused(problems);
  return { patch, checkedWith };
}

/**
 * Checks and saves a change to a subscription's settings; null when the channel has no subscription.
 * Nothing given changes nothing (the front ends then show the settings in force). A changed filter
 * bumps the revision, as /subscribe does: a run that read the old one leaves the cursor alone.
 */
export async function editSubscription(subscriptions: Subscriptions, store: Store, request: EditRequest): Promise<Edited | null> {
  const sub = await subscriptions.get(request.guildId, request.channelId);
  if (!sub) return null;
  const { patch, checkedWith } = await planned(store, sub, request.settings);
  if (Object.keys(patch).length === 0) return { before: sub, after: sub, changed: [], checkedWith, resumed: false };
  let resumed = false;
  const after = await subscriptions.update(sub, (s) => {
    const { options: had, ...rest } = s;
    const options = patched(had, patch);
    const refiltered = (had?.filter ?? null) !== (options?.filter ?? null);
    resumed = refiltered && pausedByRules(s) && rulesAccepted(s.keywords, options?.filter);
    return { ...rest, ...(options && { options }), revision: revisionOf(s) + (refiltered ? 1 : 0), ...(resumed && { paused: null }) };
  });
  if (!after) return null;
  const changed = SETTING_NAMES.filter((n) => JSON.stringify(settingValue(sub.options, n)) !== JSON.stringify(settingValue(after.options, n)));
  return { before: sub, after, changed, checkedWith, resumed };
}

/**
 * Whether delivery paused this subscription because its filter or keywords no longer compiled
 * (run.ts notAccepted words its reason so); a pause for anything else (a channel gone) stays.
 */
function pausedByRules(s: Subscription): boolean {
  const reason = s.paused?.reason ?? '';
  return reason.startsWith('filter no longer accepted') || reason.startsWith('keywords no longer accepted');
}

/** Whether a run would read these keywords and filter, as rulesOf compiles them. */
function rulesAccepted(keywords: string | null, filter: string | null | undefined): boolean {
  try {
    parseFilter(keywords);
    compileExpression(filter ?? '');
    return true;
  } catch {
    return false;
  }
}

export type { PostTemplate };
