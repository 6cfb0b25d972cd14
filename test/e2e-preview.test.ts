/**
 * End to end, the real discord.js client against the local Discord: /preview's verdicts are what
 * the following /deliver posts, article by article; a daily cap holds across two runs and the next
 * UTC day goes on (a fake clock `now`); /preview names the role, the forum tags and the webhook name
 * the following run posts with, pinging no one itself; /test-post posts an article marked as a test
 * and records nothing, so the next run still posts it as usual.
 */
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord, clientOptionsFor } from '@paperboy/fake-discord';
import { commands } from '../commands/index.ts';
import { TEST_MARK } from '../commands/test-post.ts';
import { sqliteBotStorage } from '../src/adapters/store/bot-storage.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { createFeedParser } from '../src/adapters/feeds/parse-worker.ts';
import { Subscriptions } from '../src/app/delivery/subscriptions.ts';
import type { Article } from '../src/core/model.ts';
import { type Bot, startBot } from '../src/ui/discord/bot.ts';
import { deployCommands } from '../src/ui/discord/deploy.ts';
import { article, comment } from './helpers/articles.ts';
import { TOKEN } from './helpers/bot.ts';
import { capturedLogger } from './helpers/log.ts';

const ADMIN = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;

function harbour(i: number, publishedAt = `2026-12-01T0${i}:00:00Z`): Article {
  return article({
    title: `Harbour news ${i}`,
    source: 'Coast Gazette',
    text: `The harbour opened berth ${i} on Monday.`,
    publishedAt,
    comments: [comment(1, `Berth ${i} at last. @everyone look`)],
  });
}

const ferry = article({ title: 'Ferry strike', source: 'Coast Gazette', text: 'No ferries today.', publishedAt: '2026-12-01T05:30:00Z' });
const old = harbour(9, '2026-11-20T06:00:00Z');

let fake: FakeDiscord;
let store: SqliteStore;
let bot: Bot;
let subs: Subscriptions;
let state: ReturnType<typeof sqliteBotStorage>['state'];
let guildId: string;
let channelId: string;
let adminId: string;
/** The bot's clock: runs, the cap's UTC day and the spacing read it. */
let now = new Date('2026-12-01T12:00:00Z');

beforeAll(async () => {
  fake = await FakeDiscord.start({ botToken: TOKEN });
  guildId = fake.createGuild({ name: 'Readers' }).id;
  channelId = fake.createChannel(guildId, { name: 'news' }).id;
  adminId = fake.createUser({ username: 'editor' }).id;
  fake.addMember(guildId, adminId, { permissions: ADMIN });
  store = SqliteStore.open(':memory:');
  for (const a of [harbour(1), old, ferry, harbour(2), harbour(3), harbour(4)]) await store.upsert(a);
  const { log } = capturedLogger('debug');
  const discord = { token: fake.botToken, applicationId: fake.applicationId, guildId, apiUrl: fake.apiUrl, messageContent: false };
  await deployCommands(discord, commands);
  const storage = sqliteBotStorage(store, log);
  state = storage.state;
  subs = new Subscriptions(state.subscriptions);
  bot = await startBot({
    discord,
    store,
    ...storage,
    commands,
    log,
    client: clientOptionsFor(fake),
    now: () => now,
    delivery: { cron: null, feedParser: createFeedParser() },
  });
}, 30_000);

afterAll(async () => {
  await bot.stop();
  await fake.close();
  await store.close();
});

function as(name: string, options: Record<string, string | number | boolean> = {}) {
  return fake.runCommand({ guildId, channelId, userId: adminId, name, options });
}

/** The titles posted in the channel, in order. */
function posted(): (string | undefined)[] {
  return fake.messages(channelId).map((m) => m.embeds[0]?.title);
}

/** /preview's list as [title, verdict words] pairs, newest first. */
async function preview(): Promise<{ rows: [string, string][]; embeds: { title?: string; description?: string }[] }> {
  const reply = await as('preview', { channel: channelId }).reply(20_000);
  expect(reply.ephemeral).toBe(true);
  const lines = (reply.embeds[0]?.description ?? '').split('\n').filter((l) => l.includes('”: '));
  const rows = lines.map((l): [string, string] => {
    const cut = l.indexOf('”: ');
    return [l.slice(l.indexOf('“') + 1, cut), l.slice(cut + 3)];
  });
  return { rows, embeds: reply.embeds };
}

