/**
 * Configuration from the environment, parsed once with zod and frozen. A missing or malformed key
 * stops start-up with one line naming it. Secrets are never echoed back in those messages.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validate as validCron } from 'node-cron';
import { z } from 'zod';
import { type AllowList, PUBLIC_ONLY, parseAllowList } from './adapters/feeds/allow.ts';
import { type ShardSetting, shardIdsOutside, shardKeys } from './config-shards.ts';

export { MAX_SHARDS, type ShardSetting, parseShardIds } from './config-shards.ts';

/**
 * The project's root folder: defaults such as data/ are resolved against it, not the caller's directory.
 * This file runs as src/config.ts (tsx, tests) or compiled as dist/node/src/config.js (scripts/build.ts).
 */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), import.meta.url.endsWith('.js') ? '../../..' : '..');

export const DISCORD_API_DEFAULT = 'https://discord.com/api';
/** Every five minutes. */
export const DEFAULT_DELIVERY_CRON = '*/5 * * * *';
export const DEFAULT_PLAYGROUND_PORT = 7878;

export const DEFAULT_POOL_MAX = 10;
export const DEFAULT_REST_PROXY_PORT = 8090;
export const DEFAULT_LEASE_SECONDS = 60;
/** Requests one discussion sync run may make, all followed discussions together. */
export const DEFAULT_DISCUSSION_REQUESTS = 100;
/** Least time between two syncs of one followed discussion. */
export const DEFAULT_DISCUSSION_POLL_MINUTES = 10;
const snowflake = z.string().regex(/^\d{17,20}$/, 'expected a Discord id (17 to 20 digits)');

function port(example: string) {
  return z.coerce
    .number({ error: `expected a port number, such as ${example}` })
    .int(`expected a port number, such as ${example}`)
    .min(0, 'expected a port from 0 to 65535')
    .max(65535, 'expected a port from 0 to 65535');
}

/**
 * True when an http URL holds no user name or password. The URLs checked with it are logged at
 * start, so credentials in them would land in the logs; the refusal's message never repeats them.
 */
function noUserInfo(url: string): boolean {
  try {
    const u = new URL(url);
    return u.username === '' && u.password === '';
  } catch {
    // Not a URL at all: the url check before this one already says so.
    return true;
  }
}

/**
 * Throws a ConfigError naming SHARD_IDS and SHARD_COUNT when an id is not below the count. At start
 * for a number; once Discord has said how many for `auto`.
 */
export function checkShardIds(ids: readonly number[], count: number): void {
  const problem = shardIdsOutside(ids, count);
  if (problem !== null) throw new ConfigError(`configuration: SHARD_IDS: ${problem}`);
}

