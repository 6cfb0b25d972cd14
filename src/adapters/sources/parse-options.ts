/** What every source parser takes and returns; the parsers and their one entry point (parse.ts) share it. */
import type { Article } from '../../core/model.ts';

export interface ParseOptions {
  /**
   * The `ingestedAt` of articles the source does not date.
   * @default new Date()
   */
  readonly now?: Date;
  /**
   * The publication name for articles that do not name one, e.g. `'topwar.ru'`.
   * @default null
   */
  readonly source?: string | null;
}

export interface ParseResult {
  articles: Article[];
  /** Each names its file, and the line where there is one: `a.txt: declared 5 comments, found 4`. */
  warnings: string[];
}
