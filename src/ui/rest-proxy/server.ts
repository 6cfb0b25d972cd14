/**
 * `paperboy rest-proxy`: one process through which every bot process sends its REST requests, so
 * that Discord's global limit (50 requests/s per bot) and each route's bucket are planned once for
 * the token they belong to. Each process planning alone would spend the budget several times over
 * and collect 429s (and Discord bans an address after 10,000 invalid requests in 10 minutes).
 *
 * It forwards the caller's Authorization header, so whoever reaches it can act as any bot whose
 * token they hold: it listens on 127.0.0.1 unless `allowRemote` says otherwise.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REST, RESTEvents } from '@discordjs/rest';
import { APIVersion } from 'discord-api-types/v10';
import ipaddr from 'ipaddr.js';
import type { Logger } from '../../core/log.ts';
import { forwardRequests } from './forward.ts';
import { ArrivalWindow, GLOBAL_LIMIT, GLOBAL_WINDOW_MS, globallyLimited } from './global-limit.ts';

/** Discord's API as discord.js's `rest.api` names it. */
export const DISCORD_API_URL = 'https://discord.com/api';
/** How long stop() lets answers under way finish before it cuts their connections. */
const STOP_GRACE_MS = 10_000;

export interface RestProxyOptions {
  /** Where requests go, as discord.js's `rest.api`. Default `https://discord.com/api`; tests pass the local Discord's. */
  readonly apiUrl?: string;
  /** Default `127.0.0.1`. Any address that is not loopback needs `allowRemote`. */
  readonly host?: string;
  /** Default 0 (a free port; `url` says which). */
  readonly port?: number;
  /** Listen on a non-loopback `host`: anyone who reaches it can use the bot token it is sent. Default false. */
  readonly allowRemote?: boolean;
  /**
   * The bot token. When set, a request carrying another token is refused (401) before it reaches
   * Discord: one proxy is one budget, for one bot. Requests without a token pass (interaction
   * callbacks and webhook follow-ups carry theirs in the path).
   */
  readonly token?: string;
  readonly log: Logger;
}

export interface RestProxy {
  /** `http://127.0.0.1:PORT`: what DISCORD_REST_PROXY names (restOptionsFor turns it into `rest.api`). */
  readonly url: string;
  /** Stops listening, lets answers under way finish (10 s at most), then closes every connection. */
  stop(): Promise<void>;
}

export async function startRestProxy(options: RestProxyOptions): Promise<RestProxy> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new RangeError(`rest proxy: expected \`port\` to be 0–65535, got \`${port}\``);
  if (!isLoopback(host) && options.allowRemote !== true)
    throw new Error(
      `rest proxy: refusing to listen on ${host}: it is not a loopback address, and the proxy passes on the bot token it is sent to anyone who reaches it (listen on 127.0.0.1, or allow it explicitly)`,
    );
  const apiUrl = options.apiUrl ?? DISCORD_API_URL;
  const rest = new REST({
    api: apiUrl,
    version: APIVersion,
    makeRequest: globallyLimited(new ArrivalWindow(GLOBAL_LIMIT, GLOBAL_WINDOW_MS)),
    // The arrival window above keeps the global limit; the REST's own fixed windows would only slow
    // it further. A global 429 from Discord still stops every request until its Retry-After.
    globalRequestsPerSecond: Number.MAX_SAFE_INTEGER,
  });
  rest.on(RESTEvents.RateLimited, (info) =>
    options.log.debug({ route: info.route, global: info.global, waitMs: info.timeToReset }, 'rest proxy: waiting for a rate limit'),
  );
  const server = createServer(forwardRequests({ rest, log: options.log, ...(options.token !== undefined && { token: options.token }) }));
  try {
    await listen(server, host, port);
  } catch (error) {
    stopSweepers(rest);
    throw error;
  }
  const { port: bound } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
  options.log.info({ url, upstream: apiUrl }, 'rest proxy: listening');
  return {
    url,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS);
      await closed;
      clearTimeout(grace);
      stopSweepers(rest);
      options.log.info({ url }, 'rest proxy: stopped');
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`rest proxy: port ${port} on ${host} is in use; set REST_PROXY_PORT to another port`) : error),
    );
    server.listen(port, host, resolve);
  });
}

function stopSweepers(rest: REST): void {
  rest.clearHashSweeper();
  rest.clearHandlerSweeper();
}

/** 127.0.0.0/8, ::1 (also IPv4-mapped) and `localhost`. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (!ipaddr.isValid(host)) return false;
  return ipaddr.process(host).range() === 'loopback';
}
