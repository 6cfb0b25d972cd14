/**
 * The proxy's request handler: what `proxyRequests` of @discordjs/proxy does, with three changes.
 *
 * - The body is read into memory (capped) before it is queued. `proxyRequests` hands the incoming
 *   stream to @discordjs/rest, which sends it again on a 429 or a 5xx retry: the stream is spent by
 *   then, so Discord gets an empty body and the message is lost (400 "Cannot send an empty
 *   message"; measured with @discordjs/proxy 2.1.1 against the local Discord).
 * - With the bot token configured, a request carrying another token is refused here: one proxy is one
 *   rate-limit budget, for one bot, and not a relay for anyone's token.
 * - A request whose caller hung up before its turn is dropped from the queue instead of being sent
 *   with no one waiting for the answer (the caller may be retrying it already).
 *
 * The rest is the package's: the Authorization header is passed on as sent (the upstream REST has
 * no token), `X-RateLimit-*` headers are not passed back (the proxy alone plans by them), and the
 * upstream REST waits out every 429 itself.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { populateErrorResponse, populateSuccessfulResponse } from '@discordjs/proxy';
import type { REST, RequestMethod } from '@discordjs/rest';
import { APIVersion } from 'discord-api-types/v10';
import type { Logger } from '../../core/log.ts';

/** The path prefix discord.js sends with `rest.api` set to the proxy's `/api`. */
export const API_PREFIX = `/api/v${APIVersion}/`;
/** Discord's largest request: 25 MiB of attachments plus the JSON beside them. */
export const MAX_BODY_BYTES = 26 * 1024 * 1024;
const METHODS = new Set<string>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const NO_BODY = new Set<string>(['GET', 'DELETE']);
/** Longest piece of a caller's path quoted back in an error. */
const QUOTE_MAX = 80;

export interface ForwardOptions {
  readonly rest: REST;
  readonly log: Logger;
  /** The bot token; when set, any other token is refused with 401 before it reaches Discord. */
  readonly token?: string;
}

/** The `http.Server` request listener. */
export function forwardRequests(options: ForwardOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const expected = options.token === undefined ? undefined : digest(`Bot ${options.token}`);
  return (req, res) => {
    void forward(options, expected, req, res).catch((error: unknown) => {
      // Discord unreachable after the retries, or a bug: the caller gets a 502, the log the cause.
      options.log.warn({ err: error, method: req.method, path: pathOf(req) }, 'rest proxy: the request could not be forwarded');
      if (!res.headersSent) answer(res, 502, '502: Bad Gateway (the REST proxy could not reach Discord; its log has the cause)');
      else res.destroy();
    });
  };
}

async function forward(options: ForwardOptions, expected: Buffer | undefined, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? '').toUpperCase();
  const url = new URL(req.url ?? '/', 'http://rest-proxy.invalid');
  const refusal = refusalOf(req, method, url.pathname, expected);
  if (refusal) {
    options.log.debug({ method, path: quote(withoutTokens(url.pathname)), status: refusal.status }, `rest proxy: refused: ${refusal.message}`);
    req.resume();
    answer(res, refusal.status, refusal.message);
    return;
  }
  const body = NO_BODY.has(method) ? (req.resume(), undefined) : await readBody(req);
  if (body === 'too large') {
    answer(res, 413, `413: Request entity too large (the REST proxy takes bodies up to ${MAX_BODY_BYTES} bytes)`);
    res.once('finish', () => req.destroy());
    return;
  }
  const hungUp = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) hungUp.abort();
  });
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'authorization', 'x-audit-log-reason'] as const) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  try {
    const response = await options.rest.queueRequest({
      fullRoute: `/${url.pathname.slice(API_PREFIX.length)}`,
      method: method as RequestMethod,
      query: url.searchParams,
      headers,
      // A Buffer, unlike the request stream, can be sent again when the REST retries.
      ...(body !== undefined && body.length > 0 && { body, passThroughBody: true }),
      // The caller's Authorization header is passed on; the upstream REST holds no token.
      auth: false,
      signal: hungUp.signal,
    });
    await populateSuccessfulResponse(res, response);
  } catch (error) {
    if (hungUp.signal.aborted) return;
    if (!populateErrorResponse(res, error)) throw error;
  } finally {
    // A success ends with its body's pipeline; an error response is written but not ended.
    if (!res.writableEnded) res.end();
  }
}

interface Refusal {
  readonly status: number;
  readonly message: string;
}

function refusalOf(req: IncomingMessage, method: string, path: string, expected: Buffer | undefined): Refusal | undefined {
  // No bot sends Origin; a web page does, and must not use the proxy even without a token.
  if (req.headers.origin !== undefined) return { status: 403, message: '403: Forbidden (the REST proxy serves bot processes, not web pages)' };
  if (!path.startsWith(API_PREFIX)) return { status: 404, message: `404: Not Found (the REST proxy serves ${API_PREFIX}…; got ${quote(path)})` };
  if (!METHODS.has(method)) return { status: 405, message: '405: Method Not Allowed' };
  const authorization = req.headers.authorization;
  // Without a token the request goes on: interaction callbacks and webhook follow-ups carry theirs in
  // the path, and Discord answers 401 to the rest as it would without the proxy.
  if (expected !== undefined && authorization !== undefined && !timingSafeEqual(digest(authorization), expected))
    return { status: 401, message: '401: Unauthorized (not the token of the bot this REST proxy serves)' };
  return undefined;
}

/** The body, or 'too large' past MAX_BODY_BYTES (announced or counted). */
async function readBody(req: IncomingMessage): Promise<Buffer | 'too large'> {
  const announced = Number(req.headers['content-length'] ?? 0);
  if (announced > MAX_BODY_BYTES) return 'too large';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const piece = chunk as Buffer;
    size += piece.length;
    if (size > MAX_BODY_BYTES) return 'too large';
    chunks.push(piece);
  }
  return Buffer.concat(chunks);
}

/** Discord's error shape: `{ message, code }`. */
function answer(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ message, code: 0 }));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function pathOf(req: IncomingMessage): string {
  return quote(withoutTokens((req.url ?? '').split('?')[0] ?? ''));
}

/** The path with interaction and webhook tokens (credentials in the path) replaced, for the log. */
export function withoutTokens(path: string): string {
  const segments = path.split('/');
  segments.forEach((segment, index) => {
    if ((segment === 'interactions' || segment === 'webhooks') && segments[index + 2] !== undefined) segments[index + 2] = ':token';
  });
  return segments.join('/');
}

/** A caller's text, cut short and in JSON quotes, for an error message or the log. */
function quote(text: string): string {
  return JSON.stringify(text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX)}…` : text);
}
