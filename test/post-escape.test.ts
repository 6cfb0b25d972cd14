/**
 * Text from articles is hostile: what the delivery plan posts shows it as written. The Source and
 * Author fields of a post and a comment's label in its header are escaped, so `**`, `_`, `~`, a
 * backtick, `|`, `>`, `#` and `[x](y)` are not read as Discord markdown. Checked on the plan's
 * payloads, drawn by the playground's renderer of Discord markdown.
 */
import { describe, expect, it } from 'vitest';
import type { Article } from '../src/core/model.ts';
import { articleViews } from '../src/app/delivery/messages.ts';
import { renderMessage } from '../src/ui/discord/render.ts';
import { renderMarkdown } from '../src/ui/playground/client/markdown.ts';
import { article, comment } from './helpers/articles.ts';

const ctx = { userName: () => undefined, channelName: () => undefined };
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/**
 * What a reader sees of `markdown`, given that it holds no formatting: a bare URL may be linked by
 * Discord (its text is still the URL), any other markup is formatting the text did not ask for.
 */
function shown(markdown: string, options: { embed?: boolean } = {}): string {
  const html = renderMarkdown(markdown, ctx, options);
  const bare = html.replace(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g, (whole, href: string, text: string) => {
    expect(URL.canParse(text) && new URL(text).href === href, `a masked link in ${html}`).toBe(true);
    return text;
  });
  expect(bare.replace(/<br>/g, ''), `formatting in ${html}`).not.toMatch(/<[a-z/]/i);
  return bare.replace(/<br>/g, '\n').replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e);
}

/** The post and comment messages of `a` as delivery sends them. */
function payloads(a: Article): { post: ReturnType<typeof renderMessage>; comments: ReturnType<typeof renderMessage>[] } {
  const views = articleViews(a);
  return { post: renderMessage(views.post), comments: views.comments.map((s) => renderMessage(s.message)) };
}

const HOSTILE = ['**Bold** [x](https://evil)', '_a_', '~~gone~~ `code` ||spoiler||', '> quoted', '# Heading', '- item', '<@123456789012345678>'];

describe('GIVEN an article whose source and author hold markdown', () => {
  it('THEN the post’s Source and Author fields are escaped and show as written', () => {
    const plan = payloads(article({ title: 'Harbour reopens', source: '**Bold** [x](https://evil)', author: '_a_' }));
    const fields = plan.post.embeds?.[0]?.fields ?? [];
    const source = fields.find((f) => f.name === 'Source')?.value ?? '';
    const author = fields.find((f) => f.name === 'Author')?.value ?? '';
    expect(source).toBe('\\*\\*Bold\\*\\* \\[x\\](https://evil)');
    expect(author).toBe('\\_a\\_');
    expect(shown(source, { embed: true })).toBe('**Bold** [x](https://evil)');
    expect(shown(author, { embed: true })).toBe('_a_');
  });

  it('THEN every kind of markdown in either field shows as written', () => {
    for (const text of HOSTILE) {
      const fields = payloads(article({ title: 'Harbour reopens', source: text, author: text })).post.embeds?.[0]?.fields ?? [];
      for (const name of ['Source', 'Author']) expect(shown(fields.find((f) => f.name === name)?.value ?? '', { embed: true }), `${name}: ${text}`).toBe(text);
    }
  });
});

describe('GIVEN a comment with no number, whose id (its label) holds markdown', () => {
  it('THEN the comment header shows the id as written, in bold, and the comment text follows', () => {
    const plan = payloads(
      article({ title: 'Harbour reopens', comments: [comment(1, 'Good news.', { number: null, id: '*x*_y_|z` [a](https://evil)', author: '~~Eve~~' })] }),
    );
    const content = plan.comments[0]?.content ?? '';
    expect(content).toBe('**\\*x\\*\\_y\\_\\|z\\` \\[a\\](https://evil)** · \\~\\~Eve\\~\\~ · 2021-10-20 10:12 · rating 0\nGood news.');
    const header = content.split('\n')[0] ?? '';
    // The label is the only bold: take the bold marks off, and the rest is text as written.
    expect(header.slice(0, 2)).toBe('**');
    expect(header.indexOf('** · '), header).toBeGreaterThan(2);
    const label = header.slice(2, header.indexOf('** · '));
    expect(shown(label)).toBe('*x*_y_|z` [a](https://evil)');
  });

  it('THEN a numbered comment keeps its plain #N label', () => {
    const plan = payloads(article({ title: 'Harbour reopens', comments: [comment(7, 'Fine.')] }));
    expect(plan.comments[0]?.content).toBe('**#7** · 2021-10-20 10:12 · rating 0\nFine.');
  });
});
