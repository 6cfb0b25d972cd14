/** /search: ranked articles and comments with highlighted snippets; buttons page, a menu opens one. */
import { z } from 'zod';
import type { SearchHit } from '../src/adapters/store/search.ts';
import type { Store } from '../src/adapters/store/contract.ts';
import { type CommentOrigin, type SearchQuery, commentOrigins, originKey, searchPage } from '../src/app/library/search.ts';
import { commentSource, commentUrl, isImported } from '../src/app/views/comment-source.ts';
import { commentLabel, commentTime, showTime } from '../src/app/views/format.ts';
import { escape, highlightOneLine, link, oneLine } from '../src/app/views/markdown.ts';
import { UserError } from '../src/core/errors.ts';
import { truncate } from '../src/core/text/truncate.ts';
import type { ComponentState, SelectOption, View } from '../src/core/view.ts';
import { slashCommand } from '../src/ui/discord/command.ts';
import { choice, namedAsValues, options, text } from '../src/ui/discord/options.ts';
import { articleView } from './article.ts';

export const PAGE_SIZE = 5;
/** Each hit's snippet stays short enough that five hits fit one embed description. */
const SNIPPET_CHARS = 400;
/** A hit's title is cut here. */
const TITLE_SHOWN = 200;
/** The query, repeated in the title and in "no results", is cut here. */
const QUERY_SHOWN = 100;

type Query = Pick<SearchQuery, 'query' | 'scope' | 'source'>;

/**
 * A comment hit's link is shown up to this length: five hits with their titles, snippets and links
 * stay within one embed description. A longer one is left out (a cut link leads nowhere).
 */
const HIT_LINK_CHARS = 200;
/** A commenter's name in a hit is cut here. */
const NAME_CHARS = 100;

/** Whether a comment from `origin` was written elsewhere than the article's page or its Discord thread. */
const fromElsewhere = (origin: CommentOrigin | undefined): origin is CommentOrigin & { source: string } =>
  origin?.source !== undefined && origin.source !== null && origin.source !== 'Discord';

function where(hit: SearchHit, origin: CommentOrigin | undefined): string {
  const c = hit.comment;
  if (c && fromElsewhere(origin)) {
    // An imported comment: its id means nothing to a reader; who wrote it where, and the way there, do.
    const who = `comment by ${escape(truncate(c.author ?? 'unknown author', NAME_CHARS, '…').text)} on ${escape(origin.source)}`;
    const url = origin.url !== null && origin.url.length <= HIT_LINK_CHARS ? `[open](${origin.url.replace(/\)/g, '%29')})` : null;
    return [who, commentTime(c.postedAt), url].filter(Boolean).join(' · ');
  }
  const parts = c
    ? [escape(commentLabel(c)), c.author && `by ${escape(c.author)}`, showTime(c.postedAt)]
    : [hit.source && escape(hit.source), showTime(hit.publishedAt)];
  return parts.filter(Boolean).join(' · ');
}

function hitText(hit: SearchHit, n: number, origin: CommentOrigin | undefined): string {
  const title = link(truncate(hit.title, TITLE_SHOWN, '…').text, hit.url);
  const snippet = oneLine(hit.snippet);
  // Snippets are short already (search.ts); the cut is for a pathological one, and drops the bold.
  const shown = snippet.length <= SNIPPET_CHARS ? highlightOneLine(hit.snippet, hit.highlights) : escape(truncate(snippet, SNIPPET_CHARS, '…').text);
  const meta = where(hit, origin);
  return `**${n}.** ${title}${meta ? `\n${meta}` : ''}\n${shown}`;
}

function stateOf(q: Query, page: number, action: 'page' | 'open'): ComponentState {
  return ['search', action, q.scope, q.source ?? '', String(page), q.query];
}

/** Discord's limits on a select menu option's label and description. */
const OPTION_TEXT = 100;
/** A commenter's name in a menu label is cut here, so the article's title still shows. */
const AUTHOR_CHARS = 40;
/**
 * A comment with no number is labelled by its id, which can be any length: the id is cut here. The
 * number, the cut id, the cut name and the separators leave the title at least 20 of the 100.
 */
const COMMENT_ID_CHARS = 16;
const WHO_SEPARATOR = ' · ';

/**
 * One hit in the "Open a result" menu. It carries the number the hit has in the embed (counting on
 * across pages, so "7." on page 2 is the embed's 7th hit), and for a comment which comment it is and
 * whose, ahead of the title: several hits are often comments on one article, and the title alone
 * would make them the same entry. The description adds the start of the matching text.
 */
