/**
 * Post templates (issue 17): checking a subscription's template on save. Each mistake is named by
 * its field and, inside a text, its column; then the template is rendered with a real article and
 * each text measured against Discord's limits, so an operator learns on save, not from a post cut
 * short, that `{summary:10}` makes a description 600 characters too long.
 */
import type { Article } from '../../core/model.ts';
import type { MentionRule, PostTemplate } from '../../core/subscription-options.ts';
import { columnOf } from '../filters/errors.ts';
import { formatProblem, localeProblem, zoneProblem } from './dates.ts';
import { TEXT_FIELDS, type TextField } from './fields.ts';
import { POST_LIMITS } from './limits.ts';
import { parseTemplate } from './parse.ts';
import { postView } from './post.ts';

export { DEFAULT_TEMPLATE, renderPost, type RenderedPost } from './fields.ts';
export { postView, postFooter, type PostView } from './post.ts';

export interface TemplateProblem {
  /** The template field: content, title, description, threadName, dateFormat, timezone, locale. */
  readonly field: keyof PostTemplate;
  readonly reason: string;
}

/** A problem as one line for an operator: `title: column 7: unknown placeholder {titel}; did you mean {title}?`. */
export function problemText(p: TemplateProblem): string {
  return `${p.field}: ${p.reason}`;
}

/**
 * The characters delivery puts before a post's content when every mention rule passes: each ping
 * (`<@&id>` for a role, `<@id>` for a user) and a space, the last one's a line break (the Discord
 * renderer writes them so). Zero with no rules.
 */
export function mentionPrefixLength(mentions: readonly Pick<MentionRule, 'kind' | 'id'>[]): number {
  return mentions.reduce((n, m) => n + m.id.length + (m.kind === 'role' ? 4 : 3) + 1, 0);
}

/**
 * What is wrong with `template` when rendered with `article` against Discord's limits; empty when
 * nothing. `mentions`: the subscription's mention rules, whose pings go before the content.
 */
export function checkTemplate(template: PostTemplate, article: Article, mentions: readonly Pick<MentionRule, 'kind' | 'id'>[] = []): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const field of TEXT_FIELDS) {
    const text = template[field];
    if (text === undefined) continue;
    for (const p of parseTemplate(text).problems) problems.push({ field, reason: `column ${p.column}: ${p.reason}` });
  }
  for (const name of changing(template.threadName)) {
    problems.push({
      field: 'threadName',
      reason: `{${name}} changes as comments come in, but a thread is named once, and delivery finds a forum post again after a crash by its name: use it in the content or description instead`,
    });
  }
  const format = template.dateFormat === undefined ? null : formatProblem(template.dateFormat);
  if (format && template.dateFormat !== undefined)
    problems.push({ field: 'dateFormat', reason: `column ${columnOf(template.dateFormat, format.offset)}: ${format.reason}` });
  const zone = template.timezone === undefined ? null : zoneProblem(template.timezone);
  if (zone) problems.push({ field: 'timezone', reason: zone });
  const locale = template.locale === undefined ? null : localeProblem(template.locale);
  if (locale) problems.push({ field: 'locale', reason: locale });
  const parsed = new Set(TEXT_FIELDS.filter((f) => template[f] !== undefined && !problems.some((p) => p.field === f)));
  return [...problems, ...limitProblems(template, article, parsed, mentionPrefixLength(mentions))];
}

/** Placeholders whose text moves with the discussion: {comments} and {quote} (the most-quoted passage). */
const CHANGING: ReadonlySet<string> = new Set(['comments', 'quote']);

/** The placeholders of `text` that change as comments come in, each once. */
function changing(text: string | undefined): string[] {
  if (text === undefined) return [];
  const names = parseTemplate(text).pieces.flatMap((p) => (p.kind === 'placeholder' && CHANGING.has(p.name) ? [p.name] : []));
  return [...new Set(names)];
}

/** Each text the operator set (and that parsed) that is over Discord's limit with `article`, by how much. */
function limitProblems(template: PostTemplate, article: Article, own: ReadonlySet<TextField>, prefix: number): TemplateProblem[] {
  const { post, threadName } = postView(article, template);
  const embed = post.embeds?.[0] ?? {};
  const lengths: Record<TextField, number> = {
    // What Discord counts: the pings delivery puts first, then the content.
    content: post.content ? prefix + post.content.length : 0,
    title: embed.title?.length ?? 0,
    description: embed.description?.length ?? 0,
    threadName: threadName.length,
  };
  const problems: TemplateProblem[] = [];
  for (const field of own) {
    const over = lengths[field] - POST_LIMITS[field];
    const pings = field === 'content' && prefix > 0 ? ` (${count(prefix)} of them the mentions before it)` : '';
    if (over > 0) problems.push({ field, reason: overBy(lengths[field], over, POST_LIMITS[field], article, pings) });
  }
  // The embed's other texts as the renderer sends them (each cut to its own limit); the footer is never cut.
  const rest =
    (embed.fields ?? []).reduce((n, f) => n + Math.min(f.name.length, POST_LIMITS.fieldName) + Math.min(f.value.length, POST_LIMITS.fieldValue), 0) +
    Math.min(embed.footer?.length ?? 0, POST_LIMITS.footer);
  const total = Math.min(lengths.title, POST_LIMITS.title) + Math.min(lengths.description, POST_LIMITS.description) + rest;
  const mine = (['description', 'title'] as const).filter((f) => own.has(f) && lengths[f] <= POST_LIMITS[f]);
  const blamed = mine.sort((a, b) => lengths[b] - lengths[a])[0];
  if (total > POST_LIMITS.embedTotal && blamed) {
    problems.push({
      field: blamed,
      reason:
        `the embed would hold ${count(total)} characters with ${articleName(article)} (title ${count(lengths.title)}, description ` +
        `${count(lengths.description)}, fields and footer ${count(rest)}), ${count(total - POST_LIMITS.embedTotal)} over Discord's total of ${count(POST_LIMITS.embedTotal)}`,
    });
  }
  return problems;
}

function overBy(length: number, over: number, limit: number, article: Article, pings = ''): string {
  return `${count(length)} characters${pings} with ${articleName(article)}, ${count(over)} over Discord's limit of ${count(limit)}`;
}

/** The article by its id: its title is outside text, and this line goes to Discord and terminals alike. */
function articleName(article: Article): string {
  return `article ${article.id}`;
}

const count = (n: number): string => n.toLocaleString('en-US');
