/**
 * The playground's web server: the page and its script, a JSON API for what the member does, and
 * one server-sent event stream for what happens. It listens on 127.0.0.1 by default and answers
 * only requests addressed to it by that name, and POSTs only from its own page (Origin), so another
 * web site open in the same browser cannot drive it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../core/log.ts';
import { type PlaygroundApi, RequestError } from './api.ts';
import type { Assets } from './assets.ts';
import type { EventHub } from './events.ts';

const BODY_LIMIT = 64 * 1024;

export interface PlaygroundServer {
  readonly url: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  readonly host: string;
  readonly port: number;
  readonly api: PlaygroundApi;
  readonly hub: EventHub;
  readonly assets: Assets;
  readonly log: Logger;
}

export async function startServer(options: ServerOptions): Promise<PlaygroundServer> {
  const server = createServer((request, response) => {
    handle(request, response, options).catch((error: unknown) => reply(response, ...failure(error, options.log)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`playground: port ${options.port} on ${options.host} is in use; set PLAYGROUND_PORT to another port (0 picks a free one)`) : error),
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

async function handle(request: IncomingMessage, response: ServerResponse, options: ServerOptions): Promise<void> {
  const { api, hub, assets } = options;
  if (!hostAllowed(request.headers.host, options.host)) return reply(response, 421, { error: 'this server answers only to its own address' });
  const url = new URL(request.url ?? '/', 'http://playground');
  const path = url.pathname;
  if (request.method === 'GET') {
    const asset = assets.get(path);
    if (asset) return send(response, 200, asset.type, asset.body);
    if (path === '/api/state') return reply(response, 200, api.state());
    if (path === '/api/events') return hub.attach(response);
    const messages = /^\/api\/channels\/(\d{17,20})\/messages$/.exec(path);
    if (messages) return reply(response, 200, api.messages(messages[1] ?? ''));
    return reply(response, 404, { error: `nothing at ${path}` });
  }
  if (request.method !== 'POST') return reply(response, 405, { error: `${request.method ?? 'that method'} is not used here` });
  const foreign = foreignOrigin(request);
  if (foreign) return reply(response, 403, { error: foreign });
  if (!/^application\/json\b/.test(request.headers['content-type'] ?? '')) return reply(response, 415, { error: 'send JSON' });
  const body = await readJson(request);
  switch (path) {
    case '/api/commands':
      await api.command(body);
      return reply(response, 202, {});
    case '/api/autocomplete':
      return reply(response, 200, await api.autocomplete(body));
    case '/api/components':
      await api.component(body);
      return reply(response, 202, {});
    case '/api/messages':
      return reply(response, 201, api.post(body));
    default:
      return reply(response, 404, { error: `nothing at ${path}` });
  }
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
 * comes from a program (curl, the tests), not from a web page.
 */
function foreignOrigin(request: IncomingMessage): string | null {
  const host = request.headers.host ?? '';
  const own = `http://${host}`;
  const origin = request.headers.origin;
  if (origin !== undefined && !sameHost(origin, host)) return `this playground takes requests only from its own page (${own}), not from ${origin}`;
  const site = request.headers['sec-fetch-site'];
  if (origin === undefined && site !== undefined && site !== 'same-origin' && site !== 'none') return `this playground takes requests only from its own page (${own}), not from a ${site} page`;
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

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) throw new RequestError(`the request is over ${BODY_LIMIT / 1024} KiB`, 413);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new RequestError('the request body is not JSON');
  }
}

function failure(error: unknown, log: Logger): [number, { error: string }] {
  if (error instanceof RequestError) return [error.status, { error: error.message }];
  log.error({ err: error }, 'playground: request failed');
  return [500, { error: 'the playground failed on that; the details are in its log' }];
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  if (response.headersSent) return void response.end();
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  response.end(body);
}
