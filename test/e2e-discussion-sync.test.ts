/**
 * Issue 16, "How it is shown", point 2, whole: a local Reddit serves a growing discussion, followed
 * for an article a subscription delivers to a channel of the local Discord, through the product's
 * wiring (wireDelivery: the real discussion fetcher, allowed 127.0.0.1; the real discord.js REST
 * client). Three polls add, edit, re-score and delete comments; after each, the stored tree equals
 * the source's and the article's thread holds one message per comment, each reply a Discord reply
 * to its parent's message; edits and deletions edit messages in place, a score alone edits nothing.
 */
import { REST } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeDiscord, type FakeMessage } from '@paperboy/fake-discord';
import type { Comment } from '../src/core/model.ts';
import { createLogger } from '../src/core/log.ts';
import { createFeedParser } from '../src/adapters/feeds/parse-worker.ts';
import { DELETED_AT_SOURCE } from '../src/app/delivery/tree-header.ts';
import { discordPoster } from '../src/ui/discord/discord-poster.ts';
import { type DeliveryWiring, wireDelivery } from '../src/ui/discord/delivery-wiring.ts';
import { TOKEN } from './helpers/bot.ts';
import { type Opened, discussionBackends } from './helpers/discussion-backends.ts';
import { type DiscussionSite, localFetcher, recordingClock, serveDiscussionSite } from './helpers/discussion-site.ts';
import { POST, REDDIT, VERSIONS, listing, requestMark, sourceTree, storedTree } from './helpers/e2e-discussion-sync.ts';
import { subscriptionToAll } from './helpers/subscribed.ts';
import { ferryArticle } from './helpers/articles.ts';

// The feed item's comments link: the subscription follows it once the article is delivered.
const feedArticle = ferryArticle(REDDIT);

const fast = { limit: 1000, windowMs: 1000 };
let opened: Opened | undefined;
let fake: FakeDiscord | undefined;
let site: DiscussionSite | undefined;
let wiring: DeliveryWiring | undefined;
afterEach(async () => {
  await wiring?.stop();
  await fake?.close();
  await site?.close();
  await opened?.close();
  [wiring, fake, site, opened] = [undefined, undefined, undefined, undefined];
});

/**
 * The thread's messages against the stored comments: exactly one message per comment (found by its
 * source link) and nothing else; a reply answers its parent's message, a top comment answers nothing.
 */
function threadByComment(messages: readonly FakeMessage[], comments: readonly Comment[]): Map<string, FakeMessage> {
  const byId = new Map<string, FakeMessage>();
  for (const c of comments) {
    const found = messages.filter((m) => m.content.includes(`/${c.id.slice('reddit:'.length)}/>`));
    expect(found, `messages for ${c.id}`).toHaveLength(1);
    byId.set(c.id, found[0]!);
  }
  expect(messages).toHaveLength(comments.length);
  for (const c of comments)
    expect(byId.get(c.id)?.message_reference?.message_id, `${c.id} answers`).toBe(c.replyTo === null ? undefined : byId.get(c.replyTo)?.id);
  return byId;
}

