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
    let ms = Math.max(this.now(), this.#lastMs);
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
