/**
 * End to end (the real discord.js REST client against the local Discord): a forum subscription tags
 * each post with the tags whose filter the article passes (in rule order, at most 5), by the bot or
 * through its webhook; a subscription with an existing thread posts every article into that thread,
 * makes no thread and posts no comments, and counts each article done. A rule whose tag the forum
 * no longer has is left out, with a warning, rather than every post being refused for it.
 */
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Target } from '../src/app/delivery/engine-types.ts';
import type { TagRule } from '../src/core/subscription-options.ts';
import { createDeliveryEngine } from '../src/app/delivery/engine.ts';
import { openBotState } from '../src/adapters/store/state.ts';
import { article, comment } from './helpers/articles.ts';
import { capturedLogger } from './helpers/log.ts';
import { type EngineHarness, startEngine } from './helpers/delivery.ts';

let e: EngineHarness;
beforeAll(async () => {
  e = await startEngine();
});
afterAll(async () => {
  await e?.close();
});

const story = (title: string) => article({ title, text: `${title}. The harbour said so.`, comments: [comment(1, 'Seen it.')] });
const markets = story('Markets rally at the harbour');
const football = story('Football at the harbour ground');
const weather = story('Storm warning for the coast');

/** A forum with tags Markets, Sport, Harbour and Weather; rules tag by title, Harbour for everything. */
function taggedForum(): { t: Target; ids: Record<string, string> } {
  const t = e.target('forum');
  const tags = e.fake.setForumTags(
    t.channelId,
    ['Markets', 'Sport', 'Harbour', 'Weather'].map((name) => ({ name })),
  );
  const ids = Object.fromEntries(tags.map((tag) => [tag.name, tag.id]));
  const rules: TagRule[] = [
    { tagId: ids.Markets ?? '', filter: 'title has "markets"' },
    { tagId: ids.Sport ?? '', filter: 'title has "football" or title has "rowing"' },
    { tagId: ids.Harbour ?? '', filter: null },
    { tagId: ids.Weather ?? '', filter: 'title has "storm"' },
  ];
  return { t: { ...t, options: { tags: rules } }, ids };
}

/** Each forum post's name and tag names, oldest first. */
function tagged(forumId: string, ids: Record<string, string>): [string, string[]][] {
  const names = new Map(Object.entries(ids).map(([name, id]) => [id, name]));
  return e.fake.threads(forumId).map((thread) => [thread.name, (thread.applied_tags ?? []).map((id) => names.get(id) ?? id)]);
}

describe('GIVEN a forum subscription with tag rules', () => {
  it('THEN each post gets the tags whose filter its article passes, in rule order', async () => {
    const { t, ids } = taggedForum();
    const report = await e.engine.deliver(t, [markets, football, weather]);
    expect(report.results.map((r) => r.error)).toEqual([null, null, null]);
    expect(tagged(t.channelId, ids)).toEqual([
      [markets.title, ['Markets', 'Harbour']],
      [football.title, ['Sport', 'Harbour']],
      [weather.title, ['Harbour', 'Weather']],
    ]);
    expect(e.fake.violations).toEqual([]);
  });

  it('THEN with more than 5 tags passing, the first 5 in rule order are applied, as Discord allows no more', async () => {
    const t = e.target('forum');
    const names = ['One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven'];
    const tags = e.fake.setForumTags(
      t.channelId,
      names.map((name) => ({ name })),
    );
    // Rules in reverse order of the forum's tags: the rules' order decides.
    const rules = [...tags].reverse().map((tag) => ({ tagId: tag.id, filter: null }));
    const report = await e.engine.deliver({ ...t, options: { tags: rules } }, [weather]);
    expect(report.results[0]?.error).toBeNull();
    expect(tagged(t.channelId, Object.fromEntries(tags.map((tag) => [tag.name, tag.id])))).toEqual([
      [weather.title, ['Seven', 'Six', 'Five', 'Four', 'Three']],
    ]);
  });

  it('THEN through a webhook the post is the webhook’s, under the subscription’s name, with the same tags and the bot’s comments', async () => {
    const { t, ids } = taggedForum();
    e.fake.setBotPermissions(t.channelId, PermissionFlagsBits.ManageWebhooks, 0n);
    const hooked = { ...t, options: { ...t.options, webhook: { name: 'Harbour Desk', avatarUrl: null } } };
    const report = await e.engine.deliver(hooked, [markets]);
    expect(report.results[0]).toMatchObject({ action: 'post', error: null });
    expect(tagged(t.channelId, ids)).toEqual([[markets.title, ['Markets', 'Harbour']]]);
    const [thread] = e.fake.threads(t.channelId);
    const [hook] = e.fake.webhooks(t.channelId);
    expect(thread?.owner_id).toBe(hook?.id);
    expect(e.fake.messages(thread?.id ?? '').map((m) => m.author.username)).toEqual(['Harbour Desk', e.fake.botUser.username]);
    // Done: the next run posts nothing.
    expect((await e.engine.deliver(hooked, [markets])).results.map((r) => r.action)).toEqual(['none']);
  });
});

