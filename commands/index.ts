/** Every slash command, registered from this one list. */
import type { SlashCommand } from '../src/ui/discord/command.ts';
import article from './article.ts';
import deliver from './deliver.ts';
import discussion from './discussion.ts';
import feed from './feed.ts';
import help from './help.ts';
import preview from './preview.ts';
import quote from './quote.ts';
import search from './search.ts';
import subscribe from './subscribe.ts';
import subscriptions from './subscriptions.ts';
import summarize from './summarize.ts';
import testPost from './test-post.ts';
import unsubscribe from './unsubscribe.ts';

export const commands: readonly SlashCommand[] = [
  search,
  summarize,
  quote,
  article,
  help,
  subscribe,
  unsubscribe,
  subscriptions,
  deliver,
  feed,
  discussion,
  preview,
  testPost,
];