describe.each(Object.keys(discussionBackends) as (keyof typeof discussionBackends)[])(
  'GIVEN a growing Reddit discussion followed for an article a subscription delivers (%s)',
  (name) => {
    it('THEN three polls add, edit and delete comments, and the stored tree and the posted thread follow the source, with no duplicates', async () => {
      opened = await discussionBackends[name]();
      const { store, state } = opened;
      fake = await FakeDiscord.start({ botToken: TOKEN, rateLimits: { channelMessages: fast, global: fast, default: fast } });
      const f = fake;
      site = await serveDiscussionSite();
      let version: 1 | 2 | 3 = 1;
      site.route(`/comments/${POST}.json`, (req) => {
        const etag = `"v${version}"`;
        if (req.headers['if-none-match'] === etag) return { status: 304, headers: { ETag: etag } };
        return { headers: { ETag: etag }, body: listing(VERSIONS[version]) };
      });
      const rest = new REST({ api: f.apiUrl, globalRequestsPerSecond: 10_000 }).setToken(TOKEN);
      wiring = wireDelivery({
        store,
        state,
        poster: discordPoster(rest, () => f.botUser.id, TOKEN),
        log: createLogger({ level: 'silent' }),
        now: () => new Date(),
        delivery: {
          cron: null,
          feedParser: createFeedParser(),
          // No spacing between syncs, and a run waits for its sync: each poll's comments go out in that run.
          discussions: { fetcher: localFetcher(site.base, recordingClock()), requestsPerRun: 5, minIntervalMs: 0, waitMs: 60_000 },
        },
      });
      const guildId = f.createGuild({ name: 'Readers' }).id;
      const t = { guildId, channelId: f.createChannel(guildId, { name: 'news' }).id, kind: 'text' as const };
      await store.upsert(feedArticle);
      await wiring.subscriptions.put({ ...(await subscriptionToAll(store, t, new Date().toISOString())), followDiscussions: true });

      // Run 0: the article is posted, and its discussion followed; nothing read yet.
      expect(await wiring.runner.run()).toMatchObject([{ articles: 1, error: null }]);
      const [post] = f.messages(t.channelId);
      expect(post?.embeds[0]?.title).toBe(feedArticle.title);
      expect(await wiring.discussions.get(REDDIT)).toMatchObject({ articleId: feedArticle.id, ownsArticle: false });
      expect(site.requests).toHaveLength(0);

      const poll = async (v: 1 | 2 | 3) => {
        version = v;
        const since = requestMark(f);
        expect((await wiring!.runner.run())[0]).toMatchObject({ error: null, paused: null });
        const stored = (await store.get(feedArticle.id))?.comments ?? [];
        expect(storedTree(stored)).toEqual(sourceTree(VERSIONS[v]));
        const thread = f.threads(t.channelId)[0]?.id ?? '';
        const byId = threadByComment(f.messages(thread), stored);
        const done = since();
        // Everything posted went into the article's thread; the post itself is never posted again.
        expect(done.created.every((c) => c === thread)).toBe(true);
        const of = (ids: string[]) => ids.map((id) => byId.get(`reddit:${id}`)?.id);
        return {
          stored,
          byId,
          thread,
          created: done.created.length,
          edited: done.edited.filter((id) => id !== post?.id),
          // The post's own edits: its "N comments" field, kept up to date.
          post: [done.edited.filter((id) => id === post?.id).length, f.messages(t.channelId)[0]?.embeds[0]?.fields?.find((x) => x.name === 'Comments')?.value],
          of,
          text: (id: string) => byId.get(`reddit:${id}`)?.content ?? '',
        };
      };

      // Poll 1: the whole tree, three deep, posted once.
      const p1 = await poll(1);
      expect(p1.created).toBe(5);
      expect(p1.edited).toEqual([]);
      expect(p1.post).toEqual([1, expect.stringMatching(/^5 comments · /u)]);
      expect(p1.text('c3')).toContain('Are you sure? The notice says every day.');
      const first = new Map([...p1.byId].map(([id, m]) => [id, m.id]));

      // Poll 2: three new comments posted under the right parents, a1's message edited in place, b2's new score edits nothing.
      const p2 = await poll(2);
      expect(p2.created).toBe(3);
      expect(p2.edited).toEqual(p2.of(['a1']));
      expect(p2.post).toEqual([1, expect.stringMatching(/^8 comments · /u)]);
      expect(p2.text('a1')).toContain('(Edit: from Monday.)');
      expect(p2.byId.get('reddit:f6')?.message_reference?.message_id).toBe(first.get('reddit:a1'));
      expect(p2.byId.get('reddit:h8')?.message_reference?.message_id).toBe(first.get('reddit:c3'));
      for (const [id, m] of first) expect(p2.byId.get(id)?.id).toBe(m);

      // Poll 3: d4 deleted at the source: its message says so, its reply e5 stays; e5's new score edits nothing.
      const p3 = await poll(3);
      expect(p3.created).toBe(0);
      expect(p3.edited).toEqual(p3.of(['d4']));
      expect(p3.post).toEqual([0, expect.stringMatching(/^8 comments · /u)]);
      expect(p3.text('d4')).toContain(DELETED_AT_SOURCE);
      expect(p3.text('d4')).not.toContain('winter timetable');
      // The store keeps who wrote it (the source says "[deleted]" there too): only the text goes.
      expect(p3.stored.find((c) => c.id === 'reddit:d4')).toMatchObject({ author: 'dee', paragraphs: [], deleted: true });
      expect(p3.text('e5')).toContain('It was posted at the harbour office.');
      expect(p3.byId.get('reddit:e5')?.message_reference?.message_id).toBe(first.get('reddit:d4'));
      for (const [id, m] of first) expect(p3.byId.get(id)?.id).toBe(m);

      // A fourth poll: the site answers 304, and nothing is posted or edited.
      const p4 = await poll(3);
      expect([p4.created, p4.edited, p4.post[0]]).toEqual([0, [], 0]);
      expect(site.requests.map((r) => r.headers['if-none-match'] ?? '-')).toEqual(['-', '"v1"', '"v2"', '"v3"']);
      expect(f.messages(t.channelId)).toHaveLength(1);
      // g7 says "@everyone": reposted, it pings no one.
      expect(p4.text('g7')).toContain('@everyone');
      expect(f.messages(p4.thread).filter((m) => m.mention_everyone || m.mentions.length > 0)).toEqual([]);
      expect(f.violations).toEqual([]);
    }, 60_000);
  },
);
