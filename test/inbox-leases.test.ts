/**
 * The inbox shared by several processes (issue 15 point 5): two processors, each with its own
 * handle on one database, read the same folder at the same moment. The folder's lease lets one of
 * them in; the other resolves [] at once, so each file is stored once and moved once.
 */
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type InboxOptions, inboxLeaseName, processInbox } from '../src/app/library/inbox.ts';
import { type Handle, sharedBackendNames, sharedBackends } from './delivery-leases-backends.ts';
import { everything } from './helpers/store-backends.ts';

const FILES = 8;

function fill(dir: string): string[] {
  const names = Array.from({ length: FILES }, (_, i) => `notice-${i}.json`);
  const t = (Date.now() - 10_000) / 1000;
  for (const [i, name] of names.entries()) {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify({ title: `Harbour notice ${i}`, body: `Berth ${i} closes for dredging on the morning tide.` }));
    utimesSync(path, t, t);
  }
  return names;
}

function optionsOf(h: Handle, holder: string): InboxOptions {
  return { lease: { repo: h.state.leases, holder, ttlMs: 10_000 } };
}

describe.each(sharedBackendNames)('GIVEN two inbox processors on one %s database', (backend) => {
  it('THEN run at the same moment, each file is processed once, by one of them', async () => {
    const db = await sharedBackends[backend]();
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-inbox-leases-'));
    try {
      const first = await db.open();
      const second = await db.open();
      const names = fill(dir);

      const [a, b] = await Promise.all([
        processInbox(dir, first.store, optionsOf(first, 'inbox-a')),
        processInbox(dir, second.store, optionsOf(second, 'inbox-b')),
      ]);

      // One read the folder; the other found it held and did nothing.
      expect([a.length, b.length].sort((x, y) => x - y)).toEqual([0, FILES]);
      const results = [...a, ...b];
      expect(results.map((r) => [r.file, r.outcome])).toEqual(names.map((n) => [n, 'processed']));
      expect(results.reduce((n, r) => n + r.added, 0)).toBe(FILES);
      expect(readdirSync(join(dir, 'processed')).sort()).toEqual(names);
      expect(await everything(first.store)).toHaveLength(FILES);
      expect(await first.state.leases.holderOf(inboxLeaseName(dir))).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await db.close();
    }
  }, 60_000);

  it('THEN while another process holds the folder, a processor resolves [] at once and leaves the files', async () => {
    const db = await sharedBackends[backend]();
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-inbox-leases-'));
    try {
      const first = await db.open();
      const names = fill(dir);
      // The same folder, spelled another way, is the same lease.
      expect(await first.state.leases.claim(inboxLeaseName(join(dir, '.')), 'another-process', 10_000)).toBe(true);
      expect(await processInbox(dir, first.store, optionsOf(first, 'inbox-a'))).toEqual([]);
      expect(readdirSync(dir).sort()).toEqual(names);
      expect(await everything(first.store)).toHaveLength(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await db.close();
    }
  }, 60_000);

  it('THEN a folder with the same path on another machine is another lease: this one reads its own folder', async () => {
    const db = await sharedBackends[backend]();
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-inbox-leases-'));
    try {
      const first = await db.open();
      const names = fill(dir);
      expect(inboxLeaseName(dir)).toBe(`inbox:${hostname()}:${resolve(dir)}`);
      // What a process on another machine, whose INBOX_DIR has the same path, holds.
      expect(await first.state.leases.claim(`inbox:another-machine:${resolve(dir)}`, 'another-process', 10_000)).toBe(true);
      const read = await processInbox(dir, first.store, optionsOf(first, 'inbox-a'));
      expect(read.map((r) => [r.file, r.outcome])).toEqual(names.map((n) => [n, 'processed']));
      expect(await everything(first.store)).toHaveLength(FILES);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await db.close();
    }
  }, 60_000);
});
