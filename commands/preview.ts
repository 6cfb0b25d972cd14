/** /preview: STUB (issue 17), replaced by the preview work. */
import { UserError } from '../src/core/errors.ts';
import { slashCommand } from '../src/ui/discord/command.ts';
import { options } from '../src/ui/discord/options.ts';
import { ADMIN_ONLY, channelOption, requireAdmin } from './admin.ts';

export default slashCommand({
  definition: { name: 'preview', description: 'What a subscription would post next, and why each article would or would not go', ...ADMIN_ONLY },
  options: options({ channel: channelOption }),
  defer: false,
  ephemeral: true,
  run: ({ channel }, ctx) => {
    requireAdmin(ctx);
    throw new UserError('not-found', `<#${channel.id}>: preview is not built yet.`);
  },
});
