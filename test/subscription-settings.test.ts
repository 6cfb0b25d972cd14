/**
 * editSubscription (issue 17): each setting accepted, read back through another connection on
 * SQLite and PostgreSQL, cleared with `-`, and refused with the option (and a filter's column)
 * named, nothing of a refused change saved; the template checked with a real stored article.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { editSubscription, type EditRequest } from '../src/app/delivery/settings.ts';
import { SAMPLE_ARTICLE } from '../src/app/delivery/settings-article.ts';
import { type SettingsError, SettingsRefused } from '../src/app/delivery/settings-errors.ts';
import { caretLines } from '../src/app/filters/errors.ts';
import { type Subscription, Subscriptions } from '../src/app/delivery/subscriptions.ts';
import { article } from './helpers/articles.ts';
import { subscriptionFixture } from './helpers/subscription-fixture.ts';
import { type OpenedState, stateBackends } from './helpers/state-backends.ts';

const ROLE = '123456789012345678';
const USER = '223456789012345678';
const TAG = '323456789012345678';
const THREAD = '423456789012345678';

/** A subscription in guild g1 named by its channel. */
function subscription(channelId: string, kind: Subscription['kind'], extra: Partial<Subscription> = {}): Subscription {
  return subscriptionFixture({ guildId: 'g1', channelId, kind, channelName: channelId, ...extra });
}

/** The problems of a refused edit, as [option, message] pairs. */
async function refused(run: Promise<unknown>): Promise<SettingsError[]> {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SettingsRefused);
  return (error as SettingsRefused).problems as SettingsError[];
}

