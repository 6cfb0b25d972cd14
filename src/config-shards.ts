/**
 * SHARD_COUNT and SHARD_IDS: which shards this process runs. Parsed with the other settings in
 * src/config.ts, which re-exports what is here, and checked again once Discord says how many for `auto`.
 */
import { z } from 'zod';

/** Far above any bot's shard count (Discord recommends one per 1,000 guilds); it bounds the ids SHARD_IDS may expand to. */
export const MAX_SHARDS = 10_000;
/** SHARD_IDS longer than this is refused before it is split: every id up to MAX_SHARDS fits in ranges far shorter. */
const MAX_SHARD_IDS_CHARS = 1_000;
const SHARD_COUNT_EXPECTED = `expected auto or a whole number of shards from 1 to ${MAX_SHARDS}`;

/** Which shards this process runs: what SHARD_COUNT and SHARD_IDS say, before `auto` is asked of Discord. */
export interface ShardSetting {
  /** The total across every process of the bot, or `auto`: Discord's recommendation (GET /gateway/bot) at start. */
  readonly count: number | 'auto';
  /** This process's shard ids, ascending; `all` (only with `auto`) means every shard of the count Discord gives. */
  readonly ids: readonly number[] | 'all';
}

/**
 * Parses SHARD_IDS: ids and ranges separated by commas, such as `0,2-3`. Ids listed twice are
 * refused rather than dropped, since a typo such as `0-3,3` more likely means a mistake in the plan.
 * Only short anchored patterns run on each part, after the whole text is capped.
 */
export function parseShardIds(text: string): number[] {
  if (text.length > MAX_SHARD_IDS_CHARS) throw new Error(`expected at most ${MAX_SHARD_IDS_CHARS} characters of ids and ranges such as 0,2-3`);
  const seen = new Set<number>();
  for (const raw of text.split(',')) {
    const part = raw.trim();
    const range = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(part);
    if (!range) throw new Error(`expected shard ids and ranges such as 0,2-3, got \`${part.slice(0, 20)}\``);
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    if (to < from) throw new Error(`expected a range from low to high, got \`${part}\``);
    if (to >= MAX_SHARDS) throw new Error(`expected shard ids below ${MAX_SHARDS}, got \`${part}\``);
    for (let id = from; id <= to; id++) {
      if (seen.has(id)) throw new Error(`shard ${id} is listed twice`);
      seen.add(id);
    }
  }
  return [...seen].sort((a, b) => a - b);
}

/**
 * What is wrong when an id is not below the count, or null. The ConfigError naming SHARD_IDS is
 * checkShardIds's in src/config.ts, which owns ConfigError (importing it here would be a cycle).
 */
export function shardIdsOutside(ids: readonly number[], count: number): string | null {
  const outside = ids.filter((id) => id >= count);
  if (outside.length === 0) return null;
  const which = outside.slice(0, 5).join(', ') + (outside.length > 5 ? ', …' : '');
  return `expected ids from 0 to ${count - 1} (SHARD_COUNT is ${count}), got ${which}`;
}

/** The SHARD_COUNT and SHARD_IDS keys of the environment's zod schema. */
export const shardKeys = {
  SHARD_COUNT: z
    .union(
      [
        z.literal('auto'),
        z.coerce.number({ error: SHARD_COUNT_EXPECTED }).int(SHARD_COUNT_EXPECTED).min(1, SHARD_COUNT_EXPECTED).max(MAX_SHARDS, SHARD_COUNT_EXPECTED),
      ],
      { error: SHARD_COUNT_EXPECTED },
    )
    .optional(),
  SHARD_IDS: z
    .string()
    .transform((text, ctx) => {
      try {
        return parseShardIds(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    })
    .optional(),
};
