/**
 * /discussion add | list | remove: the discussions Paperboy follows where they happen (Reddit, Hacker
 * News, Discourse, comment feeds), whose comments it keeps in sync with an article (issue 16).
 */
import type { DiscussionFollows, DiscussionState } from '../src/app/discussion/follow.ts';
import { plural } from '../src/app/views/format.ts';
import { escape } from '../src/app/views/markdown.ts';
import type { Store } from '../src/adapters/store/contract.ts';
import { UserError } from '../src/core/errors.ts';
import { truncate } from '../src/core/text/truncate.ts';
import type { EmbedField, View } from '../src/core/view.ts';
import { type CommandContext, slashCommand } from '../src/ui/discord/command.ts';
import { integer, subcommands, text } from '../src/ui/discord/options.ts';
import { ADMIN_ONLY, requireAdmin } from './admin.ts';
import { articleChoices, requireArticle } from './article-option.ts';

const urlOption = text({ description: 'The discussion’s address: a Reddit post, HN item, Discourse topic or comment feed', required: true, max_length: 2048 });
const articleOption = text({
  description: 'The stored article its comments join (default: one of its own). Start typing a title',
  autocomplete: true,
  min_length: 1,
  max_length: 2000,
});

/**
 * Discussions listed per page: a field is at most about 820 characters (the cuts below), so a page
 * fits Discord's 6,000 for a message's embeds uncut (test/discussion-command-view.test.ts).
 */
export const PER_PAGE = 7;
/** A title in a list or reply is cut here. */
const TITLE_SHOWN = 80;
/** A sync's error is cut here. */
const REASON_SHOWN = 120;
/** An address longer than this is shown cut, as text: a cut link would lead nowhere. */
const LINK_SHOWN = 200;

const PLATFORM: Record<DiscussionState['kind'], string> = {
  reddit: 'Reddit',
  hackernews: 'Hacker News',
  discourse: 'Discourse',
  'comment-feed': 'Comment feed',
};

/** The followed discussions, once the person may manage them. */
function follows(ctx: CommandContext): DiscussionFollows {
  const delivery = requireAdmin(ctx);
  if (!delivery.discussions) throw new UserError('unavailable', 'Following discussions is not running in this bot.');
  return delivery.discussions;
}

/** The service's complaint about an address (a clause in plain words), as a sentence of markdown. */
function problem(error: unknown): unknown {
  if (!(error instanceof UserError)) return error;
  const text = escape(error.message);
  return new UserError(error.code, `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`);
}

/** A stored ISO time to the minute, in UTC. */
const minute = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

const shownUrl = (url: string): string => (url.length <= LINK_SHOWN ? `<${url}>` : escape(truncate(url, LINK_SHOWN, '…').text));

async function titleOf(store: Store, articleId: string): Promise<string | null> {
  const article = await store.get(articleId);
  return article && `“${escape(truncate(article.title, TITLE_SHOWN, '…').text)}”`;
}

/**
 * Who asked, as follow options record it: a member's id, `cli`, or a subscription (`subscription:<channel id>`).
 * The list is every server's (discussions are followed once for all), so a member of another server
 * is not named; a channel elsewhere shows as Discord shows a channel the reader cannot see.
 */
function addedBy(by: string | null, viewer: string | null): string {
  if (by === null) return '';
  if (/^\d{1,20}$/.test(by)) return by === viewer ? ' by you' : ' by an admin';
  const channel = /^subscription:(\d{1,20})$/.exec(by)?.[1];
  if (channel) return ` by the subscription of <#${channel}>`;
  return by === 'cli' ? ' from the command line' : ` by ${escape(truncate(by, TITLE_SHOWN, '…').text)}`;
}

async function field(store: Store, d: DiscussionState, viewer: string | null): Promise<EmbedField> {
  const title = d.articleId && (await titleOf(store, d.articleId));
  const lines = [shownUrl(d.url)];
  if (d.articleId) lines.push(`Article: ${title ?? 'no longer stored'} (id ${d.articleId.slice(0, 12)})`);
  else lines.push('Article: its own, stored by the first sync');
  const missing = d.missing > 0 ? `; ${d.missing.toLocaleString('en-US')} more at the source not fetched` : '';
  if (d.lastOkAt) lines.push(`${plural(d.comments, 'comment')} held${missing}. Last read ${minute(d.lastOkAt)}.`);
  else lines.push('Not read yet.');
  if (d.paused) lines.push(`⏸ Paused: ${escape(truncate(d.paused, REASON_SHOWN, '…').text)}`);
  if (d.lastError) {
    const retry = d.retryAt ? ` Next try ${minute(d.retryAt)}.` : '';
    lines.push(`⚠ Failing (${plural(d.failures, 'time')}): ${escape(truncate(d.lastError, REASON_SHOWN, '…').text)}.${retry}`);
  }
  lines.push(`Followed since ${minute(d.addedAt)}${addedBy(d.addedBy, viewer)}.`);
  return { name: PLATFORM[d.kind], value: lines.join('\n') };
}

