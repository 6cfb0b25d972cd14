import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createCodec, STATE_TTL_MS } from '../src/ui/discord/custom-id.ts';
import { openDatabase } from '../src/adapters/store/db.ts';
import { openKeyv } from '../src/adapters/store/kv.ts';

const dbs: Database.Database[] = [];
afterEach(() => dbs.splice(0).forEach((d) => d.close()));

function codecAt(clock: { t: number }, db = openDatabase(':memory:')) {
  dbs.push(db);
  return { db, codec: createCodec({ keyv: openKeyv(db, 'bot'), now: () => clock.t }) };
}

describe('GIVEN button state in a custom id', () => {
  it('THEN it round-trips, separators and all, within 100 characters', async () => {
    const clock = { t: 1_800_000_000_000 };
    const { codec } = codecAt(clock);
    const state = ['search', 'page', 'all', 'a~b%c', '2', '@everyone ~%40 Кремль 🚀'] as const;
    const id = await codec.encode(state);
    expect(id.length).toBeLessThanOrEqual(100);
    expect(await codec.decode(id)).toEqual(state);
  });

  it('THEN a 6,000-character query is kept aside and still round-trips within 100 characters', async () => {
    const clock = { t: 1_800_000_000_000 };
    const { codec } = codecAt(clock);
    const query = 'war '.repeat(1500);
    const id = await codec.encode(['search', 'page', 'all', '', '3', query]);
    expect(id.length).toBeLessThanOrEqual(100);
    expect(await codec.decode(id)).toEqual(['search', 'page', 'all', '', '3', query]);
  });

  it('THEN a changed character anywhere makes it forged', async () => {
    const clock = { t: 1_800_000_000_000 };
    const { codec } = codecAt(clock);
    const id = await codec.encode(['article', '582f39a735f95092', '2']);
    for (let i = 0; i < id.length; i++) {
      const c = id[i] === 'x' ? 'y' : 'x';
      expect(await codec.decode(id.slice(0, i) + c + id.slice(i + 1))).toBeNull();
    }
    expect(await codec.decode(id.replace('~2', '~9'))).toBeNull();
    expect(await codec.decode('')).toBeNull();
    expect(await codec.decode('p1~~~')).toBeNull();
  });

  it('THEN an id from another installation (another secret) is refused', async () => {
    const clock = { t: 1_800_000_000_000 };
    const a = codecAt(clock).codec;
    const b = codecAt(clock).codec;
    expect(await b.decode(await a.encode(['article', 'x', '1']))).toBeNull();
  });

  it('THEN it expires after the time to live, and the secret survives a restart', async () => {
    const clock = { t: 1_800_000_000_000 };
    const { db, codec } = codecAt(clock);
    const id = await codec.encode(['article', 'x', '1']);
    clock.t += STATE_TTL_MS - 1000;
    const restarted = createCodec({ keyv: openKeyv(db, 'bot'), now: () => clock.t });
    expect(await restarted.decode(id)).toEqual(['article', 'x', '1']);
    clock.t += 2000;
    expect(await restarted.decode(id)).toBeNull();
  });
});
