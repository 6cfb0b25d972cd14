/**
 * End to end (issue 17 point 6): /feed import with an attached OPML file and /feed export answering
 * with one, through the real discord.js client and the local Discord. The file travels as a user's
 * attachment would: uploaded to the local Discord, read by the bot from the URL Discord gave.
 */
import { readFileSync } from 'node:fs';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOpml } from '../src/app/feeds/opml.ts';
import { attachmentReader } from '../src/ui/discord/attachments.ts';
import { type Harness, startHarness } from './helpers/bot.ts';
import { serveLocally } from './helpers/http.ts';

const ADMIN = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
/** A real OPML file: 422 feed outlines in a folder, two naming a feed already listed (see fixtures/opml/README.md). */
const REAL = readFileSync(new URL('./fixtures/opml/engineering_blogs.opml', import.meta.url));
const MIXED = `<?xml version="1.0"?>
<opml version="2.0"><head><title>Mine</title></head><body>
  <outline text="News">
    <outline text="Harbour *Gazette*" type="rss" xmlUrl="https://harbour.example/rss"/>
    <outline text="Old FTP" xmlUrl="ftp://files.example/feed.xml"/>
  </outline>
  <outline text="Not a link" xmlUrl="just words"/>
  <outline text="A bookmark" htmlUrl="https://bookmark.example/"/>
  <outline text="${'Long '.repeat(100)}"/>
  <outline text="Facebook again" xmlUrl="https://engineering.fb.com/feed/"/>
</body></opml>`;

let h: Harness;
let adminId: string;

beforeAll(async () => {
  h = await startHarness({ delivery: true });
  adminId = h.fake.createUser({ username: 'editor' }).id;
  h.fake.addMember(h.guildId, adminId, { permissions: ADMIN });
});
afterAll(async () => {
  await h.close();
});

const importFile = (filename: string, data: Uint8Array, userId = adminId) =>
  h.fake.runCommand({ guildId: h.guildId, channelId: h.channelId, userId, name: 'feed', subcommand: 'import', options: { file: { filename, data } } });

describe('GIVEN an admin with an OPML file', () => {
  it('THEN /feed import adds every feed of a real file, privately, and a second import names each refused outline', async () => {
    const first = await importFile('engineering_blogs.opml', REAL).reply(30_000);
    expect(first.ephemeral).toBe(true);
    expect(first.content).toBe('engineering\\_blogs.opml: 420 added, 2 already read, 0 refused. New feeds are read on the next delivery run.');
    expect(first.embeds.map((e) => e.title)).toEqual(['Added']);
    expect(first.embeds[0]?.description).toMatch(
      /^• 8th Light <https:\/\/8thlight\.com\/insights\/feed\/rss\.xml>\n• AdRoll <http:\/\/tech\.adroll\.com\/feed\.xml>\n/,
    );
    expect(first.embeds[0]?.description).toMatch(/\n… and \d+ more\.$/);
    expect(await h.botOptions.state.feeds.get('https://advancedweb.hu/atom.xml')).toMatchObject({ name: 'Advanced Web Machinery' });

    const second = await importFile('mine.opml', Buffer.from(MIXED)).reply(30_000);
    expect(second.content).toBe('mine.opml: 1 added, 1 already read, 4 refused. New feeds are read on the next delivery run.');
    expect(second.embeds.map((e) => e.title)).toEqual(['Refused', 'Added']);
    const refused = second.embeds[0]?.description?.split('\n') ?? [];
    expect(refused.slice(0, 3)).toEqual([
      '• News / Old FTP: "ftp:" feeds are not supported; use an http(s) URL',
      '• Not a link: "just words" is not a URL; give the feed\'s full address, starting with https://',
      '• A bookmark: no xmlUrl: not a feed',
    ]);
    // An outline's text of 500 characters is cut, so that one outline cannot fill the answer.
    expect(refused[3]).toMatch(/^• (Long ){30,}?Long…: no xmlUrl: not a feed$/);
    expect(refused[3]?.length).toBeLessThan(230);
    expect(refused).toHaveLength(4);
    expect(second.embeds[1]?.description).toBe('• Harbour \\*Gazette\\* <https://harbour.example/rss>');
    expect(h.fake.violations).toEqual([]);
  });

  it('THEN /feed export answers with feeds.opml attached, which reads back as the same feeds', async () => {
    const reply = await h.fake.runCommand({ guildId: h.guildId, channelId: h.channelId, userId: adminId, name: 'feed', subcommand: 'export' }).reply(30_000);
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toBe('421 feeds in feeds.opml.');
    const [file] = reply.message?.attachments ?? [];
    expect(file?.filename).toBe('feeds.opml');
    const bytes = h.fake.file(file?.url ?? '');
    expect(bytes?.length).toBe(file?.size);
    const outlines = readOpml(bytes?.toString('utf8') ?? '', 'feeds.opml');
    expect(outlines).toHaveLength(421);
    expect(outlines.find((o) => o.xmlUrl === 'https://harbour.example/rss')).toMatchObject({ text: 'Harbour *Gazette*' });
    const stored = await h.botOptions.state.feeds.list();
    expect(outlines.map((o) => o.xmlUrl).sort()).toEqual(stored.map((f) => f.url).sort());
  });

  it('THEN a 2 MB file is refused by its size, naming the limit, and a broken one with its line', async () => {
    const big = Buffer.alloc(2_000_000, ' ');
    const refused = await importFile('huge.opml', big).reply(30_000);
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toBe('“huge.opml” is too large: at most 1 MB is read.');

    const broken = await importFile('broken.opml', Buffer.from('<?xml version="1.0"?>\n<opml version="2.0">\n<body><outline text="A">\n</body></opml>')).reply(
      30_000,
    );
    expect(broken.content).toMatch(/^broken\.opml:4: not well-formed XML \(column \d+\): /);
  });

  it('THEN a member without Manage Server cannot import', async () => {
    const reply = await importFile('mine.opml', Buffer.from(MIXED), h.userId).reply(30_000);
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toBe('You need the Manage Server permission to do that.');
  });
});

