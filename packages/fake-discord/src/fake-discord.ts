/**
 * The fake Discord as one object: it wires state, REST, gateway and interactions together and is
 * the surface tests (and later the browser playground) drive.
 */
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApplicationFlags,
  RESTJSONErrorCodes,
  type APIApplicationCommand,
  type APIGuild,
  type APIGuildForumTag,
  type APIGuildMember,
  type APIRole,
  type APIThreadChannel,
  type APIUser,
} from 'discord-api-types/v10';
import type { Core } from './core.ts';
import * as driver from './driver.ts';
import { FaultInjector, type Faults } from './faults.ts';
import { Gateway } from './gateway.ts';
import { restListener } from './http.ts';
import { randomSecret, SnowflakeFactory } from './ids.ts';
import { InteractionRegistry, type InteractionRecord } from './interactions.ts';
import { copyOut, MessageService } from './messages.ts';
import { resolveOptions, type ResolvedOptions } from './options.ts';
import { guildCreatePayload } from './payloads.ts';
import { channelPermissions } from './permissions.ts';
import { RateLimiter } from './rate-limits.ts';
import { commandRoutes } from './rest-commands.ts';
import { interactionRoutes } from './rest-interactions.ts';
import { messageRoutes } from './rest-messages.ts';
import { reactionRoutes } from './rest-reactions.ts';
import { metaRoutes } from './rest-meta.ts';
import { threadRoutes } from './rest-threads.ts';
import { webhookRoutes } from './rest-webhooks.ts';
import { setForumTags, type ForumTagInput } from './forum-tags.ts';
import { FakeState, type FakeChannel, type SentWith, type WebhookRecord } from './state.ts';
import type { FakeDiscordEvents, FakeDiscordOptions, FakeMessage, InteractionHandle, RequestRecord, Violation } from './types.ts';
import { startCommand, startComponent, type CommandInput } from './user-interactions.ts';

/**
 * A local Discord that the real, unmodified discord.js client logs into: REST under `/api/v10`
 * and the gateway on the same 127.0.0.1 port. It keeps Discord's state, enforces Discord's rules
 * (limits, deadlines, rate limits, permissions) and records every broken one in `violations`, so a
 * test fails where production would. Tests act as users would (run a command, click a button,
 * post a message) and observe what the bot did. Events: `request`, `violation`, `dispatch`,
 * `ephemeral`, `interaction` (see {@link FakeDiscordEvents}).
 *
 * @example
 * const fake = await FakeDiscord.start();
 * const guild = fake.createGuild({ name: 'Readers' });
 * const client = new Client({ intents: [GatewayIntentBits.Guilds], ...clientOptionsFor(fake) });
 * await client.login(fake.botToken);
 * // …
 * await client.destroy();
 * await fake.close();
 */
export class FakeDiscord extends EventEmitter<FakeDiscordEvents> {
  /** What discord.js takes as `rest.api`: `http://127.0.0.1:PORT/api`. */
  readonly apiUrl: string;
  /** The gateway's address, `ws://127.0.0.1:PORT`. */
  readonly gatewayUrl: string;
  /** The token the bot must present (the `botToken` option, else random). */
  readonly botToken: string;
  readonly applicationId: string;
  /** The bot's user; its id equals the application id, as for bots Discord creates today. */
  readonly botUser: APIUser;
  /** Deliberate trouble: failures, 429 storms, latency. */
  readonly faults: Faults;
  readonly #core: Core;
  readonly #server: Server;
  readonly #gateway: Gateway;
  readonly #log: (line: string) => void;
  readonly #requests: RequestRecord[] = [];
  readonly #violations: Violation[] = [];
  #invalidRequests = 0;

  /** Starts the fake on `host:port` (default 127.0.0.1 and a free port). */
  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const resolved = resolveOptions(options);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(resolved.port, resolved.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new FakeDiscord(server, resolved);
  }