const Env = z.object({
  /** SQLite database file. Relative paths resolve against the current directory. */
  DATABASE_PATH: z.string().min(1).optional(),
  /** Where the bot's short-lived state (button state, answer cooldowns) lives when set; else in the SQLite file. */
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'expected a redis:// or rediss:// URL such as redis://127.0.0.1:6379' }).optional(),
  /** What every Redis key of this bot starts with, so several bots (or tests) can share one Redis. */
  REDIS_PREFIX: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[\w:.-]+$/, 'expected letters, digits and : . _ - (at most 64), such as paperboy:')
    .default('paperboy:'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // The token's own value never appears in a message: zod's regex message is fixed text.
  DISCORD_TOKEN: z
    .string()
    .regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, 'expected a bot token (three dot-separated parts, from the Developer Portal’s Bot page)')
    .optional(),
  DISCORD_APPLICATION_ID: snowflake.optional(),
  DISCORD_GUILD_ID: snowflake.optional(),
  /** Whether the bot asks for the privileged Message Content intent (enable it in the Developer Portal first). */
  DISCORD_MESSAGE_CONTENT: z.enum(['true', 'false'], { error: 'expected true or false' }).default('false'),
  DISCORD_API_URL: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL such as https://discord.com/api' })
    .refine(noUserInfo, 'expected no user name or password in the URL: Discord takes the token, and the URL is logged at start')
    .transform((u) => u.replace(/\/+$/, ''))
    .default(DISCORD_API_DEFAULT),
  /** Files dropped here are ingested on each delivery run. Relative paths resolve against the current directory. */
  INBOX_DIR: z.string().min(1).optional(),
  /** The most megabytes of one input read into memory at once (a file read whole, or one article of a streamed file). */
  INGEST_MAX_MB: z.coerce
    .number({ error: 'expected a number of megabytes, such as 16' })
    .positive('expected a number of megabytes above 0, such as 16')
    .max(1024, 'expected at most 1024 megabytes')
    .default(16),
  /** Where `npm start` without a token serves the playground. */
  PLAYGROUND_HOST: z.string().min(1).default('127.0.0.1'),
  PLAYGROUND_PORT: z.coerce
    .number({ error: 'expected a port number' })
    .int('expected a port number')
    .min(0, 'expected a port from 0 to 65535')
    .max(65535, 'expected a port from 0 to 65535')
    .default(DEFAULT_PLAYGROUND_PORT),
  /** The playground's own database, so nothing tried there reaches the real bot's subscriptions. */
  PLAYGROUND_DATABASE_PATH: z.string().min(1).optional(),
  /** Non-public hosts and ranges feeds may be fetched from: the playground's and tests' local sites, an intranet. */
  FEED_ALLOW_HOSTS: z
    .string()
    .transform((text, ctx) => {
      try {
        return parseAllowList(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    })
    .optional(),
  DELIVERY_CRON: z
    .string()
    .refine((v) => validCron(v), 'expected a cron expression such as */5 * * * * (minute hour day month weekday, optional seconds first)')
    .default(DEFAULT_DELIVERY_CRON),
  /** PostgreSQL for the bot's state when set; else the SQLite file. */
  DATABASE_URL: z
    .url({ protocol: /^postgres(?:ql)?$/, error: 'expected a postgres:// or postgresql:// URL such as postgres://paperboy:PASSWORD@127.0.0.1:5432/paperboy' })
    .optional(),
  DATABASE_POOL_MAX: z.coerce
    .number({ error: 'expected a number of connections from 1 to 100, such as 10' })
    .int('expected a number of connections from 1 to 100, such as 10')
    .min(1, 'expected a number of connections from 1 to 100, such as 10')
    .max(100, 'expected a number of connections from 1 to 100, such as 10')
    .default(DEFAULT_POOL_MAX),
  ...shardKeys,
  DELIVERY: z.enum(['on', 'off'], { error: 'expected on or off' }).default('on'),
  HEALTH_PORT: port('8080').optional(),
  HEALTH_HOST: z.string().min(1).default('127.0.0.1'),
  DISCORD_REST_PROXY: z
    .url({ protocol: /^https?$/, error: 'expected the http URL of a paperboy rest-proxy, such as http://127.0.0.1:8090' })
    .refine(noUserInfo, 'expected no user name or password in the URL: a paperboy rest-proxy takes none, and the URL is logged at start')
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  REST_PROXY_PORT: port(String(DEFAULT_REST_PROXY_PORT)).default(DEFAULT_REST_PROXY_PORT),
  REST_PROXY_HOST: z.string().min(1).default('127.0.0.1'),
  DELIVERY_LEASE_SECONDS: z.coerce
    .number({ error: 'expected a number of seconds from 2 up, such as 60' })
    .min(2, 'expected a number of seconds from 2 up, such as 60')
    .max(86_400, 'expected at most 86400 seconds (a day)')
    .default(DEFAULT_LEASE_SECONDS),
  DISCUSSION_REQUESTS_PER_RUN: z.coerce
    .number({ error: 'expected a whole number of requests from 1 to 10000, such as 100' })
    .int('expected a whole number of requests from 1 to 10000, such as 100')
    .min(1, 'expected a whole number of requests from 1 to 10000, such as 100')
    .max(10_000, 'expected a whole number of requests from 1 to 10000, such as 100')
    .default(DEFAULT_DISCUSSION_REQUESTS),
  /** A feed failing this long is paused (not polled) with a notice, until resumed by hand. */
  FEED_PAUSE_AFTER_HOURS: z.coerce
    .number({ error: 'expected a number of hours from 1 to 720 (30 days), such as 24' })
    .min(1, 'expected a number of hours from 1 to 720 (30 days), such as 24')
    .max(720, 'expected a number of hours from 1 to 720 (30 days), such as 24')
    .default(24),
  DISCUSSION_POLL_MINUTES: z.coerce
    .number({ error: 'expected a number of minutes from 1 to 10080 (a week), such as 10' })
    .min(1, 'expected a number of minutes from 1 to 10080 (a week), such as 10')
    .max(10_080, 'expected a number of minutes from 1 to 10080 (a week), such as 10')
    .default(DEFAULT_DISCUSSION_POLL_MINUTES),
});

