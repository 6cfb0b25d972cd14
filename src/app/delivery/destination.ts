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
import { type Identity, type Poster, TargetGone } from './poster.ts';
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
  /**
   * The same destination tagging only with tags in `available` (the forum's tags now): a rule naming
   * a tag the forum no longer has is left out, so the next passing rule's tag can take its place
   * among the 5. `dropped`: the tag ids left out, in rule order.
   */
  onlyTags(available: ReadonlySet<string>): { dest: Destination; dropped: string[] };
}

/**
 * A rule's test: its filter compiled once, reading relative dates (`published > 12h`) from `now`.
 * A filter that does not compile (stored before a change of the language, say) passes nothing, and
 * is logged, rather than pinging or tagging everything.
 */
function compiled(filter: string | null, what: string, t: Target, log: Logger, now: () => Date): (a: Article) => boolean {
  if (filter === null || filter.trim() === '') return () => true;
  try {
    const test = compileExpression(filter, { now });
    return (a) => test.test(a).pass;
  } catch (error) {
    log.warn(
      { channel: t.channelId, rule: what, error: errorMessage(error) },
      'a mention or tag rule has a filter that does not compile; it applies to no article',
    );
    return () => false;
  }
}

interface CompiledTag {
  readonly rule: TagRule;
  readonly passes: (a: Article) => boolean;
}

/**
 * The target's destination; filters are compiled here, once per run. `now`: the run's clock, from
 * which rules read relative dates (default the system clock).
 */
export function destinationOf(t: Target, log: Logger, now: () => Date = () => new Date()): Destination {
  const o = t.options ?? {};
  const mentions = (o.mentions ?? []).map((m: MentionRule) => ({ rule: m, passes: compiled(m.filter, `${m.kind} ${m.id}`, t, log, now) }));
  const tagRules = t.kind === 'forum' ? (o.tags ?? []).map((r: TagRule) => ({ rule: r, passes: compiled(r.filter, `tag ${r.tagId}`, t, log, now) })) : [];
  const webhook = o.webhook ?? null;
  function ping(a: Article): Ping | null {
    const hit = mentions.filter((m) => m.passes(a)).map((m) => m.rule);
    if (hit.length === 0) return null;
    const ids = (kind: MentionRule['kind']): string[] => [...new Set(hit.filter((r) => r.kind === kind).map((r) => r.id))];
    return { roles: ids('role'), users: ids('user') };
  }
  const identity = webhook ? { name: webhook.name, avatarUrl: webhook.avatarUrl } : null;
  // Only a text channel's subscription can name one (a forum's posts are threads already).
  const sharedThread = t.kind === 'text' ? (o.threadId ?? null) : null;
  const tagging = (rules: readonly CompiledTag[]): Destination => ({
    ping,
    tags: (a) => [...new Set(rules.filter((r) => r.passes(a)).map((r) => r.rule.tagId))].slice(0, MAX_TAGS),
    identity,
    sharedThread,
    onlyTags(available) {
      const dropped = [...new Set(rules.filter((r) => !available.has(r.rule.tagId)).map((r) => r.rule.tagId))];
      return { dest: tagging(rules.filter((r) => available.has(r.rule.tagId))), dropped };
    },
  });
  return tagging(tagRules);
}

/**
 * The destination as a run may post to it, checked against what only Discord knows (the engine
 * asks once per run, before its first new post): the thread every post goes into must be a thread
 * of the subscription's channel, in its server, or the subscription pauses saying so (settings can
 * check only that it looks like an id, and the bot may be in other servers); tag rules naming tags
 * the forum no longer has are left out, with a warning naming them, rather than every post being
 * refused for them. Throws what the poster throws otherwise: a thread or channel Discord does not
 * know (NotInDiscord, which judgeFailure reads), or no answer.
 */
export async function checkedDestination(poster: Pick<Poster, 'channel'>, t: Target, dest: Destination, log: Logger): Promise<Destination | { pause: string }> {
  const threadId = dest.sharedThread;
  if (threadId !== null) {
    const fix = 'set thread: in /subscriptions edit to a thread of this channel, or clear it with thread:-';
    let c;
    try {
      c = await poster.channel(threadId);
    } catch (error) {
      // Said of the thread, not left to read as the subscription's channel (a thread of a server the bot cannot see, say).
      if (error instanceof TargetGone) return { pause: `the bot cannot see the thread ${threadId} this subscription posts into (${error.message}); ${fix}` };
      throw error;
    }
    const problem = !c.thread
      ? 'is not a thread'
      : c.guildId !== t.guildId
        ? 'is in another server'
        : c.parentId !== t.channelId
          ? `is a thread of another channel (${c.parentId ?? 'none'})`
          : null;
    if (problem !== null)
      return {
        pause: `the thread ${threadId} this subscription posts into ${problem}, not of channel ${t.channelId}; ${fix}`,
      };
  }
  if (t.kind === 'forum' && (t.options?.tags ?? []).length > 0) {
    const { dest: kept, dropped } = dest.onlyTags(new Set((await poster.channel(t.channelId)).tagIds));
    if (dropped.length > 0)
      log.warn({ channel: t.channelId, tags: dropped }, 'tag rules name tags the forum no longer has; posts go without them until the rules change');
    return kept;
  }
  return dest;
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