describe('GIVEN a subscription with a filter, a max age and a daily cap of 2', () => {
  it('THEN /preview says what the following /deliver posts, article by article, and shows the next post as it will look', async () => {
    await as('subscribe', { channel: channelId, backfill: 'all' }).reply();
    await subs.upsert({ guildId, channelId }, (s) => s && { ...s, options: { filter: 'not title contains "ferry"', maxAgeHours: 72, dailyCap: 2 } });
    const before = await preview();
    expect(before.rows.map(([title, verdict]) => [title, verdict.replace(/:.*/, '')])).toEqual([
      ['Harbour news 4', 'over the daily cap'],
      ['Harbour news 3', 'over the daily cap'],
      ['Harbour news 2', 'would post'],
      ['Ferry strike', 'blocked by filter'],
      ['Harbour news 9', 'too old'],
      ['Harbour news 1', 'would post'],
    ]);
    expect(before.rows.find(([t]) => t === 'Ferry strike')?.[1]).toContain('not title contains "ferry"');
    // The next post, exactly as the run will post it: the same embed.
    expect(before.embeds[1]?.title).toBe('Harbour news 1');
    await as('deliver').reply(30_000);
    const would = before.rows.filter(([, v]) => v === 'would post').map(([t]) => t);
    expect(posted().sort()).toEqual(would.sort());
    expect(posted()).toEqual(['Harbour news 1', 'Harbour news 2']);
    expect(fake.messages(channelId)[0]?.embeds[0]).toEqual(before.embeds[1]);
  });

  it('THEN the cap holds on a second run the same day, /preview shows where each went, and the next UTC day goes on in order', async () => {
    now = new Date('2026-12-01T20:00:00Z');
    await as('deliver').reply(30_000);
    expect(posted()).toHaveLength(2);
    const same = await preview();
    const first = fake.messages(channelId)[0];
    // The time comes from the message's id, which the local Discord stamps with the real clock.
    const madeAt = new Date(Number((BigInt(first?.id ?? '0') >> 22n) + 1420070400000n)).toISOString();
    expect(same.rows.find(([t]) => t === 'Harbour news 1')?.[1]).toBe(
      `already posted ${madeAt.slice(0, 16).replace('T', ' ')} UTC: [message](https://discord.com/channels/${guildId}/${channelId}/${first?.id})`,
    );
    expect(same.rows.slice(0, 2).map(([, v]) => v)).toEqual([
      'over the daily cap: 2 a day, reached for 2026-12-01 (UTC) with the posts before it; it goes on a later day',
      'over the daily cap: 2 a day, reached for 2026-12-01 (UTC) with the posts before it; it goes on a later day',
    ]);
    // Nothing would post: the answer shows how the newest would look, and says so.
    expect(same.embeds[0]?.description).toContain('No article would be posted now. Below: how “Harbour news 4” would look.');
    now = new Date('2026-12-02T00:05:00Z');
    const next = await preview();
    expect(next.rows.slice(0, 2).map(([, v]) => v)).toEqual(['would post', 'would post']);
    await as('deliver').reply(30_000);
    expect(posted()).toEqual(['Harbour news 1', 'Harbour news 2', 'Harbour news 3', 'Harbour news 4']);
    expect((await subs.get(guildId, channelId))?.tally).toMatchObject({ day: '2026-12-02', postedToday: 2 });
  });
});

