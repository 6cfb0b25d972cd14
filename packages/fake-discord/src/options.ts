/**
 * The fake's options with Discord's values as defaults, checked once at start so that a typo fails
 * loudly instead of producing a fake with a 0 ms deadline.
 */
import type { FakeDiscordOptions, RateLimitWindow } from './types.ts';

export interface ResolvedOptions {
  readonly host: string;
  readonly port: number;
  readonly botToken?: string;
  readonly applicationId?: string;
  readonly botName: string;
  readonly interactionDeadlineMs: number;
  readonly interactionTokenLifetimeMs: number;
  readonly nonceWindowMs: number;
  readonly heartbeatIntervalMs: number;
  readonly messageContentIntent: boolean;
  readonly maxGuildsPerShard: number;
  /** Absent: derived from the guild count. */
  readonly recommendedShards?: number;
  readonly rateLimits: { readonly channelMessages: RateLimitWindow; readonly global: RateLimitWindow; readonly default: RateLimitWindow };
  readonly logger: (line: string) => void;
}

export function resolveOptions(options: FakeDiscordOptions): ResolvedOptions {
  const resolved: ResolvedOptions = {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    ...(options.botToken !== undefined && { botToken: options.botToken }),
    ...(options.applicationId !== undefined && { applicationId: options.applicationId }),
    botName: options.botName ?? 'Paperboy',
    interactionDeadlineMs: options.interactionDeadlineMs ?? 3000,
    interactionTokenLifetimeMs: options.interactionTokenLifetimeMs ?? 15 * 60_000,
    nonceWindowMs: options.nonceWindowMs ?? 5 * 60_000,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
    messageContentIntent: options.messageContentIntent ?? false,
    maxGuildsPerShard: options.maxGuildsPerShard ?? 2500,
    ...(options.recommendedShards !== undefined && { recommendedShards: options.recommendedShards }),
    rateLimits: {
      channelMessages: options.rateLimits?.channelMessages ?? { limit: 5, windowMs: 5000 },
      global: options.rateLimits?.global ?? { limit: 50, windowMs: 1000 },
      default: options.rateLimits?.default ?? { limit: 50, windowMs: 1000 },
    },
    logger: options.logger ?? ((): void => undefined),
  };
  for (const key of ['interactionDeadlineMs', 'interactionTokenLifetimeMs', 'nonceWindowMs', 'heartbeatIntervalMs'] as const) {
    positive(key, resolved[key]);
  }
  for (const key of ['maxGuildsPerShard', 'recommendedShards'] as const) {
    const value = resolved[key];
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
      throw new RangeError(`FakeDiscord: expected \`${key}\` to be an integer from 1 and up, got \`${value}\``);
    }
  }
  for (const [name, window] of Object.entries(resolved.rateLimits)) {
    positive(`rateLimits.${name}.limit`, window.limit);
    positive(`rateLimits.${name}.windowMs`, window.windowMs);
  }
  if (resolved.applicationId !== undefined && !/^\d{17,20}$/.test(resolved.applicationId)) {
    throw new TypeError(`FakeDiscord: expected \`applicationId\` to be a snowflake (17–20 digits), got \`${resolved.applicationId}\``);
  }
  return resolved;
}

function positive(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`FakeDiscord: expected \`${name}\` to be a number above 0, got \`${value}\``);
}
