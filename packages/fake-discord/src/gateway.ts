/**
 * The gateway: a `ws` server speaking Discord's JSON protocol (HELLO, heartbeats, IDENTIFY, RESUME,
 * dispatches). Sessions outlive their sockets: events dispatched while a session is disconnected are
 * numbered and kept, and a RESUME replays exactly those after the client's last sequence number.
 * Each session gets only what its intents and shard ask for, and without the Message Content
 * intent other users' messages arrive without their content, as on Discord. IDENTIFY's
 * `shard: [id, count]` picks the guilds: `(guild_id >> 22) % count === id` (no `shard` is [0, 1],
 * every guild); a shard that would hold more than `maxGuildsPerShard` guilds is closed with 4011
 * and an impossible one with 4010, as Discord does.
 */
import type { Server } from 'node:http';
import { GatewayCloseCodes, GatewayIntentBits, GatewayOpcodes, type APIUser } from 'discord-api-types/v10';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { randomSecret, shardOf, validShard } from './ids.ts';
import { redactContent } from './messages.ts';

/** What the gateway needs to know about the rest of the fake. */
export interface GatewayDeps {
  readonly token: string;
  readonly heartbeatIntervalMs: number;
  /** The app has the Message Content intent switched on. */
  readonly messageContentGranted: boolean;
  /** More guilds than this on one connection's shard: closed with 4011 Sharding required. */
  readonly maxGuildsPerShard: number;
  readonly botUser: APIUser;
  readonly application: { id: string; flags: number };
  /** The URL clients connect (and resume) to. */
  url(): string;
  /** The GUILD_CREATE payloads for every guild, sent after READY. */
  guildCreates(): Array<Record<string, unknown> & { id: string }>;
  /** Whether the bot may see a channel (no VIEW_CHANNEL, no events from it). */
  canView(channelId: string): boolean;
  log(line: string): void;
}

interface Session {
  readonly id: string;
  readonly intents: number;
  readonly shard: readonly [number, number];
  seq: number;
  /** Every dispatch sent or owed, for replay on RESUME. */
  readonly sent: Array<{ op: 0; s: number; t: string; d: unknown }>;
  socket: WebSocket | null;
}

/** Events and the intent that brings them (absent: always sent). */
const EVENT_INTENTS: Record<string, number> = {
  GUILD_CREATE: GatewayIntentBits.Guilds,
  GUILD_UPDATE: GatewayIntentBits.Guilds,
  GUILD_DELETE: GatewayIntentBits.Guilds,
  CHANNEL_CREATE: GatewayIntentBits.Guilds,
  CHANNEL_UPDATE: GatewayIntentBits.Guilds,
  CHANNEL_DELETE: GatewayIntentBits.Guilds,
  THREAD_CREATE: GatewayIntentBits.Guilds,
  THREAD_UPDATE: GatewayIntentBits.Guilds,
  THREAD_DELETE: GatewayIntentBits.Guilds,
  GUILD_MEMBER_ADD: GatewayIntentBits.GuildMembers,
  MESSAGE_CREATE: GatewayIntentBits.GuildMessages,
  MESSAGE_UPDATE: GatewayIntentBits.GuildMessages,
  MESSAGE_DELETE: GatewayIntentBits.GuildMessages,
  MESSAGE_REACTION_ADD: GatewayIntentBits.GuildMessageReactions,
};
const CHANNEL_SCOPED = new Set(['MESSAGE_CREATE', 'MESSAGE_UPDATE', 'MESSAGE_DELETE', 'MESSAGE_REACTION_ADD']);
const REPLAY_LIMIT = 5000;

export class Gateway {
  readonly #server: WebSocketServer;
  readonly #sessions = new Map<string, Session>();

  constructor(
    httpServer: Server,
    private readonly deps: GatewayDeps,
  ) {
    this.#server = new WebSocketServer({ server: httpServer });
    this.#server.on('connection', (socket) => this.#accept(socket));
  }

