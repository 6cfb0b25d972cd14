/**
 * Which gateway shards this process runs (SHARD_COUNT, SHARD_IDS), made explicit for discord.js.
 *
 * Why explicit: discord.js 14.28's Client constructor (src/client/Client.js) reads
 * `process.env.SHARDS` (JSON) when the `shards` option is left at its default, and
 * `process.env.SHARD_COUNT` (a number) when `shardCount` equals its default, 1; those are meant for
 * its own ShardingManager. Paperboy's SHARD_COUNT may say `auto`, and SHARD_IDS is ours, so every
 * client is given `shards` (an array, never the default) and `shardCount`. One gap remains: a
 * `shardCount` of 1 *is* the default, so with SHARD_COUNT=auto in the environment and Discord
 * recommending one shard, discord.js would read `Number('auto')` and refuse to start. Hence
 * forgetShardEnvironment, called once the configuration is read. The WebSocketManager then passes
 * `shards` as `shardIds` and `shardCount` to @discordjs/ws, which IDENTIFYs each id as
 * `[id, shardCount]` without asking Discord again (it asks only when given `shards: 'auto'`).
 */
import { type REST, Routes, Status, type RESTGetAPIGatewayBotResult } from 'discord.js';
import { ConfigError, MAX_SHARDS, type ShardSetting, checkShardIds } from '../../config.ts';

export interface ResolvedShards {
  /** The total across every process of the bot. */
  readonly count: number;
  /** This process's shard ids, ascending, each below count. */
  readonly ids: readonly number[];
}

/**
 * The shard count and ids this process runs. `fetchRecommended` (recommendedShards) is called only
 * for SHARD_COUNT=auto; SHARD_IDS is then checked against the count Discord gave, with the same
 * ConfigError as a number would get at start.
 */
export async function resolveShards(setting: ShardSetting, fetchRecommended: () => Promise<number>): Promise<ResolvedShards> {
  let count: number;
  if (setting.count === 'auto') {
    const recommended = await fetchRecommended();
    if (!Number.isInteger(recommended) || recommended < 1 || recommended > MAX_SHARDS) {
      throw new ConfigError(`configuration: SHARD_COUNT: auto: expected Discord to recommend 1 to ${MAX_SHARDS} shards, got \`${String(recommended)}\``);
    }
    count = recommended;
  } else {
    count = setting.count;
  }
  const ids = setting.ids === 'all' ? Array.from({ length: count }, (_, i) => i) : [...setting.ids];
  checkShardIds(ids, count);
  return Object.freeze({ count, ids: Object.freeze(ids) });
}

/** Spread into `new Client({ … })`: both options given, so discord.js reads neither from the environment (see above). */
export function clientShardOptions(resolved: ResolvedShards): { shards: number[]; shardCount: number } {
  return { shards: [...resolved.ids], shardCount: resolved.count };
}

/**
 * Discord's recommended shard count for this bot (GET /gateway/bot). `rest` needs the token set:
 * `new REST({ api }).setToken(token)`, since the client's own REST gets it only at login.
 */
export async function recommendedShards(rest: Pick<REST, 'get'>): Promise<number> {
  const body = (await rest.get(Routes.gatewayBot())) as Partial<RESTGetAPIGatewayBotResult> | null;
  const shards = body?.shards;
  if (typeof shards !== 'number') throw new Error('discord: GET /gateway/bot answered without a shard count');
  return shards;
}

/**
 * Removes SHARD_COUNT and SHARDS from the environment once loadConfig has read it, so that
 * discord.js cannot read them over the explicit options (a shardCount of 1 looks unset to it).
 */
export function forgetShardEnvironment(env: NodeJS.ProcessEnv = process.env): void {
  delete env.SHARD_COUNT;
  delete env.SHARDS;
}

/** What the health check reads of a client: discord.js's shard list and each shard's status. */
export interface ShardedClient {
  readonly ws: { readonly shards: ReadonlyMap<number, { readonly id: number; readonly status: Status }> };
}

/**
 * The shards of this client that are not READY, with discord.js's status name each (`Connecting`,
 * `Resuming`…); `expected` lists the ids the process should run, so one never started counts too.
 */
export function shardsNotReady(client: ShardedClient, expected: readonly number[]): Array<{ id: number; status: string }> {
  return expected.flatMap((id) => {
    const shard = client.ws.shards.get(id);
    if (!shard) return [{ id, status: 'not started' }];
    return shard.status === Status.Ready ? [] : [{ id, status: Status[shard.status] ?? String(shard.status) }];
  });
}
