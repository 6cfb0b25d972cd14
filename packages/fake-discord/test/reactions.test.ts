/**
 * The bot's own reactions through the local Discord with the real discord.js client: stored on the
 * message once however often it is sent, sent to sessions with the reactions intent, and refused as
 * Discord refuses them (an unknown emoji, a new emoji without Add Reactions, a 21st emoji).
 */
import { ChannelType, Client, Events, GatewayIntentBits, PermissionFlagsBits, type TextChannel } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { clientOptionsFor, FakeDiscord } from '../src/index.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function world(): Promise<{ fake: FakeDiscord; client: Client<true>; channel: TextChannel; userId: string }> {
  const fake = await FakeDiscord.start();
  cleanups.push(() => fake.close());
  const guild = fake.createGuild({ name: 'Readers' });
  const text = fake.createChannel(guild.id, { name: 'news' });
  const user = fake.createUser({ username: 'reader' });
  fake.addMember(guild.id, user.id);
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.GuildMessageReactions],
    ...clientOptionsFor(fake),
  });
  cleanups.push(() => client.destroy());
  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(fake.botToken);
  const c = await ready;
  const channel = c.channels.cache.get(text.id);
  if (channel?.type !== ChannelType.GuildText) throw new Error('channel not cached');
  return { fake, client: c, channel, userId: user.id };
}

const reactionsOf = (fake: FakeDiscord, channelId: string, messageId: string) =>
  (fake.messages(channelId).find((m) => m.id === messageId)?.reactions ?? []).map((r) => ({ name: r.emoji.name, count: r.count, me: r.me }));

describe('GIVEN a user’s message and the bot reacting to it', () => {
  it('THEN the reaction is stored once however often it is sent, and the gateway tells the client', async () => {
    const w = await world();
    const posted = w.fake.postAsUser({ channelId: w.channel.id, userId: w.userId, content: 'A question.' });
    const message = await w.channel.messages.fetch(posted.id);
    const seen = new Promise<string | null>((resolve) => w.client.once(Events.MessageReactionAdd, (reaction) => resolve(reaction.emoji.name)));
    await message.react('⏳');
    await message.react('⏳');
    await message.react('👍');
    expect(await seen).toBe('⏳');
    expect(reactionsOf(w.fake, w.channel.id, posted.id)).toEqual([
      { name: '⏳', count: 1, me: true },
      { name: '👍', count: 1, me: true },
    ]);
  });

  it('THEN an unknown emoji, a new emoji without Add Reactions, and a 21st emoji are refused as Discord does', async () => {
    const w = await world();
    const posted = w.fake.postAsUser({ channelId: w.channel.id, userId: w.userId, content: 'A question.' });
    const message = await w.channel.messages.fetch(posted.id);
    await expect(message.react('nope')).rejects.toMatchObject({ code: 10014, status: 400 });
    const emoji = [...'😀😁😂😃😄😅😆😇😈😉😊😋😌😍😎😏😐😑😒😓'];
    for (const e of emoji) await message.react(e);
    await expect(message.react('😔')).rejects.toMatchObject({ code: 30010 });
    w.fake.setBotPermissions(w.channel.id, 0n, PermissionFlagsBits.AddReactions);
    const other = w.fake.postAsUser({ channelId: w.channel.id, userId: w.userId, content: 'Another.' });
    await expect((await w.channel.messages.fetch(other.id)).react('⏳')).rejects.toMatchObject({ code: 50013, status: 403 });
    expect(reactionsOf(w.fake, w.channel.id, other.id)).toEqual([]);
  });
});
