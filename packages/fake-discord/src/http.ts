/**
 * The REST front door. Every request passes the same steps Discord's edge would take: faults (a
 * test's deliberate trouble), the bot token, the global rate limit, the route's bucket, then the
 * handler. Every answer carries the rate limit headers, is logged in `requests`, and when Discord
 * would have refused it (not a fault), in `violations`.
 */
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, invalidJson, methodNotAllowed, notFound, unauthorized } from './errors.ts';
import type { FaultInjector } from './faults.ts';
import { bucketHash, tooManyRequests, type BucketKey, type RateLimiter } from './rate-limits.ts';
import { matchRoute, pathKnown, type Route } from './router.ts';
import type { RateLimitWindow, RequestRecord, Violation } from './types.ts';
import { MAX_BODY_BYTES, parseMultipart, tooLarge, type UploadStore } from './uploads.ts';

const API_PREFIX = '/api/v10';
/** Discord counts these as invalid requests (10,000 in 10 minutes gets an address banned). */
const INVALID_STATUSES = new Set([401, 403, 429]);

export interface RestDeps {
  readonly routes: ReadonlyArray<Route>;
  readonly token: string;
  readonly limiter: RateLimiter;
  readonly windows: { readonly channelMessages: RateLimitWindow; readonly default: RateLimitWindow };
  readonly faults: FaultInjector;
  /** Where multipart uploads go, and the CDN that serves them. */
  readonly uploads: UploadStore;
  record(request: RequestRecord): void;
  violation(violation: Violation): void;
  countInvalid(): void;
  log(line: string): void;
}

interface Answer {
  status: number;
  body?: unknown;
  headers: Record<string, string>;
  fault?: boolean;
  /** For the violation log: what exactly was wrong. */
  detail?: string;
  code?: number;
}

