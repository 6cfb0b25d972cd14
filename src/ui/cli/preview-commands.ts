/** `paperboy preview`: what a subscription would post next, and why each of its source's latest articles would or would not go (as /preview). */
import type { Command } from 'commander';
import type { BotState } from '../../adapters/store/state.ts';
import { PREVIEW_DEFAULT, PREVIEW_MAX, type Preview, previewSubscription } from '../../app/delivery/preview.ts';
import { type Subscription, Subscriptions } from '../../app/delivery/subscriptions.ts';
import { destinationLines, verdictText } from '../../app/views/preview-view.ts';
import { UserError } from '../../core/errors.ts';
import type { MessageView } from '../../core/view.ts';
import { type Io, json, positiveInt, withStore } from './context.ts';

/** A Discord id as typed: digits only, so a mistyped or pasted mention is named rather than looked up. */
function discordId(name: string): (value: string) => string {
  return (value) => {
    if (!/^\d{1,20}$/.test(value)) throw new UserError('bad-option', `${name}: expected a Discord id (digits), got \`${value.slice(0, 40)}\``);
    return value;
  };
}

function countOption(value: string): number {
  const n = positiveInt('--count')(value);
  if (n > PREVIEW_MAX) throw new UserError('bad-option', `--count: expected a whole number from 1 to ${PREVIEW_MAX}, got \`${value}\``);
  return n;
}

/** The subscription of `channel` (in `guild` when given); a UserError naming what was not found, or which guilds to choose from. */
async function findSubscription(state: BotState, channel: string, guild: string | undefined): Promise<Subscription> {
  const subs = new Subscriptions(state.subscriptions);
  const found = guild ? [await subs.get(guild, channel)].filter((s) => s !== null) : (await subs.list()).subscriptions.filter((s) => s.channelId === channel);
  const [sub, other] = found;
  if (!sub) throw new UserError('not-found', `no subscription for channel ${channel}${guild ? ` in guild ${guild}` : ''}`);
  if (other) throw new UserError('ambiguous', `channel ${channel} has subscriptions in guilds ${found.map((s) => s.guildId).join(', ')}: add --guild ID`);
  return sub;
}

/** A post's view as terminal lines: its text, then each embed's title, link, description, fields and footer. */
function postLines(post: MessageView): string[] {
  const lines: string[] = [];
  if (post.content) lines.push(post.content, '');
  for (const e of post.embeds ?? []) {
    if (e.title) lines.push(e.title);
    if (e.url) lines.push(e.url);
    if (e.description) lines.push('', e.description);
    for (const f of e.fields ?? []) lines.push('', `${f.name}: ${f.value}`);
    if (e.footer) lines.push('', e.footer);
  }
  return lines;
}

export function renderPreview(p: Preview): string {
  const lines = [`#${p.channelName} (${p.channelId}): the latest ${p.items.length} from ${p.source ?? 'every source'}, newest first`];
  for (const i of p.items) lines.push(`  ${i.id}  ${i.title}`, `      ${verdictText(i.verdict)}`);
  if (!p.next) lines.push('', 'No article would be posted now.');
  else {
    lines.push('', p.next.sample ? `No article would be posted now; "${p.next.title}" would look like this:` : `The next post, exactly as it will look:`);
    lines.push(`--- thread: ${p.next.threadName}`, ...postLines(p.next.post).map((l) => `  ${l}`.trimEnd()));
    lines.push(...destinationLines(p.next.destination).map((l) => `--- ${l}`));
  }
  return lines.join('\n');
}

export function registerPreviewCommands(program: Command, io: Io, setExitCode: (code: number) => void): void {
  void setExitCode;
  program
    .command('preview')
    .description('what a subscription would post next, and why each of its source’s latest articles would or would not go')
    .requiredOption('--channel <id>', 'the subscribed channel', discordId('--channel'))
    .option('--guild <id>', 'its server (needed only when the channel id is subscribed in several)', discordId('--guild'))
    .option('--count <n>', `how many of the latest articles (1 to ${PREVIEW_MAX})`, countOption, PREVIEW_DEFAULT)
    .option('--json', 'print the preview as JSON')
    .action(async (opts: { channel: string; guild?: string; count: number; json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store, state) => {
        const sub = await findSubscription(state(), opts.channel, opts.guild);
        const preview = await previewSubscription({ store, progress: state().progress, now: new Date() }, sub, opts.count);
        io.out(opts.json ? json(preview) : renderPreview(preview));
      });
    });
}
