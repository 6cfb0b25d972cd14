/** /test-post: STUB (issue 17), replaced by the test-post work. */
import { UserError } from '../src/core/errors.ts';
import { slashCommand } from '../src/ui/discord/command.ts';
import { options } from '../src/ui/discord/options.ts';
import { ADMIN_ONLY, channelOption, requireAdmin } from './admin.ts';

export default slashCommand({
  definition: { name: 'test-post', description: 'Post one article now, marked as a test; nothing is recorded', ...ADMIN_ONLY },
  options: options({ channel: channelOption }),
  defer: false,
  ephemeral: true,
  run: ({ channel }, ctx) => {
    requireAdmin(ctx);
    throw new UserError('not-found', `<#${channel.id}>: test posts are not built yet.`);
  },
});