/** Page `page` (1-based) of the followed discussions, as `viewer` (a member's id) sees it. */
export async function discussionListView(store: Store, all: readonly DiscussionState[], page: number, viewer: string | null = null): Promise<View> {
  const pages = Math.max(1, Math.ceil(all.length / PER_PAGE));
  if (page > pages)
    throw new UserError('bad-option', `There ${pages === 1 ? 'is 1 page' : `are ${pages} pages`} of followed discussions; page ${page} is past the end.`);
  const shown = all.slice((page - 1) * PER_PAGE, page * PER_PAGE);
  const failing = all.filter((d) => d.lastError !== null).length;
  const description =
    all.length === 0
      ? 'None yet. Follow one with /discussion add, or have a subscription follow its articles’ discussions (/subscribe discussions:True).'
      : `${plural(all.length, 'discussion')} followed${failing > 0 ? `, ${failing} failing` : ''}.`;
  return {
    ephemeral: true,
    embeds: [
      {
        title: 'Followed discussions',
        description,
        fields: await Promise.all(shown.map((d) => field(store, d, viewer))),
        ...(pages > 1 && {
          footer: `Page ${page} of ${pages} · /discussion list page:${page < pages ? page + 1 : 1} for ${page < pages ? 'the next' : 'the first'}`,
        }),
      },
    ],
  };
}

export default slashCommand({
  definition: { name: 'discussion', description: 'Follow discussions where they happen: Reddit, Hacker News, Discourse, comment feeds', ...ADMIN_ONLY },
  options: subcommands({
    add: { description: 'Keep a discussion’s comments in sync with an article', options: { url: urlOption, article: articleOption } },
    list: {
      description: 'The followed discussions: comments held, last read, failures',
      options: { page: integer({ description: 'Page of the list (default 1)', min_value: 1, max_value: 1000, default: 1 }) },
    },
    remove: { description: 'Stop following a discussion (its comments stay stored)', options: { url: urlOption } },
  }),
  defer: true,
  ephemeral: true,
  run: async (options, ctx) => {
    const discussions = follows(ctx);
    if (options.subcommand === 'list') return discussionListView(ctx.store, await discussions.list(), options.page, ctx.actor?.userId ?? null);
    if (options.subcommand === 'remove') {
      const found = await discussions.get(options.url).catch((error: unknown) => {
        throw problem(error);
      });
      if (!found || !(await discussions.remove(found.url)))
        throw new UserError(
          'not-found',
          `Paperboy does not follow ${escape(truncate(options.url.trim(), LINK_SHOWN, '…').text)} (/discussion list shows the discussions it does).`,
        );
      return { ephemeral: true, content: `Stopped following ${shownUrl(found.url)}. Its comments stay stored.` };
    }
    const article = options.article === undefined ? null : await requireArticle(ctx.store, options.article);
    const added = await discussions
      .add(options.url, { ...(article && { articleId: article.id }), ...(ctx.actor && { by: ctx.actor.userId }), now: ctx.now() })
      .catch((error: unknown) => {
        throw problem(error);
      });
    const { discussion: d, existed } = added;
    const target = d.articleId
      ? `Its comments go to ${(await titleOf(ctx.store, d.articleId)) ?? `article ${d.articleId}`}`
      : 'The first sync stores it as an article of its own';
    return {
      ephemeral: true,
      content: `${existed ? 'Already following' : 'Following'} ${shownUrl(d.url)} (${PLATFORM[d.kind]}). ${target}; comments come in on each sync, edits and deletions followed. /discussion list shows how it goes.`,
    };
  },
  autocomplete: (focused, ctx, max) => (focused.name === 'article' ? articleChoices(ctx.store, focused.value, max) : []),
});
