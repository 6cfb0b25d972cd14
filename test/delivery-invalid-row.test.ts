/**
 * One damaged subscription row (edited by hand, or written by an unknown version) does not stop
 * delivery for the other channels: every run skips it with a warning naming the table, the channel
 * and what is wrong, /deliver says it failed, and /subscriptions lists it with what to do. The real
 * bot against the local Discord; the row is damaged with raw SQL.
 */
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { article } from './helpers/articles.ts';
import { type Harness, startHarness } from './helpers/bot.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('GIVEN two subscriptions, one of whose stored rows no longer validates', () => {
  it('THEN each run delivers the good one and warns about the other; /deliver and /subscriptions name it', async () => {
    const harbour = article({ title: 'Harbour reopens after the storm', source: 'Coast Gazette', text: 'The harbour reopened on Monday.' });
    const x = await startHarness({ articles: [harbour], delivery: true });
    h = x;
    const admin = x.fake.createUser({ username: 'editor' });
    x.fake.addMember(x.guildId, admin.id, {
      permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages,
    });
    const as = (name: string, options: Record<string, string | boolean> = {}) =>
      x.fake.runCommand({ guildId: x.guildId, channelId: x.channelId, userId: admin.id, name, options });
    const damaged = x.fake.createChannel(x.guildId, { name: 'briefs' }).id;
    await as('subscribe', { channel: x.channelId, backfill: 'all' }).reply();
    await as('subscribe', { channel: damaged, backfill: 'all' }).reply();
    // A set-aside entry whose article id is a number: valid JSON, not a valid subscription.
    x.store.db.prepare('UPDATE subscriptions SET set_aside = ? WHERE channel_id = ?').run('[{"articleId":7}]', damaged);

    const skipped = () => x.logs.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('subscription skipped'));
    const first = await as('deliver').reply(20_000);
    expect(x.fake.messages(x.channelId).map((m) => m.embeds[0]?.title)).toEqual(['Harbour reopens after the storm']);
    expect(x.fake.messages(damaged)).toEqual([]);
    expect(first.embeds[0]?.description).toContain(`<#${damaged}>: failed: its stored subscription cannot be read (setAside.0.articleId: `);
    const warned = skipped().map(({ level, table, guild, channel, problem }) => ({ level, table, guild, channel, problem }));
    expect(warned).toMatchObject([{ level: 40, table: 'subscriptions', guild: x.guildId, channel: damaged }]);
    expect(warned[0]?.problem).toMatch(/^setAside\.0\.articleId: /);

    // Not once and then quiet: every run says so until the row is fixed.
    await as('deliver').reply(20_000);
    expect(skipped()).toHaveLength(2);

    const list = await as('subscriptions').reply();
    expect(list.embeds[0]?.description).toBe('2 subscriptions.');
    const fields = list.embeds[0]?.fields ?? [];
    expect(fields.map((f) => f.name)).toEqual(['Unreadable subscription', '#news']);
    expect(fields[0]?.value).toMatch(new RegExp(`^⚠ <#${damaged}>: its stored subscription cannot be read \\(setAside\\.0\\.articleId: .*/unsubscribe it`));
    expect(fields[1]?.value).toContain('Posted 1 article');

    // What /subscriptions says to do works: the row goes without being read, and a new subscription replaces it.
    await as('unsubscribe', { channel: damaged }).reply();
    await as('subscribe', { channel: damaged, backfill: 'all' }).reply();
    await as('deliver').reply(20_000);
    expect(skipped()).toHaveLength(2);
    expect(x.fake.messages(damaged)).toHaveLength(1);
  });
});
