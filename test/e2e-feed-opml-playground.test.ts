/**
 * /feed import and /feed export in the playground, in chromium: the attachment option is a file
 * input in the command form, the picked file reaches the bot as a Discord attachment, and the
 * export's feeds.opml shows as a link that downloads the file.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOpml } from '../src/app/feeds/opml.ts';
import type { PlaygroundState } from '../src/ui/playground/client/types.ts';
import { launchChromium } from './helpers/browser.ts';
import { startTestPlayground, type TestPlayground } from './helpers/playground.ts';

const WAIT = { timeout: 15_000 };
const OPML = `<?xml version="1.0"?>
<opml version="2.0"><head><title>Mine</title></head><body>
  <outline text="Harbour Gazette" xmlUrl="https://harbour.example/rss"/>
  <outline text="Old FTP" xmlUrl="ftp://files.example/feed.xml"/>
</body></opml>`;

let world: TestPlayground;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [world, browser] = await Promise.all([startTestPlayground(), launchChromium()]);
  const state = (await (await fetch(new URL('/api/state', world.url))).json()) as PlaygroundState;
  const general = state.channels.find((c) => 'name' in c && c.name === 'general')?.id ?? '';
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(`${world.url}#${general}`);
  await page.locator('#composer-input').waitFor(WAIT);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await world?.close();
});

/** Opens /feed's form on a subcommand, as typing `/fee`, clicking it and picking the subcommand does. */
async function feedForm(subcommand: string): Promise<ReturnType<Page['locator']>> {
  const input = page.locator('#composer-input');
  await input.click();
  await input.fill('');
  await input.pressSequentially('/fee');
  await page.locator('ul.command-suggestions li[data-command="feed"]').click();
  const form = page.locator('form.command-form[data-command="feed"]');
  await form.waitFor(WAIT);
  await form.locator('[name="subcommand"]').selectOption(subcommand);
  return form;
}

describe('GIVEN the playground page in chromium', () => {
  it('THEN /feed import takes a file from the form, and the answer names what was added and refused', async () => {
    const form = await feedForm('import');
    const file = form.locator('input[type="file"][name="file"]');
    await file.setInputFiles({ name: 'mine.opml', mimeType: 'text/x-opml', buffer: Buffer.from(OPML) });
    // The file is read as it is picked: until then Run says "still reading the file" and the form stays.
    await expect
      .poll(async () => {
        // A click that lands as the form closes would wait for the button to come back (30 s): try briefly, then look.
        await form
          .locator('button.run-command')
          .click({ timeout: 2_000 })
          .catch(() => undefined);
        return form.isVisible();
      }, WAIT)
      .toBe(false);
    const answer = page.locator('#messages article.message.ephemeral', { hasText: 'mine.opml: 1 added, 0 already read, 1 refused' });
    await answer.waitFor(WAIT);
    expect(await answer.locator('.embed').first().innerText()).toContain('Old FTP: "ftp:" feeds are not supported');
  });

  it('THEN /feed export answers with feeds.opml as a link that downloads it', async () => {
    const form = await feedForm('export');
    await form.locator('button.run-command').click();
    const link = page.locator('#messages article.message .attachment a.attachment-name', { hasText: 'feeds.opml' }).last();
    await link.waitFor(WAIT);
    const href = (await link.getAttribute('href')) ?? '';
    const outlines = readOpml(await (await fetch(href)).text(), 'feeds.opml');
    expect(outlines.map((o) => o.xmlUrl)).toContain('https://harbour.example/rss');
    expect(world.problems).toEqual([]);
  });
});
