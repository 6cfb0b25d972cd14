/** /preview's answer fits Discord's limits without touching the post it shows: list lines that do not fit are counted instead. */
import { describe, expect, it } from 'vitest';
import type { Preview, PreviewItem } from '../src/app/delivery/preview.ts';
import { articleViews } from '../src/app/delivery/messages.ts';
import { previewView } from '../src/app/views/preview-view.ts';
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
    next: { id: sample.id, title: sample.title, sample: false, post, threadName: sample.title },
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

  it('THEN a short list is shown whole', () => {
    const view = previewView({ ...preview, items: items.slice(0, 3) });
    expect(view.embeds?.[0]?.description?.split('\n').filter((l) => l.startsWith('🚫 '))).toHaveLength(3);
    expect(view.embeds?.[0]?.description).not.toContain('more not shown');
  });
});
