/** /preview: what a subscription would post next, and why each of its source's latest articles would or would not go. */
import { PREVIEW_DEFAULT, PREVIEW_MAX, previewSubscription } from '../src/app/delivery/preview.ts';
import { previewView } from '../src/app/views/preview-view.ts';
import { UserError } from '../src/core/errors.ts';
import { slashCommand } from '../src/ui/discord/command.ts';
import { integer, options } from '../src/ui/discord/options.ts';
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
  }),
  defer: true,
  ephemeral: true,
  run: async ({ channel, count }, ctx) => {
    const { subscriptions, progress, poster, guildId } = requireAdmin(ctx);
    const sub = await subscriptions.get(guildId, channel.id);
    if (!sub) throw new UserError('not-found', `<#${channel.id}> has no subscription. Add one with /subscribe.`);
    return previewView(await previewSubscription({ store: ctx.store, progress, now: ctx.now(), poster }, sub, count));
  },
});
