/**
 * The searches that look for something an earlier run may have made stop at a bound, and reaching
 * it is logged, naming the thread or forum and the article (issue 13, point 3): a thread read back
 * to resume its comments, and a forum's archived threads searched for a post whose answer was lost.
 * The real discord.js REST client against the local Discord.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { article, comment } from './helpers/articles.ts';
import { type EngineHarness, startEngine } from './helpers/delivery.ts';
import { capturedLogger } from './helpers/log.ts';

let h: EngineHarness | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await h?.close();
  h = undefined;
});

const bounded = (lines: Record<string, unknown>[]): Record<string, unknown> | undefined =>
  lines.find((l) => typeof l.msg === 'string' && l.msg.includes('stopped at the search bound'));

describe('GIVEN a thread left part way, then more than 1,000 replies in it before the next run', () => {
  it('THEN resuming reads it back to the bound and logs so, naming the thread and the article', async () => {
    const { log, lines } = capturedLogger('warn');
    h = await startEngine({ engine: { commentsPerRun: 1, log }, fake: { rateLimits: { channelMessages: { limit: 50, windowMs: 1000 } } } });
    const t = h.target();
    const a = article({ title: 'Harbour plans', comments: [comment(1, 'First.'), comment(2, 'Second.')] });
    expect((await h.engine.deliver(t, [a])).results[0]).toMatchObject({ commentsLeft: 1 });
    const thread = h.fake.threads(t.channelId)[0]?.id ?? '';
    const reader = h.fake.createUser({ username: 'reader' });
    h.fake.addMember(h.guildId, reader.id);
    for (let i = 0; i < 1050; i++) h.fake.postAsUser({ channelId: thread, userId: reader.id, content: `Reply ${i}` });

    expect((await h.engine.deliver(t, [a])).results[0]).toMatchObject({ action: 'resume', error: null });
    expect(bounded(lines)).toMatchObject({ level: 40, thread, article: a.id, messages: 1000 });
  }, 30_000);
});

describe('GIVEN a forum with more than 1,000 archived posts since the attempt, and a forum post whose answer is lost', () => {
  it('THEN the archived search stops at the bound and logs so, naming the forum and the article, before posting', async () => {
    const { log, lines } = capturedLogger('warn');
    h = await startEngine({
      engine: { log },
      globalPerSecond: 10_000,
      fake: { rateLimits: { global: { limit: 10_000, windowMs: 1000 }, default: { limit: 10_000, windowMs: 1000 } } },
    });
    const t = h.target('forum');
    const others: string[] = [];
    for (let i = 0; i < 1010; i++) others.push(await h.poster.forumPost(t.channelId, `Older post ${i}`, { content: `Older ${i}` }));
    // Archived one millisecond apart, within the last minute, as Discord pages archived threads by that time.
    const start = Date.now() - 60_000;
    vi.useFakeTimers({ toFake: ['Date'] });
    for (const [i, id] of others.entries()) {
      vi.setSystemTime(start + i);
      h.fake.archiveThread(id);
    }
    vi.useRealTimers();
    const a = article({ title: 'Pier reopened' });
    h.fake.faults.failNext({ count: 1, status: 503, route: new RegExp(`^POST /channels/${t.channelId}/threads$`) });

    expect((await h.engine.deliver(t, [a])).results[0]).toMatchObject({ action: 'post', error: null });
    expect(bounded(lines)).toMatchObject({ level: 40, forum: t.channelId, article: a.id, threads: 1000 });
  }, 60_000);
});