describe('GIVEN a forum subscription with a role mention, tag rules and a webhook identity', () => {
  it('THEN /preview names the role, the tags and the webhook name the following run posts with, and pings no one itself', async () => {
    const forum = fake.createChannel(guildId, { name: 'harbour-forum', type: 'forum' }).id;
    fake.setBotPermissions(forum, PermissionFlagsBits.ManageWebhooks, 0n);
    const tags = Object.fromEntries(
      fake
        .setForumTags(
          forum,
          ['Harbour', 'Ferries', 'Weather'].map((name) => ({ name })),
        )
        .map((t) => [t.name, t.id]),
    );
    const role = fake.createRole(guildId, { name: 'harbour-watch', mentionable: true }).id;
    const other = fake.createRole(guildId, { name: 'ferry-watch', mentionable: true }).id;
    await as('subscribe', { channel: forum, backfill: 'none' }).reply();
    const options = {
      webhook: { name: 'Harbour Desk', avatarUrl: null },
      mentions: [
        { kind: 'role' as const, id: role, filter: 'title contains "news"' },
        { kind: 'role' as const, id: other, filter: 'title contains "ferry"' },
      ],
      tags: [
        // A tag since removed from the forum: the run leaves it out, and so does the preview.
        { tagId: '899999999999999999', filter: null },
        { tagId: tags.Harbour ?? '', filter: null },
        { tagId: tags.Ferries ?? '', filter: 'title contains "ferry"' },
        { tagId: tags.Weather ?? '', filter: 'title contains "news"' },
      ],
    };
    await subs.upsert({ guildId, channelId: forum }, (s) => s && { ...s, options });
    await store.upsert(harbour(6, '2026-12-02T00:20:00Z'));

    const reply = await as('preview', { channel: forum }).reply(20_000);
    expect(reply.ephemeral).toBe(true);
    const description = reply.embeds[0]?.description ?? '';
    expect(description).toContain('Below: the next post, “Harbour news 6”, exactly as it will look (thread “Harbour news 6”).');
    const pingLine = description.split('\n').find((l) => l.startsWith('Would ping '));
    expect(pingLine).toBe(`Would ping <@&${role}> (this preview pings no one).`);
    const tagLine = description.split('\n').find((l) => l.startsWith('Forum tags it would get: '));
    expect(tagLine).toBe(`Forum tags it would get: ${tags.Harbour}, ${tags.Weather}.`);
    expect(description).toContain('Posted through the channel’s webhook as “Harbour Desk”.');
    // The post's text starts with its ping, as the real post does; the answer itself pings no one.
    expect(reply.content.split('\n').slice(0, 2)).toEqual(["The post's message text:", `<@&${role}>`]);
    expect(reply.message?.mention_roles).toEqual([]);
    expect(reply.message?.mentions).toEqual([]);

    await as('deliver').reply(30_000);
    const [thread, ...more] = fake.threads(forum);
    expect(more).toEqual([]);
    expect(thread?.name).toBe('Harbour news 6');
    // The tags the preview named, in its order.
    expect(thread?.applied_tags).toEqual(
      tagLine
        ?.replace(/^Forum tags it would get: /, '')
        .replace(/\.$/, '')
        .split(', '),
    );
    const [starter] = fake.messages(thread?.id ?? '');
    expect(starter?.author.username).toBe('Harbour Desk');
    // The role the preview named, and only it, pinged.
    expect(starter?.mention_roles).toEqual([role]);
    expect(fake.sentWith(starter?.id ?? '')?.allowedMentions).toEqual({ parse: [], roles: [role], users: [] });
    expect(starter?.content).toBe(reply.content.slice("The post's message text:\n".length) || `<@&${role}>`);
    expect(starter?.embeds[0]).toEqual(reply.embeds[1]);
  });

  it('THEN with a shared thread that is not one of the channel’s, /preview says the run pauses instead, and the run does so with those words', async () => {
    const desk = fake.createChannel(guildId, { name: 'desk-two' }).id;
    const elsewhere = fake.createChannel(guildId, { name: 'elsewhere' }).id;
    await as('subscribe', { channel: desk, backfill: 'all' }).reply();
    await subs.upsert({ guildId, channelId: desk }, (s) => s && { ...s, options: { threadId: elsewhere } });
    const reply = await as('preview', { channel: desk }).reply(20_000);
    const line = (reply.embeds[0]?.description ?? '').split('\n').find((l) => l.startsWith('But the next run pauses'));
    expect(line).toBe(
      `But the next run pauses this subscription instead of posting: the thread ${elsewhere} this subscription posts into is not a thread, not of channel ${desk}; set thread: in /subscriptions edit to a thread of this channel, or clear it with thread:-.`,
    );
    await as('deliver').reply(30_000);
    expect(`But the next run pauses this subscription instead of posting: ${(await subs.get(guildId, desk))?.paused?.reason}.`).toBe(line);
    expect(fake.messages(desk)).toEqual([]);
  });
});

