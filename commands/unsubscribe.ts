/** /unsubscribe: stop posting into a channel. What was posted stays. */
import { z } from 'zod';
import { defineCommand } from '../src/ui/discord/command.ts';
import { UserError } from '../src/core/view.ts';
import { ADMIN_ONLY, ChannelValue, channelOption, requireAdmin } from './admin.ts';

export default defineCommand({
  definition: { name: 'unsubscribe', description: 'Stop posting new articles in a channel', ...ADMIN_ONLY, options: [channelOption] },
  options: z.object({ channel: ChannelValue }),
  defer: false,
  ephemeral: true,
  run: async ({ channel }, ctx) => {
    const { subscriptions, guildId } = requireAdmin(ctx);
    if (!(await subscriptions.remove(guildId, channel.id))) throw new UserError(`<#${channel.id}> has no subscription.`);
    return { ephemeral: true, content: `Unsubscribed <#${channel.id}>. What was already posted stays.` };
  },
});
