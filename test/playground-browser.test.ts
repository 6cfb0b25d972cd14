/**
 * The playground in a real browser: chromium (headless, driven by playwright-core) against the page
 * `npm start` serves without a token, with the real bot logged into the local Discord behind it.
 * Everything is done as a person would: typing `/`, picking a command, filling its options,
 * clicking buttons and menus, writing in a thread.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './helpers/browser.ts';
import { serveLocally } from './helpers/http.ts';
import { GUARDIAN, startTestPlayground, type TestPlayground } from './helpers/playground.ts';

const WAIT = { timeout: 15_000 };

let world: TestPlayground;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [world, browser] = await Promise.all([startTestPlayground(), launchChromium()]);
  page = await browser.newPage();
  await page.goto(world.url);
  await page.locator('#channel-list .channel-link').first().waitFor(WAIT);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await world?.close();
});

/** Opens a channel by its name in the sidebar. */
async function open(p: Page, name: string): Promise<void> {
  await p.locator('#channel-list .channel-link', { hasText: new RegExp(`^(# |💬 )?${name}$`) }).click();
  await p.locator('#channel-title', { hasText: name }).waitFor(WAIT);
}

/** Types `/`, picks the command, fills its fields (a select by its option's value, else typed) and runs it. */
async function slash(p: Page, name: string, fields: Record<string, string> = {}, subcommand?: string): Promise<void> {
  const input = p.locator('#composer-input');
  await input.click();
  await input.fill('');
  await input.pressSequentially(`/${name.slice(0, 3)}`);
  await p.locator(`ul.command-suggestions li[data-command="${name}"]`).click();
  const form = p.locator(`form.command-form[data-command="${name}"]`);
  await form.waitFor(WAIT);
  if (subcommand) await form.locator('select[name="subcommand"]').selectOption(subcommand);
  for (const [option, value] of Object.entries(fields)) {
    const field = form.locator(`[name="${option}"]`);
    if ((await field.evaluate((e: { tagName: string }) => e.tagName)) === 'SELECT') await field.selectOption({ label: value });
    else await field.fill(value);
  }
  await form.locator('button.run-command').click();
  await form.waitFor({ state: 'detached', ...WAIT });
}

/** The newest message in the open channel whose text matches. */
function message(p: Page, text: string | RegExp): Locator {
  return p.locator('#messages article.message', { hasText: text }).last();
}

