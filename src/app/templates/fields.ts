/**
 * A template's texts rendered for an article. Article text inserted by a placeholder is escaped for
 * Discord markdown, so it cannot format or ping; the template's own text is the operator's and kept
 * as written. A thread name is not markdown: it is inserted as written, on one line.
 *
 * Rendering never throws and never refuses: a field that does not parse (a template stored before a
 * check, or edited by hand) is rendered from DEFAULT_TEMPLATE, a bad zone, locale or format falls
 * back to the default, and a text over Discord's limits is cut by the renderer. checkTemplate
 * (render.ts) is what refuses a template on save.
 */
import type { Article } from '../../core/model.ts';
import type { PostTemplate } from '../../core/subscription-options.ts';
import { escape } from '../views/markdown.ts';
import { DEFAULT_DATE_FORMAT, DEFAULT_LOCALE, DEFAULT_ZONE, formatProblem, localeProblem, zoneProblem, type DateSettings } from './dates.ts';
import { parseTemplate } from './parse.ts';
import { placeholderValue, type RenderContext } from './placeholders.ts';
import { applyTransform } from './transforms.ts';

/** Today's post as a template: the title, a three-sentence summary, the thread named after the title. */
export const DEFAULT_TEMPLATE = { title: '{title}', description: '{summary}', threadName: '{title}' } as const satisfies PostTemplate;

const DEFAULTS: PostTemplate = DEFAULT_TEMPLATE;

/** The template fields that hold text with placeholders, in the order problems are reported. */
export const TEXT_FIELDS = ['content', 'title', 'description', 'threadName'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

export interface RenderedPost {
  /** Absent when the template has none or it renders empty. */
  readonly content?: string;
  readonly title?: string;
  readonly description?: string;
  /** On one line; "Discussion" when it renders empty. */
  readonly threadName: string;
}

/** The thread's name on one line, or "Discussion" when it has no text (Discord refuses an empty name). */
export function threadTitle(title: string): string {
  return title.replace(/\s+/gu, ' ').trim() || 'Discussion';
}

/** The date settings of `template`, each that is missing or wrong replaced by its default. */
export function dateSettings(template: PostTemplate): DateSettings {
  const { timezone, locale, dateFormat } = template;
  return {
    zone: timezone !== undefined && zoneProblem(timezone) === null ? timezone : DEFAULT_ZONE,
    locale: locale !== undefined && localeProblem(locale) === null ? locale : DEFAULT_LOCALE,
    format: dateFormat !== undefined && formatProblem(dateFormat) === null ? dateFormat : DEFAULT_DATE_FORMAT,
  };
}

/** `template`'s texts for `article`; a field the template leaves out is today's (DEFAULT_TEMPLATE's). */
export function renderPost(template: PostTemplate, article: Article): RenderedPost {
  const ctx: RenderContext = { article, dates: dateSettings(template), memo: new Map() };
  const field = (name: TextField): string | undefined => {
    const own = template[name];
    const fallback = DEFAULTS[name];
    const text =
      (own !== undefined ? renderText(own, ctx, name !== 'threadName') : undefined) ?? (fallback && renderText(fallback, ctx, name !== 'threadName'));
    return text || undefined;
  };
  const content = field('content');
  // Today's post keeps its title key even when empty (an article with no title): the post's digest
  // is the one earlier releases stored, so no delivered post is edited for nothing.
  const title = template.title === undefined ? (renderText(DEFAULT_TEMPLATE.title, ctx, true) ?? undefined) : field('title');
  const description = field('description');
  return {
    ...(content !== undefined ? { content } : {}),
    ...(title !== undefined ? { title } : {}),
    ...(description !== undefined ? { description } : {}),
    threadName: threadTitle(field('threadName') ?? ''),
  };
}

/**
 * `source` rendered for the context's article, article text escaped when `markdown`; null when it
 * does not parse, or when rendering failed (a bug: the caller renders the default instead, as a
 * post that cannot be made would be retried on every run).
 */
export function renderText(source: string, ctx: RenderContext, markdown: boolean): string | null {
  const parsed = parseTemplate(source);
  if (parsed.problems.length > 0) return null;
  try {
    let out = '';
    for (const piece of parsed.pieces) {
      if (piece.kind === 'text') {
        out += piece.text;
        continue;
      }
      const value = piece.transforms.reduce(applyTransform, placeholderValue(piece.name, piece.arg, ctx));
      out += (markdown && !value.markup ? value.parts.map(escape) : value.parts).join(value.sep);
    }
    return out;
  } catch {
    return null;
  }
}
