/**
 * The playground's Discord markdown renderer: the bot's own markdown (escaped text, highlights,
 * quotes, masked links) shows as Discord shows it, hostile text stays text, and input built to
 * defeat regex-based renderers comes out correct.
 */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../src/ui/playground/client/markdown.ts';
import { blockQuote, escape, highlight, highlightOneLine, link } from '../src/app/views/markdown.ts';

const USERS: Record<string, string> = { '123456789012345678': 'Alice', '222222222222222222': '<b>Eve</b>' };
const CHANNELS: Record<string, string> = { '333333333333333333': 'news' };
const ctx = { userName: (id: string) => USERS[id], channelName: (id: string) => CHANNELS[id] };
const md = (text: string, options?: { embed?: boolean; inline?: boolean }): string => renderMarkdown(text, ctx, options);

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
/** The text a reader sees, when the HTML is nothing but text and line breaks. */
function shownText(html: string): string {
  expect(html.replace(/<br>/g, '')).not.toMatch(/<[a-z/]/i);
  return html.replace(/<br>/g, '\n').replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e);
}

/** The markup the renderer may write, attribute for attribute. Anything else is an injection or a bug. */
const ALLOWED_TAG = new RegExp(
  [
    '<(?:strong|em|u|s|blockquote|ul|li|h[123]|pre)>',
    '<ol(?: start="\\d+")?>',
    '<br>',
    '<span class="(?:mention|emoji)">',
    '<span class="spoiler" tabindex="0">',
    '<small class="subtext">',
    '<code class="inline-code">',
    '<pre class="code-block">',
    '<code(?: data-lang="[\\w+\\-.#]+")?>',
    '<time class="timestamp-mention" datetime="[\\dT:.Z-]+" title="[^"<>]*">',
    '<a href="https?://[^"<>\\s]*" rel="noopener noreferrer" target="_blank" title="https?://[^"<>\\s]*">',
    '</(?:strong|em|u|s|blockquote|ul|ol|li|h[123]|pre|span|small|code|time|a)>',
  ].join('|'),
  'y',
);
const VOID = new Set(['br']);

