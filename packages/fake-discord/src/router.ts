/**
 * REST routes as data: method, path template, which parameter is the rate limit's major one, and
 * whether the route needs the bot token. Templates read like Discord's docs:
 * `/channels/{channel.id}/messages/{message.id}`.
 */

/** One REST request as a handler sees it. */
export interface RouteRequest {
  readonly method: string;
  /** The path after `/api/v10`, decoded (`@original`, not `%40original`). */
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON body, or undefined when there was none. */
  readonly body: unknown;
}

export interface RouteReply {
  readonly status: number;
  readonly body?: unknown;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly template: string;
  /** The parameter that splits its rate limit bucket (a channel id, an interaction token). */
  readonly major?: string;
  /** Whether the bot token is needed. Default true; interaction callbacks and webhooks say false. */
  readonly auth?: boolean;
  /** Interaction routes are outside the global rate limit. */
  readonly globalExempt?: boolean;
  /** Which window limits it. Default `default`. */
  readonly limit?: 'channelMessages' | 'default';
  handle(request: RouteRequest): RouteReply | Promise<RouteReply>;
}

export interface RouteMatch {
  readonly route: Route;
  readonly params: Record<string, string>;
}

/** Finds the route for a method and decoded path segments; `undefined` if none. */
export function matchRoute(routes: ReadonlyArray<Route>, method: string, segments: ReadonlyArray<string>): RouteMatch | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const params = matchTemplate(route.template, segments);
    if (params) return { route, params };
  }
  return undefined;
}

/** Whether any route answers this path under another method (for a 405 instead of a 404). */
export function pathKnown(routes: ReadonlyArray<Route>, segments: ReadonlyArray<string>): boolean {
  return routes.some((route) => matchTemplate(route.template, segments) !== undefined);
}

function matchTemplate(template: string, segments: ReadonlyArray<string>): Record<string, string> | undefined {
  const parts = template.split('/').filter(Boolean);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    const segment = segments[i] ?? '';
    if (part.startsWith('{') && part.endsWith('}')) params[part.slice(1, -1)] = segment;
    else if (part !== segment) return undefined;
  }
  return params;
}