describe('GIVEN the attachment reader', () => {
  it('THEN it reads only from Discord: the local Discord’s origin is trusted, another local address is not', async () => {
    let hits = 0;
    const site = await serveLocally((_req, res) => {
      hits++;
      res.writeHead(200, { 'content-type': 'text/x-opml' }).end(MIXED);
    });
    try {
      const reader = attachmentReader(h.fake.apiUrl);
      const elsewhere = { name: 'feeds.opml', size: 10, url: `${site.base}/feeds.opml`, contentType: null };
      await expect(reader.read(elsewhere, 1_000_000)).rejects.toThrow('“feeds.opml” is not stored by Discord: it cannot be read.');
      await expect(reader.read({ ...elsewhere, url: 'not a url' }, 1_000_000)).rejects.toThrow('“feeds.opml” has no address Discord gave');
      // Discord's CDN is trusted when the bot talks to the real Discord.
      await expect(attachmentReader('https://discord.com/api').read(elsewhere, 1_000_000)).rejects.toThrow('is not stored by Discord');
      expect(hits).toBe(0);
    } finally {
      await site.close();
    }
  });

  it('THEN a file larger than Discord said is cut off at the cap, and a file Discord no longer has is named', async () => {
    const reply = await h.fake.runCommand({ guildId: h.guildId, channelId: h.channelId, userId: adminId, name: 'feed', subcommand: 'export' }).reply(30_000);
    const sent = reply.message?.attachments[0];
    const url = sent?.url ?? '';
    const reader = attachmentReader(h.fake.apiUrl);
    // The export is far over 100 bytes; Discord's word for its size is not trusted alone.
    await expect(reader.read({ name: 'feeds.opml', size: 100, url, contentType: null }, 100)).rejects.toThrow(
      '“feeds.opml” is too large: at most 100 bytes is read.',
    );
    const whole = await reader.read({ name: 'feeds.opml', size: 100, url, contentType: null }, 1_000_000);
    expect(whole.length).toBe(sent?.size);
    await expect(reader.read({ name: 'gone.opml', size: 100, url: url.replace('feeds.opml', 'gone.opml'), contentType: null }, 1_000_000)).rejects.toThrow(
      '“gone.opml” could not be downloaded from Discord (HTTP 404).',
    );
  });
});