  /** Sockets currently attached to a session. */
  get connectedSessions(): number {
    return [...this.#sessions.values()].filter((s) => s.socket?.readyState === WebSocket.OPEN).length;
  }

  /** Sends an event to every session entitled to it, or keeps it for their RESUME. */
  dispatch(event: string, data: Record<string, unknown>, scope: { guildId?: string; channelId?: string }): void {
    if (scope.channelId && CHANNEL_SCOPED.has(event) && !this.deps.canView(scope.channelId)) return;
    const entitled = [...this.#sessions.values()].filter((session) => {
      const intent = EVENT_INTENTS[event];
      if (intent !== undefined && !(session.intents & intent)) return false;
      return !scope.guildId || inShard(scope.guildId, session.shard);
    });
    const targets = event === 'INTERACTION_CREATE' ? oneFor(entitled) : entitled;
    for (const session of targets) this.#send(session, event, this.#shape(session, event, data));
  }

  /** Breaks every connection: without a code no close frame is sent (the client resumes). */
  drop(code?: number): void {
    for (const session of this.#sessions.values()) {
      const socket = session.socket;
      if (!socket) continue;
      session.socket = null;
      if (code === undefined) socket.terminate();
      else socket.close(code, 'Dropped by the fake');
      // Discord forgets a session it closes normally; the client then identifies afresh.
      if (code === 1000 || code === 1001) this.#sessions.delete(session.id);
    }
  }

