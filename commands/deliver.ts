/** /deliver: run delivery now for this server, or show what it would post. */
import type { ArticleWork } from '../src/app/delivery/engine-types.ts';
import type { SubscriptionRun } from '../src/app/delivery/run.ts';
import { plural } from '../src/app/views/format.ts';
import { escape } from '../src/app/views/markdown.ts';
import { truncate } from '../src/core/text/truncate.ts';
import type { View } from '../src/core/view.ts';
import { slashCommand } from '../src/ui/discord/command.ts';
import { boolean, options } from '../src/ui/discord/options.ts';
import { ADMIN_ONLY, requireAdmin } from './admin.ts';

/** An interaction token lasts 15 minutes: a longer run goes on, and the answer says so. */
const ANSWER_WITHIN_MS = 12 * 60 * 1000;
/** Threads still being posted named per subscription; the count says how many more. */
const POSTING_SHOWN = 3;
/** An article's title in a line of the report is cut here. */
const TITLE_SHOWN = 80;

/**
 * One planned article in words that are true of it: an article already posted whose comment count
 * changed (a reply written in its thread, say) only has its post updated, and nothing that sends no
 * message is said to send "0 messages".
 */
function workLine(w: ArticleWork): string {
  const title = `“${escape(truncate(w.title, TITLE_SHOWN, '…').text)}”`;
  const count = plural(w.messages, 'message');
  if (w.setAside !== undefined) return `set aside ${title}: ${escape(w.setAside)}`;
  switch (w.action) {
    case 'post':
      return `post ${title} (${count})`;
    case 'resume':
      return w.messages > 0 ? `finish posting ${title} (${count})` : `finish posting ${title} (no new messages)`;
    case 'append':
      return w.messages > 0 ? `add comments to ${title} (${count})` : `update the post of ${title} (no new messages)`;
    case 'edit':
      return w.messages > 0 ? `update ${title} and add comments (${count})` : `update ${title} (no new messages)`;
    case 'none':
      return `leave ${title} as it is`;
  }
}

/**
 * A subscription another process delivers (it holds its lease): not a failure and not "0 articles",
 * which would read as nothing due. Handed over part way, what this process posted first is counted.
 */
function elsewhereLine(run: SubscriptionRun): string {
  if (run.articles === 0 && run.created === 0) return `<#${run.channelId}>: being delivered by another Paperboy process right now; it goes on there`;
  return `<#${run.channelId}>: ${plural(run.articles, 'article')}, ${plural(run.created, 'message')} posted, then another Paperboy process took it over; it goes on there`;
}

function runLines(run: SubscriptionRun, dryRun: boolean): string {
  if (run.heldElsewhere) return elsewhereLine(run);
  if (run.error && run.articles === 0) return `<#${run.channelId}>: failed: ${escape(run.error)}`;
  if (dryRun) {
    if (run.plan.length === 0) return `<#${run.channelId}>: nothing to post`;
    const items = run.plan.map((w) => `• ${workLine(w)}`);
    return [`<#${run.channelId}>: ${plural(run.plan.length, 'article')} would go out:`, ...items].join('\n');
  }
  const parts = [`<#${run.channelId}>: ${plural(run.articles, 'article')}, ${plural(run.created, 'message')} posted`];
  if (run.paused) parts.push(`⏸ paused: ${escape(run.paused)}`);
  else if (run.error) parts.push(`⚠ stopped part way: ${escape(run.error)} (the next run resumes)`);
  const posting = run.posting ?? [];
  for (const p of posting.slice(0, POSTING_SHOWN))
    parts.push(`⏳ posting the comments of “${escape(truncate(p.title, TITLE_SHOWN, '…').text)}”: ${p.left} left`);
  if (posting.length > POSTING_SHOWN) parts.push(`⏳ and ${plural(posting.length - POSTING_SHOWN, 'more thread')}`);
  if (posting.length > 0) parts.push('the next run goes on');
  if (run.setAside) parts.push(`⚠ ${plural(run.setAside, 'article')} set aside (/subscriptions says why)`);
  return parts.join('; ');
}

export function deliverView(runs: readonly SubscriptionRun[], dryRun: boolean): View {
  const body = runs.length === 0 ? 'This server has no active subscriptions. Add one with /subscribe.' : runs.map((r) => runLines(r, dryRun)).join('\n');
  return { ephemeral: true, embeds: [{ title: dryRun ? 'Delivery: dry run (nothing posted)' : 'Delivery: done', description: body }] };
}

export default slashCommand({
  definition: { name: 'deliver', description: 'Post due articles now, or show what would be posted', ...ADMIN_ONLY },
  options: options({ 'dry-run': boolean({ description: 'Only show what would be posted', default: false }) }),
  defer: true,
  ephemeral: true,
  run: async (options, ctx) => {
    const { runner, guildId } = requireAdmin(ctx);
    const dryRun = options['dry-run'];
    const run = runner.run({ guildId, dryRun });
    const late = new Promise<null>((done) => setTimeout(() => done(null), ANSWER_WITHIN_MS).unref());
    const runs = await Promise.race([run, late]);
    if (runs === null) return { ephemeral: true, content: 'Delivery is still running; check /subscriptions later for what it posted.' };
    return deliverView(runs, dryRun);
  },
});
