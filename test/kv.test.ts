import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/store/db.ts';
import { openKeyv } from '../src/store/kv.ts';

describe('GIVEN keyv over the article database', () => {
  it('THEN values survive closing and reopening the file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'paperboy-kv-')), 'state.db');
    const db = openDatabase(path);
    const kv = openKeyv<{ channel: string; posted: number }>(db, 'subscriptions');
    await kv.set('guild-1', { channel: '123', posted: 4 });
    db.close();
    const again = openKeyv<{ channel: string; posted: number }>(openDatabase(path), 'subscriptions');
    expect(await again.get('guild-1')).toEqual({ channel: '123', posted: 4 });
  });

  it('THEN namespaces keep keys apart, and clear() empties only its own', async () => {
    const db = openDatabase(':memory:');
    const a = openKeyv<string>(db, 'settings');
    const b = openKeyv<string>(db, 'progress');
    await a.set('x', 'settings-x');
    await b.set('x', 'progress-x');
    expect(await a.get('x')).toBe('settings-x');
    expect(await b.get('x')).toBe('progress-x');
    await a.clear();
    expect(await a.get('x')).toBeUndefined();
    expect(await b.get('x')).toBe('progress-x');
    expect(await b.delete('x')).toBe(true);
    expect(await b.has('x')).toBe(false);
  });

  it('THEN an expired value is gone', async () => {
    const kv = openKeyv<string>(openDatabase(':memory:'), 'ttl');
    await kv.set('short', 'lived', 1);
    await new Promise((r) => setTimeout(r, 5));
    expect(await kv.get('short')).toBeUndefined();
  });

  it('THEN iteration lists the namespace’s entries', async () => {
    const kv = openKeyv<number>(openDatabase(':memory:'), 'iter');
    await kv.set('one', 1);
    await kv.set('two', 2);
    const seen: [string, number][] = [];
    for await (const [key, value] of kv.iterator!(undefined)) seen.push([key as string, value as number]);
    expect(seen.sort()).toEqual([
      ['one', 1],
      ['two', 2],
    ]);
  });
});
