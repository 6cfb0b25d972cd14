/**
 * Interactions through the local Discord with the real discord.js client: what a user sees of a
 * reply, a deferred reply, a follow-up, an update of a button's message and autocomplete choices;
 * and the rules: one callback only, within the deadline, while the token lives.
 */
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Routes,
  StringSelectMenuBuilder,
  type Interaction,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { clientOptionsFor, FakeDiscord, type FakeDiscordOptions } from '../src/index.ts';

interface World {
  fake: FakeDiscord;
  client: Client<true>;
  guildId: string;
  channelId: string;
  userId: string;
  /** Runs /search as the member, in the channel. */
  search(query: string): ReturnType<FakeDiscord['runCommand']>;
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fake with one guild, channel and member, a logged-in client, and /search registered over REST. */
async function world(options: FakeDiscordOptions = {}, onInteraction?: (i: Interaction) => Promise<unknown>): Promise<World> {
  const fake = await FakeDiscord.start(options);
  cleanups.push(() => fake.close());
  const guild = fake.createGuild({ name: 'Readers' });
  const channel = fake.createChannel(guild.id, { name: 'news' });
  const user = fake.createUser({ username: 'reader' });
  fake.addMember(guild.id, user.id);
  const client = new Client({ intents: [GatewayIntentBits.Guilds], ...clientOptionsFor(fake) });
  cleanups.push(() => client.destroy());
  if (onInteraction) client.on(Events.InteractionCreate, (i) => void onInteraction(i).catch(() => undefined));
  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(fake.botToken);
  const c = await ready;
  await c.application.commands.set(
    [
      {
        name: 'search',
        description: 'Search the articles',
        options: [
          { type: 3, name: 'query', description: 'Words to find', required: true, autocomplete: true },
          { type: 4, name: 'limit', description: 'How many', min_value: 1, max_value: 10 },
        ],
      },
    ],
    guild.id,
  );
  return {
    fake,
    client: c,
    guildId: guild.id,
    channelId: channel.id,
    userId: user.id,
    search: (query) => fake.runCommand({ guildId: guild.id, channelId: channel.id, userId: user.id, name: 'search', options: { query, limit: 3 } }),
  };
}

describe('GIVEN a slash command', () => {
  it('THEN it arrives as a ChatInputCommandInteraction with typed options, and its reply is what the user sees', async () => {
    const seen: unknown[] = [];
    const w = await world({}, async (i) => {
      if (!i.isChatInputCommand()) return;
      seen.push([i.commandName, i.options.getString('query'), i.options.getInteger('limit'), i.memberPermissions?.has('SendMessages'), i.channel?.id]);
      await i.reply({ content: `Results for ${i.options.getString('query', true)}` });
    });
    const handle = w.search('nato');
    const reply = await handle.reply();
    expect(seen).toEqual([['search', 'nato', 3, true, w.channelId]]);
    expect(reply).toMatchObject({ content: 'Results for nato', ephemeral: false });
    expect(handle.callbacks.map((c) => [c.type, c.status])).toEqual([[4, 204]]);
    expect(w.fake.messages(w.channelId).map((m) => m.content)).toEqual(['Results for nato']);
    expect(handle.original()?.interaction_metadata?.id).toBe(handle.id);
    expect(w.fake.violations).toEqual([]);
  });

  it('THEN a deferred ephemeral reply is seen at its edit and never enters the channel', async () => {
    const w = await world({}, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply({ flags: MessageFlags.Ephemeral });
      await i.editReply({ content: 'Only you can see this' });
    });
    const handle = w.search('nato');
    expect(await handle.reply()).toMatchObject({ content: 'Only you can see this', ephemeral: true });
    expect(handle.callbacks.map((c) => c.type)).toEqual([5]);
    expect(w.fake.messages(w.channelId)).toEqual([]);
  });

  it('THEN follow-ups are kept in order, and with_response answers the message', async () => {
    const w = await world({}, async (i) => {
      if (!i.isChatInputCommand()) return;
      const response = await i.reply({ content: 'first', withResponse: true });
      await i.followUp({ content: `after ${response.resource?.message?.content ?? '?'}` });
      await i.followUp({ content: 'secret', flags: MessageFlags.Ephemeral });
    });
    const handle = w.search('nato');
    await expect
      .poll(() => handle.followUps.map((m) => [m.content, Boolean((m.flags ?? 0) & MessageFlags.Ephemeral)]))
      .toEqual([
        ['after first', false],
        ['secret', true],
      ]);
    expect(w.fake.messages(w.channelId).map((m) => m.content)).toEqual(['first', 'after first']);
  });

  it('THEN mentions in a reply ping users only, unless allowed_mentions says otherwise, as in Discord', async () => {
    const w = await world({}, async (i) => {
      if (!i.isChatInputCommand()) return;
      const text = `@everyone look, <@${i.user.id}>`;
      await i.reply(text);
      await i.followUp({ content: text, allowedMentions: { parse: [] } });
    });
    const handle = w.search('nato');
    const reply = await handle.reply();
    expect([reply.message?.mention_everyone, reply.message?.mentions.map((u) => u.id)]).toEqual([false, [w.userId]]);
    await expect.poll(() => handle.followUps.map((m) => [m.mention_everyone, m.mentions.length])).toEqual([[false, 0]]);
  });

  it('THEN a second callback is refused with 40060, and recorded', async () => {
    const errors: unknown[] = [];
    const w = await world({}, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply('once');
      // discord.js refuses a second reply itself; a bot that bypasses it meets Discord's own refusal.
      await i.client.rest
        .post(Routes.interactionCallback(i.id, i.token), { body: { type: 4, data: { content: 'twice' } }, auth: false })
        .catch((e: unknown) => errors.push(e));
    });
    const handle = w.search('nato');
    await expect.poll(() => errors.length).toBe(1);
    expect(errors[0]).toBeInstanceOf(DiscordAPIError);
    expect(errors[0]).toMatchObject({ code: 40060, status: 400 });
    expect(handle.callbacks.map((c) => c.status)).toEqual([204, 400]);
    expect(w.fake.violations).toMatchObject([{ code: 40060, message: 'Interaction has already been acknowledged.' }]);
  });

