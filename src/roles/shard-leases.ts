/**
 * `start` on PostgreSQL holds each shard it connects under a lease of its own (shard:<id>/<count>),
 * so that two processes given the same SHARD_IDS do not both connect it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { type KeptLease, keepLease } from '../adapters/store/leases.ts';
import type { ResolvedShards } from '../ui/discord/shards.ts';
import type { LeaseOptions } from '../app/lease-options.ts';

/** The shards this process connects, each held under its lease for as long as the process runs. */
export interface HeldShards {
  /** Resolves with the reason to stop when another process has taken one of them over. */
  readonly lost: Promise<UserError>;
  /** Stops renewing and releases every shard's lease. */
  stop(): Promise<void>;
}

/** Past a lease's ttl, how much longer a shard found held is waited for before the start is refused. */
const SHARD_FREE_MARGIN_MS = 1000;

/** The lease of one shard: with the count, since shard 0 of 2 and shard 0 of 4 are different connections. */
function shardLeaseName(id: number, count: number): string {
  return `shard:${id}/${count}`;
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((done) => (signal.aborted ? done() : signal.addEventListener('abort', () => done(), { once: true })));
}

/**
 * Takes the lease of every shard this process runs, in ascending order (two processes given the same
 * SHARD_IDS meet at the first), and keeps them. A shard another live process holds is a UserError
 * naming the shard and that process's holder id (host:pid:…): two processes on one shard would both
 * get every interaction, and the second answer fails. Resolves null when `signalled` (SIGINT or
 * SIGTERM) came while it waited for a shard. Renewal is keepLease's; when it gives up (the
 * database unreachable for two thirds of the ttl, or the row changed), the lease is claimed again:
 * only a live lease of another holder means the shard is lost, and then `lost` resolves. An outage of
 * the database alone does not stop the bot.
 */
export async function holdShards(lease: LeaseOptions, resolved: ResolvedShards, log: Logger, signalled: Promise<unknown>): Promise<HeldShards | null> {
  const { repo, holder, ttlMs } = lease;
  const kept = new Map<string, KeptLease>();
  let stopped = false;
  let stopAsked = false;
  void signalled.then(() => (stopAsked = true));
  let tellLost: (error: UserError) => void = () => undefined;
  const lost = new Promise<UserError>((done) => (tellLost = done));
  const stop = async (): Promise<void> => {
    stopped = true;
    await Promise.all([...kept.values()].map((k) => k.stop()));
  };
  const taken = async (id: number, name: string): Promise<string> => {
    const other = await repo.holderOf(name).catch(() => null);
    return `shard ${id} of ${resolved.count} is connected by another Paperboy (${other?.holder ?? 'a process that has let it go since'})`;
  };

  const keep = async (id: number, name: string): Promise<void> => {
    for (;;) {
      const current = kept.get(name);
      if (current) await aborted(current.signal);
      if (stopped) return;
      log.warn({ shard: id, lease: name }, 'the lease on a shard lapsed (not renewed in time, or changed); claiming it again');
      let again: KeptLease | null = null;
      while (!stopped) {
        try {
          again = await keepLease(repo, name, holder, ttlMs, { log });
          break;
        } catch (error) {
          log.warn({ err: error, shard: id }, 'the lease on a shard could not be claimed again; retrying');
          await sleep(Math.max(1, Math.floor(ttlMs / 3)), undefined, { ref: false });
        }
      }
      if (stopped) return void (await again?.stop());
      if (again) {
        kept.set(name, again);
        continue;
      }
      const why = await taken(id, name);
      log.error({ shard: id, lease: name }, `${why}: it took the shard over while this one was unresponsive; stopping`);
      kept.delete(name);
      return tellLost(new UserError('unavailable', `start: this Paperboy stopped: ${why}, which took it over while this one was unresponsive`));
    }
  };

  // A holder that is alive renews its lease; one that died (SIGKILL, a crash) leaves it to run out
  // within a ttl. So a shard found held is claimed again until a ttl has passed before refusing: a
  // restart right after a crash starts, a second process beside a live one is refused.
  const claimFirst = async (id: number, name: string): Promise<KeptLease | null> => {
    const until = Date.now() + ttlMs + SHARD_FREE_MARGIN_MS;
    let told = false;
    for (;;) {
      const first = await keepLease(repo, name, holder, ttlMs, { log });
      if (first || stopAsked) return first;
      const why = await taken(id, name);
      if (Date.now() >= until)
        throw new UserError(
          'unavailable',
          `start: ${why}: two processes on one shard would both answer every interaction; give each process its own SHARD_IDS, or stop the other one first`,
        );
      if (!told)
        log.warn(
          { shard: id, lease: name },
          `${why}; waiting up to ${Math.ceil((until - Date.now()) / 1000)} s for its lease to run out, in case that process has died`,
        );
      told = true;
      await Promise.race([sleep(Math.min(1000, Math.max(1, Math.floor(ttlMs / 4)))), signalled]);
    }
  };
  for (const id of resolved.ids) {
    const name = shardLeaseName(id, resolved.count);
    const first = await claimFirst(id, name).catch(async (error: unknown) => {
      await stop();
      throw error;
    });
    if (!first) {
      await stop();
      return null;
    }
    kept.set(name, first);
  }
  for (const id of resolved.ids) void keep(id, shardLeaseName(id, resolved.count));
  return { lost, stop };
}
