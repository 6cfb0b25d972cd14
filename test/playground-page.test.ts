/**
 * The playground page's behaviour where it must match Discord's client: the view follows the reply
 * to your own command, Enter in an autocompleted option takes the highlighted choice, and the page
 * loads without a failed request (its icon included). Chromium, headless, against `npm start`'s page.
 */
import { Routes } from 'discord-api-types/v10';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PlaygroundState } from '../src/ui/playground/client/types.ts';
import { launchChromium } from './helpers/browser.ts';
import { startTestPlayground, type TestPlayground } from './helpers/playground.ts';

const WAIT = { timeout: 15_000 };
const SEVERING = 'Russia and NATO are severing ties';

let world: TestPlayground;
let browser: Browser;
let page: Page;
/** Every response of 400 and above the page got, as `status path`. */
const failed: string[] = [];

async function channelId(name: string): Promise<string> {
  const state = (await (await fetch(new URL('/api/state', world.url))).json()) as PlaygroundState;
  return state.channels.find((c) => 'name' in c && c.name === name)?.id ?? '';
}

beforeAll(async () => {
  [world, browser] = await Promise.all([startTestPlayground(), launchChromium()]);
  // A channel long enough to scroll: what a reader sees after a busy morning.
  const general = await channelId('general');
  for (let i = 1; i <= 40; i++) {
    const response = await fetch(new URL('/api/messages', world.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channelId: general, content: `Morning note ${i}` }),
    });
    expect(response.status).toBe(201);
  }
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${new URL(r.url()).pathname}`);
  });
  await page.goto(`${world.url}#${general}`);
}, 60_000);

// Each test starts from the page as loaded, scrolled to the newest message, so none depends on another's end.
beforeEach(async () => {
  // Back to #general (a test may have opened another channel), loaded afresh.
  await page.goto(`${world.url}#${await channelId('general')}`);
  await page.reload();
  await page.locator('#messages article.message', { hasText: 'Morning note 40' }).waitFor(WAIT);
});

afterAll(async () => {
  await browser?.close();
  await world?.close();
});

/** Opens a command's form from the message box, as typing `/` and clicking it does. */
async function openForm(name: string): Promise<ReturnType<Page['locator']>> {
  const input = page.locator('#composer-input');
  await input.click();
  await input.fill('');
  await input.pressSequentially(`/${name.slice(0, 3)}`);
  await page.locator(`ul.command-suggestions li[data-command="${name}"]`).click();
  const form = page.locator(`form.command-form[data-command="${name}"]`);
  await form.waitFor(WAIT);
  return form;
}

/** What a scrolled element tells about its scrolling (the tests' TypeScript has no DOM types). */
interface Scroller {
  scrollTop: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
}

/** How far the message list is from showing its last pixel, and whether the newest message's bottom edge is on screen in it. */
async function onScreen(): Promise<{ fromBottom: number; visible: boolean }> {
  const list = page.locator('#messages');
  const fromBottom = await list.evaluate((l: Scroller) => l.scrollHeight - l.scrollTop - l.clientHeight);
  const box = await list.boundingBox();
  const last = await page.locator('#messages article.message').last().boundingBox();
  const visible = box !== null && last !== null && last.y + last.height <= box.y + box.height + 1 && last.y + last.height > box.y;
  return { fromBottom, visible };
}

