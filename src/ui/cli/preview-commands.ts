/** `paperboy preview`: what a subscription would post next, and why each of its source's latest articles would or would not go (as /preview). */
import type { Command } from 'commander';
import type { BotState } from '../../adapters/store/state.ts';
import { PREVIEW_DEFAULT, PREVIEW_MAX, type Preview, type PreviewDeps, previewSubscription, previewTypedFilter } from '../../app/delivery/preview.ts';
import { SettingsError, SettingsRefused } from '../../app/delivery/settings-errors.ts';
import { type Subscription, Subscriptions } from '../../app/delivery/subscriptions.ts';
import { destinationLines, typedLines, verdictText } from '../../app/views/preview-view.ts';
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

interface Options {
  readonly channel: string;
  readonly guild?: string;
  readonly count: number;
  readonly filter?: string;
  readonly json?: boolean;
}

function countOption(value: string): number {
  const n = positiveInt('--count')(value);
  if (n > PREVIEW_MAX) throw new UserError('bad-option', `--count: expected a whole number from 1 to ${PREVIEW_MAX}, got \`${value}\``);
  return n;
}

/** The subscription of `channel` (in `guild` when given), or null; a UserError naming the guilds to choose from when there are several. */
async function findSubscription(state: BotState, channel: string, guild: string | undefined): Promise<Subscription | null> {
  const subs = new Subscriptions(state.subscriptions);
  const found = guild ? [await subs.get(guild, channel)].filter((s) => s !== null) : (await subs.list()).subscriptions.filter((s) => s.channelId === channel);
  const [sub, other] = found;
  if (other) throw new UserError('ambiguous', `channel ${channel} has subscriptions in guilds ${found.map((s) => s.guildId).join(', ')}: add --guild ID`);
  return sub ?? null;
}

/** What `opts` asks for: the saved subscription's preview, or with --filter the typed filter's (a mistake named as `subscription edit --filter` names it). */
async function previewOf(deps: PreviewDeps, sub: Subscription | null, opts: Options): Promise<Preview> {
  const none = `no subscription for channel ${opts.channel}${opts.guild ? ` in guild ${opts.guild}` : ''}`;
  if (opts.filter === undefined) {
    if (!sub) throw new UserError('not-found', none);
    return previewSubscription(deps, sub, opts.count);
  }
  const guildId = sub?.guildId ?? opts.guild;
  if (!guildId) throw new UserError('not-found', `${none}: give --guild ID to preview the filter as a new subscription there`);
  const where = { guildId, id: opts.channel, name: opts.channel, kind: 'text' } as const;
  return previewTypedFilter(deps, sub, where, opts.filter, opts.count).catch((error: unknown) => {
    throw error instanceof SettingsError ? new SettingsRefused([error]) : error;
  });
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
  const lines = p.typed ? typedLines(p.typed, `channel ${p.channelId}`) : [];
  lines.push(`#${p.channelName} (${p.channelId}): the latest ${p.items.length} from ${p.source ?? 'every source'}, newest first`);
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
    .requiredOption('--channel <id>', 'the subscribed channel (with --filter and --guild, also one with no subscription yet)', discordId('--channel'))
    .option('--guild <id>', 'its server (needed only when the channel id is subscribed in several)', discordId('--guild'))
    .option('--count <n>', `how many of the latest articles (1 to ${PREVIEW_MAX})`, countOption, PREVIEW_DEFAULT)
    .option('--filter <expression>', 'try this filter expression instead of the saved one (nothing is saved; "-" for none)')
    .option('--json', 'print the preview as JSON')
    .action(async (opts: Options, cmd: Command) => {
      await withStore(cmd, async (store, state) => {
        const deps = { store, progress: state().progress, now: new Date() };
        const preview = await previewOf(deps, await findSubscription(state(), opts.channel, opts.guild), opts);
        io.out(opts.json ? json(preview) : renderPreview(preview));
      });
    });
}
