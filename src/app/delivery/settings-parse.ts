/**
 * The subscription settings as typed, read into their stored shapes (src/core/subscription-options.ts).
 * Each reader returns the value or throws a SettingsError naming the option, and for a filter the
 * column of the mistake within the whole text typed. Nothing here uses a regular expression with
 * overlapping quantifiers on what was typed: texts are capped first and split by hand.
 */
import { IANAZone } from 'luxon';
import type { DigestSettings, MentionRule, TagRule, WebhookIdentity } from '../../core/subscription-options.ts';
import { compileExpression, FilterSyntaxError } from '../filters/expression.ts';
import { columnOf } from '../filters/errors.ts';
import { SettingsError } from './settings-errors.ts';

/** The longest filter expression kept: long enough for a dozen tests, short enough to read in a list. */
export const MAX_FILTER_CHARS = 1000;
/** Mentions or tags as typed, all entries together. */
export const MAX_RULES_CHARS = 2000;
/** Entries in a mentions or tags list: more pings than that per post is spam, and a forum post takes 5 tags. */
export const MAX_RULES = 20;

const SNOWFLAKE = /^\d{17,20}$/u;

/** `text` checked as a filter expression: compiled once, so a mistake is told now rather than at delivery. */
export function readFilter(option: string, text: string, whole = text, offset = 0): string {
  // Characters as columns count them (an emoji is one).
  const chars = text.length > MAX_FILTER_CHARS ? Array.from(text).length : text.length;
  if (chars > MAX_FILTER_CHARS)
    throw new SettingsError({ option, given: whole.slice(0, 200), reason: `the filter is ${chars} characters long; at most ${MAX_FILTER_CHARS}` });
  try {
    compileExpression(text);
  } catch (error) {
    if (!(error instanceof FilterSyntaxError)) throw error;
    throw new SettingsError({ option, given: whole, reason: error.reason, column: columnOf(whole, offset) - 1 + error.column });
  }
  return text;
}

/** An entry of a `;`-separated list with where it starts in the whole text (0-based). */
interface Entry {
  readonly text: string;
  readonly at: number;
}

/** Characters after which a `/` starts a regular expression, as the filter lexer reads one (lexer.ts). */
const BEFORE_REGEX = new Set([' ', '\t', '\n', '\r', '(', ')', '=', '!', '<', '>', '&', '|', '"', "'"]);

/**
 * Splits at `;` outside quotes and `/regex/` (a filter may look for "a;b" or /a;b/); each entry
 * trimmed, its start kept for columns. An entry whose quote or regex is never closed runs to the end
 * and is kept whole, so the filter compiler names the unclosed quote at its column instead of the
 * entry vanishing (which saved an empty list over the one there).
 */
function entries(text: string): Entry[] {
  const out: Entry[] = [];
  let quote: string | null = null;
  let regex = false;
  let inClass = false;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i];
    if (ch !== undefined && (quote || regex)) {
      if (ch === '\\') i++;
      else if (quote) quote = ch === quote ? null : quote;
      else if (inClass) inClass = ch !== ']';
      else if (ch === '[') inClass = true;
      else if (ch === '/') regex = false;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '/' && (i === start || BEFORE_REGEX.has(text[i - 1]!) || /\s/u.test(text[i - 1]!))) regex = true;
    else if (ch === ';' || ch === undefined) {
      const raw = text.slice(start, i);
      const lead = raw.length - raw.trimStart().length;
      if (raw.trim() !== '') out.push({ text: raw.trim(), at: start + lead });
      start = i + 1;
    }
  }
  return out;
}

/** The first word of an entry: the mention or tag. */
function firstWord(e: Entry): string {
  const space = e.text.search(/\s/u);
  return space < 0 ? e.text : e.text.slice(0, space);
}

/** What follows the entry's first word: `if` and a filter (null when nothing follows). */
function condition(option: string, whole: string, e: Entry): Entry | null {
  const space = e.text.search(/\s/u);
  if (space < 0) return null;
  const word = e.text.slice(0, space);
  const rest = e.text.slice(space);
  const ifAt = space + rest.length - rest.trimStart().length;
  const after = e.text.slice(ifAt);
  if (!/^if(\s|$)/iu.test(after))
    throw new SettingsError({ option, given: whole, reason: `expected "if" and a filter after ${word}`, column: columnOf(whole, e.at + ifAt) });
  const body = after.slice(2);
  const bodyAt = ifAt + 2 + body.length - body.trimStart().length;
  if (body.trim() === '') throw new SettingsError({ option, given: whole, reason: 'expected a filter after "if"', column: columnOf(whole, e.at + ifAt) + 2 });
  return { text: body.trim(), at: e.at + bodyAt };
}

