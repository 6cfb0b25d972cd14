/** /preview: what a subscription would post next, and why each of its source's latest articles would or would not go; with `filter:`, as it would with that filter (nothing saved). */
import { ChannelType } from 'discord-api-types/v10';
import { PREVIEW_DEFAULT, PREVIEW_MAX, previewSubscription, previewTypedFilter } from '../src/app/delivery/preview.ts';
import { SettingsError, settingsProblemsMarkdown } from '../src/app/delivery/settings-errors.ts';
import { escape } from '../src/app/views/markdown.ts';
import { previewView } from '../src/app/views/preview-view.ts';
import { UserError } from '../src/core/errors.ts';
import { slashCommand } from '../src/ui/discord/command.ts';
import { integer, options, text } from '../src/ui/discord/options.ts';
import { ADMIN_ONLY, channelOption, requireAdmin } from './admin.ts';

export default slashCommand({
  definition: { name: 'preview', description: 'What a subscription would post next, and why each article would or would not go', ...ADMIN_ONLY },
  options: options({
    channel: channelOption,
    count: integer({
      description: `How many of the latest articles (default ${PREVIEW_DEFAULT})`,
      min_value: 1,
      max_value: PREVIEW_MAX,
      default: PREVIEW_DEFAULT,
    }),
    filter: text({ description: 'Try this filter expression instead of the saved one (nothing is saved; - for none)', max_length: 1000 }),
  }),
  defer: true,
  ephemeral: true,
  run: async ({ channel, count, filter }, ctx) => {
    const { subscriptions, progress, poster, guildId } = requireAdmin(ctx);
    const deps = { store: ctx.store, progress, now: ctx.now(), poster };
    const sub = await subscriptions.get(guildId, channel.id);
    if (filter === undefined) {
      if (!sub) throw new UserError('not-found', `<#${channel.id}> has no subscription. Add one with /subscribe, or try a filter here with filter:.`);
      return previewView(await previewSubscription(deps, sub, count));
    }
    const kind = channel.type === ChannelType.GuildForum ? 'forum' : 'text';
    const where = { guildId, id: channel.id, name: channel.name ?? channel.id, kind } as const;
    // A mistake is answered as /subscribe answers it: the column, and the text with a caret under it.
    const preview = await previewTypedFilter(deps, sub, where, filter, count).catch((error: unknown) => {
      throw error instanceof SettingsError ? new UserError(error.code, settingsProblemsMarkdown([error], escape)) : error;
    });
    return previewView(preview);
  },
});
