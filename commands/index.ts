/** Every slash command, registered from this one list. */
import type { SlashCommand } from '../src/views/command.ts';
import article from './article.ts';
import help from './help.ts';
import quote from './quote.ts';
import search from './search.ts';
import summarize from './summarize.ts';

export const commands: readonly SlashCommand[] = [search, summarize, quote, article, help];
