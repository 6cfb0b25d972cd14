/**
 * End to end: the real discord.js client, router and commands against the local Discord. Each
 * command with typical, empty, huge and hostile input; autocomplete; paging with live, expired and
 * forged ids. The local Discord rejects anything past Discord's limits, so `violations` staying
 * empty shows that every reply fit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../commands/index.ts';
import { deployCommands } from '../src/ui/discord/deploy.ts';
import { EXPIRED } from '../src/ui/discord/router.ts';
import { article, comment } from './helpers/articles.ts';
import { type Harness, startHarness } from './helpers/bot.ts';
import { sampleArticle } from './text-sample.ts';

const sample = sampleArticle();
const cyrillic = article({
  title: 'Кремль ответил на расширение НАТО',
  source: 'Известия',
  text: 'Пресс-секретарь заявил, что расширение альянса угрожает безопасности. Ответ будет взвешенным.',
});
const hostile = article({
  title: '**Breaking** @everyone <@123> news',
  url: 'https://example.com/breaking',
  text: `@everyone read this *now* <@&999> ||spoiler|| and [click](https://evil.example).\n\n${'The harbour authority confirmed the closure today. '.repeat(300)}`,
  comments: [comment(1, `@here ${'A very long comment about the harbour closure and what it means for trade. '.repeat(120)}`)],
});

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ articles: [sample, cyrillic, hostile] });
});
afterAll(async () => {
  await h?.close();
});

describe('GIVEN the bot logged into the local Discord', () => {
  it('THEN it is ready, with the guild and its channel cached', () => {
    expect(h.bot.client.user.id).toBe(h.fake.botUser.id);
    expect(h.bot.client.guilds.cache.get(h.guildId)?.channels.cache.has(h.channelId)).toBe(true);
  });

  it('THEN deploy-commands registered every command, and running it again changes nothing', async () => {
    expect(
      h.fake
        .commands(h.guildId)
        .map((c) => c.name)
        .sort(),
    ).toEqual(commands.map((c) => c.definition.name).sort());
    const puts = (): number => h.fake.requests.filter((r) => r.method === 'PUT').length;
    const before = puts();
    const again = await deployCommands({ token: h.fake.botToken, applicationId: h.fake.applicationId, guildId: h.guildId, apiUrl: h.fake.apiUrl }, commands);
    expect(again).toEqual({ scope: 'guild', count: commands.length, changed: false });
    expect(puts()).toBe(before);
  });
});

describe('GIVEN /search', () => {
  it('THEN the sample is found with highlighted snippets, paging buttons and a menu, in public', async () => {
    const reply = await h.run('search', { query: 'NATO expansion' }).reply();
    expect(reply.ephemeral).toBe(false);
    const embed = reply.embeds[0];
    expect(embed?.description).toContain('Russia and NATO are severing ties');
    expect(embed?.description).toContain('**NATO**');
    expect(reply.components).toHaveLength(2);
  });

  it('THEN nothing found is a private message in plain words', async () => {
    const reply = await h.run('search', { query: 'zeppelin' }).reply();
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toBe('No articles or comments match "zeppelin".');
  });

  it('THEN a query of only punctuation or emoji finds nothing, without an error', async () => {
    for (const query of ['"" *** --', '🚀🔥']) {
      const reply = await h.run('search', { query }).reply();
      expect(reply.ephemeral).toBe(true);
      expect(reply.content).toMatch(/^No articles or comments match/);
    }
  });

  it('THEN a 6,000-character query is answered, its echo cut', async () => {
    const query = `harbour ${'x'.repeat(5990)}`;
    const reply = await h.run('search', { query }).reply();
    expect(reply.content ?? reply.embeds[0]?.title ?? '').toMatch(/…/);
  });

  it('THEN Cyrillic finds Cyrillic, and hostile markdown and mentions are shown as written, never pinging', async () => {
    const ru = await h.run('search', { query: 'расширение' }).reply();
    expect(ru.embeds[0]?.description).toContain('Кремль ответил');
    const bad = await h.run('search', { query: '@everyone <@123> **breaking**', scope: 'articles' }).reply();
    expect(bad.embeds[0]?.description).toContain('\\*\\*Breaking\\*\\*');
    expect(bad.message?.mention_everyone).toBe(false);
    expect(bad.message?.mentions).toEqual([]);
  });

  it('THEN a mention typed into a query is echoed as text and pings no one', async () => {
    const member = h.fake.createUser({ username: 'bystander' });
    h.fake.addMember(h.guildId, member.id);
    const reply = await h.run('search', { query: `@everyone <@${member.id}> zeppelin` }).reply();
    expect(reply.content).toBe(`No articles or comments match "@everyone \\<@${member.id}> zeppelin".`);
    expect(reply.message?.mention_everyone).toBe(false);
    expect(reply.message?.mentions).toEqual([]);
  });
});

describe('GIVEN paging and opening results', () => {
  it('THEN Next and Previous page the list in place, and the menu opens one result privately', async () => {
    for (let i = 0; i < 7; i++)
      await h.store.upsert(article({ title: `Lighthouse keeper's log ${i}`, text: `The lighthouse lamp was lit at dusk on day ${i}.` }));
    const handle = h.run('search', { query: 'lighthouse', scope: 'articles' });
    const first = await handle.reply();
    expect(first.embeds[0]?.footer?.text).toMatch(/^Results 1–5 of 7 · page 1 of 2/);
    const messageId = first.message?.id ?? '';
    const next = (first.components[0]?.components ?? []).find((c) => 'label' in c && c.label === 'Next ▶') as { custom_id: string };
    const paged = await h.fake.clickButton({ messageId, customId: next.custom_id, userId: h.userId }).reply();
    expect(paged.embeds[0]?.footer?.text).toMatch(/^Results 6–7 of 7 · page 2 of 2/);
    expect(h.fake.message(messageId)?.embeds[0]?.footer?.text).toMatch(/page 2 of 2/);

    const menu = h.fake.message(messageId)?.components?.[1]?.components[0] as { custom_id: string; options: { value: string }[] };
    const opened = await h.fake.selectMenu({ messageId, customId: menu.custom_id, values: [menu.options[0]?.value ?? ''], userId: h.userId }).reply();
    expect(opened.ephemeral).toBe(true);
    expect(opened.embeds[0]?.title).toMatch(/^Lighthouse keeper's log \d$/);
  });

  it('THEN on page 2 the menu numbers on from 6 and each entry opens the comment it names', async () => {
    const names = ['Marta', 'Ivan', 'Olu', 'Keiko', 'Sam', 'Priya', 'Tomás'];
    const comments = names.map((author, i) => comment(i + 1, `The puffin colony grew again, writes ${author}.`, { author }));
    await h.store.upsert(article({ title: 'Puffins return to the cliffs', text: 'Seabirds came back in spring.', comments }));
    const first = await h.run('search', { query: 'puffin colony', scope: 'comments' }).reply();
    const messageId = first.message?.id ?? '';
    const next = (first.components[0]?.components ?? []).find((c) => 'label' in c && c.label === 'Next ▶') as { custom_id: string };
    await h.fake.clickButton({ messageId, customId: next.custom_id, userId: h.userId }).reply();
    const menu = h.fake.message(messageId)?.components?.[1]?.components[0] as { custom_id: string; options: { label: string; value: string }[] };
    expect(menu.options.map((o) => o.label.split('.')[0])).toEqual(['6', '7']);
    for (const option of menu.options) {
      const [, number = '', author = ''] = /^\d+\. comment #(\d+) by (\S+) · Puffins return to the cliffs$/.exec(option.label) ?? [];
      expect(author).toBe(names[Number(number) - 1]);
      const opened = await h.fake.selectMenu({ messageId, customId: menu.custom_id, values: [option.value], userId: h.userId }).reply();
      expect(opened.embeds[0]?.author?.name).toMatch(new RegExp(`^comment #${number} · ${author}`));
    }
  });

  it('THEN /article pages through the body into the comments', async () => {
    const first = await h.run('article', { article: sample.id }).reply();
    expect(first.embeds[0]?.footer?.text).toMatch(/^Page 1 of (\d+) \(article\)/);
    const pages = Number(/of (\d+)/.exec(first.embeds[0]?.footer?.text ?? '')?.[1]);
    const comments = (first.components[0]?.components ?? []).find((c) => 'label' in c && c.label === 'Comments') as { custom_id: string };
    const jumped = await h.fake.clickButton({ messageId: first.message?.id ?? '', customId: comments.custom_id, userId: h.userId }).reply();
    expect(jumped.embeds[0]?.footer?.text).toMatch(new RegExp(`^Page \\d+ of ${pages} \\(comments\\)`));
    expect(jumped.embeds[0]?.description).toMatch(/^\*\*4 comments\*\*/);
  });

  it('THEN a forged id gets the plain expired message, privately, and the list is untouched', async () => {
    const first = await h.run('article', { article: sample.id }).reply();
    const messageId = first.message?.id ?? '';
    const before = JSON.stringify(h.fake.message(messageId)?.embeds);
    for (const customId of ['p1~AAAAAAAAAA~tp79m5~article~' + sample.id + '~3', 'article:' + sample.id + ':3', 'x']) {
      const reply = await h.fake.clickButton({ messageId, customId, userId: h.userId }).reply();
      expect(reply).toMatchObject({ ephemeral: true, content: EXPIRED });
    }
    expect(JSON.stringify(h.fake.message(messageId)?.embeds)).toBe(before);
  });
});