function optionFor(hit: SearchHit, index: number, offset: number, origin: CommentOrigin | undefined): SelectOption {
  const number = `${offset + index + 1}. `;
  const c = hit.comment;
  const who = c
    ? fromElsewhere(origin)
      ? `${truncate(oneLine(origin.source), AUTHOR_CHARS, '…').text} comment by ${truncate(oneLine(c.author ?? 'unknown author'), AUTHOR_CHARS, '…').text}${WHO_SEPARATOR}`
      : `${commentLabel({ ...c, id: truncate(c.id, COMMENT_ID_CHARS, '…').text })}${c.author ? ` by ${truncate(oneLine(c.author), AUTHOR_CHARS, '…').text}` : ''}${WHO_SEPARATOR}`
    : '';
  // The caps above keep the room positive; the floor is for a result number no search reaches.
  const title = truncate(oneLine(hit.title), Math.max(1, OPTION_TEXT - number.length - who.length), '…').text;
  const about = hit.comment ? '' : [hit.source, hit.publishedAt?.slice(0, 10)].filter(Boolean).join(' · ');
  const description = about || oneLine(hit.snippet);
  return {
    label: `${number}${who}${title}`,
    value: `${index}:${hit.articleId}`,
    ...(description ? { description: truncate(description, OPTION_TEXT, '…').text } : {}),
  };
}

export async function searchView(store: Store, q: Query, page: number): Promise<View> {
  const offset = (page - 1) * PAGE_SIZE;
  const result = await searchPage(store, q, page, PAGE_SIZE);
  const shownQuery = escape(truncate(oneLine(q.query), QUERY_SHOWN, '…').text);
  if (result.hits.length === 0) {
    if (page > 1) throw new UserError('stale', 'That page is past the last result now. Search again.');
    const what = q.scope === 'articles' ? 'No articles' : q.scope === 'comments' ? 'No comments' : 'No articles or comments';
    throw new UserError('not-found', `${what} match "${shownQuery}"${q.source ? ` in ${escape(q.source)}` : ''}.`);
  }
  const pages = Math.ceil(result.total / PAGE_SIZE);
  const total = result.totalCapped ? `more than ${result.total.toLocaleString('en-US')}` : result.total.toLocaleString('en-US');
  const origins = commentOrigins(result.hits);
  const description = result.hits.map((h, i) => hitText(h, offset + i + 1, origins.get(originKey(h)))).join('\n\n');
  return {
    embeds: [
      {
        title: `Search: ${shownQuery}`,
        description,
        footer: `Results ${offset + 1}–${offset + result.hits.length} of ${total} · page ${page}${result.totalCapped ? '' : ` of ${pages}`}`,
      },
    ],
    buttons: [
      { label: '◀ Previous', state: page > 1 ? stateOf(q, page - 1, 'page') : null },
      { label: 'Next ▶', state: offset + PAGE_SIZE < result.total ? stateOf(q, page + 1, 'page') : null, primary: true },
    ],
    select: {
      placeholder: 'Open a result',
      state: stateOf(q, page, 'open'),
      options: result.hits.map((hit, i) => optionFor(hit, i, offset, origins.get(originKey(hit)))),
    },
  };
}

async function openResult(store: Store, q: Query, page: number, value: string): Promise<View> {
  const [index = '', articleId = ''] = value.split(':');
  const hit = (await searchPage(store, q, page, PAGE_SIZE)).hits[Number(index)];
  const article = hit?.articleId === articleId ? await store.get(articleId) : null;
  if (!hit || !article) throw new UserError('stale', 'The results have changed since this list was made. Search again.');
  if (!hit.comment) return { ...articleView(article, 1), ephemeral: true };
  const comment = article.comments.find((c) => c.id === hit.comment?.id);
  if (!comment) throw new UserError('stale', 'That comment is no longer stored.');
  const text = comment.deleted ? '*(deleted at the source)*' : comment.paragraphs.map(escape).join('\n\n') || '*(no text)*';
  const source = isImported(comment) ? commentSource(comment) : null;
  const url = commentUrl(comment);
  // The link goes first: a long comment is cut at the end to fit, and the link must not be what goes.
  const link = url ? `[Open on ${escape(source ?? 'the source')}](${url.replace(/\)/g, '%29')})\n\n` : '';
  const rating = comment.rating === null ? '' : `${source ? 'score' : 'rating'} ${comment.rating}`;
  return {
    ephemeral: true,
    embeds: [
      {
        title: escape(article.title),
        url: article.url,
        author: [
          source ? `comment on ${source}` : commentLabel(comment),
          comment.author,
          source ? commentTime(comment.postedAt) : showTime(comment.postedAt),
          rating,
        ]
          .filter(Boolean)
          .join(' · '),
        description: `${link}${text}`,
        footer: `Comment on article ${article.id}`,
      },
    ],
  };
}

const scopes = ['articles', 'comments', 'all'] as const;

export default slashCommand({
  definition: { name: 'search', description: 'Search stored articles and their comments' },
  options: options({
    query: text({ description: 'Words, "a phrase", -exclude, prefix*', required: true, max_length: 6000 }),
    scope: choice({ description: 'What to search (default all)', choices: namedAsValues(scopes), default: 'all' }),
    source: text({ description: 'Only articles from this source', max_length: 200 }),
  }),
  defer: true,
  run: ({ query, scope, source }, { store }) => searchView(store, { query, scope, source: source ?? null }, 1),
  component: async ([action, scope = '', source = '', page = '', query = ''], values, { store }) => {
    const q: Query = { query, scope: z.enum(scopes).parse(scope), source: source || null };
    const n = Number(page);
    if (action === 'open') return { mode: 'reply', view: await openResult(store, q, n, values[0] ?? '') };
    return { mode: 'update', view: await searchView(store, q, n) };
  },
});