describe.each(Object.entries(stateBackends))('GIVEN subscriptions on %s', (_name, open) => {
  let opened: OpenedState;
  let subs: Subscriptions;
  let other: Subscriptions;
  let store: SqliteStore;
  const edit = (channelId: string, settings: EditRequest['settings']) => editSubscription(subs, store, { guildId: 'g1', channelId, settings });

  beforeAll(async () => {
    opened = await open();
    subs = new Subscriptions(opened.state.subscriptions);
    other = new Subscriptions(opened.other.subscriptions);
    store = SqliteStore.open(':memory:');
    await subs.put(subscription('text1', 'text', { source: 'Coast Gazette' }));
    await subs.put(subscription('forum1', 'forum'));
  });
  afterAll(async () => {
    await store.close();
    await opened.close();
  });

  it('THEN every setting is accepted and another connection reads it back as typed', async () => {
    const done = await edit('text1', {
      filter: 'title contains "ferry"',
      content: '{title} {url}',
      title: '{title}',
      description: '{summary:2}',
      thread_name: '{title}',
      date_format: 'yyyy-LL-dd HH:mm',
      timezone: 'Europe/Berlin',
      locale: 'de-DE',
      mentions: `<@&${ROLE}> if source = "Reuters"; user:${USER}`,
      webhook_name: 'Harbour desk',
      webhook_avatar: 'https://example.com/a.png',
      thread: THREAD,
      daily_cap: '20',
      min_spacing: '0',
      max_age: '48',
      digest: 'weekly mon 08:00 Europe/Berlin only',
    });
    expect(done?.changed).toEqual([
      'filter',
      'content',
      'title',
      'description',
      'thread_name',
      'date_format',
      'timezone',
      'locale',
      'mentions',
      'webhook_name',
      'webhook_avatar',
      'thread',
      'daily_cap',
      'min_spacing',
      'max_age',
      'digest',
    ]);
    expect((await other.get('g1', 'text1'))?.options).toEqual({
      filter: 'title contains "ferry"',
      template: {
        content: '{title} {url}',
        title: '{title}',
        description: '{summary:2}',
        threadName: '{title}',
        dateFormat: 'yyyy-LL-dd HH:mm',
        timezone: 'Europe/Berlin',
        locale: 'de-DE',
      },
      mentions: [
        { kind: 'role', id: ROLE, filter: 'source = "Reuters"' },
        { kind: 'user', id: USER, filter: null },
      ],
      webhook: { name: 'Harbour desk', avatarUrl: 'https://example.com/a.png' },
      threadId: THREAD,
      dailyCap: 20,
      minSpacingMinutes: 0,
      maxAgeHours: 48,
      digest: { every: 'weekly', at: '08:00', weekday: 1, timezone: 'Europe/Berlin', only: true },
    });
    const tags = await edit('forum1', { tags: `${TAG} if title contains "a;b"; 423456789012345670`, digest: 'daily 7:30' });
    expect(tags?.after.options).toEqual({
      tags: [
        { tagId: TAG, filter: 'title contains "a;b"' },
        { tagId: '423456789012345670', filter: null },
      ],
      digest: { every: 'daily', at: '07:30', only: false },
    });
  });

  it('THEN a changed filter bumps the revision, other settings do not, and the same value again changes nothing', async () => {
    const before = (await subs.get('g1', 'text1'))?.revision ?? 0;
    expect((await edit('text1', { filter: 'title contains "tide"' }))?.after.revision).toBe(before + 1);
    expect((await edit('text1', { daily_cap: '30' }))?.after.revision).toBe(before + 1);
    const same = await edit('text1', { daily_cap: '30' });
    expect(same?.changed).toEqual([]);
    expect(same?.after.revision).toBe(before + 1);
  });

  it('THEN "-" clears each setting, a webhook name of "-" drops the webhook, and none left leaves no options', async () => {
    await edit('text1', { title: '-', webhook_avatar: '-' });
    const now = (await other.get('g1', 'text1'))?.options;
    expect(now?.template?.title).toBeUndefined();
    expect(now?.template?.content).toBe('{title} {url}');
    expect(now?.webhook).toEqual({ name: 'Harbour desk', avatarUrl: null });
    const clearAll = Object.fromEntries(
      ['filter', 'content', 'description', 'thread_name', 'date_format', 'timezone', 'locale', 'mentions', 'webhook_name', 'thread'].map((n) => [n, '-']),
    );
    const done = await edit('text1', { ...clearAll, daily_cap: ' - ', min_spacing: '', max_age: '-', digest: '-' });
    expect(done?.after.revision).toBe((done?.before.revision ?? 0) + 1);
    expect((await other.get('g1', 'text1'))?.options).toBeUndefined();
  });

  it('THEN every problem is named at once, by option, and nothing of the change is saved', async () => {
    await edit('text1', { daily_cap: '5' });
    const problems = await refused(
      edit('text1', {
        daily_cap: '0',
        min_spacing: '1441',
        max_age: '1e3',
        webhook_name: 'Discord news',
        webhook_avatar: 'http://example.com/a.png',
        tags: `${TAG}`,
        thread: '12',
        timezone: 'Mars/Olympus',
        locale: 'not a locale',
        digest: 'hourly 08:00',
      }),
    );
    expect(problems.map((p) => p.message)).toEqual([
      'tags: only a forum subscription has tags; this one posts in a text channel',
      'thread: must be a thread id (17 to 20 digits)',
      'daily_cap: must be a whole number of articles from 1 to 1000, got "0"',
      'min_spacing: must be a whole number of minutes from 0 to 1440, got "1441"',
      'max_age: must be a whole number of hours from 1 to 8760, got "1e3"',
      'digest: "hourly" is not daily or weekly; write "daily 08:00", "weekly mon 08:00", then a time zone such as Europe/Berlin and "only" if you like',
      'webhook_name: may not contain "discord": Discord refuses such webhook names',
      'webhook_avatar: must be an https:// address of an image',
      // The words rendering uses (templates/dates.ts): one check of each.
      'timezone: unknown time zone `Mars/Olympus`: use an IANA name such as Europe/Berlin or America/New_York',
      'locale: unknown locale `not a locale`: use a BCP 47 tag such as en-GB, de-DE or ja-JP',
    ]);
    expect((await other.get('g1', 'text1'))?.options).toEqual({ dailyCap: 5 });
    const forum = await refused(edit('forum1', { thread: THREAD, webhook_avatar: 'https://example.com/a.png', digest: 'weekly someday 08:00' }));
    expect(forum.map((p) => p.message)).toEqual([
      'thread: only a text channel subscription posts into an existing thread; this one is a forum',
      'digest: "someday" is not a day of the week (mon, tue, wed, thu, fri, sat, sun)',
      'webhook_avatar: needs a webhook: give webhook_name too',
    ]);
    const more = await refused(edit('forum1', { digest: 'daily 24:00', webhook_name: 'x'.repeat(81) }));
    expect(more.map((p) => p.message)).toEqual([
      'digest: "24:00" is not a time of day (HH:MM, 00:00 to 23:59)',
      'webhook_name: must be 1 to 80 characters long, got 81',
    ]);
    expect((await refused(edit('forum1', { digest: 'daily 08:00 only Europe/Berlin' })))[0]?.message).toBe(
      'digest: "Europe/Berlin" is not a time zone (such as Europe/Berlin or UTC) nor "only", in that order',
    );
  });

  it('THEN a mistake in mentions or tags is named at its column within the whole text', async () => {
    const text = `<@&${ROLE}>; <@&12>; user:${USER}`;
    const [bad] = await refused(edit('text1', { mentions: text }));
    expect(bad?.message).toBe('mentions: column 25: "<@&12>" is not a mention: write <@&ROLE_ID>, <@USER_ID>, role:ID or user:ID (ids are 17 to 20 digits)');
    expect(bad?.caret()).toEqual([text, `${' '.repeat(24)}^`]);
    const twice = await refused(edit('text1', { mentions: `role:${ROLE}; <@&${ROLE}>` }));
    expect(twice[0]?.message).toBe(`mentions: column 26: role ${ROLE} is named twice`);
    const noIf = await refused(edit('text1', { mentions: `user:${USER} when title contains "x"` }));
    expect(noIf[0]?.message).toBe(`mentions: column 25: expected "if" and a filter after user:${USER}`);
    const empty = await refused(edit('forum1', { tags: `${TAG} if  ` }));
    expect(empty[0]?.message).toBe('tags: column 22: expected a filter after "if"');
    const notTag = await refused(edit('forum1', { tags: `  ${TAG}; news` }));
    expect(notTag[0]?.message).toBe('tags: column 23: "news" is not a forum tag id (17 to 20 digits)');
    const emoji = await refused(edit('text1', { mentions: `📰 user:${USER}` }));
    expect(emoji[0]?.message).toBe('mentions: column 1: "📰" is not a mention: write <@&ROLE_ID>, <@USER_ID>, role:ID or user:ID (ids are 17 to 20 digits)');
    const second = await refused(edit('text1', { mentions: `user:${USER} if source = "📰"; nobody` }));
    // "nobody" is at UTF-16 offset 42 but character 41 (the emoji is one character): column 42, not 43.
    expect(second[0]?.column).toBe(42);
    const many = Array.from({ length: 21 }, (_, i) => `user:${String(100000000000000000 + i)}`).join(';');
    expect((await refused(edit('text1', { mentions: many })))[0]?.message).toBe('mentions: has 21 entries; at most 20');
  });

  it('THEN a filter mistake is named at its column, in the filter and inside a mention', async () => {
    const [f] = await refused(edit('text1', { filter: 'title contains' }));
    expect(f?.option).toBe('filter');
    expect(f?.message).toBe('filter: column 15: expected a value after `contains`');
    expect(f?.caret()).toEqual(['title contains', `${' '.repeat(14)}^`]);
    const text = `user:${USER} if title contains`;
    const [m] = await refused(edit('text1', { mentions: text }));
    expect(m?.option).toBe('mentions');
    // The filter starts at column 28 of the whole text; its 15th column is the 42nd.
    expect(m?.column).toBe(42);
    expect(m?.caret()).toEqual([text, `${' '.repeat(41)}^`]);
  });

  it('THEN a quote or regex in a rule neither swallows the next rule nor empties the list', async () => {
    const had = await edit('text1', { mentions: `role:${ROLE}` });
    expect(had?.after.options?.mentions).toEqual([{ kind: 'role', id: ROLE, filter: null }]);
    // The apostrophe sits inside a regex: both rules are read, the second one whole.
    const apostrophe = await edit('text1', { mentions: `role:${ROLE} if title matches /it's/; user:${USER}` });
    expect(apostrophe?.after.options?.mentions).toEqual([
      { kind: 'role', id: ROLE, filter: "title matches /it's/" },
      { kind: 'user', id: USER, filter: null },
    ]);
    // A `;` inside a regex is the regex's, not a separator.
    const semicolon = await edit('text1', { mentions: `role:${ROLE} if title matches /a;b/` });
    expect(semicolon?.after.options?.mentions).toEqual([{ kind: 'role', id: ROLE, filter: 'title matches /a;b/' }]);
    // An unclosed quote is refused at its column, and what was there stays.
    const unclosed = `role:${ROLE} if title has "it; user:${USER}`;
    const [q] = await refused(edit('text1', { mentions: unclosed }));
    expect(q?.message).toBe('mentions: column 38: this quote (") is never closed');
    // Over 60 characters: the line is cut at the front, the caret still under the quote.
    const [line = '', caret = ''] = q?.caret() ?? [];
    expect([line.slice(0, 5), line.indexOf('"'), caret.indexOf('^')]).toEqual(['…1234', 33, 33]);
    const [r] = await refused(edit('text1', { mentions: `role:${ROLE} if title matches /it's` }));
    expect(r?.message).toBe('mentions: column 42: this regular expression is never closed: end it with `/` (and flags such as `i`)');
    expect((await other.get('g1', 'text1'))?.options?.mentions).toEqual([{ kind: 'role', id: ROLE, filter: 'title matches /a;b/' }]);
    await edit('text1', { mentions: '-' });
  });

  it('THEN a subscription paused for a filter no longer accepted resumes once the filter is fixed, and says so', async () => {
    const reason = 'filter no longer accepted: title matches /(?=x)/ (…); set it again with /subscribe';
    await subs.put(subscription('paused1', 'text', { paused: { reason, at: '2026-12-01T11:00:00Z' } }));
    // Another setting leaves the pause alone.
    expect((await edit('paused1', { daily_cap: '5' }))?.resumed).toBe(false);
    expect((await other.get('g1', 'paused1'))?.paused?.reason).toBe(reason);
    const fixed = await edit('paused1', { filter: 'title has markets' });
    expect(fixed?.resumed).toBe(true);
    expect((await other.get('g1', 'paused1'))?.paused).toBeNull();
    // A pause for another reason stays, whatever the filter.
    const gone = { reason: 'the channel was deleted', at: '2026-12-01T11:00:00Z' };
    await subs.put(subscription('paused2', 'text', { paused: gone }));
    expect((await edit('paused2', { filter: 'title has markets' }))?.resumed).toBe(false);
    expect((await other.get('g1', 'paused2'))?.paused).toEqual(gone);
    // Keywords still refused keep it paused though the filter is good.
    await subs.put(
      subscription('paused3', 'text', { keywords: '/(?=x)/', paused: { reason: 'keywords no longer accepted: /(?=x)/', at: '2026-12-01T11:00:00Z' } }),
    );
    expect((await edit('paused3', { filter: 'title has markets' }))?.resumed).toBe(false);
  });

  it('THEN a template problem names its field as the option, with a caret at its column, and nothing is saved', async () => {
    const problems = await refused(edit('forum1', { title: 'Read {titel}', thread_name: '{title} {title} {title}', content: '{title}' }));
    expect(problems.map((p) => [p.option, p.column])).toEqual([
      ['title', 6],
      ['thread_name', undefined],
    ]);
    expect(problems[0]?.message).toBe('title: column 6: unknown placeholder {titel}; did you mean {title}?');
    expect(problems[0]?.caret()).toEqual(['Read {titel}', '     ^']);
    // Rendered with the sample (nothing is stored yet), three titles are over a thread name's 100 characters.
    expect(problems[1]?.message).toMatch(/^thread_name: 284 characters with article 5a3b1e0c9d8f7a61, 184 over Discord's limit of 100/);
    expect((await other.get('g1', 'forum1'))?.options?.template).toBeUndefined();
  });

  it('THEN the template is checked with the newest article the subscription would get, else the newest stored, else a sample', async () => {
    const empty = await edit('forum1', { content: '{title}' });
    expect(empty?.checkedWith).toEqual({ kind: 'sample', article: SAMPLE_ARTICLE });
    await store.upsert(article({ title: 'Tide tables for December', source: 'Coast Gazette', publishedAt: '2026-11-30T06:00' }));
    await store.upsert(article({ title: 'Markets open higher', source: 'Wire', publishedAt: '2026-12-01T06:00' }));
    const text = await edit('text1', { content: '{title} ({source})' });
    expect(text?.checkedWith?.kind).toBe('matching');
    expect(text?.checkedWith?.article.title).toBe('Tide tables for December');
    const forum = await edit('forum1', { content: '{url}' });
    expect(forum?.checkedWith?.kind).toBe('matching');
    expect(forum?.checkedWith?.article.title).toBe('Markets open higher');
    await subs.put(subscription('text2', 'text', { source: 'Nobody Weekly' }));
    const none = await edit('text2', { title: '{title}' });
    expect(none?.checkedWith?.kind).toBe('newest');
    expect(none?.checkedWith?.article.title).toBe('Markets open higher');
  });

  it('THEN a channel without a subscription is null, and no setting given changes nothing', async () => {
    expect(await edit('nowhere', { daily_cap: '3' })).toBeNull();
    // Clearing the avatar of a subscription that has no webhook leaves it without one.
    const noWebhook = await edit('forum1', { webhook_avatar: '-' });
    expect(noWebhook?.changed).toEqual([]);
    expect(noWebhook?.after.options?.webhook).toBeUndefined();
    const nothing = await edit('forum1', {});
    expect(nothing?.changed).toEqual([]);
    expect(nothing?.after).toEqual(nothing?.before);
  });
});

describe('GIVEN a long text with a mistake far in', () => {
  it('THEN the caret line shows a window around the column, marked with …', () => {
    const text = `${'a'.repeat(100)}X${'b'.repeat(100)}`;
    const [line, caret] = caretLines(text, 101);
    expect(line).toBe(`…${'a'.repeat(30)}X${'b'.repeat(29)}…`);
    expect(caret.indexOf('^')).toBe(line.indexOf('X'));
    expect(caretLines('a`b\nc', 4)).toEqual(['aˋb c', '   ^']);
    // Columns count characters, as the filter language does: an emoji is one.
    expect(caretLines('📰 x', 3)).toEqual(['📰 x', '  ^']);
  });
});