describe('GIVEN the playground page in chromium, on a channel long enough to scroll', () => {
  it('THEN the reply to your own command is brought into view, though the open form had shortened the list', async () => {
    const form = await openForm('search');
    await form.locator('[name="query"]').fill('trump');
    await form.locator('[name="scope"]').selectOption({ label: 'articles' });
    await form.locator('button.run-command').click();
    const reply = page.locator('#messages article.message', { hasText: 'Results 1–5 of' });
    await reply.waitFor(WAIT);
    await reply.locator('.embed').waitFor(WAIT);
    // Let the last redraw and any scrolling settle, then look as a person would.
    await page.waitForTimeout(300);
    const seen = await onScreen();
    expect(seen.visible).toBe(true);
    expect(seen.fromBottom).toBeLessThan(2);
  });

  it('THEN a reader who scrolled up to read is left where they are when others write', async () => {
    await page.locator('#messages').evaluate((list: Scroller) => (list.scrollTop = 0));
    await page.waitForTimeout(100);
    const general = await channelId('general');
    await fetch(new URL('/api/messages', world.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channelId: general, content: 'A note from someone else' }),
    });
    await page.locator('#messages article.message', { hasText: 'A note from someone else' }).waitFor({ state: 'attached', ...WAIT });
    await expect(page.locator('#messages').evaluate((list: Scroller) => list.scrollTop)).resolves.toBe(0);
  });

  it('THEN Enter in an autocompleted option takes the highlighted choice, and a second Enter runs the command with it', async () => {
    const form = await openForm('summarize');
    const field = form.locator('[name="article"]');
    await field.pressSequentially('sever');
    const choice = form.locator('ul.autocomplete-choices li[data-value]', { hasText: SEVERING });
    await choice.waitFor(WAIT);
    // As in Discord, the first choice is highlighted without touching the arrows.
    await expect(form.locator('ul.autocomplete-choices li[aria-selected="true"]').textContent({ timeout: 2000 })).resolves.toContain(SEVERING);
    await field.press('Enter');
    // At once when the list answers what was typed; when the answer for the last letter is still on its way, when it comes.
    await expect.poll(() => field.inputValue(), WAIT).toContain(SEVERING);
    expect(await form.isVisible()).toBe(true);
    await field.press('Enter');
    await form.waitFor({ state: 'detached', ...WAIT });
    const summary = page.locator('#messages article.message', { hasText: SEVERING }).last();
    await summary.locator('.embed-title').waitFor(WAIT);
    await expect(summary.locator('.interaction-header').textContent()).resolves.toBe('You used /summarize');
  });

  it('THEN Enter pressed before the choices for what was typed have come picks from them when they come', async () => {
    const form = await openForm('summarize');
    const field = form.locator('[name="article"]');
    // Typed and Enter at once, well inside the pause before the page asks the bot.
    await field.fill('severing');
    await field.press('Enter');
    await expect.poll(() => field.inputValue(), WAIT).toContain(SEVERING);
    expect(await form.isVisible()).toBe(true);
    await form.locator('button.cancel-command').click();
  });

  it('THEN Enter pressed before the choices have come runs the command with the typed text when the answer has no choices', async () => {
    const form = await openForm('summarize');
    const field = form.locator('[name="article"]');
    // Nothing stored matches, so the answer is empty: as in Discord, Enter sends what was typed.
    await field.fill('zanzibar quokka regatta');
    await field.press('Enter');
    await form.waitFor({ state: 'detached', timeout: 5000 });
    await page.locator('#messages article.message', { hasText: 'No article matches "zanzibar quokka regatta"' }).waitFor(WAIT);
  });

  it('THEN the choice under the pointer is the one Enter takes', async () => {
    const form = await openForm('summarize');
    const field = form.locator('[name="article"]');
    await field.click();
    const choices = form.locator('ul.autocomplete-choices li[data-value]');
    await choices.nth(1).waitFor(WAIT);
    const second = (await choices.nth(1).textContent()) ?? '';
    await choices.nth(1).hover();
    await field.press('Enter');
    await expect(field.inputValue()).resolves.toBe(second);
    await form.locator('button.cancel-command').click();
  });

  it('THEN a reaction the bot adds to a message shows under it at once, with its count', async () => {
    const general = await channelId('general');
    const response = await fetch(new URL('/api/messages', world.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channelId: general, content: 'Is the ferry running today?' }),
    });
    const { id } = (await response.json()) as { id: string };
    const mine = page.locator(`#messages article.message[data-message-id="${id}"]`);
    await mine.waitFor(WAIT);
    // What the bot sends to react (as it does to a question it will not answer yet), through its own client.
    await world.playground.bot.client.rest.put(Routes.channelMessageOwnReaction(general, id, encodeURIComponent('⏳')));
    const reaction = mine.locator('.reaction[data-emoji="⏳"]');
    await reaction.waitFor(WAIT);
    await expect(reaction.locator('.reaction-count').textContent()).resolves.toBe('1');
    await expect(reaction.getAttribute('title')).resolves.toBe('the app reacted with ⏳');
    // Drawn from the message as the local Discord holds it, so a reload shows it too.
    await page.reload();
    await page.locator(`#messages article.message[data-message-id="${id}"] .reaction[data-emoji="⏳"]`).waitFor(WAIT);
  });

  it("THEN a second @Paperboy question inside the answer cooldown gets the ⏳ reaction on the page, as the asker's sign it was seen", async () => {
    // An article thread to ask in: subscribe #news and deliver, through the page's own API.
    const news = await channelId('news');
    const command = (name: string, options: Record<string, string | boolean>): Promise<Response> =>
      fetch(new URL('/api/commands', world.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ channelId: news, name, options }),
      });
    expect((await command('subscribe', { channel: news, keywords: 'severing ties', backfill: 'all' })).status).toBe(202);
    await page.locator('#channel-list .channel-link', { hasText: /^# news$/ }).click();
    await page.locator('#channel-title', { hasText: 'news' }).waitFor(WAIT);
    await page.locator('#messages article.message', { hasText: /Subscribed/ }).waitFor(WAIT);
    expect((await command('deliver', {})).status).toBe(202);
    const post = page.locator('#messages article.message', { hasText: SEVERING }).filter({ has: page.locator('.thread-link') });
    await post.locator('.thread-link').click({ timeout: 20_000 });
    await page.locator('#channel-title', { hasText: '› Russia and NATO' }).waitFor(WAIT);

    const input = page.locator('#composer-input');
    await input.fill('@Paperboy who suspended the military liaison mission?');
    await input.press('Enter');
    await page
      .locator('#messages article.message', { has: page.locator('.bot-tag') })
      .filter({ hasText: /liaison mission/i })
      .waitFor(WAIT);
    // The thread holds the article's comments, posted by the bot too: count its messages from here.
    const fromBot = page.locator('#messages article.message', { has: page.locator('.bot-tag') });
    const before = await fromBot.count();
    await input.fill('@Paperboy and who answered first?');
    await input.press('Enter');
    const second = page.locator('#messages article.message', { has: page.locator('.content', { hasText: 'and who answered first?' }) });
    await second.locator('.reaction[data-emoji="⏳"] .reaction-count', { hasText: '1' }).waitFor(WAIT);
    // No second answer: the reaction is the only sign.
    expect(await fromBot.count()).toBe(before);
  });

  it('THEN the page links an icon that loads, and no request of the page failed', async () => {
    const href = await page.locator('link[rel="icon"]').getAttribute('href', { timeout: 2000 });
    expect(href).toBe('/favicon.svg');
    const icon = await page.evaluate(async (url) => {
      const r = await fetch(url);
      return `${r.status} ${r.headers.get('content-type') ?? ''}`;
    }, href ?? '');
    expect(icon).toBe('200 image/svg+xml');
    expect(failed).toEqual([]);
  });

  it('THEN nothing went wrong on the way: no warning or error in the log', () => {
    expect(world.problems).toEqual([]);
  });
});
