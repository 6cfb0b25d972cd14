/**
 * Which failures will not change on retry. Discord refusing a request itself (400 Invalid Form Body,
 * 50035; 413; 404 on a route) gets the same answer on every run, so the article that caused it is set
 * aside and the run goes on, instead of blocking every later article. Failures about the moment (429,
 * 5xx, timeouts, a lost connection) are retried by the next run; failures about the target (401, 403,
 * and Discord's "unknown channel" and "missing access", which the poster turns into TargetGone) pause
 * the subscription instead.
 *
 * The poster throws discord.js's DiscordAPIError, which carries the HTTP `status` and Discord's
 * `code`; they are read by shape, so nothing under src/delivery imports discord.js.
 */
import { TargetGone } from './poster.ts';

/** About the target (auth, permissions), the moment (rate limit), or a timeout: not the request's fault. */
const NOT_PERMANENT = new Set([401, 403, 408, 429]);

/** The reason to set an article aside for, when `error` will recur on every retry; null when a retry may succeed. */
export function permanentRefusal(error: unknown): string | null {
  if (!(error instanceof Error) || error instanceof TargetGone) return null;
  const { status, code } = error as Error & { status?: unknown; code?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499 || NOT_PERMANENT.has(status)) return null;
  const discordCode = typeof code === 'number' || typeof code === 'string' ? `, Discord code ${code}` : '';
  return `Discord refused it: ${error.message} (HTTP ${status}${discordCode})`;
}