describe('GIVEN the playground page in chromium', () => {
  it('THEN it shows the guild: its channels, the bot-free empty channel, and a message box', async () => {
    const names = await page.locator('#channel-list .channel-link').allTextContents();
    expect(names).toEqual(['# news', '# general', '💬 discussions']);
    await expect(page.locator('#guild-name').textContent()).resolves.toBe('Paperboy Playground');
    await expect(page.locator('#channel-title').textContent()).resolves.toBe('# news');
    await expect(page.locator('#composer-input').getAttribute('placeholder')).resolves.toBe('Message #news');
  });

  it('THEN /search answers with highlighted hits, Next pages in place, and the menu opens one hit privately', async () => {
    await open(page, 'general');
    await slash(page, 'search', { query: 'trump' });
    const reply = message(page, 'Results 1–5 of 15');
    await reply.waitFor(WAIT);
    await expect(reply.locator('.interaction-header').textContent()).resolves.toBe('You used /search');
    // The query's word is in bold in the hits.
    expect(await reply.locator('.embed-description strong', { hasText: /^trump$/i }).count()).toBeGreaterThan(0);
    await reply.locator('button', { hasText: 'Next' }).click();
    await message(page, 'Results 6–10 of 15 · page 2 of 3').waitFor(WAIT);
    // Paged in place: the first page's message became the second, no new message.
    expect(await page.locator('#messages article.message', { hasText: 'Results 1–5 of 15' }).count()).toBe(0);
    const menu = message(page, 'Results 6–10').locator('select');
    const second = (await menu.locator('option').nth(2).textContent()) ?? '';
    await menu.selectOption({ index: 2 });
    const opened = page.locator('#messages article.message.ephemeral').last();
    await opened.waitFor(WAIT);
    await expect(opened.textContent()).resolves.toContain(second.replace(/^\d+\. /, '').slice(0, 40));
    await expect(opened.textContent()).resolves.toContain('Only you can see this');
  });

  it('THEN the article option autocompletes titles, and /summarize shows the extract', async () => {
    const input = page.locator('#composer-input');
    await input.click();
    await input.pressSequentially('/sum');
    await page.locator('ul.command-suggestions li[data-command="summarize"]').click();
    const form = page.locator('form.command-form[data-command="summarize"]');
    await form.locator('[name="article"]').pressSequentially('sever');
    const choice = form.locator('ul.autocomplete-choices li[data-value]', { hasText: 'Russia and NATO are severing ties' });
    await choice.click();
    await form.locator('button.run-command').click();
    const summary = message(page, 'Russia and NATO are severing ties');
    await summary.locator('.embed').waitFor(WAIT);
    await expect(summary.locator('.embed-title').textContent()).resolves.toContain('Russia and NATO are severing ties');
    await expect(summary.textContent()).resolves.toContain('Lavrov');
  });

  it('THEN a subscription with a keyword filter and /deliver post the article live, with its thread of comments', async () => {
    // A second tab on #news sees the post arrive without reloading.
    const watcher = await browser.newPage();
    await watcher.goto(world.url);
    await open(watcher, 'news');
    await slash(page, 'subscribe', { channel: 'news', keywords: 'NATO', backfill: 'all' });
    await message(page, 'Subscribed').waitFor(WAIT);
    await slash(page, 'deliver');
    await message(page, /posted/i).waitFor(WAIT);

    const post = message(watcher, 'Russia and NATO are severing ties');
    await post.locator('.embed').waitFor(WAIT);
    // Only the article the filter matched: no Guardian story was posted.
    expect(await watcher.locator('#messages article.message .embed').count()).toBe(1);
    await expect(post.locator('.embed-field-name').allTextContents()).resolves.toContain('Comments');
    const thread = post.locator('.thread-link');
    await thread.waitFor(WAIT);
    await thread.click();
    await watcher.locator('#channel-title', { hasText: '› Russia and NATO' }).waitFor(WAIT);
    await message(watcher, 'And NATO would not go to hell!').waitFor(WAIT);
    expect(await watcher.locator('#messages article.message').count()).toBeGreaterThanOrEqual(4);
    await watcher.close();
  });

  it('THEN a reply in the thread mentioning the bot is answered with a cited passage, and /search finds the reply', async () => {
    await open(page, 'news');
    await message(page, 'Russia and NATO are severing ties').locator('.thread-link').click();
    await page.locator('#channel-title', { hasText: '› Russia and NATO' }).waitFor(WAIT);
    const input = page.locator('#composer-input');
    await input.fill('@Paperboy who suspended the military liaison mission? Quokka diplomacy says talk first.');
    await input.press('Enter');
    // The member's own message (the bot's answer quotes it in its reply preview, so match the content).
    const mine = page.locator('#messages article.message', { has: page.locator('.content', { hasText: 'Quokka diplomacy' }) }).first();
    await mine.waitFor(WAIT);
    await expect(mine.locator('.mention').textContent()).resolves.toBe('@Paperboy');
    const answer = page.locator('#messages article.message', { has: page.locator('.bot-tag') }).last();
    await answer.filter({ hasText: /liaison mission/i }).waitFor(WAIT);

    await slash(page, 'search', { query: 'quokka', scope: 'comments' });
    const found = message(page, /Results 1–1 of 1/);
    await found.waitFor(WAIT);
    await expect(found.textContent()).resolves.toMatch(/a thread reply · by You .*Quokka diplomacy says talk first/);
  });

  it('THEN a subscribed forum gets one post per article, listed in the forum and opened like a thread', async () => {
    await open(page, 'general');
    await slash(page, 'subscribe', { channel: 'discussions', keywords: 'severing ties', backfill: 'all' });
    await message(page, /Subscribed .*a forum/).waitFor(WAIT);
    await slash(page, 'deliver');
    await open(page, 'discussions');
    const post = page.locator('#messages .forum-post', { hasText: 'Russia and NATO are severing ties' });
    await post.waitFor(WAIT);
    expect(await page.locator('#composer').isHidden()).toBe(true);
    await post.click();
    await page.locator('#channel-title', { hasText: 'discussions › Russia and NATO' }).waitFor(WAIT);
    // The post's first message is the article's embed; its comments follow.
    await page.locator('#messages article.message .embed-title', { hasText: 'Russia and NATO are severing ties' }).waitFor(WAIT);
    await message(page, 'And NATO would not go to hell!').waitFor(WAIT);
  });

  it('THEN a command with subcommands takes one from its menu: /feed add reads a feed, /feed list shows it', async () => {
    // The feed is served from this machine, as a site would serve it.
    const feed = readFileSync(GUARDIAN);
    const site = await serveLocally((_request, response) => response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed));
    const url = `${site.base}/world/rss`;
    try {
      await open(page, 'general');
      await slash(page, 'feed', { url, name: 'Guardian World' }, 'add');
      await message(page, `Added ${url} as “Guardian World”`).waitFor(WAIT);
      await slash(page, 'feed', {}, 'list');
      const list = message(page, '1 feed, read on each delivery run');
      await list.waitFor(WAIT);
      await expect(list.textContent()).resolves.toContain(url);
    } finally {
      await site.close();
    }
  });

  it('THEN nothing went wrong on the way: no warning or error in the log', () => {
    expect(world.problems).toEqual([]);
  });

  it('THEN after `npm start` is restarted the open page reconnects by itself and shows the new, empty local Discord', async () => {
    await open(page, 'news');
    const before = await page.locator('#channel-list .channel-link').first().getAttribute('data-channel-id');
    const { port } = new URL(world.url);
    await world.close();
    await page.locator('#connection').waitFor(WAIT);
    world = await startTestPlayground(undefined, { PLAYGROUND_PORT: port });
    await page.locator('#connection').waitFor({ state: 'hidden', ...WAIT });
    await page.locator(`#channel-list .channel-link[data-channel-id]:not([data-channel-id="${before}"])`).first().waitFor(WAIT);
    await expect(page.locator('#channel-list .channel-link').allTextContents()).resolves.toEqual(['# news', '# general', '💬 discussions']);
    await page.locator('#messages .empty-channel').waitFor(WAIT);
  });
});
