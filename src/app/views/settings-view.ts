/**
 * A subscription's settings (issue 17) in words, for `/subscriptions`, `/subscriptions edit:` and
 * `paperboy subscription show|edit`: every setting in force, one a line, or briefly in a list entry.
 * Typed texts are shown through `code` (Discord: inline code; the CLI: as they are), each cut short.
 */
import type { SubscriptionOptions } from '../../core/subscription-options.ts';
import { truncate } from '../../core/text/truncate.ts';
import { showDigest } from '../delivery/settings-parse.ts';
import { SETTING_NAMES, type SettingName, settingValue } from '../delivery/settings.ts';

/** A typed text in a line is cut here. */
const SHOWN = 120;
/** A filter in a list entry is cut here. */
const BRIEF = 60;

export type Quote = (text: string) => string;

/** Discord's inline code: a backtick inside would end it, so it becomes ˋ. */
export const inlineCode: Quote = (text) => `\`${text.replaceAll('`', 'ˋ') || ' '}\``;
export const plainText: Quote = (text) => text;

const cut = (text: string, n = SHOWN): string => truncate(text, n, '…').text;

/** One setting's value in words, or null when it is not set. */
function shown(o: SubscriptionOptions | undefined, name: SettingName, code: Quote): string | null {
  const value = settingValue(o, name);
  if (value === null) return null;
  switch (name) {
    case 'mentions':
      return (o?.mentions ?? []).map((m) => `${m.kind}:${m.id}${m.filter ? ` if ${code(cut(m.filter))}` : ''}`).join('; ');
    case 'tags':
      return (o?.tags ?? []).map((t) => `${t.tagId}${t.filter ? ` if ${code(cut(t.filter))}` : ''}`).join('; ');
    case 'digest':
      return o?.digest ? showDigest(o.digest) : null;
    case 'daily_cap':
      return `${o?.dailyCap} articles a day`;
    case 'min_spacing':
      return `${o?.minSpacingMinutes} minutes between posts`;
    case 'max_age':
      return `articles older than ${o?.maxAgeHours} hours skipped`;
    case 'thread':
      return `thread ${o?.threadId}`;
    default:
      return typeof value === 'string' ? code(cut(value)) : null;
  }
}

/** Every setting in force, `name: value`, in the commands' order; empty when none is set. */
export function settingsLines(o: SubscriptionOptions | undefined, code: Quote = plainText): string[] {
  return SETTING_NAMES.flatMap((name) => {
    const value = shown(o, name, code);
    return value === null ? [] : [`${name}: ${value}`];
  });
}

/** The settings in a few words for a list entry; null when none is set. */
export function settingsBrief(o: SubscriptionOptions | undefined, code: Quote = plainText): string | null {
  if (!o) return null;
  const template = Object.keys(o.template ?? {});
  const parts = [
    o.filter && `filter ${code(cut(o.filter, BRIEF))}`,
    template.length > 0 && `template (${template.join(', ')})`,
    o.mentions?.length && `${o.mentions.length} mention${o.mentions.length === 1 ? '' : 's'}`,
    o.webhook && `as webhook ${code(cut(o.webhook.name, 40))}`,
    o.tags?.length && `${o.tags.length} forum tag${o.tags.length === 1 ? '' : 's'}`,
    o.threadId && `into thread ${o.threadId}`,
    o.dailyCap != null && `at most ${o.dailyCap}/day`,
    o.minSpacingMinutes != null && `${o.minSpacingMinutes} min apart`,
    o.maxAgeHours != null && `max age ${o.maxAgeHours} h`,
    o.digest && `digest ${showDigest(o.digest)}`,
  ].filter((p): p is string => typeof p === 'string');
  return parts.length > 0 ? parts.join('; ') : null;
}
