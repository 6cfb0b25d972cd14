/**
 * A subscription's post template as edited field by field: each option keeps, clears or replaces its
 * field, and the template that results is checked with a real article (checkTemplate, against
 * Discord's limits) before it is saved. A problem names the option, which is the template field.
 */
import type { Article } from '../../core/model.ts';
import type { MentionRule, PostTemplate } from '../../core/subscription-options.ts';
import { localeProblem, zoneProblem } from '../templates/dates.ts';
import { checkTemplate } from '../templates/render.ts';
import { SettingsError } from './settings-errors.ts';

export const TEMPLATE_OPTIONS = ['content', 'title', 'description', 'thread_name', 'date_format', 'timezone', 'locale'] as const;
export type TemplateOption = (typeof TEMPLATE_OPTIONS)[number];

const FIELD: Record<TemplateOption, keyof PostTemplate> = {
  content: 'content',
  title: 'title',
  description: 'description',
  thread_name: 'threadName',
  date_format: 'dateFormat',
  timezone: 'timezone',
  locale: 'locale',
};

/** The option that sets a template field. */
export function optionOfField(field: keyof PostTemplate): TemplateOption {
  return TEMPLATE_OPTIONS.find((o) => FIELD[o] === field) ?? 'content';
}

/**
 * The longest template text kept, placeholders included (what it renders to is checked against
 * Discord's limits by checkTemplate): a description's 4,096 characters and some room for placeholders.
 */
const MAX_TEMPLATE_CHARS = 6000;
/** A date format or a locale or a zone name is short. */
const MAX_SETTING_CHARS = 100;

/** Why `value` cannot be the field's, checked here before rendering (time zone and locale exist); null when it can. */
function ownProblem(option: TemplateOption, value: string): string | null {
  const cap = option === 'date_format' || option === 'timezone' || option === 'locale' ? MAX_SETTING_CHARS : MAX_TEMPLATE_CHARS;
  if (value.length > cap) return `is ${value.length} characters long; at most ${cap}`;
  // The same checks, in the same words, as rendering makes (templates/dates.ts).
  if (option === 'timezone') return zoneProblem(value);
  if (option === 'locale') return localeProblem(value);
  return null;
}

/** A template problem as a SettingsError; a reason that starts `column N: ` gets its caret under the text. */
function problemOf(field: keyof PostTemplate, text: string, reason: string): SettingsError {
  const option = optionOfField(field);
  const colon = reason.indexOf(': ');
  const head = colon > 0 ? reason.slice(0, colon) : '';
  const column = head.startsWith('column ') && /^\d{1,6}$/u.test(head.slice(7)) ? Number(head.slice(7)) : undefined;
  if (column === undefined) return new SettingsError({ option, given: text, reason });
  return new SettingsError({ option, given: text, reason: reason.slice(colon + 2), column });
}

/**
 * The template after `changes` (null value: clear that field), checked with `article` and the pings
 * of `mentions` before its content; problems are pushed and undefined returned when there are any.
 * Null when every field is cleared.
 */
export function readTemplate(
  had: PostTemplate | null,
  changes: Partial<Record<TemplateOption, string | null>>,
  article: Article,
  problems: SettingsError[],
  mentions: readonly MentionRule[] = [],
): PostTemplate | null | undefined {
  const out: Record<string, string> = { ...had };
  const own: SettingsError[] = [];
  for (const option of TEMPLATE_OPTIONS) {
    if (!(option in changes)) continue;
    const value = changes[option];
    const field = FIELD[option];
    if (value === null || value === undefined) {
      delete out[field];
      continue;
    }
    // Content and embed text keep their spaces (a template may start with a line break); settings are words.
    const text = option === 'content' || option === 'title' || option === 'description' || option === 'thread_name' ? value : value.trim();
    const why = ownProblem(option, text);
    if (why) own.push(new SettingsError({ option, given: text.slice(0, 200), reason: why }));
    else out[field] = text;
  }
  if (own.length > 0) {
    problems.push(...own);
    return undefined;
  }
  const template = out as PostTemplate;
  const rendered = checkTemplate(template, article, mentions).map((p) => problemOf(p.field, template[p.field] ?? '', p.reason));
  if (rendered.length > 0) {
    problems.push(...rendered);
    return undefined;
  }
  return Object.keys(out).length > 0 ? template : null;
}
