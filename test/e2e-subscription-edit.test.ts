/**
 * End to end: a subscription's settings through the real discord.js client against the local
 * Discord: /subscribe filter: with a mistake answers with the column and a caret under it; fixed,
 * it is saved and delivery posts only what it passes; /subscriptions edit:#channel changes settings,
 * shows them, and refuses a bad change whole; /subscriptions lists them briefly.
 */
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBotState } from '../src/adapters/store/state.ts';
import { Subscriptions } from '../src/app/delivery/subscriptions.ts';
import { article } from './helpers/articles.ts';
import { type Harness, startHarness } from './helpers/bot.ts';

const ADMIN = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
const ROLE = '123456789012345678';

let h: Harness;
let adminId: string;
let forumId: string;
beforeAll(async () => {
  h = await startHarness({
    articles: [
      article({ title: 'Tide tables for December', source: 'Coast Gazette', publishedAt: '2026-11-30T06:00', text: 'High tide at six.' }),
      article({ title: 'Markets open higher', source: 'Wire', publishedAt: '2026-11-30T07:00', text: 'Shares rose.' }),
    ],
    delivery: true,
  });
  const admin = h.fake.createUser({ username: 'editor' });
  h.fake.addMember(h.guildId, admin.id, { permissions: ADMIN });
  adminId = admin.id;
  forumId = h.fake.createChannel(h.guildId, { name: 'articles', type: 'forum' }).id;
});
afterAll(async () => {
  await h.close();
});

const as = (name: string, options: Record<string, string | number | boolean> = {}) =>
  h.fake.runCommand({ guildId: h.guildId, channelId: h.channelId, userId: adminId, name, options });

describe('GIVEN an admin setting a filter and settings', () => {
  it('THEN a filter mistake is answered at its column with a caret; fixed, it is saved and delivery posts only what passes', async () => {
    const wrong = await as('subscribe', { channel: h.channelId, filter: 'title contains', backfill: 'all' }).reply();
    expect(wrong.ephemeral).toBe(true);
    expect(wrong.content).toBe('Nothing was changed:\nfilter: column 15: expected a value after \\`contains\\`\n```\ntitle contains\n              ^\n```');
    expect((await as('subscriptions').reply()).embeds[0]?.description).toBe('None yet. Add one with /subscribe.');

    const fixed = await as('subscribe', { channel: h.channelId, filter: 'title contains "tide"' }).reply();
    expect(fixed.content).toContain('Filter: `title contains "tide"`.');
    // The backfill counts what the filter passes: one of the two stored articles.
    expect(fixed.content).toContain('Backfill: latest 3 (the default): the latest 3 stored first (1 article now, then new ones as they arrive).');
    const run = await as('deliver').reply(30_000);
    expect(run.embeds[0]?.description).toMatch(/: 1 article, \d+ messages? posted$/);
    expect(h.fake.messages(h.channelId).map((m) => m.embeds[0]?.title)).toEqual(['Tide tables for December']);
  });

  it('THEN /subscriptions edit: changes settings and says what changed and what is in force; alone it shows them', async () => {
    const edited = await as('subscriptions', {
      edit: h.channelId,
      mentions: `<@&${ROLE}> if source = "Coast Gazette"`,
      daily_cap: '5',
      content: 'New: {title}',
      digest: 'weekly fri 17:00 Europe/Berlin',
    }).reply();
    expect(edited.ephemeral).toBe(true);
    expect(edited.content).toBe(
      [
        `Updated <#${h.channelId}>: content, mentions, daily_cap, digest changed.`,
        'Settings now in force:',
        '• filter: `title contains "tide"`',
        '• content: `New: {title}`',
        `• mentions: role:${ROLE} if \`source = "Coast Gazette"\``,
        '• daily_cap: 5 articles a day',
        '• digest: weekly fri 17:00 Europe/Berlin',
        'Template checked with the newest article it would get: “Tide tables for December”.',
      ].join('\n'),
    );
    const shown = await as('subscriptions', { edit: h.channelId }).reply();
    expect(shown.content?.split('\n').slice(0, 2)).toEqual([`Settings of <#${h.channelId}>:`, '• filter: `title contains "tide"`']);
    const list = await as('subscriptions').reply();
    expect(list.embeds[0]?.fields?.[0]?.value).toContain(
      '⚙ filter `title contains "tide"`; template (content); 1 mention; at most 5/day; digest weekly fri 17:00 Europe/Berlin',
    );
  });

  it('THEN a bad change is refused whole, every problem named, the filter one with its caret in a code block', async () => {
    const bad = await as('subscriptions', { edit: h.channelId, filter: 'title contains "tide" and (', daily_cap: '5000', tags: ROLE }).reply();
    expect(bad.content).toBe(
      [
        'Nothing was changed:',
        'filter: column 28: expected a test after \\`(\\`',
        '```',
        'title contains "tide" and (',
        // The mistake is the end of the text, just past the bracket.
        `${' '.repeat(27)}^`,
        '```',
        'tags: only a forum subscription has tags; this one posts in a text channel',
        'daily\\_cap: must be a whole number of articles from 1 to 1000, got "5000"',
      ].join('\n'),
    );
    const mention = await as('subscriptions', { edit: h.channelId, mentions: `user:${ROLE} if titel contains "x"` }).reply();
    expect(mention.content).toContain(`\`\`\`\nuser:${ROLE} if titel contains "x"\n${' '.repeat(27)}^\n\`\`\``);
    expect((await as('subscriptions', { edit: h.channelId }).reply()).content).toContain('daily_cap: 5 articles a day');
  });

  it('THEN settings without edit:, a channel with no subscription, and a forum thread are each refused in plain words', async () => {
    expect((await as('subscriptions', { daily_cap: '3' }).reply()).content).toBe('Name the subscription to change with edit:#channel (given: daily_cap).');
    expect((await as('subscriptions', { edit: forumId, daily_cap: '3' }).reply()).content).toBe(`<#${forumId}> has no subscription: /subscribe it first.`);
    await as('subscribe', { channel: forumId, backfill: 'none' }).reply();
    const tags = await as('subscriptions', { edit: forumId, tags: `${ROLE} if title contains "ferry"`, thread: ROLE }).reply();
    expect(tags.content).toBe('Nothing was changed:\nthread: only a text channel subscription posts into an existing thread; this one is a forum');
    const ok = await as('subscriptions', { edit: forumId, tags: `${ROLE} if title contains "ferry"` }).reply();
    expect(ok.content).toContain(`• tags: ${ROLE} if \`title contains "ferry"\``);
    expect(h.fake.violations).toEqual([]);
  });
});