/** Builds the `http.Server` request listener for the REST API. */
export function restListener(deps: RestDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (deps.uploads.serve(req, res)) return;
    void serve(deps, req, res).catch((error: unknown) => {
      deps.log(`rest: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: '500: Internal Server Error', code: 0 }));
    });
  };
}

async function serve(deps: RestDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const at = Date.now();
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'http://fake.invalid');
  const raw = await readBody(req);
  const versioned = url.pathname.startsWith(`${API_PREFIX}/`);
  const segments = versioned ? url.pathname.slice(API_PREFIX.length).split('/').filter(Boolean).map(safeDecode) : [];
  const path = versioned ? `/${segments.join('/')}` : url.pathname;
  const match = versioned ? matchRoute(deps.routes, method, segments) : undefined;
  const route = match?.route.template ?? path;
  const key: BucketKey | undefined = match && {
    hash: bucketHash(method, match.route.template),
    major: match.route.major ? (match.params[match.route.major] ?? '') : '',
    window: deps.windows[match.route.limit ?? 'default'],
  };

  if (deps.faults.latencyMs > 0) await sleep(deps.faults.latencyMs);
  const answer = await decide();
  const delayMs = deps.faults.answerDelay(`${method} ${path}`);
  if (delayMs > 0) await sleep(delayMs);
  if (answer.body === undefined) {
    // No Content-Type on an empty answer: discord.js would try to parse it as JSON.
    res.writeHead(answer.status === 200 ? 204 : answer.status, answer.headers);
    res.end();
  } else {
    res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
    res.end(JSON.stringify(answer.body));
  }

  const scope = answer.headers['X-RateLimit-Scope'];
  const record: RequestRecord = {
    method,
    path,
    route,
    status: answer.status,
    at,
    ...(answer.headers['X-RateLimit-Bucket'] !== undefined && { bucket: answer.headers['X-RateLimit-Bucket'] }),
    ...(answer.headers['X-RateLimit-Remaining'] !== undefined && { remaining: Number(answer.headers['X-RateLimit-Remaining']) }),
    ...(answer.headers['Retry-After'] !== undefined && { retryAfter: Number(answer.headers['Retry-After']) }),
    ...(scope !== undefined && { scope }),
    ...(answer.fault && { fault: true }),
  };
  deps.record(record);
  deps.log(`rest: ${method} ${path} → ${answer.status}${answer.fault ? ' (fault)' : ''}`);
  if (INVALID_STATUSES.has(answer.status) && scope !== 'shared') deps.countInvalid();
  if (answer.status >= 400 && !answer.fault) {
    const message = answer.detail ? `${messageOf(answer.body)}: ${answer.detail}` : messageOf(answer.body);
    deps.violation({ method, path, status: answer.status, code: answer.code ?? 0, message, at });
  }

  async function decide(): Promise<Answer> {
    const peek = (): Record<string, string> => (key ? deps.limiter.peek(key) : {});
    const fault = deps.faults.decide(`${method} ${path}`);
    if (fault?.kind === 'storm') return { status: 429, ...tooManyRequests(fault.retryAfterMs, fault.scope), fault: true };
    if (fault?.kind === 'fail' && !fault.handled) return failure(fault.status, peek());
    const answer = await handle(peek);
    // Done, and then answered with the failure: the client cannot tell it from one never done.
    if (fault?.kind === 'fail') return failure(fault.status, answer.headers);
    return answer;
  }

  function failure(status: number, headers: Record<string, string>): Answer {
    if (status === 429) return { status: 429, ...tooManyRequests(1000, 'user', headers), fault: true };
    return { status, body: { message: `${status}: Fault injected by the fake`, code: 0 }, headers, fault: true };
  }

  async function handle(peek: () => Record<string, string>): Promise<Answer> {
    if (!match) {
      const error = pathKnown(deps.routes, segments) ? methodNotAllowed() : notFound();
      return errorAnswer(error, {});
    }
    if (match.route.auth !== false && req.headers.authorization !== `Bot ${deps.token}`) return errorAnswer(unauthorized(), peek());
    const decision = deps.limiter.take(key as BucketKey, match.route.globalExempt === true);
    if (!decision.allowed) {
      const detail = decision.scope === 'global' ? 'global rate limit' : `bucket ${key?.hash ?? ''} of ${route} (${key?.major ?? ''})`;
      return { status: 429, body: tooManyRequests(decision.retryAfterMs ?? 0, decision.scope ?? 'user').body, headers: decision.headers, detail };
    }
    try {
      if (raw === null) throw tooLarge(`the body is over ${MAX_BODY_BYTES} bytes`);
      const body = parseBody(raw, req.headers['content-type'], deps.uploads);
      const reply = await match.route.handle({ method, path, params: match.params, query: url.searchParams, body });
      return { status: reply.status, body: reply.body, headers: decision.headers };
    } catch (error) {
      if (error instanceof ApiError) return errorAnswer(error, decision.headers);
      // A bug in the fake: answered as Discord's 500, and recorded so that no test passes over it.
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      deps.log(`rest: the fake failed on ${method} ${path}: ${detail}`);
      return {
        status: 500,
        body: { message: '500: Internal Server Error', code: 0 },
        headers: decision.headers,
        detail: `the fake itself failed: ${detail.split('\n')[0] ?? ''}`,
      };
    }
  }
}

function errorAnswer(error: ApiError, headers: Record<string, string>): Answer {
  return { status: error.status, body: error.body(), headers, code: error.code, ...(error.detail !== undefined && { detail: error.detail }) };
}

function messageOf(body: unknown): string {
  return typeof body === 'object' && body !== null && 'message' in body ? String(body.message) : '';
}

function parseBody(raw: Buffer, contentType: string | undefined, uploads: UploadStore): unknown {
  if (raw.length === 0) return undefined;
  if (contentType?.startsWith('multipart/form-data')) return parseMultipart(raw, contentType, uploads);
  if (contentType?.startsWith('multipart/')) {
    throw new ApiError(400, RESTJSONErrorCodes.InvalidFormBodyOrContentType, 'Invalid Form Body', undefined, `${contentType} is not multipart/form-data`);
  }
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw invalidJson();
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The body, or null past MAX_BODY_BYTES (read to its end all the same, so the answer reaches the client). */
async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_BODY_BYTES ? null : Buffer.concat(chunks);
}