describe('GIVEN a channel with no subscription and a filter typed into /preview', () => {
  it('THEN a mistake is answered as /subscribe answers it; fixed, the preview says it was not saved, and /subscribe with it posts what the preview said', async () => {
    const trial = fake.createChannel(guildId, { name: 'trial' }).id;
    const mistake = 'title contains "news" and (';
    const refused = await as('preview', { channel: trial, filter: mistake }).reply(20_000);
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toBe(`Nothing was changed:\nfilter: column 28: expected a test after \\\`(\\\`\n\`\`\`\n${mistake}\n${' '.repeat(27)}^\n\`\`\``);
    expect((await as('subscribe', { channel: trial, filter: mistake }).reply(20_000)).content).toBe(refused.content);

    const filter = 'title contains "news" and not title contains "6"';
    const reply = await as('preview', { channel: trial, filter, count: 3 }).reply(20_000);
    const lines = (reply.embeds[0]?.description ?? '').split('\n');
    expect(lines[0]).toBe(`With the filter you typed (not saved): \`${filter}\``);
    expect(lines[1]).toContain(`<#${trial}> has no subscription: shown as if subscribed now with this filter, every source and backfill:latest 3`);
    const rows = lines.filter((l) => l.includes('”: ')).map((l) => l.replace(/^\S+ /, ''));
    expect(rows).toEqual([
      '“Harbour news 6”: blocked by filter: not title contains "6": it matched, title contains "6" (title is "Harbour news 6")',
      '“Harbour news 4”: would post',
      '“Harbour news 3”: would post',
    ]);
    // The third the filter passes comes before the list: the run posts it first, and the preview shows it.
    expect(lines).toContain('Below: the next post, “Harbour news 2”, exactly as it will look (thread “Harbour news 2”).');
    expect(await subs.get(guildId, trial)).toBeNull();

    await as('subscribe', { channel: trial, filter, backfill: 'latest 3' }).reply(20_000);
    await as('deliver').reply(30_000);
    expect(fake.messages(trial).map((m) => m.embeds[0]?.title)).toEqual(['Harbour news 2', 'Harbour news 3', 'Harbour news 4']);
    expect(fake.messages(trial)[0]?.embeds[0]).toEqual(reply.embeds[1]);
  });

  it('THEN on a subscribed channel the typed filter is used and the saved one is left as it was', async () => {
    const reply = await as('preview', { channel: channelId, filter: '-' }).reply(20_000);
    expect(reply.embeds[0]?.description?.split('\n')[0]).toBe('With no filter, as you typed (not saved): every article passes it.');
    expect(reply.embeds[0]?.description).not.toContain('blocked by filter');
    expect((await subs.get(guildId, channelId))?.options?.filter).toBe('not title contains "ferry"');
  });
});

