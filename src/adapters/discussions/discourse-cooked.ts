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
import { absoluteHttp, htmlToBlocks } from '../feeds/html.ts';

/** What Discourse shows in place of a post its author deleted (before the post is purged). */
export const DELETED_BY_AUTHOR = '(post deleted by author)';

/** A cooked post's text, and which of its blocks quote another topic (`data-topic` names it). */
export interface CookedText {
  readonly blocks: Block[];
  /** Indexes into `blocks`: a quote of another topic's post repeats that topic, never this article. */
  readonly otherTopics: ReadonlySet<number>;
}

/** The blocks of a cooked post, with Discourse's furniture removed; links resolved against `base`. */
export function cookedToBlocks(cooked: string, base: string | null): Block[] {
  return cookedText(cooked, base, null).blocks;
}

/** As {@link cookedToBlocks}, also telling which blocks quote a topic other than `topicId`. */
export function cookedText(cooked: string, base: string | null, topicId: number | null): CookedText {
  if (cooked.trim() === '') return { blocks: [], otherTopics: new Set() };
  const doc = parseDocument(cooked, { decodeEntities: true });
  const furniture = DomUtils.findAll((el) => isQuoteTitle(el) || isImageMeta(el), doc.children);
  for (const el of furniture) DomUtils.removeElement(el);
  // "@sam" links to sam's profile page; "@sam (https://forum/u/sam)" in every mention is noise.
  for (const a of DomUtils.findAll((el) => el.name === 'a' && (hasClass(el, 'mention') || hasClass(el, 'mention-group')), doc.children)) delete a.attribs.href;
  // An emoji is an <img> (dropped with every image) whose alt is its name: ":confused:" is what the author typed.
  for (const img of DomUtils.findAll((el) => el.name === 'img' && hasClass(el, 'emoji'), doc.children)) {
    const alt = img.attribs.alt ?? '';
    const name = alt.length <= 64 && /^:[\w+-]+:$/.test(alt) ? parseDocument(alt).children[0] : undefined;
    if (name) DomUtils.replaceElement(img, name);
  }
  // Each quote is converted on its own and everything between quotes together, so that each block is
  // known to come from a quote or not; Discourse puts quotes at the top level of a post.
  const blocks: Block[] = [];
  const otherTopics = new Set<number>();
  let run: typeof doc.children = [];
  const flush = (quotedTopic: string | null): void => {
    if (run.length === 0) return;
    const converted = htmlToBlocks(DomUtils.getOuterHTML(run, { decodeEntities: true }), base);
    if (quotedTopic !== null && topicId !== null && quotedTopic !== String(topicId)) converted.forEach((_, i) => otherTopics.add(blocks.length + i));
    blocks.push(...converted);
    run = [];
  };
  for (const node of doc.children) {
    if (DomUtils.isTag(node) && node.name === 'aside' && hasClass(node, 'quote')) {
      flush(null);
      run = [node];
      flush(node.attribs['data-topic'] ?? null);
    } else run.push(node);
  }
  flush(null);
  if (blocks.length > 0) return { blocks, otherTopics };
  // A post of only an embedded video or image has no text, but its link is what the author posted.
  const links = DomUtils.findAll((el) => el.name === 'a', doc.children).map((a) => absoluteHttp(a.attribs.href, base));
  return { blocks: [...new Set(links.filter((l): l is string => l !== null))].map((text) => ({ type: 'paragraph', text })), otherTopics };
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