  it('THEN a reply after the deadline gets 10062 Unknown interaction, and the miss is recorded', async () => {
    const errors: unknown[] = [];
    const w = await world({ interactionDeadlineMs: 100 }, async (i) => {
      if (!i.isChatInputCommand()) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
      await i.reply('too late').catch((e: unknown) => errors.push(e));
    });
    const handle = w.search('nato');
    await expect(handle.reply(400)).rejects.toThrow(`interaction ${handle.id} (/search) got no reply within 400 ms (callbacks: type 4 → 404)`);
    await expect.poll(() => errors).toMatchObject([{ code: 10062, status: 404 }]);
    expect(w.fake.violations.map((v) => v.code)).toEqual([10062, 10062]);
    expect(w.fake.violations[0]?.message).toMatch(/\/search got no callback within 100 ms/);
  });

  it('THEN edits after the token expired get 401 Invalid Webhook Token', async () => {
    const errors: unknown[] = [];
    const w = await world({ interactionTokenLifetimeMs: 150 }, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      await new Promise((resolve) => setTimeout(resolve, 250));
      await i.editReply('finally').catch((e: unknown) => errors.push(e));
    });
    w.search('nato');
    await expect.poll(() => errors).toMatchObject([{ code: 50027, status: 401 }]);
  });

  it('THEN editing @original before any callback is 404 Unknown Message', async () => {
    const errors: unknown[] = [];
    const w = await world({}, async (i) => {
      if (!i.isChatInputCommand()) return;
      const edit = Routes.webhookMessage(i.applicationId, i.token, '@original');
      await i.client.rest.patch(edit, { body: { content: 'early' }, auth: false }).catch((e: unknown) => errors.push(e));
      await i.reply('now');
    });
    await w.search('nato').reply();
    expect(errors).toMatchObject([{ code: 10008 }]);
  });

  it('THEN a command nobody registered cannot be run', async () => {
    const w = await world();
    expect(() => w.fake.runCommand({ guildId: w.guildId, channelId: w.channelId, userId: w.userId, name: 'nope' })).toThrow(
      /no command \/nope is registered.*\/search/,
    );
    expect(() => w.fake.runCommand({ guildId: w.guildId, channelId: w.channelId, userId: w.userId, name: 'search', options: {} })).toThrow(
      /needs option "query"/,
    );
  });
});

