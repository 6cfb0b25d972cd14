/**
 * /preview's answer fits Discord's limits without touching the post it shows: list lines that do not
 * fit are counted instead. It says who the post would ping, its forum tags and the webhook name it
 * posts under, and shows the post's text with its pings first, as the renderer sends it.
 */
import { describe, expect, it } from 'vitest';
import type { Preview, PreviewDestination, PreviewItem } from '../src/app/delivery/preview.ts';
import { articleViews } from '../src/app/delivery/messages.ts';
import { DISCORD_MENTIONS, destinationLines, previewView } from '../src/app/views/preview-view.ts';
import { renderMessage } from '../src/ui/discord/render.ts';
import { sampleArticle } from './text-sample.ts';

const embedChars = (e: {
  title?: string;
  description?: string;
  footer?: string;
  author?: string;
  fields?: readonly { name: string; value: string }[];
}): number => [e.title, e.description, e.footer, e.author, ...(e.fields ?? []).flatMap((f) => [f.name, f.value])].reduce((n, t) => n + (t?.length ?? 0), 0);

describe('GIVEN 25 articles blocked for long reasons and the seed article as the next post', () => {
  const sample = sampleArticle();
  const post = articleViews(sample).post;
  const nowhere: PreviewDestination = { ping: null, tags: null, webhookName: null, sharedThread: null, pause: null, unchecked: null };
  const items: PreviewItem[] = Array.from({ length: 25 }, (_, i) => ({
    id: `id${i}`,
    title: `${sample.title} (${i})`,
    url: null,
    at: '2026-12-01T00:00:00Z',
    verdict: { kind: 'filtered', because: `title contains "${'harbour '.repeat(20)}" (title is "${sample.title}")` },
  }));
  const preview: Preview = {
    guildId: '1',
    channelId: '2',
    channelName: 'news_*desk*',
    source: null,
    items,
    next: { id: sample.id, title: sample.title, sample: false, post, threadName: sample.title, destination: nowhere },
  };

  it('THEN the list stays inside one description and the message total, the post is shown as it is, and the rest is counted', () => {
    const view = previewView(preview);
    const [list, ...shown] = view.embeds ?? [];
    expect(shown).toEqual(post.embeds);
    expect(list?.title).toBe('Preview: #news\\_\\*desk\\*');
    expect(list?.description?.length).toBeLessThanOrEqual(4096);
    expect((view.embeds ?? []).reduce((n, e) => n + embedChars(e), 0)).toBeLessThanOrEqual(6000);
    const lines = list?.description?.split('\n') ?? [];
    const listed = lines.filter((l) => l.startsWith('🚫 ')).length;
    expect(listed).toBeGreaterThan(0);
    expect(lines).toContain(`… and ${25 - listed} more not shown: ask for fewer with count:`);
  });

  it('THEN with the longest filter typed, for a channel with no subscription, that comes first and the list still fits', () => {
    const expression = `title contains "${'x'.repeat(980)}" and (`.slice(0, 1000);
    const view = previewView({ ...preview, typed: { expression, assumedBackfill: 25 } });
    const description = view.embeds?.[0]?.description ?? '';
    expect(description.length).toBeLessThanOrEqual(4096);
    expect((view.embeds ?? []).reduce((n, e) => n + embedChars(e), 0)).toBeLessThanOrEqual(6000);
    const lines = description.split('\n');
    expect(lines[0]).toBe(`With the filter you typed (not saved): \`${expression}\``);
    expect(lines[1]).toMatch(
      /^<#2> has no subscription: shown as if subscribed now with this filter, every source and backfill:latest 25, .* \/subscribe’s default is backfill:latest 3\.$/,
    );
    expect(lines).toContain(`… and ${25 - lines.filter((l) => l.startsWith('🚫 ')).length} more not shown: ask for fewer with count:`);
  });

  it('THEN a short list is shown whole', () => {
    const view = previewView({ ...preview, items: items.slice(0, 3) });
    expect(view.embeds?.[0]?.description?.split('\n').filter((l) => l.startsWith('🚫 '))).toHaveLength(3);
    expect(view.embeds?.[0]?.description).not.toContain('more not shown');
  });
});

describe('GIVEN a next post that pings a role and a user, gets two forum tags and goes through a webhook', () => {
  const sample = sampleArticle();
  const role = '844444444444444444';
  const user = '855555555555555555';
  const destination: PreviewDestination = {
    ping: { roles: [role], users: [user] },
    tags: ['866666666666666666', '877777777777777777'],
    webhookName: 'Harbour *Desk*',
    sharedThread: null,
    pause: null,
    unchecked: null,
  };
  const base = articleViews(sample).post;
  const post = { ...base, content: 'Fresh from the harbour', ping: destination.ping! };
  const preview: Preview = {
    guildId: '1',
    channelId: '2',
    channelName: 'harbour',
    source: null,
    items: [],
    next: { id: sample.id, title: sample.title, sample: false, post, threadName: sample.title, destination },
  };

  it('THEN the answer names them, shows the post’s text as the renderer sends it, and carries no ping of its own', () => {
    const view = previewView(preview);
    const description = view.embeds?.[0]?.description ?? '';
    expect(description).toContain(`\nWould ping <@&${role}>, <@${user}> (this preview pings no one).`);
    expect(description).toContain('\nForum tags it would get: 866666666666666666, 877777777777777777.');
    expect(description).toContain('\nPosted through the channel’s webhook as “Harbour \\*Desk\\*”.');
    expect(view.content).toBe(`The post's message text:\n${renderMessage(post).content ?? ''}`);
    expect(view.content).toBe(`The post's message text:\n<@&${role}> <@${user}>\nFresh from the harbour`);
    // Who a post pings is the view's `ping`; the answer has none, so it is rendered with nothing allowed.
    expect(view.ping).toBeUndefined();
  });

  it('THEN a forum whose tag rules all fail, a shared thread and many pings each read plainly', () => {
    const many = Array.from({ length: 14 }, (_, i) => `8${String(i).padStart(17, '0')}`);
    const lines = destinationLines(
      { ping: { roles: many, users: [] }, tags: [], webhookName: null, sharedThread: '899999999999999999', pause: null, unchecked: null },
      DISCORD_MENTIONS,
    );
    expect(lines).toEqual([
      `Would ping ${many
        .slice(0, 10)
        .map((id) => `<@&${id}>`)
        .join(', ')} and 4 more (this preview pings no one).`,
      'Forum tags it would get: none (no tag rule passes).',
      'Posted in the existing thread <#899999999999999999>, with no thread of its own.',
    ]);
    expect(
      destinationLines({ ping: { roles: ['not-an-id'], users: [] }, tags: null, webhookName: null, sharedThread: null, pause: null, unchecked: null }),
    ).toEqual(['Would ping no one.']);
    expect(destinationLines({ ...destination, ping: null, pause: 'the thread 8 is not a thread', unchecked: 'HTTP 503' }).slice(3)).toEqual([
      'But the next run pauses this subscription instead of posting: the thread 8 is not a thread.',
      'Discord could not be asked about the forum’s tags or the thread (HTTP 503): shown as the settings say.',
    ]);
    expect(destinationLines({ ...destination, tags: null })).toEqual([
      `Would ping @role ${role}, @user ${user} (this preview pings no one).`,
      'Posted through the channel’s webhook as “Harbour *Desk*”.',
    ]);
  });
});