  private constructor(server: Server, options: ResolvedOptions) {
    super();
    const { port } = server.address() as AddressInfo;
    const granted = options.messageContentIntent;
    const applicationFlags = granted ? ApplicationFlags.GatewayMessageContentLimited : 0;
    this.#server = server;
    this.#log = options.logger;
    this.apiUrl = `http://${options.host}:${port}/api`;
    this.gatewayUrl = `ws://${options.host}:${port}`;
    this.applicationId = options.applicationId ?? new SnowflakeFactory().next();
    this.botToken = options.botToken ?? `${Buffer.from(this.applicationId).toString('base64url')}.${randomSecret(20)}`;
    this.botUser = { id: this.applicationId, username: options.botName, discriminator: '0', global_name: null, avatar: null, bot: true };
    const state = new FakeState();
    state.uploads.setBase(`http://${options.host}:${port}`);
    state.users.set(this.botUser.id, this.botUser);
    const dispatch: Core['dispatch'] = (event, data, scope) => {
      this.emit('dispatch', event, data);
      this.#gateway.dispatch(event, data, scope);
    };
    const deadlineMs = options.interactionDeadlineMs;
    this.#core = {
      state,
      messages: new MessageService(state, dispatch, options.nonceWindowMs, (change, message) => this.emit('ephemeral', change, copyOut(message))),
      interactions: new InteractionRegistry(state, deadlineMs, options.interactionTokenLifetimeMs, (record) =>
        this.#violation(missedDeadline(record, deadlineMs)),
      ),
      botUser: this.botUser,
      applicationId: this.applicationId,
      messageContentGranted: granted,
      dispatch,
    };
    this.#gateway = new Gateway(server, {
      token: this.botToken,
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      messageContentGranted: granted,
      maxGuildsPerShard: options.maxGuildsPerShard,
      botUser: this.botUser,
      application: { id: this.applicationId, flags: applicationFlags },
      url: () => this.gatewayUrl,
      guildCreates: () => [...state.guilds.values()].map((g) => ({ ...guildCreatePayload(state, g, this.botUser.id), id: g.id })),
      canView: (channelId) => {
        const channel = state.channels.get(channelId);
        return channel !== undefined && channelPermissions(state, channel, this.botUser.id) !== 0n;
      },
      log: this.#log,
    });
    const faults = new FaultInjector();
    this.faults = faults;
    const core = this.#core;
    server.on(
      'request',
      restListener({
        routes: [
          ...metaRoutes(core, () => this.gatewayUrl, applicationFlags, {
            ...(options.recommendedShards !== undefined && { recommended: options.recommendedShards }),
            guildsPerShard: Math.min(1000, options.maxGuildsPerShard),
          }),
          ...commandRoutes(core),
          ...messageRoutes(core),
          ...reactionRoutes(core),
          ...threadRoutes(core),
          // Before the interaction routes, which share the token routes' paths: an id that is no channel webhook goes on to them.
          ...webhookRoutes(core, interactionRoutes(core)),
          ...interactionRoutes(core),
        ],
        token: this.botToken,
        limiter: new RateLimiter(options.rateLimits.global),
        windows: options.rateLimits,
        faults,
        uploads: state.uploads,
        record: (request) => {
          this.#requests.push(request);
          this.emit('request', request);
        },
        violation: (violation) => this.#violation(violation),
        countInvalid: () => void this.#invalidRequests++,
        log: this.#log,
      }),
    );
  }

  /** Every REST request answered, in order. */
  get requests(): ReadonlyArray<RequestRecord> {
    return this.#requests;
  }

  /** Every request Discord would have refused (and every interaction left unanswered), in order. */
  get violations(): ReadonlyArray<Violation> {
    return this.#violations;
  }

  /** Requests answered 401, 403 or 429 (not `shared`): Discord bans an address at 10,000 per 10 minutes. */
  get invalidRequests(): number {
    return this.#invalidRequests;
  }

  /** Gateway sessions with a live socket. */
  get connectedSessions(): number {
    return this.#gateway.connectedSessions;
  }

  // Arranging the world.

  /**
   * A guild with the bot as a member (its role carries `botPermissions`) and a new user as owner.
   * Any number can be created; `shard: [id, count]` places one on a shard of a sharded bot.
   */
  createGuild(input: driver.GuildInput): APIGuild {
    return driver.createGuild(this.#core, input);
  }

  /** A text channel (default), forum or category in a guild. */
  createChannel(guildId: string, input: { name: string; type?: 'text' | 'forum' | 'category'; parentId?: string }): FakeChannel {
    return driver.createChannel(this.#core, guildId, input);
  }

  createUser(input: { username: string; globalName?: string; bot?: boolean }): APIUser {
    return structuredClone(this.#core.state.createUser(input));
  }

  /** Makes a user a member; with `permissions` the member gets a role of their own carrying them. */
  addMember(guildId: string, userId: string, input?: { permissions?: bigint; nick?: string }): APIGuildMember {
    return driver.addMember(this.#core, guildId, userId, input);
  }

  /** A member overwrite for the bot on a channel (threads follow their parent); 0n/0n removes it. */
  setBotPermissions(channelId: string, allow: bigint, deny: bigint): void {
    driver.setBotPermissions(this.#core, channelId, allow, deny);
  }

  /** Deletes a channel and its threads, dispatching THREAD_DELETE / CHANNEL_DELETE. */
  deleteChannel(channelId: string): void {
    driver.deleteChannel(this.#core, channelId);
  }

  /** A role (not mentionable unless said), given to `members`; dispatches GUILD_ROLE_CREATE. */
  createRole(guildId: string, input: { name: string; mentionable?: boolean; permissions?: bigint; members?: readonly string[] }): APIRole {
    const guild = this.#core.state.guilds.get(guildId);
    if (!guild) throw new Error(`FakeDiscord: no guild ${guildId}`);
    const role = this.#core.state.createRole(guild, input);
    this.#core.dispatch('GUILD_ROLE_CREATE', { guild_id: guildId, role: structuredClone(role) }, { guildId });
    return structuredClone(role);
  }

  /** Sets a forum's tags (its `available_tags`, with new ids), as a moderator would; dispatches CHANNEL_UPDATE. */
  setForumTags(forumId: string, tags: readonly ForumTagInput[]): APIGuildForumTag[] {
    return setForumTags(this.#core, forumId, tags);
  }

  /** Archives a thread, as Discord does once its auto-archive time passes: it leaves the active list. */
  archiveThread(threadId: string): void {
    driver.archiveThread(this.#core, threadId);
  }

  // A user acting.

  /**
   * A user runs a slash command. `options` is either what the user typed, `{ query: 'nato', limit: 3 }`
   * (typed by the registered definition; `subcommand`/`subcommandGroup` pick one; an attachment
   * option takes `{ filename, data }`, served at the URL in `resolved.attachments`), or Discord's own
   * option array. Throws if no such command is registered or no user could send this input.
   */
  runCommand(input: CommandInput): InteractionHandle {
    return this.#handle(startCommand(this.#core, input, false));
  }

  /** A user types into option `focused` of a command; its value in `options` is the partial text. */
  autocomplete(input: CommandInput & { focused: string }): InteractionHandle {
    return this.#handle(startCommand(this.#core, input, true));
  }

  /**
   * A user clicks the button `customId` on a message. An id the message does not carry is sent
   * anyway, as a stale or tampered client would.
   */
  clickButton(input: { messageId: string; customId: string; userId: string }): InteractionHandle {
    return this.#handle(startComponent(this.#core, input));
  }

  /** A user picks `values` in the select menu `customId` on a message (checked against its options and min/max). */
  selectMenu(input: { messageId: string; customId: string; values: string[]; userId: string }): InteractionHandle {
    return this.#handle(startComponent(this.#core, input));
  }

  /** A user posts in a channel or thread, optionally replying (which pings the replied-to author). */
  postAsUser(input: { channelId: string; userId: string; content: string; replyTo?: string }): FakeMessage {
    return copyOut(driver.postAsUser(this.#core, input));
  }

  editAsUser(messageId: string, content: string): FakeMessage {
    return copyOut(driver.editAsUser(this.#core, messageId, content));
  }

  deleteAsUser(messageId: string): void {
    driver.deleteAsUser(this.#core, messageId);
  }

  // Observing.

  /** A channel's or thread's messages, oldest first (ephemeral ones never appear). */
  messages(channelId: string): FakeMessage[] {
    return this.#core.state.messagesOf(channelId).map(copyOut);
  }

  /** Any message by id, ephemeral ones included. */
  message(id: string): FakeMessage | undefined {
    const stored = this.#core.state.messages.get(id);
    return stored ? copyOut(stored.message) : undefined;
  }

  /**
   * The bytes of a file Discord holds, by its attachment URL (or id): what the bot uploaded with a
   * message (`message.attachments[n].url`), or what a user attached to a command.
   */
  file(urlOrId: string): Buffer | undefined {
    return this.#core.state.uploads.bytes(urlOrId);
  }

  /** The threads of a channel or forum, oldest first. */
  threads(parentId: string): APIThreadChannel[] {
    return structuredClone(this.#core.state.threadsOf(parentId));
  }

  /** A guild's channels, forums, categories and threads, in creation order. */
  channels(guildId: string): FakeChannel[] {
    return [...this.#core.state.channels.values()].filter((c) => c.guild_id === guildId).map((c) => structuredClone(c));
  }

  /**
   * How a message was sent, which Discord does not show on the message: the `allowed_mentions` it
   * (or its last edit that carried one) was sent with, and a webhook message's `avatar_url`. Who was
   * actually pinged is on the message: `mentions`, `mention_roles`, `mention_everyone`.
   */
  sentWith(messageId: string): SentWith | undefined {
    const stored = this.#core.state.messages.get(messageId);
    return stored ? structuredClone(stored.sent ?? {}) : undefined;
  }

  /** The webhooks of a channel, with their tokens. */
  webhooks(channelId: string): WebhookRecord[] {
    return [...this.#core.state.webhooks.values()].filter((w) => w.channel_id === channelId).map((w) => structuredClone(w));
  }

  user(id: string): APIUser | undefined {
    return structuredClone(this.#core.state.users.get(id));
  }

  channel(id: string): FakeChannel | undefined {
    return structuredClone(this.#core.state.channels.get(id));
  }

  /** The registered commands of a guild, or the global ones without `guildId`. */
  commands(guildId?: string): APIApplicationCommand[] {
    return structuredClone(this.#core.state.commandsOf(guildId));
  }

  /**
   * Breaks the gateway connection. No code: the socket dies without a close frame and the client
   * resumes; 4000 also resumes; 1000 ends the session and the client identifies afresh.
   */
  dropGateway(code?: number): void {
    this.#log(`gateway: dropping connections${code === undefined ? '' : ` with ${code}`}`);
    this.#gateway.drop(code);
  }

  /** Stops everything: sockets, timers, the server. Waiting interaction handles reject. */
  async close(): Promise<void> {
    this.#core.interactions.close();
    this.faults.clear();
    await this.#gateway.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #handle(record: InteractionRecord): InteractionHandle {
    const handle = this.#core.interactions.handle(record);
    this.emit('interaction', handle);
    return handle;
  }

  #violation(violation: Violation): void {
    this.#violations.push(violation);
    this.#log(`violation: ${violation.method} ${violation.path} → ${violation.status} ${violation.code} ${violation.message}`);
    this.emit('violation', violation);
  }
}

function missedDeadline(record: InteractionRecord, deadlineMs: number): Violation {
  return {
    method: 'INTERACTION',
    path: `/interactions/${record.id}`,
    status: 404,
    code: RESTJSONErrorCodes.UnknownInteraction,
    message: `Unknown interaction: ${record.label} got no callback within ${deadlineMs} ms (the user saw "This interaction failed")`,
    at: Date.now(),
  };
}
