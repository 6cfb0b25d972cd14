/**
 * `paperboy subscription list | show | edit`: the bot's subscriptions and their settings (issue 17)
 * from the command line, on the bot's own state (the file, or PostgreSQL with DATABASE_URL). `edit`
 * takes the settings of `/subscriptions edit:` with the same checks and the same messages.
 */
import type { Command } from 'commander';
import { editSubscription, RESUMED, SETTING_NAMES, type SettingName } from '../../app/delivery/settings.ts';
import { showBackfill, type Subscription, Subscriptions } from '../../app/delivery/subscriptions.ts';
import { settingsBrief, settingsLines } from '../../app/views/settings-view.ts';
import { UserError } from '../../core/errors.ts';
import { type Io, json, withStore } from './context.ts';

/** `thread_name` → `threadName`, as commander names the value of `--thread-name`. */
const camel = (name: string): string => name.replace(/_([a-z])/gu, (_m, c: string) => c.toUpperCase());
const flag = (name: SettingName): string => `--${name.replaceAll('_', '-')}`;

/** What each setting option says in `--help`. */
const HELP: Record<SettingName, string> = {
  filter: 'filter expression, e.g. \'title contains "nato" and not source = "X"\'',
  content: 'message text template, e.g. "{title} {url}"',
  title: 'embed title template, e.g. "{title:100}"',
  description: 'embed description template, e.g. "{summary:2}"',
  thread_name: 'thread (or forum post) name template',
  date_format: 'how {published} is written: a Luxon format (yyyy-LL-dd HH:mm) or short, medium, long, full',
  timezone: 'IANA time zone for {published}, e.g. Europe/Berlin',
  locale: 'locale for {published}, e.g. de-DE',
  mentions: 'who is pinged: "<@&ROLE_ID> if <filter>; user:ID; …"',
  webhook_name: 'post through a webhook under this name (1-80 characters)',
  webhook_avatar: 'the webhook’s avatar: an https:// image address',
  tags: 'forum tags: "TAG_ID if <filter>; TAG_ID; …" (forum subscriptions only)',
  thread: 'post into this existing thread (its id; text channel subscriptions only)',
  daily_cap: 'articles a day at most, 1 to 1000',
  min_spacing: 'minutes between two posts at least, 0 to 1440',
  max_age: 'skip articles older than this many hours, 1 to 8760',
  digest: '"daily 08:00 [Europe/Berlin] [only]" or "weekly mon 08:00 …"',
};

/** A Discord id as typed on the command line. */
function snowflake(name: string): (value: string) => string {
  return (value) => {
    if (!/^\d{1,20}$/u.test(value.trim())) throw new UserError('bad-option', `${name}: expected a Discord id (digits), got \`${value.slice(0, 40)}\``);
    return value.trim();
  };
}

interface Target {
  readonly guild: string;
  readonly channel: string;
  readonly json?: boolean;
}

function notFound(t: Target): UserError {
  return new UserError('not-found', `channel ${t.channel} in guild ${t.guild} has no subscription (see \`paperboy subscription list\`)`);
}

/** A subscription in one line: where, what it takes, and its settings briefly. */
function describe(s: Subscription): string {
  const what = [s.source && `source ${s.source}`, s.keywords && `keywords ${s.keywords}`].filter(Boolean).join(', ') || 'every article';
  const settings = settingsBrief(s.options);
  return `${s.guildId} ${s.channelId} #${s.channelName} (${s.kind}): ${what}; backfill ${showBackfill(s.backfill)}${s.paused ? '; paused' : ''}${settings ? `; ${settings}` : ''}`;
}

function showSettings(io: Io, s: Subscription): void {
  const lines = settingsLines(s.options);
  io.out(lines.length > 0 ? lines.map((l) => `  ${l}`).join('\n') : '  no settings: it posts every article it gets as it always has');
}

export function registerSubscriptionCommands(program: Command, io: Io, setExitCode: (code: number) => void): void {
  void setExitCode;
  const subscription = program
    .command('subscription')
    .description('the channels the bot posts articles in, and each one’s settings (filter, template, mentions, caps, digest)');

  subscription
    .command('list')
    .description('every subscription, with its settings briefly')
    .option('--json', 'print the subscriptions as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (_store, state) => {
        const list = await new Subscriptions(state().subscriptions).list();
        if (opts.json) {
          const invalid = list.invalid.map((b) => ({ guildId: b.guildId, channelId: b.channelId, problem: b.error.problem }));
          return io.out(json({ subscriptions: list.subscriptions, invalid }));
        }
        if (list.subscriptions.length === 0 && list.invalid.length === 0)
          return io.out('No subscriptions yet: subscribe a channel with /subscribe in Discord.');
        for (const s of list.subscriptions) io.out(describe(s));
        for (const bad of list.invalid) io.out(`${bad.guildId} ${bad.channelId}: unreadable subscription (${bad.error.problem})`);
      });
    });

  subscription
    .command('show')
    .description('one subscription and every setting in force')
    .requiredOption('--guild <id>', 'the server’s id', snowflake('--guild'))
    .requiredOption('--channel <id>', 'the channel’s id', snowflake('--channel'))
    .option('--json', 'print the subscription as JSON')
    .action(async (opts: Target, cmd: Command) => {
      await withStore(cmd, async (_store, state) => {
        const s = await new Subscriptions(state().subscriptions).get(opts.guild, opts.channel);
        if (!s) throw notFound(opts);
        if (opts.json) return io.out(json(s));
        io.out(describe(s));
        showSettings(io, s);
      });
    });

  const edit = subscription
    .command('edit')
    .description('change a subscription’s settings: each option not given is kept, "-" clears it; all are checked before any is saved')
    .requiredOption('--guild <id>', 'the server’s id', snowflake('--guild'))
    .requiredOption('--channel <id>', 'the channel’s id', snowflake('--channel'));
  for (const name of SETTING_NAMES) edit.option(`${flag(name)} <text>`, HELP[name]);
  edit.option('--json', 'print the result as JSON').action(async (opts: Target & Record<string, string | undefined>, cmd: Command) => {
    const settings = Object.fromEntries(SETTING_NAMES.map((n) => [n, opts[camel(n)]]));
    await withStore(cmd, async (store, state) => {
      const edited = await editSubscription(new Subscriptions(state().subscriptions), store, { guildId: opts.guild, channelId: opts.channel, settings });
      if (!edited) throw notFound(opts);
      const { after, changed, checkedWith, resumed } = edited;
      if (opts.json) {
        const checked = checkedWith && { kind: checkedWith.kind, articleId: checkedWith.article.id, title: checkedWith.article.title };
        return io.out(json({ guildId: after.guildId, channelId: after.channelId, changed, resumed, options: after.options ?? {}, checkedWith: checked }));
      }
      io.out(
        changed.length > 0 ? `updated ${after.guildId} ${after.channelId}: ${changed.join(', ')} changed; settings now:` : `nothing changed; settings now:`,
      );
      showSettings(io, after);
      if (checkedWith && changed.length > 0)
        io.out(
          `template checked with ${checkedWith.kind === 'sample' ? 'a sample article' : `article ${checkedWith.article.id}`}: ${checkedWith.article.title}`,
        );
      if (resumed) io.out(RESUMED);
    });
  });
}