function ruleEntries(option: string, text: string): Entry[] {
  if (text.length > MAX_RULES_CHARS) throw new SettingsError({ option, given: text, reason: `is ${text.length} characters long; at most ${MAX_RULES_CHARS}` });
  const list = entries(text);
  if (list.length > MAX_RULES) throw new SettingsError({ option, given: text, reason: `has ${list.length} entries; at most ${MAX_RULES}` });
  return list;
}

/** A mention as typed: `<@&ID>` or `role:ID` for a role, `<@ID>`, `<@!ID>` or `user:ID` for a user. */
function mentionOf(word: string): { kind: 'role' | 'user'; id: string } | null {
  const lower = word.toLowerCase();
  const pairs: [string, string, 'role' | 'user'][] = [
    ['<@&', '>', 'role'],
    ['<@!', '>', 'user'],
    ['<@', '>', 'user'],
    ['role:', '', 'role'],
    ['user:', '', 'user'],
  ];
  for (const [open, close, kind] of pairs) {
    if (!lower.startsWith(open) || !lower.endsWith(close)) continue;
    const id = word.slice(open.length, word.length - close.length);
    return SNOWFLAKE.test(id) ? { kind, id } : null;
  }
  return null;
}

/** `<@&ID> if <filter>; user:ID; …`: who a post pings, each when the article passes its filter (always when none). */
export function readMentions(text: string): MentionRule[] {
  const rules: MentionRule[] = [];
  for (const e of ruleEntries('mentions', text)) {
    const word = firstWord(e);
    const m = mentionOf(word);
    if (!m)
      throw new SettingsError({
        option: 'mentions',
        given: text,
        reason: `"${word.slice(0, 40)}" is not a mention: write <@&ROLE_ID>, <@USER_ID>, role:ID or user:ID (ids are 17 to 20 digits)`,
        column: columnOf(text, e.at),
      });
    if (rules.some((r) => r.kind === m.kind && r.id === m.id))
      throw new SettingsError({ option: 'mentions', given: text, reason: `${m.kind} ${m.id} is named twice`, column: columnOf(text, e.at) });
    const filter = condition('mentions', text, e);
    rules.push({ ...m, filter: filter ? readFilter('mentions', filter.text, text, filter.at) : null });
  }
  return rules;
}

/** `TAG_ID if <filter>; TAG_ID; …`: the forum tags a post gets, each when the article passes its filter. */
export function readTags(text: string): TagRule[] {
  const rules: TagRule[] = [];
  for (const e of ruleEntries('tags', text)) {
    const word = firstWord(e);
    if (!SNOWFLAKE.test(word))
      throw new SettingsError({
        option: 'tags',
        given: text,
        reason: `"${word.slice(0, 40)}" is not a forum tag id (17 to 20 digits)`,
        column: columnOf(text, e.at),
      });
    if (rules.some((r) => r.tagId === word))
      throw new SettingsError({ option: 'tags', given: text, reason: `tag ${word} is named twice`, column: columnOf(text, e.at) });
    const filter = condition('tags', text, e);
    rules.push({ tagId: word, filter: filter ? readFilter('tags', filter.text, text, filter.at) : null });
  }
  return rules;
}

/** Words Discord refuses in a webhook's name. */
const REFUSED_NAME_WORDS = ['discord', 'clyde'];

export function readWebhookName(text: string): string {
  const name = text.trim();
  if (name.length < 1 || name.length > 80)
    throw new SettingsError({ option: 'webhook_name', given: text, reason: `must be 1 to 80 characters long, got ${name.length}` });
  const word = REFUSED_NAME_WORDS.find((w) => name.toLowerCase().includes(w));
  if (word) throw new SettingsError({ option: 'webhook_name', given: text, reason: `may not contain "${word}": Discord refuses such webhook names` });
  return name;
}

/** The longest avatar URL kept. */
const MAX_URL_CHARS = 2000;

