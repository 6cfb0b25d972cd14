/**
 * /test-post: posts one article now into a subscribed channel, as its subscription would (the same
 * layout, template and poster as a delivery run), marked as a test. Nothing is recorded: no delivery
 * progress, no tally, no thread followed; the next run posts the article as usual when it is due.
 */
import { randomUUID } from 'node:crypto';
import { checkedDestination, destinationOf } from '../src/app/delivery/destination.ts';
import { planArticle } from '../src/app/delivery/messages.ts';
import type { WebhookPlace } from '../src/app/delivery/poster.ts';
import { countersOf, rulesOf, verdictOf } from '../src/app/delivery/verdict.ts';
import type { PreviewVerdict } from '../src/app/delivery/preview.ts';
import { escape } from '../src/app/views/markdown.ts';
import { verdictText } from '../src/app/views/preview-view.ts';
import { UserError, errorMessage } from '../src/core/errors.ts';
import { createLogger } from '../src/core/log.ts';
import type { Article } from '../src/core/model.ts';
import type { Subscription } from '../src/core/state.ts';
import { truncate } from '../src/core/text/truncate.ts';
import type { MessageView } from '../src/core/view.ts';
import { type DeliveryContext, slashCommand } from '../src/ui/discord/command.ts';
import { options } from '../src/ui/discord/options.ts';
import { ADMIN_ONLY, channelOption, requireAdmin } from './admin.ts';
import { articleChoices, articleOption, requireArticle } from './article-option.ts';

/** The line that marks a test post, above whatever text the subscription's template gives it. */
export const TEST_MARK = '🧪 Test post: nothing is recorded, and the next run posts this article as usual when it is due.';
/** A mention or tag rule whose filter no longer compiles applies to nothing; the runs log that, a test need not. */
const quiet = createLogger({ level: 'silent' });
/** A title in the answer is cut here. */
const TITLE_SHOWN = 80;

/** The post marked as a test; it pings no one (a subscription's mentions are for real posts). */
function marked(post: MessageView): MessageView {
  const { ping, ...rest } = post;
  void ping;
  return { ...rest, content: post.content ? `${TEST_MARK}\n${post.content}` : TEST_MARK };
}

/** What a run would do with the article in that channel, for the answer; null when the subscription's filter cannot be read (the run pauses it and says why). */
async function runVerdict(delivery: DeliveryContext, sub: Subscription, article: Article, now: Date): Promise<PreviewVerdict | null> {
  const record = await delivery.progress.get(sub.channelId, article.id);
  if (record?.postId) return { kind: 'posted', at: null, link: null };
  try {
    return verdictOf(rulesOf(sub, now), article, countersOf(sub.tally, now), now);
  } catch {
    return null;
  }
}

/** Posts it where and as the subscription posts (its webhook, forum tags, shared thread), pinging no one. Returns the message's link. */
async function post(delivery: DeliveryContext, sub: Subscription, article: Article, now: Date): Promise<string> {
  let plan;
  try {
    plan = planArticle(article, delivery.poster, sub.options);
  } catch (error) {
    throw new UserError('bad-input', `“${escape(truncate(article.title, TITLE_SHOWN, '…').text)}” cannot be laid out as a post: ${errorMessage(error)}`);
  }
  const view = marked(plan.post);
  const { poster } = delivery;
  // Checked as a run checks it before posting: a shared thread of another channel or server is refused, tags the forum lacks are left out.
  const dest = await checkedDestination(
    poster,
    sub,
    destinationOf(sub, quiet, () => now),
    quiet,
  );
  if ('pause' in dest)
    throw new UserError('bad-input', `No test post: a delivery run would pause <#${sub.channelId}> instead of posting: ${escape(dest.pause)}.`);
  const { identity, sharedThread } = dest;
  const base = `https://discord.com/channels/${sub.guildId}`;
  try {
    // As the engine makes a post (engine.ts makePost): through the webhook under the subscription's name, as a forum post, or as the bot's message.
    if (identity !== null) {
      const place: WebhookPlace =
        sub.kind === 'forum' ? { threadName: plan.threadName, tags: dest.tags(article) } : sharedThread !== null ? { threadId: sharedThread } : null;
      const id = await poster.sendAs(sub.channelId, identity, view, place);
      if (sub.kind === 'forum') return `${base}/${id}`;
      if (sharedThread !== null) return `${base}/${sharedThread}/${id}`;
      await poster.startThread(sub.channelId, id, plan.threadName);
      return `${base}/${sub.channelId}/${id}`;
    }
    if (sub.kind === 'forum') return `${base}/${await poster.forumPost(sub.channelId, plan.threadName, view, dest.tags(article))}`;
    // A nonce of its own each time: a second test of the same article is a second message, not Discord's answer to the first.
    const nonce = `test|${randomUUID()}`;
    if (sharedThread !== null) return `${base}/${sharedThread}/${await poster.send(sharedThread, view, nonce)}`;
    const id = await poster.send(sub.channelId, view, nonce);
    await poster.startThread(sub.channelId, id, plan.threadName);
    return `${base}/${sub.channelId}/${id}`;
  } catch (error) {
    throw new UserError('unavailable', `Discord did not take the test post in <#${sub.channelId}>: ${escape(errorMessage(error))}`);
  }
}

export default slashCommand({
  definition: { name: 'test-post', description: 'Post one article now, marked as a test; nothing is recorded', ...ADMIN_ONLY },
  options: options({ channel: channelOption, article: articleOption }),
  defer: true,
  ephemeral: true,
  autocomplete: (focused, ctx, max) => articleChoices(ctx.store, focused.value, max),
  run: async ({ channel, article: ref }, ctx) => {
    const delivery = requireAdmin(ctx);
    const sub = await delivery.subscriptions.get(delivery.guildId, channel.id);
    if (!sub) throw new UserError('not-found', `<#${channel.id}> has no subscription. Add one with /subscribe.`);
    const article = await requireArticle(ctx.store, ref);
    const verdict = await runVerdict(delivery, sub, article, ctx.now());
    const link = await post(delivery, sub, article, ctx.now());
    const title = escape(truncate(article.title, TITLE_SHOWN, '…').text);
    const lines = [`Test post of “${title}” in <#${sub.channelId}>: [message](${link}). Nothing was recorded.`];
    const otherSource = sub.source !== null && article.source?.toLowerCase() !== sub.source.toLowerCase();
    if (otherSource) lines.push(`A delivery run never posts it here: it is not from ${escape(sub.source ?? '')}.`);
    else if (verdict) lines.push(`A delivery run: ${verdictText(verdict, (u) => `[message](${u})`, escape)}.`);
    return { ephemeral: true, content: lines.join('\n') };
  },
});
