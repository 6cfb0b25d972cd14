/**
 * The playground in a real browser (chromium, headless, driven by playwright-core), as an operator
 * trying a filter before saving it (issue 17): /preview with a mistake in a typed filter shows the
 * error at its column with a caret under it; fixed, /preview says which articles would post and which
 * the filter blocks, nothing saved; /subscribe with that filter saves it; /deliver posts only what the
 * preview said would post; /subscriptions edit: changes a setting.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './helpers/browser.ts';
import { startTestPlayground, type TestPlayground } from './helpers/playground.ts';

const WAIT = { timeout: 15_000 };
const NATO = 'Russia and NATO are severing ties';

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

async function open(name: string): Promise<void> {
  await page.locator('#channel-list .channel-link', { hasText: new RegExp(`^(# |💬 )?${name}$`) }).click();
  await page.locator('#channel-title', { hasText: name }).waitFor(WAIT);
}

/** Types `/`, picks the command, fills its fields (a select by its label, else typed) and runs it. */
async function slash(name: string, fields: Record<string, string> = {}): Promise<void> {
  const input = page.locator('#composer-input');
  await input.click();
  await input.fill('');
  await input.pressSequentially(`/${name.slice(0, 4)}`);
  await page.locator(`ul.command-suggestions li[data-command="${name}"]`).click();
  const form = page.locator(`form.command-form[data-command="${name}"]`);
  await form.waitFor(WAIT);
  for (const [option, value] of Object.entries(fields)) {
    const field = form.locator(`[name="${option}"]`);
    if ((await field.evaluate((e: { tagName: string }) => e.tagName)) === 'SELECT') await field.selectOption({ label: value });
    else await field.fill(value);
  }
  await form.locator('button.run-command').click();
  await form.waitFor({ state: 'detached', ...WAIT });
}

/** The newest message in the open channel whose text matches. */
function message(text: string | RegExp): Locator {
  return page.locator('#messages article.message', { hasText: text }).last();
}

describe('GIVEN an operator writing a filter in the playground', () => {
  it('THEN a mistake in /preview is shown at its column with a caret; fixed, /preview explains each article, and /subscribe then /deliver posts only what it said', async () => {
    await open('general');
    const mistake = 'title contains "NATO" and (';
    await slash('preview', { channel: 'news', filter: mistake });
    const error = message('Nothing was changed');
    await error.waitFor(WAIT);
    await expect(error.textContent()).resolves.toContain('filter: column 28: expected a test after `(`');
    await expect(error.textContent()).resolves.toContain('Only you can see this');
    // The code block keeps the caret under the column: the text, then 27 spaces and the caret.
    await expect(error.locator('pre.code-block code').textContent()).resolves.toBe(`${mistake}\n${' '.repeat(27)}^`);

    const filter = 'title contains "NATO"';
    await slash('preview', { channel: 'news', filter });
    const preview = message('Preview: #news');
    await preview.waitFor(WAIT);
    const verdicts = (await preview.textContent()) ?? '';
    expect(verdicts).toContain(`With the filter you typed (not saved): ${filter}`);
    expect(verdicts).toContain('has no subscription: shown as if subscribed now with this filter, every source and backfill:latest 10');
    // The latest ten are the Guardian feed's stories, each blocked by the filter and saying why; the NATO article is next.
    expect(verdicts.match(/blocked by filter: title contains "NATO" \(title is /g)).toHaveLength(10);
    expect(verdicts).not.toContain('✅');
    expect(verdicts).toContain(`Below: the next post, “${NATO}`);
    await expect(preview.locator('.embed-title').last().textContent()).resolves.toContain(NATO);

    // Subscribed with the filter and the backfill the preview named; "Subscribed", not "Updated": the preview saved nothing.
    await slash('subscribe', { channel: 'news', filter, backfill: 'latest 10' });
    const subscribed = message('Subscribed');
    await subscribed.waitFor(WAIT);
    await expect(subscribed.textContent()).resolves.toContain(`Filter: ${filter}.`);

    await slash('deliver');
    await message(/posted/i).waitFor(WAIT);
    await open('news');
    await message(NATO).locator('.embed').waitFor(WAIT);
    // Only the article the preview said goes next: none of the Guardian feed's stories.
    expect(await page.locator('#messages article.message .embed').count()).toBe(1);
  });

  it('THEN /subscriptions edit: shows the settings in force after a change, and the list shows them briefly', async () => {
    await open('general');
    await slash('subscriptions', { edit: 'news', daily_cap: '5', mentions: 'user:123456789012345678 if titel contains "x"' });
    const refused = message('Nothing was changed');
    await refused.waitFor(WAIT);
    await expect(refused.textContent()).resolves.toContain('mentions: column 28: unknown field `titel`');
    await slash('subscriptions', { edit: 'news', daily_cap: '5' });
    const edited = message('Updated');
    await edited.waitFor(WAIT);
    await expect(edited.textContent()).resolves.toContain('daily_cap: 5 articles a day');
    await slash('subscriptions');
    const list = message('Subscriptions');
    await list.waitFor(WAIT);
    await expect(list.textContent()).resolves.toContain('⚙ filter title contains "NATO"; at most 5/day');
    expect(world.problems).toEqual([]);
  });
});
