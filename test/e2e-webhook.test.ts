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

  it('THEN after a moderator deletes the webhook, its post is left as it is and logged once (not counted as edited), and the next post goes through a new webhook', async () => {
    const t = webhookTarget();
    const a = story('Slipway rebuilt');
    const { log, lines } = capturedLogger('debug');
    const engine = createDeliveryEngine({ poster: e.poster, progress: openBotState(e.store.db).progress, log });
    await engine.deliver(t, [a]);
    const [old] = e.fake.webhooks(t.channelId);
    // As a moderator would, in Server Settings → Integrations.
    await new REST({ api: e.fake.apiUrl }).setToken(TOKEN).delete(Routes.webhook(old?.id ?? ''));
    const changed = { ...a, title: 'Slipway rebuilt in stone' };
    const first = await engine.deliver(t, [changed]);
    expect(first.results.map((r) => [r.action, r.edited, r.error])).toEqual([['edit', 0, null]]);
    const left = (): unknown[] => lines.filter((l) => String(l.msg).startsWith('the article changed, but the webhook that made its post was deleted'));
    expect(left()).toEqual([expect.objectContaining({ channel: t.channelId, article: a.id, webhook: old?.id })]);
    const second = await engine.deliver(t, [changed, story('Quay extended')]);
    expect(second.results.map((r) => [r.action, r.error])).toEqual([
      ['none', null],
      ['post', null],
    ]);
    expect(left()).toHaveLength(1);
    const [hook] = e.fake.webhooks(t.channelId);
    expect(hook?.id).not.toBe(old?.id);
    expect(e.fake.messages(t.channelId).map((m) => [m.embeds[0]?.title, m.webhook_id])).toEqual([
      [a.title, old?.id],
      ['Quay extended', hook?.id],
    ]);
  });

  it('THEN a post the bot made before the webhook was set is edited by the bot, and one the webhook made is edited through it after the webhook is unset', async () => {
    const violations = e.fake.violations.length;
    const plain = e.target();
    e.fake.setBotPermissions(plain.channelId, PermissionFlagsBits.ManageWebhooks, 0n);
    const byBot = story('Lock gates replaced');
    await e.engine.deliver(plain, [byBot]);
    const hooked = { ...plain, options: { webhook: identity } };
    const botEdit = await e.engine.deliver(hooked, [{ ...byBot, title: 'Lock gates replaced at last' }]);
    expect(botEdit.results.map((r) => [r.action, r.edited, r.error])).toEqual([['edit', 1, null]]);
    expect(e.fake.messages(plain.channelId).map((m) => [m.author.id, m.embeds[0]?.title])).toEqual([[e.fake.botUser.id, 'Lock gates replaced at last']]);

    const t = webhookTarget();
    const byHook = story('Fish market moves');
    await e.engine.deliver(t, [byHook]);
    const [hook] = e.fake.webhooks(t.channelId);
    const unhooked = { ...t, options: {} };
    const hookEdit = await e.engine.deliver(unhooked, [{ ...byHook, title: 'Fish market moves inland' }]);
    expect(hookEdit.results.map((r) => [r.action, r.edited, r.error])).toEqual([['edit', 1, null]]);
    expect(e.fake.messages(t.channelId).map((m) => [m.webhook_id, m.author.username, m.embeds[0]?.title])).toEqual([
      [hook?.id, identity.name, 'Fish market moves inland'],
    ]);
    // Nothing left to do, and the new post goes as the settings now say: by the bot.
    const next = await e.engine.deliver(unhooked, [{ ...byHook, title: 'Fish market moves inland' }, story('Net loft opens')]);
    expect(next.results.map((r) => r.action)).toEqual(['none', 'post']);
    expect(e.fake.messages(t.channelId).map((m) => m.author.id)).toEqual([hook?.id, e.fake.botUser.id]);
    // No request Discord refused (Unknown Message, or editing another's message).
    expect(e.fake.violations.slice(violations)).toEqual([]);
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

  it('THEN looking for the lost post reads through the webhook only its own posts whose footer Discord hid, oldest first, up to the one sought', async () => {
    const t = webhookTarget();
    const { log } = capturedLogger('debug');
    const progress = openBotState(e.store.db).progress;
    const before = [story('Tug boat for sale'), story('Pilot boat launched')];
    await createDeliveryEngine({ poster: e.poster, progress, log }).deliver(t, before);
    const reader = e.fake.createUser({ username: 'reader' });
    e.fake.addMember(e.guildId, reader.id);
    e.fake.postAsUser({ channelId: t.channelId, userId: reader.id, content: 'Anyone going?' });
    const lost = story('Sea wall inspected');
    const dying: Poster = {
      ...e.poster,
      async sendAs(channelId, who, message, place) {
        const id = await e.poster.sendAs(channelId, who, message, place);
        throw new Error(`process killed after Discord made message ${id}`);
      },
    };
    await createDeliveryEngine({ poster: dying, progress, log }).deliver(t, [lost]);
    // Posted after it (a test post, say): never read, since the search stops at the post sought.
    await e.poster.sendAs(t.channelId, identity, { content: 'A later post' }, null);
    await e.poster.send(t.channelId, { content: 'The bot says hello' }, 'hello');
    const posts = e.fake.messages(t.channelId);
    const from = e.fake.requests.length;
    const second = await createDeliveryEngine({ poster: e.poster, progress, log }).deliver(t, [lost]);
    expect(second.results[0]).toMatchObject({ action: 'post', error: null });
    const [hook] = e.fake.webhooks(t.channelId);
    const readThrough = e.fake.requests
      .slice(from)
      .filter((r) => r.method === 'GET' && r.route === '/webhooks/{webhook.id}/{webhook.token}/messages/{message.id}')
      .map((r) => r.path.split('/').at(-1));
    const ids = (pick: (m: (typeof posts)[number]) => boolean): string[] => posts.filter(pick).map((m) => m.id);
    expect(readThrough).toEqual(ids((m) => m.webhook_id === hook?.id && m.content !== 'A later post'));
    expect(readThrough).toHaveLength(3);
    expect(e.fake.messages(t.channelId)).toHaveLength(posts.length);
  });

  it('THEN without Manage Webhooks in the channel the subscription pauses, saying what permission it needs', async () => {
    const t = webhookTarget(false);
    const report = await e.engine.deliver(t, [story('Buoy moved')]);
    expect(report.pause?.reason).toMatch(new RegExp(`^the bot needs the Manage Webhooks permission in channel ${t.channelId} `));
    expect(e.fake.messages(t.channelId)).toEqual([]);
  });
});