/** Checks every tag is one the renderer may write and that they nest properly; returns the tag names in order. */
function checkMarkup(html: string): string[] {
  const names: string[] = [];
  const open: string[] = [];
  for (let i = html.indexOf('<'); i !== -1; i = html.indexOf('<', i + 1)) {
    ALLOWED_TAG.lastIndex = i;
    const tag = ALLOWED_TAG.exec(html)?.[0];
    if (tag === undefined) expect.fail(`unexpected markup at ${i}: ${html.slice(i, i + 80)}`);
    const name = /^<\/?([a-z0-9]+)/.exec(tag)?.[1] ?? '';
    if (!tag.startsWith('</')) {
      names.push(name);
      if (!VOID.has(name)) open.push(name);
    } else if (open.pop() !== name) expect.fail(`</${name}> at ${i} closes the wrong element: ${html.slice(Math.max(0, i - 80), i + 10)}`);
  }
  expect(open, 'unclosed elements').toEqual([]);
  // Outside tags, no raw angle bracket or quote can reach the page.
  expect(html.replace(/<[^>]*>/g, '')).not.toMatch(/[<>"]/);
  return names;
}

describe('GIVEN the bot’s own markdown (src/app/views/markdown.ts)', () => {
  const tricky = [
    'a*b*c _d_ e__f__ ~~g~~ ||h|| `i` ```j``` \\k \\\\ [l](x) <@123456789012345678> <#1> <t:1:R> <:e:1> @ # -# 1.',
    '> not a quote\n>>> nor this\n# not a heading\n## nor\n-# nor subtext\n- not a list\n* nor this\n  + nor this',
    '```\ncode?\n```\nsnake_case_name and 2 * 3 * 4 and **not bold**',
    '¯\\_(ツ)_/¯ and <script>alert("x")</script> & "quotes" \'too\'',
    '',
  ];

  it.each(tricky)('THEN escaped text %j renders back to exactly its characters, with no markup', (text) => {
    expect(shownText(md(escape(text)))).toBe(text);
  });

  it('THEN a line starting "1. " survives escaping as "1\\.", which Discord shows as typed', () => {
    // Discord's escape takes a backslash only before a non-alphanumeric character, so `\1.` would
    // show its backslash; `1\.` shows `1.` and still does not start a list.
    expect(shownText(md(escape('1. first\n2. second')))).toBe('1. first\n2. second');
  });

  it('THEN a URL in escaped text is still a link (escape() leaves `:`, `/` and `.` alone), and CRLF is a line break', () => {
    expect(md(escape('read https://a.example/page.\r\nthen'))).toBe(
      'read <a href="https://a.example/page" rel="noopener noreferrer" target="_blank" title="https://a.example/page">https://a.example/page</a>.<br>then',
    );
  });

  it('THEN **highlights** are bold and the rest stays literal', () => {
    expect(md(highlight('the quick brown fox', [[4, 9]]))).toBe('the <strong>quick</strong> brown fox');
    expect(md(highlight('a *b* c_d', [[2, 5]]))).toBe('a <strong>*b*</strong> c_d');
    // Two highlights side by side (`**quick****brown**`) are two bold words, not one bold `quick**brown`.
    expect(
      md(
        highlight('quickbrown', [
          [0, 5],
          [5, 10],
        ]),
      ),
    ).toBe('<strong>quick</strong><strong>brown</strong>');
  });

  it('THEN a block quote renders as one quote, its lines kept, its text escaped', () => {
    expect(md(blockQuote('line *one*\n\n# line three'))).toBe('<blockquote>line *one*<br><br># line three</blockquote>');
    const citation = `${blockQuote('They said so.')}\n— *${escape('A_title')}*, paragraph 3`;
    expect(md(citation)).toBe('<blockquote>They said so.</blockquote>— <em>A_title</em>, paragraph 3');
  });

  it('THEN a search hit shows its number bold, its title as a link with brackets kept, and its snippet highlighted', () => {
    const title = link('Title with [brackets] and *stars*', 'https://news.example/a(b)');
    const hit = `**1.** ${title}\nGuardian · 2021-10-20\n${highlightOneLine('a snippet   about trump_tower', [[18, 23]])}`;
    expect(md(hit, { embed: true })).toBe(
      '<strong>1.</strong> <a href="https://news.example/a(b%29" rel="noopener noreferrer" target="_blank" title="https://news.example/a(b%29">' +
        'Title with [brackets] and *stars*</a><br>Guardian · 2021-10-20<br>a snippet about <strong>trump</strong>_tower',
    );
  });
});

describe('GIVEN hostile text', () => {
  it('THEN HTML in it is shown as text', () => {
    expect(md('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(md('"><img src=x onerror=alert(1)>')).toBe('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(md('**<img src=x onerror=alert(1)>**')).toBe('<strong>&lt;img src=x onerror=alert(1)&gt;</strong>');
  });

  it.each([
    '[x](javascript:alert(1))',
    '[x](JAVASCRIPT:alert(1))',
    '[x](data:text/html,<script>alert(1)</script>)',
    '[x](<javascript:alert(1)>)',
    'javascript:alert(1)',
    '<javascript:alert(1)>',
    '[x](//evil.example)',
  ])('THEN %j makes no link, and shows as written', (text) => {
    const html = md(text);
    expect(html).not.toContain('<a');
    expect(shownText(html)).toBe(text);
  });

  it('THEN a URL cannot break out of its attribute', () => {
    for (const text of [
      '<https://a.example/"onmouseover="alert(1)>',
      '[x](https://a.example/"onmouseover="alert(1))',
      'https://a.example/"onmouseover="alert(1)',
      "https://a.example/'><b>x",
    ]) {
      const html = md(text);
      checkMarkup(html);
      expect(html).toMatch(/<a href="https:\/\/a\.example\/[^"]*"/);
      expect(html).not.toMatch(/<a[^>]*\sonmouseover=/);
    }
  });

  it('THEN names from the context are escaped too, and a code language cannot add attributes', () => {
    expect(md('<@222222222222222222>')).toBe('<span class="mention">@&lt;b&gt;Eve&lt;/b&gt;</span>');
    const html = md('```js" onclick="x\ncode\n```');
    checkMarkup(html);
    expect(html).not.toContain('onclick="');
  });
});

describe('GIVEN mentions, timestamps and emoji', () => {
  it('THEN a user mention shows the name, with or without the nickname `!`, and an unknown id as @unknown-user', () => {
    expect(md('hi <@123456789012345678>!')).toBe('hi <span class="mention">@Alice</span>!');
    expect(md('<@!123456789012345678>')).toBe('<span class="mention">@Alice</span>');
    expect(md('<@999999999999999999>')).toBe('<span class="mention">@unknown-user</span>');
  });

  it('THEN channels, roles, @everyone and @here are styled mentions; a broken tag is text', () => {
    expect(md('<#333333333333333333> <#444444444444444444>')).toBe('<span class="mention">#news</span> <span class="mention">#unknown</span>');
    expect(md('<@&555555555555555555>')).toBe('<span class="mention">@role</span>');
    expect(md('@everyone and @here')).toBe('<span class="mention">@everyone</span> and <span class="mention">@here</span>');
    expect(md('<@12a> <@> <#x>')).toBe('&lt;@12a&gt; &lt;@&gt; &lt;#x&gt;');
  });

  it('THEN a timestamp is a <time> at that instant, in words', () => {
    const html = md('at <t:1700000000:D>');
    expect(html).toMatch(/^at <time class="timestamp-mention" datetime="2023-11-14T22:13:20\.000Z" title="[^"]+">[^<]*2023[^<]*<\/time>$/);
    expect(md('<t:1700000000>')).toContain('datetime="2023-11-14T22:13:20.000Z"');
    // Out of Date's range: not a timestamp, so it stays as typed.
    expect(md('<t:9999999999999>')).toBe('&lt;t:9999999999999&gt;');
  });

  it('THEN a custom emoji shows its name between colons', () => {
    expect(md('<:paperboy:123456789012345678> <a:spin:1>')).toBe('<span class="emoji">:paperboy:</span> <span class="emoji">:spin:</span>');
  });
});

describe('GIVEN Discord’s formatting', () => {
  it.each([
    ['**b**', '<strong>b</strong>'],
    ['*i* and _i_', '<em>i</em> and <em>i</em>'],
    ['__u__', '<u>u</u>'],
    ['~~s~~', '<s>s</s>'],
    ['||secret||', '<span class="spoiler" tabindex="0">secret</span>'],
    ['***bold italic***', '<em><strong>bold italic</strong></em>'],
    ['**bold _it ~~s~~_**', '<strong>bold <em>it <s>s</s></em></strong>'],
    ['__*u it*__', '<u><em>u it</em></u>'],
    ['*a **b** c*', '<em>a <strong>b</strong> c</em>'],
    ['||**x** <@123456789012345678>||', '<span class="spoiler" tabindex="0"><strong>x</strong> <span class="mention">@Alice</span></span>'],
    // Unbalanced or space-bound markers stay text.
    ['**a', '**a'],
    ['2 * 3 * 4', '2 * 3 * 4'],
    ['snake_case_name', 'snake_case_name'],
    ['a ~ b | c', 'a ~ b | c'],
    // Backslash escapes: punctuation loses the backslash, letters keep it, as in Discord (the shrug loses an arm).
    ['\\*a\\* \\\\ \\a', '*a* \\ \\a'],
    ['¯\\_(ツ)_/¯', '¯_(ツ)_/¯'],
    ['a\nb\n\nc', 'a<br>b<br><br>c'],
  ])('THEN %j renders as %j', (text, html) => {
    expect(md(text)).toBe(html);
  });

  it('THEN code keeps markdown, mentions and HTML literal, and a code block keeps its line breaks', () => {
    expect(md('`**x** <@123456789012345678>`')).toBe('<code class="inline-code">**x** &lt;@123456789012345678&gt;</code>');
    expect(md('``a ` b``')).toBe('<code class="inline-code">a ` b</code>');
    expect(md('before ```js\nif (a < b) **x**;\n\n> no quote\n``` after')).toBe(
      'before <pre class="code-block"><code data-lang="js">if (a &lt; b) **x**;\n\n&gt; no quote</code></pre> after',
    );
    expect(md('```unclosed *x*')).toBe('```unclosed <em>x</em>');
  });

  it('THEN block quotes: `> ` lines join into one quote, `>>> ` takes the rest, and quotes do not nest', () => {
    expect(md('> one\n> **two**\nafter')).toBe('<blockquote>one<br><strong>two</strong></blockquote>after');
    expect(md('before\n>>> all\n> of\nthis')).toBe('before<blockquote>all<br>&gt; of<br>this</blockquote>');
    expect(md('>no space')).toBe('&gt;no space');
  });

  it('THEN headings, subtext and lists are drawn at line starts only', () => {
    expect(md('# One\n## Two\n### Three\n#### Four')).toBe('<h1>One</h1><h2>Two</h2><h3>Three</h3>#### Four');
    expect(md('text # not\n-# small *print*')).toBe('text # not<small class="subtext">small <em>print</em></small>');
    expect(md('- a\n* **b**\n3. c\n4. d\nafter')).toBe('<ul><li>a</li><li><strong>b</strong></li></ul><ol start="3"><li>c</li><li>d</li></ol>after');
    expect(md('#no space')).toBe('#no space');
  });

  it('THEN embed field values draw no headings, and titles draw inline marks only', () => {
    expect(md('# Big\n**x**', { embed: true })).toBe('# Big<br><strong>x</strong>');
    expect(md('# Big', {})).toBe('<h1>Big</h1>');
    expect(md('> **Title** [x](https://a.example) https://b.example', { inline: true })).toBe(
      '&gt; <strong>Title</strong> [x](https://a.example) https://b.example',
    );
  });

  it('THEN links: masked, bare and bracketed http(s) URLs, without trailing punctuation', () => {
    const a = (href: string, text: string): string => `<a href="${href}" rel="noopener noreferrer" target="_blank" title="${href}">${text}</a>`;
    expect(md('[the **docs**](https://a.example/d)')).toBe(a('https://a.example/d', 'the <strong>docs</strong>'));
    expect(md('see https://a.example/x?q=1&r=2.')).toBe(`see ${a('https://a.example/x?q=1&amp;r=2', 'https://a.example/x?q=1&amp;r=2')}.`);
    expect(md('(https://a.example/p)')).toBe(`(${a('https://a.example/p', 'https://a.example/p')})`);
    expect(md('**https://a.example**')).toBe(`<strong>${a('https://a.example/', 'https://a.example')}</strong>`);
    expect(md('<https://a.example/no-embed>')).toBe(a('https://a.example/no-embed', 'https://a.example/no-embed'));
    expect(md('[](https://a.example) [x] (https://b.example)')).toBe(
      `[](${a('https://a.example/', 'https://a.example')}) [x] (${a('https://b.example/', 'https://b.example')})`,
    );
  });
});

describe('GIVEN 6,000 characters built to make a regex renderer backtrack', () => {
  it.each([
    ['3,000 asterisks then a letter', '*'.repeat(3000) + 'a'],
    ['1,500 `[(`', '[('.repeat(1500)],
    ['6,000 underscores', '_'.repeat(6000)],
    ['6,000 pipes', '|'.repeat(6000)],
    ['6,000 tildes', '~'.repeat(6000)],
    ['unclosed link openers', '[a]('.repeat(1500)],
    ['unclosed tags', '<@'.repeat(3000)],
    ['unclosed bracketed URLs', '<https://'.repeat(666)],
  ])('THEN %s come out as the same text, with no markup', (_name, text) => {
    expect(shownText(md(text))).toBe(text);
  });

  it('THEN 3,000 single-asterisk pairs are 1,500 italics and 3,000 backslashes are 1,500 backslashes', () => {
    expect(md('*a'.repeat(3000))).toBe('<em>a</em>a'.repeat(1500));
    expect(md('\\'.repeat(6000))).toBe('\\'.repeat(3000));
  });

  it('THEN 1,500 nested bold pairs nest properly', () => {
    const html = md(`${'**'.repeat(1500)}x${'**'.repeat(1500)}`);
    expect(checkMarkup(html)).toEqual(Array<string>(1500).fill('strong'));
  });

  it('THEN a mix of every marker gives only the renderer’s own, well-nested markup', () => {
    for (const unit of ['**_~~||`', '*_*_|~', '`*`_', '> *a\n', '- **a\n# _b\n', '[a](https://x.example/*', 'http://[', '\\`\\*']) {
      checkMarkup(md(unit.repeat(Math.ceil(6000 / unit.length)).slice(0, 6000)));
    }
  });

  it('THEN random markdown soup (seeded) always gives well-nested, allowed markup', () => {
    const alphabet = [
      '*',
      '**',
      '_',
      '__',
      '~~',
      '||',
      '`',
      '```',
      '\n',
      '> ',
      '>>> ',
      '# ',
      '- ',
      '1. ',
      '[',
      ']',
      '(',
      ')',
      'https://x.example/',
      '<@123456789012345678>',
      '<',
      '>',
      '\\',
      ' ',
      'a',
      'b',
      '"',
      '&',
      '<t:1700000000:R>',
    ];
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      let text = '';
      while (text.length < 200) text += alphabet[random(alphabet.length)] ?? '';
      checkMarkup(md(text));
    }
  });
});
