/**
 * Snowflakes and secrets for the fake. Ids follow Discord's layout (milliseconds since the Discord
 * epoch in the top bits) so that id order is time order: `before`/`after` paging and "the messages
 * after the last one recorded" depend on it.
 */
import { randomBytes } from 'node:crypto';

/** 2015-01-01T00:00:00Z, the zero of every Discord snowflake. */
export const DISCORD_EPOCH = 1420070400000;

/** Hands out strictly increasing snowflakes, even for many ids within one millisecond. */
export class SnowflakeFactory {
  #lastMs = 0;
  #increment = 0;

  constructor(private readonly now: () => number = Date.now) {}

  next(): string {
    return this.#mint(Math.max(this.now(), this.#lastMs));
  }

  /**
   * The next snowflake that lands on shard `shardId` of `shardCount`: its millisecond is moved
   * forward (by less than `shardCount` ms) until `(id >> 22) % shardCount` is `shardId`. Ids stay
   * increasing; a test uses it to place guilds on the shards it wants.
   */
  nextInShard(shardId: number, shardCount: number): string {
    let ms = Math.max(this.now(), this.#lastMs);
    const offset = (((shardId - (ms - DISCORD_EPOCH)) % shardCount) + shardCount) % shardCount;
    ms += offset;
    const id = this.#mint(ms);
    // Past 4,096 ids in that millisecond #mint borrows the next one, which is another shard's: try again.
    return shardOf(id, shardCount) === shardId ? id : this.nextInShard(shardId, shardCount);
  }

  #mint(start: number): string {
    let ms = start;
    if (ms === this.#lastMs) {
      this.#increment++;
      // 12 bits of increment per millisecond; past that, borrow the next millisecond as Discord would.
      if (this.#increment > 0xfff) {
        ms++;
        this.#increment = 0;
      }
    } else {
      this.#increment = 0;
    }
    this.#lastMs = ms;
    const value = (BigInt(ms - DISCORD_EPOCH) << 22n) | (1n << 17n) | (1n << 12n) | BigInt(this.#increment);
    return value.toString();
  }
}

/** The shard a guild's events go to: Discord's `(guild_id >> 22) % shard_count`. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** Whether `[id, count]` names a shard Discord accepts: integers with 0 ≤ id < count. */
export function validShard([id, count]: readonly [number, number]): boolean {
  return Number.isInteger(id) && Number.isInteger(count) && id >= 0 && id < count;
}

/** The creation time a snowflake carries, in epoch milliseconds. */
export function snowflakeTime(id: string): number {
  return Number(BigInt(id) >> 22n) + DISCORD_EPOCH;
}

/** Compares two snowflakes numerically (their string lengths may differ). */
export function compareSnowflakes(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A random URL-safe secret, used for bot tokens and interaction tokens. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
