/**
 * The fields a filter reads, and what each reads of an article. Text is read as today's keyword
 * filter reads it (filterTexts in texts.ts): the start of the title and of the body
 * only, so a filter's cost per article is bounded whatever the article holds.
 */
import { DateTime } from 'luxon';
import type { Article } from '../../core/model.ts';
import { summarize } from '../../core/text/summarize.ts';
import { SUMMARY_SENTENCES } from '../templates/placeholders.ts';
import { editDistance } from './distance.ts';
import { FILTER_TITLE_CHARS, asciiSpaces, filterTexts } from './texts.ts';

export type TextFieldName = 'title' | 'body' | 'summary' | 'text' | 'author' | 'source' | 'category' | 'url' | 'language';
export type FieldName = TextFieldName | 'comments' | 'published';
export type FieldKind = 'text' | 'number' | 'date';

export const FIELD_KINDS: Readonly<Record<FieldName, FieldKind>> = {
  title: 'text',
  body: 'text',
  summary: 'text',
  text: 'text',
  author: 'text',
  source: 'text',
  category: 'text',
  url: 'text',
  language: 'text',
  comments: 'number',
  published: 'date',
};

export const FIELD_NAMES = Object.keys(FIELD_KINDS) as FieldName[];
export const TEXT_FIELDS = FIELD_NAMES.filter((f) => FIELD_KINDS[f] === 'text');

/** Fields whose text is long: an explanation quotes around a match instead of the whole value. */
export const LONG_FIELDS: ReadonlySet<FieldName> = new Set(['body', 'summary', 'text']);

/** Names people reach for, and the field they mean (only ever suggested, never accepted). */
const MEANT: Readonly<Record<string, FieldName>> = {
  categories: 'category',
  tag: 'category',
  tags: 'category',
  date: 'published',
  comment: 'comments',
  lang: 'language',
  link: 'url',
  content: 'body',
  feed: 'source',
};

export function isFieldName(name: string): name is FieldName {
  return Object.hasOwn(FIELD_KINDS, name);
}

/** The field `name` was probably meant to be, or null: a known slip, else one at most two edits away. */
export function suggestField(name: string): FieldName | null {
  const meant = MEANT[name];
  if (meant) return meant;
  let best: FieldName | null = null;
  let bestDistance = 3;
  for (const field of FIELD_NAMES) {
    const d = editDistance(name, field);
    if (d < bestDistance) [best, bestDistance] = [field, d];
  }
  return best;
}

/** A text field's value: `pieces` are what contains/has/matches look in, `wholes` what `=` compares. */
export interface TextValue {
  readonly pieces: readonly string[];
  readonly wholes: readonly string[];
}

/** What a filter reads of one article, each part worked out once and only when a test asks for it. */
export class Reading {
  private readonly memo = new Map<string, unknown>();

  constructor(
    readonly article: Article,
    /** Characters of a field each regular expression reads (cost.ts): the filter's patterns together stay within their budget. */
    readonly regexChars = Number.POSITIVE_INFINITY,
  ) {}

  /** `make()` the first time `key` is asked for, the same value after. */
  once<T>(key: string, make: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, make());
    return this.memo.get(key) as T;
  }

  /** Title then paragraphs, capped as today's filter caps them. */
  private texts(): string[] {
    return this.once('texts', () => filterTexts(this.article));
  }

  text(field: TextFieldName): TextValue {
    return this.once(`field:${field}`, () => this.read(field));
  }

  private read(field: TextFieldName): TextValue {
    const [title = '', ...paragraphs] = this.texts();
    const body = paragraphs.join('\n\n');
    switch (field) {
      case 'title':
        return { pieces: [title], wholes: [title] };
      case 'body':
        return { pieces: paragraphs, wholes: paragraphs.length > 0 ? [body] : [] };
      case 'text':
        return { pieces: [title, ...paragraphs], wholes: paragraphs.length > 0 ? [title, body] : [title] };
      case 'summary': {
        const sentences = this.summary();
        return { pieces: sentences, wholes: sentences.length > 0 ? [sentences.join(' ')] : [] };
      }
      case 'category': {
        const all = (this.article.categories ?? []).map(short);
        return { pieces: all, wholes: all };
      }
      default: {
        const value = this.article[field];
        const one = value === null ? [] : [short(value)];
        return { pieces: one, wholes: one };
      }
    }
  }

  /** The extractive summary of the part of the article a filter reads, as many sentences as `{summary}` in a post. */
  private summary(): string[] {
    const [, ...paragraphs] = this.texts();
    let i = 0;
    // The capped texts are the blocks in order, the last one possibly cut: keep each block's kind.
    const body = this.article.body.slice(0, paragraphs.length).map((b) => ({ ...b, text: paragraphs[i++] ?? b.text }));
    return summarize({ title: this.article.title, body: body.filter((b) => b.text !== '') }, { sentences: SUMMARY_SENTENCES }).map((s) => s.text);
  }

  /** Comments held, or the count the source declared when that is larger. */
  comments(): number {
    return Math.max(this.article.comments.length, this.article.declaredCommentCount ?? 0);
  }

  /** When the article was published (else stored), in milliseconds; a time without an offset is UTC. */
  published(): { at: number; iso: string; stored: boolean } | null {
    const stored = this.article.publishedAt === null;
    const iso = this.article.publishedAt ?? this.article.ingestedAt;
    const at = DateTime.fromISO(iso, { zone: 'utc' });
    return at.isValid ? { at: at.toMillis(), iso, stored } : null;
  }
}

/** A short field (author, source, URL, language, a category) read up to the title's cap. */
function short(value: string): string {
  return asciiSpaces(value.slice(0, FILTER_TITLE_CHARS));
}
