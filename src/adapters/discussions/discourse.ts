/** A Discourse topic (`/t/ID.json` with its post stream) into a Discussion. Written by issue 16's parser work. */
import type { ParseOptions } from '../sources/parse-options.ts';
import type { Discussion } from './types.ts';

/** Whether `json` is a Discourse topic as `/t/ID.json` returns it. */
export function looksLikeDiscourseTopic(json: unknown): boolean {
  void json;
  return false;
}

/**
 * A topic as a Discussion; `base` is the forum's address (https://meta.discourse.org), which a saved
 * file does not hold: null leaves links out. `where` names the file or URL in messages.
 */
export function parseDiscourseTopic(where: string, json: unknown, base: string | null, options: ParseOptions = {}): Discussion {
  void json;
  void base;
  void options;
  throw new Error(`${where}: Discourse topics are not read yet`);
}
