/**
 * The discussion sync beside delivery. A sync can take minutes (DISCUSSION_REQUESTS_PER_RUN requests
 * at Reddit's 2 s apart), and new articles must not wait for it: each delivery run starts a sync
 * (unless the last one is still going) and waits for it at most `waitMs`, then delivers what is
 * stored; the sync goes on beside the run, and the comments it brings go out on the next run.
 *
 * Why beside rather than cut short at a time limit: a sync cut short mid-discussion loses that
 * discussion's requests (a large Reddit thread would be cut again every run and never finish), and
 * one beside changes nothing that exactly-once depends on. With several processes, one process's
 * sync already runs while another delivers: delivery reads each article as stored when it plans it,
 * its progress is kept per message, and comments stored after the plan are simply new next run. The
 * leases stay as they were: one per discussion for the sync, one per subscription for delivery.
 */
import type { Logger } from '../../core/log.ts';

export class SyncBeside {
  private going: Promise<void> | null = null;

  /** `sync` runs one whole sync; it stops between discussions when the process's shutdown signal fires. */
  constructor(
    private readonly sync: () => Promise<void>,
    private readonly log: Logger,
  ) {}

  /**
   * Starts a sync unless one is going, and resolves when it has ended, or after `waitMs`, or at
   * `signal`, whichever comes first: whether it ended.
   */
  async startAndWait(waitMs: number, signal: AbortSignal): Promise<boolean> {
    const going = this.start();
    if (waitMs <= 0 || signal.aborted) return false;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const gaveUp = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), waitMs);
      onAbort = () => resolve(false);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const ended = await Promise.race([going.then(() => true), gaveUp]);
      if (!ended && !signal.aborted)
        this.log.info({ waitedMs: waitMs }, 'discussion sync still going; delivering what is stored, and the comments it brings go out on the next run');
      return ended;
    } finally {
      clearTimeout(timer);
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
  }

  /** Resolves when no sync is going (shutdown waits for the one in hand to stop between discussions). */
  async idle(): Promise<void> {
    await this.going;
  }

  private start(): Promise<void> {
    if (this.going) {
      this.log.debug({}, 'the last discussion sync is still going; no second one is started');
      return this.going;
    }
    const going = this.sync()
      .catch((error: unknown) => {
        // Beside the run, no caller sees it: said here, and the next run syncs again.
        this.log.error({ err: error }, 'discussion sync failed; the next run syncs again');
      })
      .finally(() => {
        if (this.going === going) this.going = null;
      });
    this.going = going;
    return going;
  }
}
