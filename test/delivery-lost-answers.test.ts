/**
 * Posts whose answer never came back, with the real discord.js REST client against the local
 * Discord: a forum post made and then answered 500, found among archived threads on the next run;
 * a channel post made by a run that died, found by reading the channel back from the moment it was
 * attempted however busy the channel has been since, and the bound of that search logged.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDeliveryEngine } from '../src/app/delivery/engine.ts';
import type { Poster } from '../src/app/delivery/poster.ts';
import { openBotState } from '../src/adapters/store/state.ts';
import { article, comment } from './helpers/articles.ts';
import { checkDelivered, type EngineHarness, startEngine } from './helpers/delivery.ts';
import { capturedLogger } from './helpers/log.ts';

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/**
 * The harness's poster, except that every send dies as a killed process would: right after
 * Discord made the message (`made`), or just before the request left (its record already saved).
 */
function dyingSend(poster: Poster, when: 'made' | 'before'): Poster {
  return {
    ...poster,
    async send(channelId, message, nonce) {
      if (when === 'before') throw new Error('process killed before the post was sent');
      const id = await poster.send(channelId, message, nonce);
      throw new Error(`process killed after Discord made message ${id}`);
    },
  };
}

function postAsReader(e: EngineHarness, channelId: string, count: number): void {
  const reader = e.fake.createUser({ username: 'reader' });
  e.fake.addMember(e.guildId, reader.id);
  for (let i = 0; i < count; i++) e.fake.postAsUser({ channelId, userId: reader.id, content: `Chatter ${i}` });
}

const channelReads = (e: EngineHarness, channelId: string): number =>
  e.fake.requests.filter((r) => r.method === 'GET' && r.path === `/channels/${channelId}/messages`).length;

describe('GIVEN a forum post made, answered 500, and the look for it failing too', () => {
  it('THEN the next run finds it among archived threads (a week later) and makes no second post', async () => {
    h = await startEngine();
    const t = h.target('forum');
    const a = article({ title: 'Lighthouse relit', comments: [comment(1, 'At last.')] });
    const forumPost = new RegExp(`^POST /channels/${t.channelId}/threads$`);
    h.fake.faults.failNext({ count: 1, status: 500, route: forumPost, handled: true });
    // discord.js tries a GET four times before giving up.
    h.fake.faults.failNext({ count: 4, status: 500, route: `GET /guilds/${t.guildId}/threads/active` });
    const first = await h.engine.deliver(t, [a]);
    expect(first.results[0]?.error).toBe(`list threads in channel ${t.channelId}: Discord answered 500 Internal Server Error`);
    const [made] = h.fake.threads(t.channelId);
    h.fake.archiveThread(made?.id ?? '');

    const second = await h.engine.deliver(t, [a]);
    expect(second.results[0]).toMatchObject({ action: 'post', error: null });
    expect(h.fake.threads(t.channelId)).toHaveLength(1);
    expect(checkDelivered(h.fake, t, [a])).toEqual([]);
    expect(h.fake.requests.filter((r) => forumPost.test(`${r.method} ${r.path}`))).toHaveLength(1);
    expect(h.fake.requests.map((r) => `${r.method} ${r.path}`)).toContain(`GET /channels/${t.channelId}/threads/archived/public`);
  });
});

describe('GIVEN a forum post Discord makes at once but answers too slowly', () => {
  it('THEN after the timeout the post is found in the forum and kept, not made a second time', async () => {
    h = await startEngine({ restTimeoutMs: 500 });
    const t = h.target('forum');
    const a = article({ title: 'Slow news day', comments: [comment(1, 'Indeed.')] });
    const forumPost = new RegExp(`^POST /channels/${t.channelId}/threads$`);
    h.fake.faults.slowNext({ count: 1, ms: 1500, route: forumPost });
    const report = await h.engine.deliver(t, [a]);
    expect(report.results[0]).toMatchObject({ action: 'post', error: null });
    expect(h.fake.threads(t.channelId)).toHaveLength(1);
    expect(checkDelivered(h.fake, t, [a])).toEqual([]);
  });
});