describe('GIVEN a subscription a run paused because its stored filter is no longer accepted', () => {
  it('THEN /subscriptions edit: with a good filter resumes it and says so, and the next run posts again', async () => {
    const desk = h.fake.createChannel(h.guildId, { name: 'desk' }).id;
    await as('subscribe', { channel: desk, backfill: 'all' }).reply();
    const subs = new Subscriptions(openBotState(h.store.db).subscriptions);
    // A filter stored before a check it now fails: the run pauses the subscription with its reason.
    await subs.upsert({ guildId: h.guildId, channelId: desk }, (s) => s && { ...s, options: { filter: 'title matches /(?=x)/' } });
    await as('deliver').reply(30_000);
    expect((await subs.get(h.guildId, desk))?.paused?.reason).toMatch(/^filter no longer accepted: /);
    // The list says how to resume once, in the reason's words: not "/subscribe again", which keeps the filter and refuses it.
    const listed = await as('subscriptions').reply();
    const entry = listed.embeds[0]?.fields?.find((f) => f.name === '#desk')?.value ?? '';
    expect(entry).toMatch(/remove it with \/subscriptions edit:#desk filter:- or set a corrected one there, which also resumes delivery\.$/);
    expect(entry).not.toContain('/subscribe again');
    const fixed = await as('subscriptions', { edit: desk, filter: 'title contains "markets"' }).reply();
    expect(fixed.content).toContain(`Updated <#${desk}>: filter changed.`);
    expect(fixed.content).toContain('▶ Delivery resumes: it was paused because its filter was no longer accepted, and the filter is accepted now.');
    expect((await subs.get(h.guildId, desk))?.paused).toBeNull();
    await as('deliver').reply(30_000);
    expect(h.fake.messages(desk).map((m) => m.embeds[0]?.title)).toEqual(['Markets open higher']);
  });
});