describe('GIVEN /test-post', () => {
  it('THEN it posts the article marked as a test with its thread, records nothing, and the next run still posts it', async () => {
    // A channel of its own (the first has had its 5 messages in 5 s), subscribed to what comes next.
    const world = fake.createChannel(guildId, { name: 'world' }).id;
    await as('subscribe', { channel: world, backfill: 'none' }).reply();
    const fresh = harbour(5, '2026-12-02T00:30:00Z');
    await store.upsert(fresh);
    const choices = await fake
      .autocomplete({ guildId, channelId, userId: adminId, name: 'test-post', options: { channel: channelId, article: 'Harbour news 5' }, focused: 'article' })
      .choices();
    expect(choices[0]).toEqual({ name: 'Harbour news 5', value: fresh.id });
    const reply = await as('test-post', { channel: world, article: fresh.id }).reply(20_000);
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(
      /^Test post of “Harbour news 5” in <#\d+>: \[message\]\(https:\/\/discord\.com\/channels\/\d+\/\d+\/\d+\)\. Nothing was recorded\.\nA delivery run: would post\.$/,
    );
    const [test, ...more] = fake.messages(world);
    expect(more).toEqual([]);
    expect(test?.content?.split('\n')[0]).toBe(TEST_MARK);
    expect(test?.embeds[0]?.title).toBe('Harbour news 5');
    expect(fake.threads(world).map((t) => t.id)).toEqual([test?.id]);
    expect(fake.messages(test?.id ?? '')).toEqual([]);
    expect(await state.progress.get(world, fresh.id)).toBeNull();
    expect((await subs.get(guildId, world))?.tally).toBeUndefined();
    expect(await state.threads.get(test?.id ?? '')).toBeNull();
    await as('deliver').reply(30_000);
    const real = fake.messages(world).at(-1);
    expect(real?.id).not.toBe(test?.id);
    expect(real?.embeds[0]?.title).toBe('Harbour news 5');
    expect(real?.content ?? '').not.toContain('Test post');
    expect((await state.progress.get(world, fresh.id))?.postId).toBe(real?.id);
    expect((await subs.get(guildId, world))?.tally).toMatchObject({ postedToday: 1 });
  });

  it('THEN a subscription with a webhook identity and a mention rule gets its test post through the webhook, pinging no one', async () => {
    const desk = fake.createChannel(guildId, { name: 'desk' }).id;
    fake.setBotPermissions(desk, PermissionFlagsBits.ManageWebhooks, 0n);
    await as('subscribe', { channel: desk, backfill: 'none' }).reply();
    const role = '844444444444444444';
    await subs.upsert(
      { guildId, channelId: desk },
      (s) =>
        s && {
          ...s,
          source: 'Other Paper',
          options: { webhook: { name: 'Harbour Desk', avatarUrl: null }, mentions: [{ kind: 'role', id: role, filter: null }] },
        },
    );
    const reply = await as('test-post', { channel: desk, article: harbour(1).id }).reply(20_000);
    expect(reply.content).toMatch(/^Test post of “Harbour news 1” in <#\d+>: \[message\]/);
    // The subscription takes another source: the test post still shows how it would look, and says a run never posts it.
    expect(reply.content).toContain('\nA delivery run never posts it here: it is not from Other Paper.');
    const [test, ...more] = fake.messages(desk);
    expect(more).toEqual([]);
    expect(test).toMatchObject({ author: { username: 'Harbour Desk' }, embeds: [{ title: 'Harbour news 1' }] });
    expect(test?.content?.split('\n')[0]).toBe(TEST_MARK);
    expect(test?.content).not.toContain(role);
    expect(fake.sentWith(test?.id ?? '')).toEqual({ allowedMentions: { parse: [] } });
    expect(fake.threads(desk).map((t) => t.id)).toEqual([test?.id]);
    expect(await state.progress.get(desk, harbour(1).id)).toBeNull();
  });

  it('THEN with a shared thread of another server it posts nothing and says the run would pause instead', async () => {
    const desk = fake.createChannel(guildId, { name: 'desk-three' }).id;
    await as('subscribe', { channel: desk, backfill: 'none' }).reply();
    const other = fake.createGuild({ name: 'Another server' }).id;
    const theirs = fake.createChannel(other, { name: 'theirs' }).id;
    // Made by the bot (it is in that server too), as Discord's REST makes one: a thread with no starter message.
    const made = await fetch(`${fake.apiUrl}/v10/channels/${theirs}/threads`, {
      method: 'POST',
      headers: { authorization: `Bot ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Their thread', type: 11 }),
    });
    const thread = ((await made.json()) as { id: string }).id;
    await subs.upsert({ guildId, channelId: desk }, (s) => s && { ...s, options: { threadId: thread } });
    const reply = await as('test-post', { channel: desk, article: harbour(1).id }).reply(20_000);
    expect(reply.content).toMatch(
      new RegExp(
        `^No test post: a delivery run would pause <#${desk}> instead of posting: the thread ${thread} this subscription posts into is in another server`,
      ),
    );
    expect(fake.messages(thread)).toEqual([]);
    expect(fake.messages(desk)).toEqual([]);
  });

  it('THEN no message broke a Discord rule', () => {
    expect(fake.violations).toEqual([]);
  });
});