describe('GIVEN a forum post whose answer is lost before Discord made it', () => {
  it('THEN the forum is searched, the post is not there, and it is made once', async () => {
    const { log, lines } = capturedLogger('warn');
    h = await startEngine({ engine: { log } });
    const t = h.target('forum');
    const a = article({ title: 'Pier closed', comments: [comment(1, 'Why?')] });
    const forumPost = new RegExp(`^POST /channels/${t.channelId}/threads$`);
    h.fake.faults.failNext({ count: 1, status: 503, route: forumPost });
    const report = await h.engine.deliver(t, [a]);
    expect(report.results[0]).toMatchObject({ action: 'post', error: null });
    expect(checkDelivered(h.fake, t, [a])).toEqual([]);
    expect(h.fake.requests.filter((r) => forumPost.test(`${r.method} ${r.path}`)).map((r) => r.status)).toEqual([503, 201]);
    expect(h.fake.requests.map((r) => r.path)).toContain(`/guilds/${t.guildId}/threads/active`);
    expect(lines.find((l) => l.msg === 'forum post got no answer and is not in the forum; making it again')).toMatchObject({
      channel: t.channelId,
      article: a.id,
      attempt: 1,
      error: `create a forum post in channel ${t.channelId}: Discord answered 503 Service Unavailable; the post may exist all the same`,
    });
  });
});

describe('GIVEN a channel post made by a run that died before recording it, then 150 messages and a long outage', () => {
  it('THEN the channel is read back from the moment of the attempt, the post found there and kept, not made again', async () => {
    h = await startEngine({ fake: { nonceWindowMs: 1 } });
    const t = h.target();
    const a = article({ title: 'Night market', comments: [comment(1, 'Lovely.')] });
    const dying = createDeliveryEngine({ poster: dyingSend(h.poster, 'made'), progress: openBotState(h.store.db).progress, log: capturedLogger('warn').log });
    expect((await dying.deliver(t, [a])).results[0]?.error).toMatch(/process killed after Discord made message/);
    postAsReader(h, t.channelId, 150);

    const report = await h.engine.deliver(t, [a]);
    expect(report.results[0]).toMatchObject({ action: 'post', created: 1, error: null });
    expect(h.fake.messages(t.channelId).filter((m) => m.author.id === h?.fake.botUser.id)).toHaveLength(1);
    expect(checkDelivered(h.fake, t, [a]).filter((p) => !p.startsWith('posts:'))).toEqual([]);
    // The post is the first message after the attempt: the first page holds it.
    expect(channelReads(h, t.channelId)).toBe(1);
  });
});

describe('GIVEN a run that died just before sending a post, then a busy channel', () => {
  it('THEN 150 messages since are read page by page to the present, and the post is made once', async () => {
    h = await startEngine({ fake: { nonceWindowMs: 1 } });
    const t = h.target();
    const a = article({ title: 'Quiet harbour' });
    const dying = createDeliveryEngine({ poster: dyingSend(h.poster, 'before'), progress: openBotState(h.store.db).progress, log: capturedLogger('warn').log });
    await dying.deliver(t, [a]);
    postAsReader(h, t.channelId, 150);

    expect((await h.engine.deliver(t, [a])).results[0]).toMatchObject({ action: 'post', created: 1, error: null });
    expect(h.fake.messages(t.channelId).filter((m) => m.author.id === h?.fake.botUser.id)).toHaveLength(1);
    expect(channelReads(h, t.channelId)).toBe(2);
  });

  it('THEN past the search bound (5,000 messages since) the log says so, naming the channel, the article and the bound', async () => {
    const { log, lines } = capturedLogger('warn');
    h = await startEngine({ fake: { nonceWindowMs: 1 }, engine: { log } });
    const t = h.target();
    const a = article({ title: 'Busy square' });
    const dying = createDeliveryEngine({ poster: dyingSend(h.poster, 'before'), progress: openBotState(h.store.db).progress, log });
    await dying.deliver(t, [a]);
    postAsReader(h, t.channelId, 5050);

    await h.engine.deliver(t, [a]);
    const warned = lines.find((l) => typeof l.msg === 'string' && l.msg.includes('stopped at the search bound'));
    expect(warned).toMatchObject({ level: 40, channel: t.channelId, article: a.id, messages: 5000 });
    expect(channelReads(h, t.channelId)).toBe(50);
  }, 30_000);
});

describe('GIVEN a post Discord refused outright (a 400)', () => {
  it('THEN the next attempt makes it without reading the channel back, since nothing was made', async () => {
    h = await startEngine();
    const t = h.target();
    const a = article({ title: 'Tram strike' });
    h.fake.faults.failNext({ count: 1, status: 400, route: `POST /channels/${t.channelId}/messages` });
    expect((await h.engine.deliver(t, [a])).results[0]?.error).toMatch(/400/);
    const report = await h.engine.deliver(t, [a]);
    expect(report.results[0]).toMatchObject({ action: 'post', created: 1, error: null });
    expect(checkDelivered(h.fake, t, [a])).toEqual([]);
    expect(channelReads(h, t.channelId)).toBe(0);
  });
});
