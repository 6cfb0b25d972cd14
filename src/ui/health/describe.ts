/**
 * The fields of the one line a process logs at start: what it is and what it runs on, so that an
 * operator reading several machines' logs sees at once which process holds which shards and which
 * database. Never a password: database and Redis appear as host, port and name only.
 */
import { describeUrl } from '../../adapters/store/postgres/pool.ts';
import { redisHost } from '../../adapters/store/redis-kv.ts';
import type { Config } from '../../config.ts';
import type { ResolvedShards } from '../discord/shards.ts';
import type { Role } from './server.ts';

export interface StartDescription {
  readonly role: Role;
  /** `0,2-3 of 4`; `all of auto` before Discord is asked; `none` for a process without a gateway connection. */
  readonly shards: string;
  readonly backends: {
    /** `postgres HOST:PORT/DB` or `sqlite PATH`. */
    readonly state: string;
    /** The short-lived state: `redis HOST:PORT`, or `none` (in the SQLite file). */
    readonly redis: string;
  };
  /** on: this process runs delivery, feed polls and the inbox. */
  readonly delivery: 'on' | 'off';
  /** Where this process's REST calls go: Discord's API base, or the REST proxy's origin; never a user name or password. */
  readonly rest: string;
  /** `HOST:PORT` of GET /healthz, or `none`. */
  readonly health: string;
}

/**
 * What `paperboy start`, `paperboy worker` and `paperboy rest-proxy` log at start. Pass the resolved
 * shards once known (SHARD_COUNT=auto needs Discord's answer first).
 */
export function describeStart(config: Config, role: Role, resolved?: ResolvedShards): StartDescription {
  const proxy = role === 'rest-proxy';
  return {
    role,
    shards: role === 'start' ? describeShards(config, resolved) : 'none',
    backends: {
      state: proxy ? 'none' : config.databaseUrl ? `postgres ${describeUrl(config.databaseUrl)}` : `sqlite ${config.databasePath}`,
      redis: !proxy && config.redisUrl ? `redis ${redisHost(config.redisUrl)}` : 'none',
    },
    // A worker exists to deliver; the REST proxy never does.
    delivery: role === 'worker' || (role === 'start' && config.delivery) ? 'on' : 'off',
    // The proxy forwards to Discord itself; every other role goes through the proxy when one is set.
    rest: proxy || config.discord.restProxy === null ? withoutSecrets(config.discord.apiUrl) : originOf(config.discord.restProxy),
    health: config.health ? `${config.health.host}:${config.health.port}` : 'none',
  };
}

/**
 * The REST proxy's scheme, host and port. Config refuses a user name or password in
 * DISCORD_REST_PROXY, but this line is what reaches the logs, so it keeps nothing else (the proxy's
 * path is empty or /api anyway).
 */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'a URL that does not parse';
  }
}

/** Discord's API base without user info, query or fragment: the path (`/api`) says which API. */
function withoutSecrets(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return 'a URL that does not parse';
  }
}

function describeShards(config: Config, resolved: ResolvedShards | undefined): string {
  if (resolved) return `${ranges(resolved.ids)} of ${resolved.count}`;
  const { count, ids } = config.shards;
  return `${ids === 'all' ? 'all' : ranges(ids)} of ${count}`;
}

/** Ascending ids as SHARD_IDS would write them: `0-3,7`, short even for hundreds of shards. */
function ranges(ids: readonly number[]): string {
  const parts: string[] = [];
  let start = ids[0];
  let end = start;
  for (const id of [...ids.slice(1), undefined]) {
    if (id !== undefined && end !== undefined && id === end + 1) {
      end = id;
      continue;
    }
    if (start !== undefined) parts.push(start === end ? `${start}` : `${start}-${end}`);
    start = id;
    end = id;
  }
  return parts.join(',');
}
