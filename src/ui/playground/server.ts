/**
 * The playground's web server: the page and its script, a JSON API for what the member does, and
 * one server-sent event stream for what happens, as a Hono app on Node's HTTP server. It listens
 * on 127.0.0.1 by default and answers only requests addressed to it by that name, and POSTs only
 * from its own page (Origin), so another web site open in the same browser cannot drive it.
 *
 * A mistake in a request (a bad body, an unknown command, an option the command does not take) is
 * a 4xx with its reason; anything else is a bug: a 500 with a reference id, logged under that id.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { referenceId } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import { type PlaygroundApi, RequestError } from './api.ts';
import type { Assets } from './assets.ts';
import type { EventHub } from './events.ts';

const BODY_LIMIT = 64 * 1024;
/** A command may carry a file for an attachment option (2 MB at most, in base64). */
const COMMAND_BODY_LIMIT = 3 * 1024 * 1024;

export interface PlaygroundServer {
  readonly url: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  readonly host: string;
  readonly port: number;
  /** What the page can do; only its public methods are called. */
  readonly api: Pick<PlaygroundApi, 'state' | 'messages' | 'command' | 'autocomplete' | 'component' | 'post'>;
  /** The event stream, closed with the server. */
  readonly hub: Pick<EventHub, 'attach' | 'close'>;
  readonly assets: Assets;
  readonly log: Logger;
}

export async function startServer(options: ServerOptions): Promise<PlaygroundServer> {
  // The bot runs in this process too: by default the adapter swaps the global Request and Response
  // for its own faster ones, which a playground has no need for.
  const server = createAdaptorServer({ fetch: createApp(options).fetch, overrideGlobalObjects: false }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`playground: port ${options.port} on ${options.host} is in use; set PLAYGROUND_PORT to another port (0 picks a free one)`)
          : error,
      ),
    );
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/`,
    async close() {
      options.hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type Env = { Variables: { body: unknown } };

/** The routes, in the order a request meets them. Exported for what a test needs no socket for. */
export function createApp({ api, hub, assets, log, host }: ServerOptions): Hono<Env> {
  const app = new Hono<Env>();

  // On every answer, refusals and failures included.
  app.use(async (c, next) => {
    await next();
    c.res.headers.set('cache-control', 'no-store');
    c.res.headers.set('x-content-type-options', 'nosniff');
  });
  app.use(async (c, next) => {
    if (!hostAllowed(c.req.header('host'), host)) return reply(c, 421, { error: 'this server answers only to its own address' });
    if (c.req.method !== 'GET' && c.req.method !== 'POST') return reply(c, 405, { error: `${c.req.method} is not used here` });
    await next();
  });

  app.get('*', async (c, next) => {
    const asset = assets.get(c.req.path);
    if (!asset) return next();
    return c.body(asset.body, 200, { 'content-type': asset.type });
  });
  app.get('/api/state', (c) => reply(c, 200, api.state()));
  app.get('/api/events', (c) => hub.attach(c));
  app.get('/api/channels/:id{\\d{17,20}}/messages', (c) => reply(c, 200, api.messages(c.req.param('id'))));

  const bodyLimitOf = bodyLimit({ maxSize: BODY_LIMIT, onError: (c) => reply(c, 413, { error: `the request is over ${BODY_LIMIT / 1024} KiB` }) });
  const commandLimit = bodyLimit({
    maxSize: COMMAND_BODY_LIMIT,
    onError: (c) => reply(c, 413, { error: `the request is over ${COMMAND_BODY_LIMIT / 1024 / 1024} MiB` }),
  });
  // Every POST is checked, and its body read, before its path is looked at.
  app.post(
    '*',
    async (c, next) => {
      const foreign = foreignOrigin(c);
      if (foreign) return reply(c, 403, { error: foreign });
      if (!/^application\/json\b/.test(c.req.header('content-type') ?? '')) return reply(c, 415, { error: 'send JSON' });
      await next();
    },
    (c, next) => (c.req.path === '/api/commands' ? commandLimit : bodyLimitOf)(c, next),
    async (c, next) => {
      c.set('body', await readJson(c));
      await next();
    },
  );
  app.post('/api/commands', async (c) => {
    await api.command(c.get('body'));
    return reply(c, 202, {});
  });
  app.post('/api/autocomplete', async (c) => reply(c, 200, await api.autocomplete(c.get('body'))));
  app.post('/api/components', async (c) => {
    await api.component(c.get('body'));
    return reply(c, 202, {});
  });
  app.post('/api/messages', (c) => reply(c, 201, api.post(c.get('body'))));

  app.notFound((c) => reply(c, 404, { error: `nothing at ${c.req.path}` }));
  app.onError((error, c) => {
    if (error instanceof RequestError) return reply(c, error.status, { error: error.message });
    // The person sees only the id; the log has the error in full under it.
    const ref = referenceId();
    log.error({ err: error, ref, request: `${c.req.method} ${c.req.path}` }, 'playground: request failed');
    return reply(c, 500, { error: `the playground failed on that (a bug, not your request); its log has the details under reference ${ref}`, ref });
  });
  return app;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * On loopback, only loopback names: a DNS name rebound to 127.0.0.1 must not reach the API. An
 * operator who listens elsewhere (PLAYGROUND_HOST) chose to expose it.
 */
function hostAllowed(header: string | undefined, host: string): boolean {
  if (!LOOPBACK.has(host)) return true;
  const name = (header ?? '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  return LOOPBACK.has(name);
}

/**
 * Why a POST must be refused because another web page sent it, or null. A browser names the page
 * behind every cross-site POST in `Origin` (and `Sec-Fetch-Site`); a page elsewhere that posts
 * JSON to this server would otherwise run commands as the member. Only the playground's own page
 * may: its origin is `http://` and the host the request was addressed to. (Not `https://`: the
 * playground serves plain http, and a TLS proxy in front of it would be reached under another name,
 * so its page's Origin would not match the loopback Host anyway.) A request with no Origin at all
 * comes from a program (curl, the tests), not from a web page. (Hono's `csrf` middleware checks
 * only form posts, so it would not cover JSON.)
 */
function foreignOrigin(c: Context): string | null {
  const host = c.req.header('host') ?? '';
  const own = `http://${host}`;
  const origin = c.req.header('origin');
  if (origin !== undefined && !sameHost(origin, host)) return `this playground takes requests only from its own page (${own}), not from ${origin}`;
  const site = c.req.header('sec-fetch-site');
  if (origin === undefined && site !== undefined && site !== 'same-origin' && site !== 'none')
    return `this playground takes requests only from its own page (${own}), not from a ${site} page`;
  return null;
}

function sameHost(origin: string, host: string): boolean {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && url.host === host.toLowerCase();
  } catch {
    return false; // `null` (a sandboxed frame, a file) or garbage
  }
}

async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RequestError('the request body is not JSON');
  }
}

function reply(c: Context, status: ContentfulStatusCode, body: unknown): Response {
  return c.body(JSON.stringify(body), status, { 'content-type': 'application/json; charset=utf-8' });
}
