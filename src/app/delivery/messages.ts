/**
 * What gets posted for an article, as plain message bodies: the post (an embed with a short
 * verbatim summary), the thread's name, and the comments, each split at sentence ends into
 * messages that fit. Every step has a stable key, so nonces and progress survive comments being
 * added later.
 */
import { createHash } from 'node:crypto';
import type { APIEmbed } from 'discord-api-types/v10';
import type { Article, Comment } from '../../core/model.ts';
import { LIMITS, fitContent, fitEmbeds, truncate } from '../../core/limits.ts';
import { chunk, pack } from '../../core/text/chunk.ts';
import { summarize } from '../../core/text/summarize.ts';
import { commentHeader } from '../views/article-pages.ts';
import { articleFields } from '../views/format.ts';
import { isThreadReply } from '../../core/comments.ts';
import { blockQuote, escape } from '../views/markdown.ts';

export interface OutMessage {
  readonly content?: string;
  readonly embeds?: APIEmbed[];
}

export interface Step {
  /** Stable across runs and re-ingests: `c:<comment id>:<part>`. */
  readonly key: string;
  readonly message: OutMessage;
}

export interface ArticlePlan {
  readonly post: OutMessage;
  readonly threadName: string;
  readonly comments: readonly Step[];
  /** Changes when the post would look different (text, title, comment count). */
  readonly postHash: string;
}

const SUMMARY_SENTENCES = 3;
const SUMMARY_CHARS = 1500;
const CONTINUED = ' (continued)';
/** A comment header longer than this is cut, leaving most of a message for the comment itself. */
const MAX_HEADER = 500;

/** The footer carries the article id: how a post is recognised in a channel after a crash. */
export function postFooter(articleId: string): string {
  return `Paperboy · article ${articleId}`;
}

function postOf(article: Article): OutMessage {
  const sentences = summarize(article, { sentences: SUMMARY_SENTENCES, maxChars: SUMMARY_CHARS });
  const description = sentences.map((s) => escape(s.text)).join(' ') || '*(no summary: the article has no prose)*';
  const embed: APIEmbed = {
    title: escape(article.title),
    description,
    fields: articleFields(article).map((f) => ({ name: f.name, value: f.value, inline: f.inline ?? false })),
    footer: { text: postFooter(article.id) },
    color: 0x2b6cb0,
  };
  // Only an http(s) URL survives fitEmbeds: Discord refuses any other scheme in an embed.
  if (article.url) embed.url = article.url;
  // Each field to its limit and the embed to the 6,000 total, whatever the article holds: a post that
  // cannot fit would be refused on every run.
  return { embeds: fitEmbeds([embed]) };
}

/** The title cut to Discord's 100 characters at a word. */
export function threadName(title: string): string {
  const flat = title.replace(/\s+/gu, ' ').trim() || 'Discussion';
  return truncate(flat, LIMITS.threadName, '…').text;
}

const escapedLength = (s: string): number => escape(s).length;
const quotedLength = (s: string): number => blockQuote(s).length;

function commentSteps(c: Comment): Step[] {
  // commentHeader caps the outside text in it; the cut here is a last guard, so `room` is never too small.
  const header = truncate(commentHeader(c), MAX_HEADER).text;
  const room = LIMITS.messageContent - header.length - CONTINUED.length - 1;
  const quoted = new Set(c.quotes.map((q) => q.paragraph));
  const units = c.paragraphs.flatMap((p, i) => (quoted.has(i) ? chunk(p, room, quotedLength).map(blockQuote) : chunk(p, room, escapedLength).map(escape)));
  const parts = pack(units.length > 0 ? units : ['*(no text)*'], room, (s) => s.length, '\n\n');
  // Every part repeats the header so a reader who lands on part 2 knows whose words these are.
  return parts.map((text, i) => ({
    key: `c:${c.id}:${i}`,
    message: { content: fitContent(`${i === 0 ? header : header + CONTINUED}\n${text}`) },
  }));
}

export function planArticle(article: Article): ArticlePlan {
  const post = postOf(article);
  return {
    post,
    threadName: threadName(article.title),
    // Replies written in the thread are there already.
    comments: article.comments.filter((c) => !isThreadReply(c)).flatMap(commentSteps),
    postHash: createHash('sha256').update(JSON.stringify(post)).digest('base64url').slice(0, 16),
  };
}

/** A nonce for one message: at most 25 characters, the same on every resend of that message. */
export function nonceFor(channelId: string, articleId: string, key: string): string {
  return createHash('sha256').update(`${channelId}|${articleId}|${key}`).digest('base64url').slice(0, LIMITS.nonce);
}