  async close(): Promise<void> {
    for (const client of this.#server.clients) client.terminate();
    this.#sessions.clear();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(socket: WebSocket): void {
    let session: Session | null = null;
    this.#raw(socket, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.deps.heartbeatIntervalMs } });
    socket.on('message', (raw: RawData) => {
      let payload: { op?: unknown; d?: unknown };
      try {
        payload = JSON.parse(rawText(raw)) as { op?: unknown; d?: unknown };
      } catch {
        socket.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
        return;
      }
      const d = (typeof payload.d === 'object' && payload.d !== null ? payload.d : {}) as Record<string, unknown>;
      switch (payload.op) {
        case GatewayOpcodes.Heartbeat:
          this.#raw(socket, { op: GatewayOpcodes.HeartbeatAck });
          break;
        case GatewayOpcodes.Identify:
          if (session) socket.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
          else session = this.#identify(socket, d);
          break;
        case GatewayOpcodes.Resume:
          if (session) socket.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
          else session = this.#resume(socket, d);
          break;
        case GatewayOpcodes.PresenceUpdate:
        case GatewayOpcodes.VoiceStateUpdate:
        case GatewayOpcodes.RequestGuildMembers:
          break;
        default:
          socket.close(GatewayCloseCodes.UnknownOpcode, 'Unknown opcode.');
      }
    });
    socket.on('close', (code) => {
      if (session?.socket !== socket) return;
      session.socket = null;
      // A client that says goodbye normally will identify afresh; its session is over.
      if (code === 1000 || code === 1001) this.#sessions.delete(session.id);
    });
    socket.on('error', (error) => this.deps.log(`gateway socket error: ${error.message}`));
  }

  #identify(socket: WebSocket, d: Record<string, unknown>): Session | null {
    if (stripBot(d.token) !== this.deps.token) {
      socket.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
      return null;
    }
    const intents = typeof d.intents === 'number' ? d.intents : 0;
    if (intents & GatewayIntentBits.MessageContent && !this.deps.messageContentGranted) {
      // What Discord does when a bot asks for a privileged intent not switched on in the portal.
      socket.close(GatewayCloseCodes.DisallowedIntents, 'Disallowed intent(s).');
      return null;
    }
    const shard = d.shard === undefined || d.shard === null ? ([0, 1] as const) : parseShard(d.shard);
    if (!shard) {
      this.deps.log(`gateway: IDENTIFY with shard ${JSON.stringify(d.shard)} → closed 4010`);
      socket.close(GatewayCloseCodes.InvalidShard, 'Invalid shard.');
      return null;
    }
    const guilds = this.deps.guildCreates().filter((g) => inShard(g.id, shard));
    if (guilds.length > this.deps.maxGuildsPerShard) {
      this.deps.log(`gateway: IDENTIFY shard=${shard.join('/')} would hold ${guilds.length} guilds (over ${this.deps.maxGuildsPerShard}) → closed 4011`);
      socket.close(GatewayCloseCodes.ShardingRequired, 'Sharding required.');
      return null;
    }
    const session: Session = { id: randomSecret(16), intents, shard, seq: 0, sent: [], socket };
    this.#sessions.set(session.id, session);
    this.deps.log(`gateway: IDENTIFY intents=${intents} shard=${shard.join('/')} → session ${session.id}`);
    this.#send(session, 'READY', {
      v: 10,
      user: this.deps.botUser,
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.deps.url(),
      shard: [...shard],
      application: this.deps.application,
      user_settings: {},
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
    });
    for (const guild of guilds) this.#send(session, 'GUILD_CREATE', guild);
    return session;
  }

  #resume(socket: WebSocket, d: Record<string, unknown>): Session | null {
    const session = typeof d.session_id === 'string' ? this.#sessions.get(d.session_id) : undefined;
    if (!session || stripBot(d.token) !== this.deps.token) {
      this.#raw(socket, { op: GatewayOpcodes.InvalidSession, d: false });
      return null;
    }
    if (session.socket && session.socket !== socket) session.socket.terminate();
    session.socket = socket;
    const after = typeof d.seq === 'number' ? d.seq : 0;
    const missed = session.sent.filter((p) => p.s > after);
    this.deps.log(`gateway: RESUME session ${session.id} from seq ${after}, replaying ${missed.length}`);
    for (const payload of missed) this.#raw(socket, payload);
    this.#send(session, 'RESUMED', {});
    return session;
  }

  #shape(session: Session, event: string, data: Record<string, unknown>): Record<string, unknown> {
    if (event !== 'MESSAGE_CREATE' && event !== 'MESSAGE_UPDATE') return data;
    const sees = this.deps.messageContentGranted && (session.intents & GatewayIntentBits.MessageContent) !== 0;
    return sees ? data : redactContent(data, this.deps.botUser.id);
  }

  #send(session: Session, event: string, data: unknown): void {
    const payload = { op: 0 as const, s: ++session.seq, t: event, d: data };
    session.sent.push(payload);
    if (session.sent.length > REPLAY_LIMIT) session.sent.shift();
    if (session.socket) this.#raw(session.socket, payload);
    this.deps.log(`gateway: → ${event} s=${payload.s}${session.socket ? '' : ' (kept for resume)'}`);
  }

  #raw(socket: WebSocket, payload: unknown): void {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(payload));
  }
}

/** A frame's text, whatever shape `ws` handed it in. */
function rawText(raw: RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return Buffer.from(raw as ArrayBuffer).toString('utf8');
}

function stripBot(token: unknown): string {
  return typeof token === 'string' ? token.replace(/^Bot /, '') : '';
}

/** Discord's shard formula: (guild_id >> 22) % shard_count. */
function inShard(guildId: string, [id, count]: readonly [number, number]): boolean {
  return count <= 1 || shardOf(guildId, count) === id;
}

/** IDENTIFY's `shard` as `[id, count]`, or null when Discord would refuse it (4010). */
function parseShard(value: unknown): readonly [number, number] | null {
  if (!Array.isArray(value) || value.length !== 2) return null;
  const shard = [Number(value[0]), Number(value[1])] as const;
  return validShard(shard) ? shard : null;
}

/**
 * Discord hands an interaction to one connection only: the first live one of the guild's shard, or
 * when none is connected the newest session, which gets it on RESUME.
 */
function oneFor(sessions: Session[]): Session[] {
  const live = sessions.find((s) => s.socket?.readyState === WebSocket.OPEN) ?? sessions.at(-1);
  return live ? [live] : [];
}