describe('GIVEN a tag rule saved before a moderator removed its tag from the forum', () => {
  it('THEN posts go without that tag (the next rule’s tag takes its place), the log names it once a run, and the forum is read once a run', async () => {
    const t = e.target('forum');
    // The fake gives every tag a new id when a forum's tags are set: Weather's old id is a tag the forum no longer has.
    const [gone] = e.fake.setForumTags(t.channelId, [{ name: 'Weather' }]);
    const tags = e.fake.setForumTags(
      t.channelId,
      ['One', 'Two', 'Three', 'Four', 'Five', 'Six'].map((name) => ({ name })),
    );
    const rules: TagRule[] = [{ tagId: gone?.id ?? '', filter: null }, ...tags.map((tag) => ({ tagId: tag.id, filter: null }))];
    const { log, lines } = capturedLogger('debug');
    const engine = createDeliveryEngine({ poster: e.poster, progress: openBotState(e.store.db).progress, log });
    const from = e.fake.requests.length;
    const report = await engine.deliver({ ...t, options: { tags: rules } }, [markets, weather]);
    expect(report.results.map((r) => [r.action, r.error])).toEqual([
      ['post', null],
      ['post', null],
    ]);
    const ids = Object.fromEntries(tags.map((tag) => [tag.name, tag.id]));
    expect(tagged(t.channelId, ids)).toEqual([
      [markets.title, ['One', 'Two', 'Three', 'Four', 'Five']],
      [weather.title, ['One', 'Two', 'Three', 'Four', 'Five']],
    ]);
    const warned = lines.filter((l) => String(l.msg).startsWith('tag rules name tags the forum no longer has'));
    expect(warned).toEqual([expect.objectContaining({ channel: t.channelId, tags: [gone?.id] })]);
    expect(e.fake.requests.slice(from).filter((r) => r.method === 'GET' && r.path === `/channels/${t.channelId}`)).toHaveLength(1);
  });
});

describe('GIVEN a subscription that posts into an existing thread', () => {
  it('THEN every article’s post goes into that thread, no thread is made, no comments are posted, and each is done', async () => {
    const t = e.target();
    const starter = await e.poster.send(t.channelId, { content: 'Harbour news, every day' }, 'starter');
    const shared = await e.poster.startThread(t.channelId, starter, 'Harbour news');
    const into: Target = { ...t, options: { threadId: shared } };
    const report = await e.engine.deliver(into, [markets, football]);
    expect(report.results.map((r) => [r.action, r.created, r.error])).toEqual([
      ['post', 1, null],
      ['post', 1, null],
    ]);
    expect(e.fake.messages(shared).map((m) => m.embeds[0]?.title)).toEqual([markets.title, football.title]);
    expect(e.fake.threads(t.channelId).map((th) => th.id)).toEqual([shared]);
    expect(e.fake.messages(t.channelId)).toHaveLength(1);
    expect((await e.engine.deliver(into, [markets, football])).results.map((r) => r.action)).toEqual(['none', 'none']);
  });

  it('THEN with the thread deleted the subscription pauses, naming the thread', async () => {
    const t = e.target();
    const starter = await e.poster.send(t.channelId, { content: 'Weather, every day' }, 'starter');
    const shared = await e.poster.startThread(t.channelId, starter, 'Weather');
    e.fake.deleteChannel(shared);
    const report = await e.engine.deliver({ ...t, options: { threadId: shared } }, [weather]);
    expect(report.pause?.reason).toMatch(new RegExp(`^the thread ${shared} this subscription posts into was deleted`));
  });
});
