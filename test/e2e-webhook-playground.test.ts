/**
 * The playground draws a webhook's message as Discord does: under the name it was sent with, each
 * name its own author line (two names in a row are not grouped), the webhook named in the tooltip.
 * Chromium, headless, against `npm start`'s page; the messages go through a webhook the playground's
 * bot makes (its world grants Manage Webhooks).
 */
import { ChannelType } from 'discord.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './helpers/browser.ts';
import { startTestPlayground, type TestPlayground } from './helpers/playground.ts';

const WAIT = { timeout: 15_000 };

let world: TestPlayground;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [world, browser] = await Promise.all([startTestPlayground(), launchChromium()]);
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await world?.close();
});

describe('GIVEN messages sent through a webhook under two names', () => {
  it('THEN each shows under its own name, not grouped, with the webhook named in the tooltip', async () => {
    const client = world.playground.bot.client;
    const news = client.channels.cache.find((c) => c.type === ChannelType.GuildText && c.name === 'news');
    if (news?.type !== ChannelType.GuildText) throw new Error('no #news in the playground');
    const hook = await news.createWebhook({ name: 'Paperboy' });
    await hook.send({ content: 'Ferry timetable changed', username: 'Harbour Desk', allowedMentions: { parse: [] } });
    await hook.send({ content: 'Storm warning', username: 'Weather Desk', allowedMentions: { parse: [] } });
    await page.goto(`${world.url}#${news.id}`);
    const ferry = page.locator('#messages article.message', { hasText: 'Ferry timetable changed' });
    const storm = page.locator('#messages article.message', { hasText: 'Storm warning' });
    await storm.waitFor(WAIT);
    expect(await ferry.locator('.author-line .author').textContent()).toBe('Harbour Desk');
    expect(await storm.locator('.author-line .author').textContent()).toBe('Weather Desk');
    expect(await storm.locator('.author-line .author').getAttribute('title')).toBe('Weather Desk, sent through a webhook');
    expect(await storm.getAttribute('data-webhook')).toBe(hook.id);
    expect(await storm.getAttribute('class')).not.toContain('grouped');
    expect(world.problems).toEqual([]);
  });
});
