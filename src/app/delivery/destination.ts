/**
 * Where and how a subscription's posts go besides the bot's own messages (issue 17): who an
 * article's post pings (mention rules, each with a filter), which forum tags it gets (tag rules), a
 * webhook identity, and an existing thread every post goes into. Plain decisions over the
 * subscription's options; the engine acts on them.
 */
import type { Article } from '../../core/model.ts';
import type { MentionRule, TagRule } from '../../core/subscription-options.ts';
import type { Logger } from '../../core/log.ts';
import type { MessageView } from '../../core/view.ts';
import { compileExpression } from '../filters/expression.ts';
import { errorMessage } from '../../core/errors.ts';
import type { Target } from './engine-types.ts';
import type { Identity } from './poster.ts';
import type { ArticlePlan } from './messages.ts';

/** Tags Discord takes on one forum post. */
export const MAX_TAGS = 5;

type Ping = NonNullable<MessageView['ping']>;

export interface Destination {
  /** Who this article's post pings: the ids of the mention rules whose filter it passes, in rule order; null for no one. */
  ping(article: Article): Ping | null;
  /** The forum tags of this article's post: the tag rules whose filter it passes, in rule order, at most 5. */
  tags(article: Article): string[];
  /** The name and avatar posts go under through the channel's webhook; null for the bot's own messages. */
  readonly identity: Identity | null;
  /**
   * The existing thread every post goes into (no thread per article, no comments: the thread is
   * shared by every article, so one article's comments there would bury the others); null otherwise.
   */
  readonly sharedThread: string | null;
}

/**
 * A rule's test: its filter compiled once. A filter that does not compile (stored before a change
 * of the language, say) passes nothing, and is logged, rather than pinging or tagging everything.
 */
function compiled(filter: string | null, what: string, t: Target, log: Logger): (a: Article) => boolean {
  if (filter === null || filter.trim() === '') return () => true;
  try {
    const test = compileExpression(filter);
    return (a) => test.test(a).pass;
  } catch (error) {
    log.warn(
      { channel: t.channelId, rule: what, error: errorMessage(error) },
      'a mention or tag rule has a filter that does not compile; it applies to no article',
    );
    return () => false;
  }
}

/** The target's destination; filters are compiled here, once per run. */
export function destinationOf(t: Target, log: Logger): Destination {
  const o = t.options ?? {};
  const mentions = (o.mentions ?? []).map((m: MentionRule) => ({ rule: m, passes: compiled(m.filter, `${m.kind} ${m.id}`, t, log) }));
  const tagRules = t.kind === 'forum' ? (o.tags ?? []).map((r: TagRule) => ({ rule: r, passes: compiled(r.filter, `tag ${r.tagId}`, t, log) })) : [];
  const webhook = o.webhook ?? null;
  return {
    ping(a) {
      const hit = mentions.filter((m) => m.passes(a)).map((m) => m.rule);
      if (hit.length === 0) return null;
      const ids = (kind: MentionRule['kind']): string[] => [...new Set(hit.filter((r) => r.kind === kind).map((r) => r.id))];
      return { roles: ids('role'), users: ids('user') };
    },
    tags(a) {
      return [...new Set(tagRules.filter((r) => r.passes(a)).map((r) => r.rule.tagId))].slice(0, MAX_TAGS);
    },
    identity: webhook ? { name: webhook.name, avatarUrl: webhook.avatarUrl } : null,
    // Only a text channel's subscription can name one (a forum's posts are threads already).
    sharedThread: t.kind === 'text' ? (o.threadId ?? null) : null,
  };
}

/**
 * The plan as `dest` posts it: the post pings the ids of the mention rules the article passes (on the
 * post alone, never a comment; not in its digest, so a change of who is pinged edits nothing), and a
 * post into a shared thread has no comments: that thread holds every article's post, and one
 * article's comments there would bury the others'.
 */
export function planFor(plan: ArticlePlan, a: Article, dest: Destination): ArticlePlan {
  const ping = dest.ping(a);
  return { ...plan, post: ping ? { ...plan.post, ping } : plan.post, comments: dest.sharedThread !== null ? [] : plan.comments };
}
