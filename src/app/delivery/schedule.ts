/**
 * The scheduled delivery job: node-cron calls the runner on DELIVERY_CRON. node-cron's noOverlap
 * skips a tick while the previous run is still going; the runner also queues manual /deliver runs
 * behind a scheduled one.
 */
import cron from 'node-cron';
import type { Logger } from '../../core/log.ts';
import type { DeliveryRunner } from './run.ts';

export interface ScheduledJob {
  stop(): Promise<void>;
}

export function scheduleDelivery(expression: string, runner: DeliveryRunner, log: Logger): ScheduledJob {
  const task = cron.schedule(
    expression,
    async () => {
      const started = performance.now();
      try {
        const runs = await runner.run();
        const created = runs.reduce((n, r) => n + r.created, 0);
        log.debug({ subscriptions: runs.length, created, ms: Math.round(performance.now() - started) }, 'delivery run');
      } catch (error) {
        log.error({ err: error }, 'delivery run failed');
      }
    },
    { name: 'delivery', noOverlap: true },
  );
  log.info({ cron: expression }, 'delivery scheduled');
  return {
    async stop() {
      await task.stop();
      await task.destroy();
    },
  };
}
