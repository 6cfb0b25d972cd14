/**
 * The discord.js `rest` options of a bot process: straight to Discord, or every request through the
 * REST proxy (`paperboy rest-proxy`), which plans the shared rate limits for all processes.
 */

/**
 * How long a bot process waits for one answer through the proxy. The proxy answers only once the
 * request's turn in the shared budget came and Discord answered (its own REST tries up to 4 times,
 * 15 s each); giving up earlier makes discord.js send the request again while the first is still
 * queued. Straight to Discord, discord.js's own 15 s stands.
 */
export const PROXIED_TIMEOUT_MS = 90_000;

/** Structurally a subset of discord.js's `RESTOptions`: spread it into `new Client({ rest: … })`. */
export interface BotRestOptions {
  readonly api: string;
  readonly timeout?: number;
}

/**
 * `proxyUrl` is DISCORD_REST_PROXY (`http://127.0.0.1:8787`, with or without a trailing `/api`), or
 * null to talk to `apiUrl` directly. discord.js adds `/v10` and the route: `…/api/v10/channels/…`,
 * which the proxy forwards to `apiUrl` + `/v10/channels/…`.
 *
 * @example
 * new Client({ intents, rest: restOptionsFor(config.discord.restProxy ?? null, config.discord.apiUrl) });
 */
export function restOptionsFor(proxyUrl: string | null, apiUrl: string): BotRestOptions {
  if (proxyUrl === null) return { api: apiUrl };
  return { api: proxyApi(proxyUrl), timeout: PROXIED_TIMEOUT_MS };
}

function proxyApi(proxyUrl: string): string {
  let url: URL;
  try {
    url = new URL(proxyUrl);
  } catch {
    throw new TypeError(`DISCORD_REST_PROXY: expected an http:// URL such as http://127.0.0.1:8787, got something that is not a URL`);
  }
  // The URL's text is not quoted back: it could carry a password.
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`DISCORD_REST_PROXY: expected http:// or https://, got ${url.protocol}//`);
  if (url.username !== '' || url.password !== '') throw new TypeError('DISCORD_REST_PROXY: the proxy takes no user name or password in its URL');
  if (url.search !== '' || url.hash !== '') throw new TypeError('DISCORD_REST_PROXY: expected a URL without ?query or #fragment');
  let path = url.pathname;
  while (path.endsWith('/')) path = path.slice(0, -1);
  if (path !== '' && path !== '/api') throw new TypeError(`DISCORD_REST_PROXY: expected the proxy's address alone (or ending in /api), got the path ${path}`);
  return `${url.origin}/api`;
}