describe('GIVEN /summarize, /quote, /article and /help', () => {
  it('THEN /summarize gives the sample summary with title, comment count and id', async () => {
    const reply = await h.run('summarize', { article: sample.id, length: 'short' }).reply();
    const embed = reply.embeds[0];
    expect(embed?.title).toBe(sample.title);
    expect(embed?.fields?.find((f) => f.name === 'Comments')?.value).toBe('4 comments');
    expect(embed?.footer?.text).toMatch(new RegExp(`^Summary: 3 sentences quoted verbatim from the article · id ${sample.id}$`));
  });

  it('THEN /summarize of the discussion gives the digest', async () => {
    const reply = await h.run('summarize', { article: sample.id, of: 'discussion' }).reply();
    expect(reply.embeds[0]?.fields?.map((f) => f.name)).toEqual(['Comments', 'Ratings', 'Top comments', 'Most quoted passages']);
  });

  it('THEN /quote gives a block quote with its citation, by title prefix typed as an id', async () => {
    const reply = await h.run('quote', { article: sample.id.slice(0, 6), about: 'expansion to the East' }).reply();
    expect(reply.embeds[0]?.description).toMatch(/^> [\s\S]+\n— \*Russia and NATO/);
  });

  it('THEN an unknown article is a private message in plain words, for every command that takes one', async () => {
    for (const name of ['summarize', 'quote', 'article']) {
      const reply = await h.run(name, { article: 'no such article' }).reply();
      expect(reply).toMatchObject({ ephemeral: true });
      expect(reply.content).toMatch(/^No article matches "no such article"\./);
    }
  });

  it('THEN a huge, hostile article is cut to fit, never rejected', async () => {
    const art = await h.run('article', { article: hostile.id, page: 1 }).reply();
    expect(art.embeds[0]?.title).toBe('\\*\\*Breaking\\*\\* @everyone \\<@123> news');
    const sum = await h.run('summarize', { article: hostile.id, length: 'long' }).reply();
    expect(sum.embeds[0]?.description?.length).toBeLessThanOrEqual(4096);
    const disc = await h.run('summarize', { article: hostile.id, of: 'discussion' }).reply();
    expect(disc.embeds[0]?.description).toMatch(/^\*\*comment #1:\*\* @here/);
  });

  it('THEN /help answers privately', async () => {
    const reply = await h.run('help').reply();
    expect(reply.ephemeral).toBe(true);
    expect(reply.embeds[0]?.title).toBe('Paperboy');
  });
});

describe('GIVEN autocomplete on the article option', () => {
  it('THEN it suggests matching titles with ids as values, newest when nothing is typed, at most 25', async () => {
    const typed = await h.fake
      .autocomplete({
        guildId: h.guildId,
        channelId: h.channelId,
        userId: h.userId,
        name: 'summarize',
        options: { article: 'severing ti' },
        focused: 'article',
      })
      .choices();
    expect(typed).toEqual([{ name: sample.title, value: sample.id }]);
    for (let i = 0; i < 30; i++) await h.store.upsert(article({ title: `Filler ${i}` }));
    const empty = await h.fake
      .autocomplete({ guildId: h.guildId, channelId: h.channelId, userId: h.userId, name: 'quote', options: { article: '' }, focused: 'article' })
      .choices();
    expect(empty).toHaveLength(25);
    const ru = await h.fake
      .autocomplete({ guildId: h.guildId, channelId: h.channelId, userId: h.userId, name: 'article', options: { article: 'кремл' }, focused: 'article' })
      .choices();
    expect(ru.map((c) => c.value)).toEqual([cyrillic.id]);
  });
});

describe('GIVEN everything above', () => {
  it('THEN no reply broke a Discord rule, and every interaction was answered exactly once', () => {
    expect(h.fake.violations).toEqual([]);
    expect(h.logs.filter((l) => (l.level as number) >= 50)).toEqual([]);
  });
});
