/**
 * The two kinds of failure. A UserError is a mistake the person can fix (no such article, a bad
 * option, a missing permission): its message is meant for them and every front end shows it as it
 * is. Anything else is a bug: the front ends log it in full under a reference id and show only
 * the id (the router, the CLI, the playground).
 */

/** Stable identifiers of user errors: front ends and tests may branch on them, never on the wording. */
export type UserErrorCode =
  /** Nothing matches what was asked for: an article, a feed, a subscription, a search. */
  | 'not-found'
  /** What was typed matches more than one thing (an id prefix of several articles). */
  | 'ambiguous'
  /** An id prefix too short to be meant as one. */
  | 'too-short'
  /** An option or argument that is not valid as given. */
  | 'bad-option'
  /** A file or input that cannot be read as what it should be. */
  | 'bad-input'
  /** The person may not do this here (permission, outside a server). */
  | 'not-allowed'
  /** This Paperboy does not offer it (delivery or feeds not running, a command gone). */
  | 'unavailable'
  /** Something the answer relied on has changed or gone (an expired list, a deleted article). */
  | 'stale';

/**
 * An expected failure, shown to the person who asked in plain words (only to them, on Discord).
 * `code` says what kind it is; the message may change, the code does not.
 */
export class UserError extends Error {
  override readonly name: string = 'UserError';

  constructor(
    readonly code: UserErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * A source file that cannot be read as an article. The message names the file, the line where
 * there is one, and what was expected, so an operator can fix the file without reading code.
 */
export class ParseError extends UserError {
  override readonly name = 'ParseError';

  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly expected: string,
  ) {
    super('bad-input', `${file}${line === null ? '' : `:${line}`}: expected ${expected}`);
  }
}

/** The message of anything thrown: an Error's message, or the thrown value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A short id to find a bug's log entry by, where the front end has none of its own (Discord uses the interaction id). */
export function referenceId(): string {
  return crypto.randomUUID().slice(0, 8);
}