describe('GIVEN a command with subcommands and a user option', () => {
  it('THEN the subcommand and the resolved user arrive, typed by the registered definition', async () => {
    const seen: unknown[] = [];
    const w = await world({}, async (i) => {
      if (!i.isChatInputCommand() || i.commandName !== 'subscribe') return;
      seen.push([i.options.getSubcommand(), i.options.getUser('who')?.username, i.options.getBoolean('quiet')]);
      await i.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
    });
    await w.client.application.commands.create(
      {
        name: 'subscribe',
        description: 'Subscriptions',
        options: [
          {
            type: 1,
            name: 'add',
            description: 'Add one',
            options: [
              { type: 6, name: 'who', description: 'Whom', required: true },
              { type: 5, name: 'quiet', description: 'No pings' },
            ],
          },
        ],
      },
      w.guildId,
    );
    const run = (options: Record<string, string | boolean>): ReturnType<FakeDiscord['runCommand']> =>
      w.fake.runCommand({ guildId: w.guildId, channelId: w.channelId, userId: w.userId, name: 'subscribe', subcommand: 'add', options });
    await run({ who: w.userId, quiet: true }).reply();
    expect(seen).toEqual([['add', 'reader', true]]);
    expect(() => run({ who: w.userId, quiet: 'yes' })).toThrow(/takes true or false/);
    expect(() => run({ who: '123456789012345678' })).toThrow(/no user with id/);
  });
});

describe('GIVEN autocomplete', () => {
  it('THEN the focused option arrives as typed and the choices are what the user sees; 26 are refused', async () => {
    const errors: unknown[] = [];
    const w = await world({}, async (i) => {
      if (!i.isAutocomplete()) return;
      const typed = i.options.getFocused();
      if (typed === 'many') {
        await i.respond(Array.from({ length: 26 }, (_, n) => ({ name: `n${n}`, value: `v${n}` }))).catch((e: unknown) => errors.push(e));
        return;
      }
      await i.respond([{ name: `${typed}… (1 article)`, value: 'abc123' }]);
    });
    const ask = (text: string): ReturnType<FakeDiscord['autocomplete']> =>
      w.fake.autocomplete({ guildId: w.guildId, channelId: w.channelId, userId: w.userId, name: 'search', options: { query: text }, focused: 'query' });
    expect(await ask('nat').choices()).toEqual([{ name: 'nat… (1 article)', value: 'abc123' }]);
    ask('many');
    await expect
      .poll(() => errors)
      .toMatchObject([{ code: 50035, rawError: { errors: { data: { choices: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } } }]);
  });
});

describe('GIVEN a message with a button and a select menu', () => {
  it('THEN a click updates the message in place, and a pick answers privately', async () => {
    const w = await world({}, async (i) => {
      if (i.isChatInputCommand()) {
        const button = new ButtonBuilder().setCustomId('next').setLabel('Next ▶').setStyle(ButtonStyle.Primary);
        const menu = new StringSelectMenuBuilder().setCustomId('open').addOptions({ label: 'First', value: 'a1' }, { label: 'Second', value: 'a2' });
        await i.reply({
          content: 'page 1',
          components: [new ActionRowBuilder<ButtonBuilder>().addComponents(button), new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu)],
        });
      } else if (i.isButton()) {
        await i.update({ content: `page 2 (${i.customId} on ${i.message.content})` });
      } else if (i.isStringSelectMenu()) {
        await i.reply({ content: `opened ${i.values.join(',')}`, flags: MessageFlags.Ephemeral });
      }
    });
    const first = await w.search('nato').reply();
    const messageId = first.message?.id ?? '';
    expect(first.components.map((row) => row.components.map((c) => c.type))).toEqual([[2], [3]]);
    const clicked = await w.fake.clickButton({ messageId, customId: 'next', userId: w.userId }).reply();
    expect(clicked.content).toBe('page 2 (next on page 1)');
    expect(w.fake.message(messageId)?.content).toBe('page 2 (next on page 1)');
    const picked = await w.fake.selectMenu({ messageId, customId: 'open', values: ['a2'], userId: w.userId }).reply();
    expect(picked).toMatchObject({ content: 'opened a2', ephemeral: true });
    expect(() => w.fake.selectMenu({ messageId, customId: 'open', values: ['zz'], userId: w.userId })).toThrow(/no option "zz"/);
    // A stale or tampered client can send an id the message no longer carries; the bot still gets it.
    const forged = await w.fake.clickButton({ messageId, customId: 'ghost', userId: w.userId }).reply();
    expect(forged.content).toBe('page 2 (ghost on page 2 (next on page 1))');
    expect(w.fake.violations).toEqual([]);
  });
});
