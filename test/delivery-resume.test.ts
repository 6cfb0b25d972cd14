/**
 * What the engine reads back from Discord and when: nothing on a clean run; after a long outage,
 * a thread read page by page (people reply in it) so a message made before a crash is adopted,
 * not sent twice; a forum post of the same name whose starter was deleted is no reason to pause.
 * And targets delivered side by side do proceed side by side.
 */
import { REST, Routes } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Article } from '../src/core/model.ts';
import { articleViews, nonceFor, postFooter } from '../src/app/delivery/messages.ts';
import { discordPoster } from '../src/ui/discord/discord-poster.ts';
import { article, comment } from './helpers/articles.ts';
import { TOKEN } from './helpers/bot.ts';
import { checkDelivered, type EngineHarness, startEngine } from './helpers/delivery.ts';

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const isRead = (r: { method: string; route: string }): boolean =>
  r.method === 'GET' && (r.route.endsWith('/messages') || r.route.endsWith('/threads/active') || r.route.endsWith('/messages/{message.id}'));

describe('GIVEN a clean first delivery', () => {
  it('THEN nothing is read back from Discord, in a text channel or a forum', async () => {
    h = await startEngine();
    const text = h.target();
    const forum = h.target('forum');
    const articles = [article({ title: 'Harbour news', comments: [comment(1, 'Good.')] }), article({ title: 'Market day', comments: [comment(1, 'Busy.')] })];
    await h.engine.deliver(text, articles);
    await h.engine.deliver(forum, articles);
    expect(checkDelivered(h.fake, text, articles)).toEqual([]);
    expect(checkDelivered(h.fake, forum, articles)).toEqual([]);
    expect(h.fake.requests.filter(isRead)).toEqual([]);
  });
});

describe('GIVEN a comment made by a run that died before recording it, past the nonce window, after many replies', () => {
  it('THEN the thread is read page by page and the comment is adopted, not sent again', async () => {
    h = await startEngine({ fake: { nonceWindowMs: 1 } });
    const t = h.target();
    const first = article({ title: 'Busy thread', comments: [comment(1, 'One.')] });
    await h.engine.deliver(t, [first]);
    const threadId = h.fake.threads(t.channelId)[0]?.id ?? '';
    const reader = h.fake.createUser({ username: 'reader' });
    h.fake.addMember(t.guildId, reader.id);
    for (let i = 0; i < 150; i++) h.fake.postAsUser({ channelId: threadId, userId: reader.id, content: `Reply ${i}` });
    const more: Article = { ...first, comments: [...first.comments, comment(2, 'Two.')] };
    const orphan = articleViews(more).comments[1];
    // What a run killed right after Discord made the message leaves behind: the message, no record.
    const rest = new REST({ api: h.fake.apiUrl }).setToken(TOKEN);
    await discordPoster(rest, () => h?.fake.botUser.id ?? '', TOKEN).send(threadId, orphan?.message ?? {}, nonceFor(threadId, first.id, orphan?.key ?? ''));

    const report = await h.engine.deliver(t, [more]);
    expect(report.results[0]).toMatchObject({ action: 'append', created: 0, error: null });
    const mine = h.fake.messages(threadId).filter((m) => m.author.id === h?.fake.botUser.id);
    expect(mine.map((m) => m.content)).toEqual(articleViews(more).comments.map((s) => s.message.content));
  });
});

describe('GIVEN a forum post of the same name whose starter message was deleted', () => {
  it('THEN looking for a post made before a crash passes over it instead of pausing', async () => {
    h = await startEngine();
    const t = h.target('forum');
    await h.engine.deliver(t, [article({ title: 'Same name', source: 'First' })]);
    const threadId = h.fake.threads(t.channelId)[0]?.id ?? '';
    const rest = new REST({ api: h.fake.apiUrl }).setToken(TOKEN);
    await rest.delete(Routes.channelMessage(threadId, threadId));
    const poster = discordPoster(rest, () => h?.fake.botUser.id ?? '', TOKEN);
    const other = article({ title: 'Same name', source: 'Second' });
    await expect(poster.findForumPost(t.guildId, t.channelId, 'Same name', postFooter(other.id))).resolves.toBeNull();
  });
});

describe('GIVEN several targets delivered at once under per-channel limits', () => {
  it('THEN their posts go side by side, not one channel after another', async () => {
    h = await startEngine({ fake: { rateLimits: { channelMessages: { limit: 5, windowMs: 500 } } } });
    const harness = h;
    const targets = [h.target(), h.target(), h.target()];
    const batches = targets.map((_, c) =>
      Array.from({ length: 10 }, (_, i) => article({ title: `Channel ${c} item ${i}`, comments: [comment(1, `About item ${i}.`)] })),
    );
    await Promise.all(targets.map((t, c) => harness.engine.deliver(t, batches[c] ?? [])));
    targets.forEach((t, c) => expect(checkDelivered(harness.fake, t, batches[c] ?? [])).toEqual([]));
    // Each channel's posts span at least one 500 ms window (10 posts, 5 per window); the spans overlap.
    const spans = targets.map((t) => {
      const at = harness.fake.requests
        .filter((r) => r.method === 'POST' && r.status === 200 && r.path === `/channels/${t.channelId}/messages`)
        .map((r) => r.at);
      return [Math.min(...at), Math.max(...at)] as const;
    });
    expect(Math.max(...spans.map((s) => s[0]))).toBeLessThan(Math.min(...spans.map((s) => s[1])));
  });
});
