/**
 * Configuration from the environment, parsed once with zod and frozen. A missing or malformed key
 * stops start-up with one line naming it. Secrets are never echoed back in those messages.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validate as validCron } from 'node-cron';
import { z } from 'zod';
import { type AllowList, PUBLIC_ONLY, parseAllowList } from './adapters/feeds/allow.ts';

/**
 * The project's root folder: defaults such as data/ are resolved against it, not the caller's directory.
 * This file runs as src/config.ts (tsx, tests) or compiled as dist/node/src/config.js (scripts/build.ts).
 */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), import.meta.url.endsWith('.js') ? '../../..' : '..');

export const DISCORD_API_DEFAULT = 'https://discord.com/api';
/** Every five minutes. */
export const DEFAULT_DELIVERY_CRON = '*/5 * * * *';
export const DEFAULT_PLAYGROUND_PORT = 7878;

const snowflake = z.string().regex(/^\d{17,20}$/, 'expected a Discord id (17 to 20 digits)');

const Env = z.object({
  /** SQLite database file. Relative paths resolve against the current directory. */
  DATABASE_PATH: z.string().min(1).optional(),
  /** Where the bot's short-lived state (button state, answer cooldowns) lives when set; else in the SQLite file. */
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'expected a redis:// or rediss:// URL such as redis://127.0.0.1:6379' }).optional(),
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
});

type LogLevel = z.infer<typeof Env>['LOG_LEVEL'];

export interface Config {
  readonly databasePath: string;
  /** Redis for the bot's short-lived state (REDIS_URL), or null for the SQLite file. */
  readonly redisUrl: string | null;
  readonly logLevel: LogLevel;
  /** When the delivery job runs (node-cron syntax). */
  readonly deliveryCron: string;
  /** Where dropped files are picked up. */
  readonly inboxDir: string;
  /** The most bytes of one input read into memory at once: a file read whole, or one line or array element of a streamed file. */
  readonly maxInputBytes: number;
  /** Non-public hosts and address ranges feeds may be fetched from (FEED_ALLOW_HOSTS); default none. */
  readonly feedAllow: AllowList;
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
  };
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
  return deepFreeze({
    databasePath: resolve(d.DATABASE_PATH ?? resolve(PROJECT_ROOT, 'data', 'paperboy.db')),
    redisUrl: d.REDIS_URL ?? null,
    logLevel: d.LOG_LEVEL,
    deliveryCron: d.DELIVERY_CRON,
    inboxDir: resolve(d.INBOX_DIR ?? resolve(PROJECT_ROOT, 'data', 'inbox')),
    maxInputBytes: Math.round(d.INGEST_MAX_MB * 1024 * 1024),
    feedAllow: d.FEED_ALLOW_HOSTS ?? PUBLIC_ONLY,
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
    },
  });
}

export interface DiscordConfig {
  readonly token: string;
  /** Needed to register commands; the running bot learns it from Discord. */
  readonly applicationId: string | null;
  readonly guildId: string | null;
  readonly apiUrl: string;
  readonly messageContent?: boolean;
}

/**
 * The Discord settings, or a ConfigError naming each key that is needed and missing: the token
 * always, the application id when registering commands.
 */
export function requireDiscord(config: Config, needs: { applicationId: true }): DiscordConfig & { applicationId: string };
export function requireDiscord(config: Config, needs?: { applicationId: boolean }): DiscordConfig;
export function requireDiscord(config: Config, needs: { applicationId: boolean } = { applicationId: false }): DiscordConfig {
  const { token, applicationId, guildId, apiUrl, messageContent } = config.discord;
  const missing = [token === null && 'DISCORD_TOKEN', needs.applicationId && applicationId === null && 'DISCORD_APPLICATION_ID'].filter(Boolean);
  if (token === null || missing.length > 0) {
    throw new ConfigError(`configuration: ${missing.map((k) => `${k}: not set (see .env.example)`).join('; ')}`);
  }
  return { token, applicationId, guildId, apiUrl, messageContent };
}

function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (v !== null && typeof v === 'object') deepFreeze(v as object);
  return Object.freeze(value);
}
