/**
 * A Discourse post's `cooked` HTML as paragraphs. Discourse wraps what it adds around the author's
 * words in markup of its own: a quote of another post is
 * `<aside class="quote" data-post="N"><div class="title">…avatar… name:</div><blockquote>…</blockquote></aside>`,
 * and an uploaded image carries a `<div class="meta">` with its file name, size and dimensions. The
 * title and the meta are furniture, not words anyone wrote, so they go; the quoted text stays as a
 * paragraph of its own (which the quote linker can then match against the article).
 */
import { DomUtils, parseDocument } from 'htmlparser2';
import type { Block } from '../../core/model.ts';
import { htmlToBlocks } from '../feeds/html.ts';

/** What Discourse shows in place of a post its author deleted (before the post is purged). */
export const DELETED_BY_AUTHOR = '(post deleted by author)';

/** The blocks of a cooked post, with Discourse's furniture removed; links resolved against `base`. */
export function cookedToBlocks(cooked: string, base: string | null): Block[] {
  if (cooked.trim() === '') return [];
  const doc = parseDocument(cooked, { decodeEntities: true });
  const furniture = DomUtils.findAll((el) => isQuoteTitle(el) || isImageMeta(el), doc.children);
  for (const el of furniture) DomUtils.removeElement(el);
  const blocks = htmlToBlocks(DomUtils.getOuterHTML(doc.children, { decodeEntities: true }), base);
  if (blocks.length > 0) return blocks;
  // A post of only an embedded video or image has no text, but its link is what the author posted.
  const links = DomUtils.findAll((el) => el.name === 'a', doc.children).map((a) => absoluteHttp(a.attribs.href, base));
  return [...new Set(links.filter((l): l is string => l !== null))].map((text) => ({ type: 'paragraph', text }));
}

function absoluteHttp(href: string | undefined, base: string | null): string | null {
  if (!href) return null;
  try {
    const url = base ? new URL(href.trim(), base) : new URL(href.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** The paragraphs of a cooked post: every block's text, a quote's included, in order. */
export function cookedToParagraphs(cooked: string, base: string | null): string[] {
  return cookedToBlocks(cooked, base).map((b) => b.text);
}

type Element = Parameters<Parameters<typeof DomUtils.findAll>[0]>[0];

function hasClass(el: Element, name: string): boolean {
  return (el.attribs.class ?? '').split(/\s+/).includes(name);
}

/** `<div class="title">` directly inside `<aside class="quote">`: the quoted author's avatar and name. */
function isQuoteTitle(el: Element): boolean {
  const parent = el.parent;
  return el.name === 'div' && hasClass(el, 'title') && parent !== null && 'name' in parent && parent.name === 'aside' && hasClass(parent, 'quote');
}

/** `<div class="meta">` of an uploaded image (inside a lightbox link): file name, dimensions, size. */
function isImageMeta(el: Element): boolean {
  if (el.name !== 'div' || !hasClass(el, 'meta')) return false;
  for (let p = el.parent; p !== null && 'name' in p; p = p.parent) if (hasClass(p, 'lightbox-wrapper') || hasClass(p, 'lightbox')) return true;
  return false;
}