export function readAvatarUrl(text: string): string {
  const given = text.trim();
  let url: URL | null = null;
  try {
    url = given.length <= MAX_URL_CHARS ? new URL(given) : null;
  } catch {
    url = null;
  }
  if (!url || url.protocol !== 'https:')
    throw new SettingsError({ option: 'webhook_avatar', given: text.slice(0, 200), reason: 'must be an https:// address of an image' });
  return url.href;
}

/** Applies a change to the webhook: a new name keeps the avatar (and the webhook the bot made), a new avatar needs a name. */
export function withWebhook(had: WebhookIdentity | null, name: string | undefined, avatar: string | null | undefined): WebhookIdentity | null {
  if (name === undefined && avatar === undefined) return had;
  const base = had ?? { name: name ?? '', avatarUrl: null };
  return { ...base, ...(name !== undefined && { name }), ...(avatar !== undefined && { avatarUrl: avatar }) };
}

export function readSnowflake(option: string, text: string, what: string): string {
  const id = text.trim();
  if (!SNOWFLAKE.test(id)) throw new SettingsError({ option, given: text.slice(0, 40), reason: `must be ${what} id (17 to 20 digits)` });
  return id;
}

/** A whole number from `min` to `max`, as typed (digits only: `1e3` and `0x10` are not what anyone means). */
export function readCount(option: string, text: string, min: number, max: number, unit: string): number {
  const t = text.trim();
  const n = /^\d{1,7}$/u.test(t) ? Number(t) : NaN;
  if (!(n >= min && n <= max))
    throw new SettingsError({ option, given: t.slice(0, 40), reason: `must be a whole number of ${unit} from ${min} to ${max}, got "${t.slice(0, 40)}"` });
  return n;
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const FULL_WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** `HH:MM` (or `H:MM`) as stored, zero-padded; null when it is not a time of day. */
function timeOfDay(word: string): string | null {
  const parts = word.split(':');
  const [h, m] = parts;
  if (parts.length !== 2 || h === undefined || m === undefined || !/^\d{1,2}$/u.test(h) || !/^\d{2}$/u.test(m)) return null;
  return Number(h) <= 23 && Number(m) <= 59 ? `${h.padStart(2, '0')}:${m}` : null;
}

const DIGEST_SYNTAX = 'write "daily 08:00", "weekly mon 08:00", then a time zone such as Europe/Berlin and "only" if you like';

/** `daily 08:00 [Europe/Berlin] [only]` or `weekly mon 08:00 [zone] [only]`. */
export function readDigest(text: string): DigestSettings {
  const fail = (reason: string): never => {
    throw new SettingsError({ option: 'digest', given: text.slice(0, 200), reason });
  };
  if (text.length > 200) fail('is too long; ' + DIGEST_SYNTAX);
  const words = text.trim().split(/\s+/u);
  const every = words.shift()?.toLowerCase();
  if (every !== 'daily' && every !== 'weekly') return fail(`"${(every ?? '').slice(0, 20)}" is not daily or weekly; ${DIGEST_SYNTAX}`);
  let weekday: number | undefined;
  if (every === 'weekly') {
    const day = (words.shift() ?? '').toLowerCase();
    const index = Math.max(WEEKDAYS.indexOf(day), FULL_WEEKDAYS.indexOf(day));
    if (index < 0) fail(`"${day.slice(0, 20)}" is not a day of the week (mon, tue, wed, thu, fri, sat, sun)`);
    weekday = index + 1;
  }
  const word = words.shift() ?? '';
  const at = timeOfDay(word) ?? fail(`"${word.slice(0, 20)}" is not a time of day (HH:MM, 00:00 to 23:59)`);
  let only = false;
  let timezone: string | undefined;
  for (const w of words) {
    if (w.toLowerCase() === 'only' && !only) only = true;
    else if (timezone === undefined && !only && IANAZone.isValidZone(w)) timezone = w;
    else fail(`"${w.slice(0, 40)}" is not a time zone (such as Europe/Berlin or UTC) nor "only", in that order`);
  }
  return { every, at, ...(weekday !== undefined && { weekday }), ...(timezone !== undefined && { timezone }), only };
}

/** The digest as it reads back: `weekly mon 08:00 Europe/Berlin only`. */
export function showDigest(d: DigestSettings): string {
  const day = d.every === 'weekly' && d.weekday !== undefined ? ` ${WEEKDAYS[d.weekday - 1] ?? '?'}` : '';
  return `${d.every}${day} ${d.at}${d.timezone ? ` ${d.timezone}` : ''}${d.only ? ' only' : ''}`;
}