type LogLevel = z.infer<typeof Env>['LOG_LEVEL'];

export interface Config {
  readonly databasePath: string;
  /** Redis for the bot's short-lived state (REDIS_URL), or null for the SQLite file. */
  readonly redisUrl: string | null;
  /** What every Redis key starts with (REDIS_PREFIX). */
  readonly redisPrefix: string;
  readonly logLevel: LogLevel;
  /** When the delivery job runs (node-cron syntax). */
  readonly deliveryCron: string;
  /** Where dropped files are picked up. */
  readonly inboxDir: string;
  /** The most bytes of one input read into memory at once: a file read whole, or one line or array element of a streamed file. */
  readonly maxInputBytes: number;
  /** Non-public hosts and address ranges feeds may be fetched from (FEED_ALLOW_HOSTS); default none. */
  readonly feedAllow: AllowList;
  /** A feed failing this long is paused, with a notice, until resumed (FEED_PAUSE_AFTER_HOURS; default a day). */
  readonly feedPauseAfterMs: number;
  /** The local playground `npm start` serves when no token is set. */
  readonly playground: { readonly host: string; readonly port: number; readonly databasePath: string };
  readonly discord: {
    /** Absent when DISCORD_TOKEN is unset. */
    readonly token: string | null;
    readonly applicationId: string | null;
    /** Commands are registered to this guild when set (instant), else globally. */
    readonly guildId: string | null;
    /** REST base without the version, e.g. `https://discord.com/api`. */
    readonly apiUrl: string;
    /** Ask for the Message Content intent: every thread reply is read, not only those that mention the bot. */
    readonly messageContent: boolean;
    /** A `paperboy rest-proxy` every REST call goes through (DISCORD_REST_PROXY), so processes share one rate-limit budget; null: straight to apiUrl. */
    readonly restProxy: string | null;
  };
  /** PostgreSQL for the bot's state (DATABASE_URL), or null for the SQLite file at databasePath. May hold a password: never log it whole. */
  readonly databaseUrl: string | null;
  /** PostgreSQL connections per process. */
  readonly poolMax: number;
  /** The shards this process runs (SHARD_COUNT, SHARD_IDS); see resolveShards in src/ui/discord/shards.ts. */
  readonly shards: ShardSetting;
  /** false (DELIVERY=off): this process answers interactions but runs no delivery, feed polls or inbox. */
  readonly delivery: boolean;
  /** Where GET /healthz is served, or null for no health server. */
  readonly health: { readonly host: string; readonly port: number } | null;
  /** Where `paperboy rest-proxy` listens. */
  readonly restProxy: { readonly host: string; readonly port: number };
  /** How long a claimed delivery or feed lease lasts without renewal. */
  readonly leaseMs: number;
  /** Following discussions at their source: requests per sync run (DISCUSSION_REQUESTS_PER_RUN), least time between two syncs of one (DISCUSSION_POLL_MINUTES). */
  readonly discussions: { readonly requestsPerRun: number; readonly minIntervalMs: number };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment. Throws a ConfigError whose message names every bad key in one line. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty values count as unset, as in most .env tooling.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = Env.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`configuration: ${problems.join('; ')}`);
  }
  const d = parsed.data;
  const count = d.SHARD_COUNT ?? 1;
  const ids = d.SHARD_IDS ?? (count === 'auto' ? 'all' : Array.from({ length: count }, (_, i) => i));
  if (count !== 'auto' && ids !== 'all') checkShardIds(ids, count);
  return deepFreeze({
    databasePath: resolve(d.DATABASE_PATH ?? resolve(PROJECT_ROOT, 'data', 'paperboy.db')),
    redisUrl: d.REDIS_URL ?? null,
    redisPrefix: d.REDIS_PREFIX,
    logLevel: d.LOG_LEVEL,
    deliveryCron: d.DELIVERY_CRON,
    inboxDir: resolve(d.INBOX_DIR ?? resolve(PROJECT_ROOT, 'data', 'inbox')),
    maxInputBytes: Math.round(d.INGEST_MAX_MB * 1024 * 1024),
    feedAllow: d.FEED_ALLOW_HOSTS ?? PUBLIC_ONLY,
    feedPauseAfterMs: Math.round(d.FEED_PAUSE_AFTER_HOURS * 3_600_000),
    playground: {
      host: d.PLAYGROUND_HOST,
      port: d.PLAYGROUND_PORT,
      databasePath: resolve(d.PLAYGROUND_DATABASE_PATH ?? resolve(PROJECT_ROOT, 'data', 'playground.db')),
    },
    discord: {
      token: d.DISCORD_TOKEN ?? null,
      applicationId: d.DISCORD_APPLICATION_ID ?? null,
      guildId: d.DISCORD_GUILD_ID ?? null,
      apiUrl: d.DISCORD_API_URL,
      messageContent: d.DISCORD_MESSAGE_CONTENT === 'true',
      restProxy: d.DISCORD_REST_PROXY ?? null,
    },
    databaseUrl: d.DATABASE_URL ?? null,
    poolMax: d.DATABASE_POOL_MAX,
    shards: { count, ids },
    delivery: d.DELIVERY === 'on',
    health: d.HEALTH_PORT === undefined ? null : { host: d.HEALTH_HOST, port: d.HEALTH_PORT },
    restProxy: { host: d.REST_PROXY_HOST, port: d.REST_PROXY_PORT },
    leaseMs: Math.round(d.DELIVERY_LEASE_SECONDS * 1000),
    discussions: { requestsPerRun: d.DISCUSSION_REQUESTS_PER_RUN, minIntervalMs: Math.round(d.DISCUSSION_POLL_MINUTES * 60_000) },
  });
}

