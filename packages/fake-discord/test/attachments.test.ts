/**
 * Files through the local Discord with the real discord.js client: a user attaches a file to a
 * command option (resolved as Discord resolves it, its bytes served at its URL), the bot uploads
 * files (multipart/form-data) with replies, deferred edits, follow-ups and channel messages, and
 * Discord's upload limit.
 */
import {
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  PermissionFlagsBits,
  type ChatInputCommandInteraction,
  type TextChannel,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientOptionsFor, FakeDiscord, UPLOAD_LIMIT_BYTES } from '../src/index.ts';

let fake: FakeDiscord;
let client: Client<true>;
let guildId = '';
let channelId = '';
let userId = '';
/** What the next /upload does with its interaction. */
let answer: (i: ChatInputCommandInteraction) => Promise<unknown> = () => Promise.resolve();
let seen: ChatInputCommandInteraction | undefined;

const OPML =
  '<?xml version="1.0"?><opml version="2.0"><head><title>Feeds</title></head><body><outline text="A" xmlUrl="https://a.example/feed"/></body></opml>';

beforeAll(async () => {
  fake = await FakeDiscord.start();
  const guild = fake.createGuild({ name: 'Readers' });
  guildId = guild.id;
  channelId = fake.createChannel(guild.id, { name: 'news' }).id;
  userId = fake.createUser({ username: 'reader' }).id;
  fake.addMember(guild.id, userId);
  client = new Client({ intents: [GatewayIntentBits.Guilds], ...clientOptionsFor(fake) });
  client.on(Events.InteractionCreate, (i) => {
    if (!i.isChatInputCommand()) return;
    seen = i;
    void answer(i).catch(() => undefined);
  });
  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(fake.botToken);
  client = await ready;
  await client.application.commands.set(
    [{ name: 'upload', description: 'Send a file', options: [{ type: 11, name: 'file', description: 'The file', required: true }] }],
    guildId,
  );
});

afterAll(async () => {
  await client.destroy();
  await fake.close();
});

const upload = (data: Uint8Array, filename = 'feeds.opml') =>
  fake.runCommand({ guildId, channelId, userId, name: 'upload', options: { file: { filename, data } } });

describe('a file attached to a command option', () => {
  it('reaches the bot as Discord resolves it, and its URL serves the bytes', async () => {
    answer = (i) => i.reply({ content: 'got it' });
    await upload(Buffer.from(OPML)).reply();
    const attachment = seen?.options.getAttachment('file', true);
    expect(attachment).toMatchObject({ name: 'feeds.opml', size: Buffer.byteLength(OPML), contentType: 'text/x-opml; charset=utf-8', ephemeral: true });
    expect(attachment?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/attachments\/\d{17,20}\/feeds\.opml$/);
    const response = await fetch(attachment?.url ?? '');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(OPML);
    expect(fake.file(attachment?.url ?? '')?.toString()).toBe(OPML);
  });

  it('a file over Discord’s upload limit cannot be sent by a user', () => {
    expect(() => upload(new Uint8Array(UPLOAD_LIMIT_BYTES + 1))).toThrow(/over Discord's 10485760-byte upload limit/);
  });

  it('an unknown or renamed file is 404 at the CDN', async () => {
    answer = (i) => i.reply({ content: 'ok' });
    await upload(Buffer.from('x'), 'a.txt').reply();
    const url = seen?.options.getAttachment('file', true).url ?? '';
    expect((await fetch(url.replace('a.txt', 'b.txt'))).status).toBe(404);
    expect((await fetch(url.replace(/\/\d+\//, '/1234567890123456789/'))).status).toBe(404);
  });
});

describe('files the bot uploads', () => {
  const bytes = Buffer.from(OPML);

  it('a reply carries its file: filename, size and a URL serving the bytes', async () => {
    answer = (i) => i.reply({ content: 'Your feeds', files: [{ attachment: bytes, name: 'feeds.opml' }], flags: MessageFlags.Ephemeral });
    const reply = await upload(Buffer.from('x')).reply();
    const [file] = reply.message?.attachments ?? [];
    expect(file).toMatchObject({ filename: 'feeds.opml', size: bytes.length });
    expect(fake.file(file?.url ?? '')?.equals(bytes)).toBe(true);
    expect(await (await fetch(file?.url ?? '')).text()).toBe(OPML);
  });

  it('a deferred reply edited with a file, and a follow-up with two', async () => {
    answer = async (i) => {
      await i.deferReply();
      await i.editReply({ files: [{ attachment: bytes, name: 'first.opml' }] });
      await i.followUp({
        content: 'more',
        files: [
          { attachment: Buffer.from('a'), name: 'a.txt' },
          { attachment: Buffer.from('bb'), name: 'b.txt' },
        ],
      });
    };
    const handle = upload(Buffer.from('x'));
    await handle.reply();
    await expect.poll(() => fake.messages(channelId).at(-1)?.content).toBe('more');
    const [original, followUp] = fake.messages(channelId).slice(-2);
    expect(original?.attachments.map((a) => a.filename)).toEqual(['first.opml']);
    expect(original?.content).toBe('');
    expect(followUp?.attachments.map((a) => [a.filename, a.size])).toEqual([
      ['a.txt', 1],
      ['b.txt', 2],
    ]);
    expect(fake.file(followUp?.attachments[1]?.url ?? '')?.toString()).toBe('bb');
  });

  it('a channel message keeps its files through an edit unless the edit drops them', async () => {
    const channel = (await client.channels.fetch(channelId)) as TextChannel;
    const sent = await channel.send({ files: [{ attachment: bytes, name: 'feeds.opml' }] });
    expect(fake.message(sent.id)?.attachments.map((a) => a.filename)).toEqual(['feeds.opml']);
    await sent.edit({ content: 'Now with words' });
    expect(fake.message(sent.id)?.attachments).toHaveLength(1);
    await sent.edit({ content: 'Files gone', attachments: [] });
    expect(fake.message(sent.id)?.attachments).toEqual([]);
  });

  it('a webhook message carries its file too', async () => {
    const channel = (await client.channels.fetch(channelId)) as TextChannel;
    fake.setBotPermissions(channelId, PermissionFlagsBits.ManageWebhooks, 0n);
    const webhook = await channel.createWebhook({ name: 'Harbour desk' });
    const sent = await webhook.send({ content: 'Attached', files: [{ attachment: bytes, name: 'feeds.opml' }] });
    const [file] = fake.message(sent.id)?.attachments ?? [];
    expect(file).toMatchObject({ filename: 'feeds.opml', size: bytes.length });
    expect(fake.file(file?.url ?? '')?.equals(bytes)).toBe(true);
  });

  it('a file over the limit is refused with 413 40005 and recorded', async () => {
    const channel = (await client.channels.fetch(channelId)) as TextChannel;
    const refused = await channel.send({ files: [{ attachment: Buffer.alloc(UPLOAD_LIMIT_BYTES + 1), name: 'big.bin' }] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DiscordAPIError);
    expect(refused).toMatchObject({ status: 413, code: 40005 });
    expect(fake.violations.at(-1)).toMatchObject({ status: 413, code: 40005, message: expect.stringContaining('big.bin') as unknown });
  });
});
