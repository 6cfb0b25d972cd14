/**
 * What is wrong with a subscription setting, in plain words: one SettingsError per problem, naming
 * the option as typed (`filter`, `mentions`, `thread_name`, …) and, for a filter, the column of the
 * mistake with the text and a caret under it. SettingsRefused gathers them: a change is saved whole
 * or not at all, so the admin learns every problem at once.
 */
import { UserError } from '../../core/errors.ts';
import { caretLines } from '../filters/errors.ts';

export interface SettingsErrorInit {
  /** The option as the commands name it: `filter`, `mentions`, `title`, `daily_cap`, … */
  readonly option: string;
  readonly given: string;
  readonly reason: string;
  /** 1-based column in `given` of a filter mistake. */
  readonly column?: number;
}

export class SettingsError extends UserError {
  override readonly name = 'SettingsError';
  readonly option: string;
  readonly given: string;
  readonly reason: string;
  readonly column: number | undefined;

  constructor(init: SettingsErrorInit) {
    const where = init.column === undefined ? '' : ` column ${init.column}:`;
    super('bad-option', `${init.option}:${where} ${init.reason}`);
    this.option = init.option;
    this.given = init.given;
    this.reason = init.reason;
    this.column = init.column;
  }

  /** The text with a caret under the column, when the problem has one. */
  caret(): [string, string] | null {
    return this.column === undefined ? null : caretLines(this.given, this.column);
  }
}

/** Every problem of one change; nothing of it was saved. The message is plain lines, as the CLI prints it. */
export class SettingsRefused extends UserError {
  override readonly name = 'SettingsRefused';

  constructor(readonly problems: readonly SettingsError[]) {
    super('bad-option', problems.flatMap((p) => [p.message, ...(p.caret() ?? []).map((l) => `  ${l}`)]).join('\n'));
  }
}

/** The problems as Discord markdown: each message, then its text and caret in a code block (monospace keeps the caret under the column). */
export function settingsProblemsMarkdown(problems: readonly SettingsError[], escape: (text: string) => string): string {
  const parts = problems.map((p) => {
    const caret = p.caret();
    return caret ? `${escape(p.message)}\n\`\`\`\n${caret.join('\n')}\n\`\`\`` : escape(p.message);
  });
  return `Nothing was changed:\n${parts.join('\n')}`;
}
