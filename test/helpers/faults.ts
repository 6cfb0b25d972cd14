/**
 * What the fault tests share: a `paperboy` process in a directory of its own against the local
 * Discord, its /healthz read until it says what the test waits for, and timings measured from the
 * moment a backend was cut or restored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeDiscord } from '@paperboy/fake-discord';
import { TOKEN } from './bot.ts';
import { type Running, spawnPaperboy } from './process.ts';

export interface Health {
  readonly status: number;
  readonly body: { ok: boolean; role: string; checks: Record<string, { ok: boolean; reason?: string }> };
}

export interface Processes {
  readonly dir: string;
  /** Spawns `paperboy <args>` with the local Discord's settings and `extra`; killed by `killAll`, which also removes `dir`. */
  spawn(args: string[], extra: Record<string, string>): Running;
  killAll(): void;
}

export function processes(fake: () => FakeDiscord): Processes {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-faults-'));
  const running: Running[] = [];
  return {
    dir,
    spawn(args, extra) {
      const env = {
        PATH: process.env.PATH,
        DISCORD_API_URL: fake().apiUrl,
        DISCORD_TOKEN: TOKEN,
        DATABASE_PATH: join(dir, 'bot.db'),
        LOG_LEVEL: 'info',
        ...extra,
      };
      const p = spawnPaperboy(args, env, dir);
      running.push(p);
      return p;
    },
    killAll() {
      for (const p of running.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The /healthz URL the process logged. */
export async function healthUrl(p: Running): Promise<string> {
  const line = await p.waitFor((l) => l.msg === 'health check listening', 20_000);
  return String(line.url);
}

export async function health(url: string): Promise<Health> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Health['body'] };
}

/** Reads /healthz every 100 ms until its status is `status`; the answer and the ms it took from `since`. */
export async function healthUntil(url: string, status: number, since: number, ms = 20_000): Promise<Health & { after: number }> {
  const deadline = Date.now() + ms;
  let last: Health | null = null;
  while (Date.now() < deadline) {
    last = await health(url);
    if (last.status === status) return { ...last, after: Date.now() - since };
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`/healthz did not answer ${status} within ${ms} ms; last: ${JSON.stringify(last)}`);
}

/** Log lines at warn (40) and up. */
export function problems(p: Running): Record<string, unknown>[] {
  return p.lines.filter((l) => typeof l.level === 'number' && l.level >= 40);
}
