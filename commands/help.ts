/** /help: what Paperboy can do, and how to search. */
import { slashCommand } from '../src/ui/discord/command.ts';
import { options } from '../src/ui/discord/options.ts';
import type { View } from '../src/core/view.ts';

export function helpView(): View {
  return {
    ephemeral: true,
    embeds: [
      {
        title: 'Paperboy',
        description: [
          'Paperboy keeps articles and their reader discussions, and quotes them word for word with their source. Summaries are sentences taken from the text, never rewritten.',
          '',
          '**/search** `query` `[scope]` `[source]`: find articles and comments. Use the buttons to page and the menu to open a result.',
          '**/summarize** `article` `[length]` `[of]`: the article’s key sentences, or a digest of its discussion with `of: discussion`.',
          '**/quote** `article` `[about]` `[from]` `[comment]`: a passage on a topic, from the article or its comments (or one comment you pick), with where it comes from.',
          '**/article** `article` `[page]`: read an article page by page, then its comments, a thread of replies to a page.',
          '',
          'For `article`, start typing a title and pick it from the list, or paste an article id or URL.',
        ].join('\n'),
        fields: [
          {
            name: 'Search syntax',
            value: [
              '`nato expansion`: both words (any form: expand, expanding)',
              '`"cold war"`: the exact phrase',
              '`nato -russia`: leave out results with a word',
              '`expan*`: words starting with it',
            ].join('\n'),
          },
          {
            name: 'For server admins',
            value: [
              '**/subscribe** a channel to new articles, with a `filter`; **/subscriptions** lists them, `edit:` sets a filter, template, mentions, webhook, forum tags, caps or a digest.',
              '**/preview** what a subscription would post next and why; **/test-post** one article now, recording nothing.',
              '**/feed** the feeds read, their health, a health channel; **/deliver** runs delivery now; **/discussion** follows a discussion elsewhere.',
            ].join('\n'),
          },
        ],
      },
    ],
  };
}

export default slashCommand({
  definition: { name: 'help', description: 'What Paperboy can do, and how to search' },
  options: options({}),
  defer: false,
  ephemeral: true,
  run: () => helpView(),
});