export interface DiscordConfig {
  readonly token: string;
  /** Needed to register commands; the running bot learns it from Discord. */
  readonly applicationId: string | null;
  readonly guildId: string | null;
  readonly apiUrl: string;
  readonly messageContent?: boolean;
  /** DISCORD_REST_PROXY: every REST call goes through it when set. */
  readonly restProxy?: string | null;
}

/**
 * The Discord settings, or a ConfigError naming each key that is needed and missing: the token
 * always, the application id when registering commands.
 */
export function requireDiscord(config: Config, needs: { applicationId: true }): DiscordConfig & { applicationId: string };
export function requireDiscord(config: Config, needs?: { applicationId: boolean }): DiscordConfig;
export function requireDiscord(config: Config, needs: { applicationId: boolean } = { applicationId: false }): DiscordConfig {
  const { token, applicationId, guildId, apiUrl, messageContent, restProxy } = config.discord;
  const missing = [token === null && 'DISCORD_TOKEN', needs.applicationId && applicationId === null && 'DISCORD_APPLICATION_ID'].filter(Boolean);
  if (token === null || missing.length > 0) {
    throw new ConfigError(`configuration: ${missing.map((k) => `${k}: not set (see .env.example)`).join('; ')}`);
  }
  return { token, applicationId, guildId, apiUrl, messageContent, restProxy };
}

function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (v !== null && typeof v === 'object') deepFreeze(v as object);
  return Object.freeze(value);
}
