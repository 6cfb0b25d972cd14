/**
 * A run ends only when every thread it started has settled: a thread whose progress cannot be
 * recorded is reported as that article's error, and the other threads are not left posting after
 * the run returns (they would overlap the next run on the same progress records). The real progress
 * table in SQLite, a trigger refusing one write, and the local Discord.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDeliveryEngine } from '../src/app/delivery/engine.ts';
import { openBotState } from '../src/adapters/store/state.ts';
import { article, comment } from './helpers/articles.ts';
import { type EngineHarness, startEngine } from './helpers/delivery.ts';
import { capturedLogger } from './helpers/log.ts';

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('GIVEN a short thread whose final progress record fails to save while a long thread is still posting', () => {
  it('THEN the run reports that article’s error and returns only once the long thread is done, posting nothing after', async () => {
    h = await startEngine({ fake: { rateLimits: { channelMessages: { limit: 5, windowMs: 300 } } } });
    const t = h.target();
    const short = article({ title: 'Short thread', comments: [comment(1, 'Only one.')] });
    const long = article({ title: 'Long thread', comments: Array.from({ length: 20 }, (_, c) => comment(c + 1, `Remark ${c}.`)) });
    // The disk refuses exactly one write: the short article's record marking it complete.
    h.store.db.exec(`CREATE TRIGGER refuse_complete BEFORE INSERT ON delivery_progress
      WHEN NEW.article_id = '${short.id}' AND NEW.complete = 1
      BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
    const engine = createDeliveryEngine({ poster: h.poster, progress: openBotState(h.store.db).progress, log: capturedLogger('warn').log });

    const report = await engine.deliver(t, [long, short]);
    const longThread = h.fake.threads(t.channelId).find((th) => th.name === 'Long thread')?.id ?? '';
    const atReturn = h.fake.messages(longThread).length;
    expect(report.results.find((r) => r.articleId === short.id)?.error).toMatch(/disk I\/O error/);
    expect(report.results.find((r) => r.articleId === long.id)).toMatchObject({ action: 'post', created: 21, error: null });
    expect(atReturn).toBe(20);
    await sleep(700);
    expect(h.fake.messages(longThread)).toHaveLength(atReturn);
    // Then the thread takes a message of ours, and it comes next: a send of the run's still queued for
    // the thread (discord.js sends one channel's messages in order) would have gone out before it.
    await h.poster.send(longThread, { content: 'After the run.' }, 'after-the-run');
    expect(
      h.fake
        .messages(longThread)
        .slice(atReturn)
        .map((m) => m.content),
    ).toEqual(['After the run.']);
  });
});
