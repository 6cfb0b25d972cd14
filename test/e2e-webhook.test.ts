/**
 * End to end (the real discord.js REST client against the local Discord): a subscription with a
 * webhook identity posts each article through the bot's own webhook under that name and avatar,
 * then the bot starts the thread from it and posts the comments; a post whose answer was lost, or
 * made by a process that died before recording it, is found after a restart and never posted
 * twice; without Manage Webhooks the subscription pauses saying so.
 */
import { PermissionFlagsBits, Routes } from 'discord-api-types/v10';
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryEngine } from '../src/app/delivery/engine.ts';
import type { Target } from '../src/app/delivery/engine-types.ts';
import type { Poster } from '../src/app/delivery/poster.ts';
import { openBotState } from '../src/adapters/store/state.ts';
import { WEBHOOK_NAME } from '../src/ui/discord/webhooks.ts';
import { article, comment } from './helpers/articles.ts';
import { checkDelivered, type EngineHarness, startEngine } from './helpers/delivery.ts';
import { capturedLogger } from './helpers/log.ts';
import { TOKEN } from './helpers/bot.ts';

let e: EngineHarness;
beforeAll(async () => {
  e = await startEngine();
});
afterAll(async () => {
  await e?.close();
});

const identity = { name: 'Harbour Desk', avatarUrl: 'https://example.org/desk.png' };

/** A text channel whose subscription posts as `identity`; the bot may manage its webhooks unless `manage` is false. */
function webhookTarget(manage = true): Target {
  const t = e.target();
  if (manage) e.fake.setBotPermissions(t.channelId, PermissionFlagsBits.ManageWebhooks, 0n);
  return { ...t, options: { webhook: identity } };
}

const story = (title: string) => article({ title, text: `${title}. The harbour said so.`, comments: [comment(1, 'Seen it.'), comment(2, 'Me too.')] });

describe('GIVEN a subscription with a webhook identity', () => {
  it('THEN each post shows under that name and avatar, its thread and comments follow from the bot, and a second run does nothing', async () => {
    const t = webhookTarget();
    const articles = [story('Ferry timetable'), story('Harbour lights')];
    const report = await e.engine.deliver(t, articles);
    expect(report).toMatchObject({ pause: null, results: [{ error: null }, { error: null }] });
    expect(checkDelivered(e.fake, t, articles)).toEqual([]);
    const [hook] = e.fake.webhooks(t.channelId);
    expect(e.fake.webhooks(t.channelId).map((w) => w.name)).toEqual([WEBHOOK_NAME]);
    const posts = e.fake.messages(t.channelId);
    expect(posts.map((m) => [m.author.username, m.author.id, m.webhook_id, m.author.bot])).toEqual([
      [identity.name, hook?.id, hook?.id, true],
      [identity.name, hook?.id, hook?.id, true],
    ]);
    expect(posts.map((m) => e.fake.sentWith(m.id))).toEqual([
      { allowedMentions: { parse: [] }, avatarUrl: identity.avatarUrl },
      { allowedMentions: { parse: [] }, avatarUrl: identity.avatarUrl },
    ]);
    for (const post of posts) {
      expect(e.fake.channel(post.id)).toMatchObject({ owner_id: e.fake.botUser.id, name: post.embeds[0]?.title });
      expect(e.fake.messages(post.id).map((m) => m.author.id)).toEqual([e.fake.botUser.id, e.fake.botUser.id]);
    }
    const before = e.fake.requests.length;
    const again = await e.engine.deliver(t, articles);
    expect(again.results.map((r) => r.action)).toEqual(['none', 'none']);
    expect(e.fake.requests.length).toBe(before);
  });

  it('THEN a changed article is edited through the webhook, in place', async () => {
    const t = webhookTarget();
    const a = story('Pier closed');
    await e.engine.deliver(t, [a]);
    const changed = { ...a, title: 'Pier closed for repairs' };
    const report = await e.engine.deliver(t, [changed]);
    expect(report.results[0]).toMatchObject({ action: 'edit', edited: 1, error: null });
    const [post] = e.fake.messages(t.channelId);
    expect(post).toMatchObject({ author: { username: identity.name }, embeds: [{ title: 'Pier closed for repairs' }] });
    expect(e.fake.messages(t.channelId)).toHaveLength(1);
    expect(e.fake.violations).toEqual([]);
  });

  it('THEN after a moderator deletes the webhook, the next run makes another and keeps the old posts, which it can no longer edit, rather than posting them again', async () => {
    const t = webhookTarget();
    const a = story('Slipway rebuilt');
    await e.engine.deliver(t, [a]);
    const [old] = e.fake.webhooks(t.channelId);
    // As a moderator would, in Server Settings → Integrations.
    await new REST({ api: e.fake.apiUrl }).setToken(TOKEN).delete(Routes.webhook(old?.id ?? ''));
    const changed = { ...a, title: 'Slipway rebuilt in stone' };
    const first = await e.engine.deliver(t, [changed]);
    expect(first.results[0]?.error).toMatch(/webhook in channel \d+ was deleted or reset .*; the next run makes it again$/);
    const second = await e.engine.deliver(t, [changed, story('Quay extended')]);
    expect(second.results.map((r) => [r.action, r.error])).toEqual([
      ['edit', null],
      ['post', null],
    ]);
    const [hook] = e.fake.webhooks(t.channelId);
    expect(hook?.id).not.toBe(old?.id);
    expect(e.fake.messages(t.channelId).map((m) => [m.embeds[0]?.title, m.webhook_id])).toEqual([
      [a.title, old?.id],
      ['Quay extended', hook?.id],
    ]);
    expect((await e.engine.deliver(t, [changed])).results.map((r) => r.action)).toEqual(['none']);
  });

  it('THEN a post made but answered 500 is found in the channel and kept, in the same run', async () => {
    const t = webhookTarget();
    const a = story('Crane repaired');
    e.fake.faults.failNext({ count: 1, status: 500, route: /^POST \/webhooks\//, handled: true });
    const report = await e.engine.deliver(t, [a]);
    expect(report.results[0]).toMatchObject({ action: 'post', error: null });
    expect(checkDelivered(e.fake, t, [a])).toEqual([]);
  });

  it('THEN a post made by a process that died before recording it is found after a restart, not posted twice', async () => {
    const t = webhookTarget();
    const a = story('Dredging begins');
    const { log } = capturedLogger('debug');
    const progress = openBotState(e.store.db).progress;
    const dying: Poster = {
      ...e.poster,
      async sendAs(channelId, who, message, place) {
        const id = await e.poster.sendAs(channelId, who, message, place);
        throw new Error(`process killed after Discord made message ${id}`);
      },
    };
    const first = await createDeliveryEngine({ poster: dying, progress, log }).deliver(t, [a]);
    expect(first.results[0]?.error).toMatch(/^process killed after Discord made message \d+$/);
    expect(e.fake.messages(t.channelId)).toHaveLength(1);
    // The restarted process: a new engine on the same records.
    const second = await createDeliveryEngine({ poster: e.poster, progress, log }).deliver(t, [a]);
    expect(second.results[0]).toMatchObject({ action: 'post', error: null });
    expect(checkDelivered(e.fake, t, [a])).toEqual([]);
  });

  it('THEN without Manage Webhooks in the channel the subscription pauses, saying what permission it needs', async () => {
    const t = webhookTarget(false);
    const report = await e.engine.deliver(t, [story('Buoy moved')]);
    expect(report.pause?.reason).toMatch(new RegExp(`^the bot needs the Manage Webhooks permission in channel ${t.channelId} `));
    expect(e.fake.messages(t.channelId)).toEqual([]);
  });
});
