/** /unsubscribe: stop posting into a channel. What was posted stays. */
import { UserError } from '../src/core/errors.ts';
import { slashCommand } from '../src/ui/discord/command.ts';
import { options } from '../src/ui/discord/options.ts';
import { ADMIN_ONLY, channelOption, requireAdmin } from './admin.ts';

export default slashCommand({
  definition: { name: 'unsubscribe', description: 'Stop posting new articles in a channel', ...ADMIN_ONLY },
  options: options({ channel: channelOption }),
  defer: false,
  ephemeral: true,
  run: async ({ channel }, ctx) => {
    const { subscriptions, guildId } = requireAdmin(ctx);
    if (!(await subscriptions.remove(guildId, channel.id))) throw new UserError('not-found', `<#${channel.id}> has no subscription.`);
    return { ephemeral: true, content: `Unsubscribed <#${channel.id}>. What was already posted stays.` };
  },
});
