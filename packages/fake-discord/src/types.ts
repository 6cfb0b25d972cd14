/**
 * The fake's public shapes: its options, what it records, and what a test sees of an interaction.
 */
import type {
  APIActionRowComponent,
  APIComponentInMessageActionRow,
  APIEmbed,
  APIMessage,
  APIModalInteractionResponseCallbackData,
} from 'discord-api-types/v10';

/** An action row of buttons or one select menu. */
export type ActionRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/**
 * A message as the fake hands it to tests: Discord's `APIMessage`, with components typed as action
 * rows so that `message.components[0].components` reads without casts. (Components v2 layouts are
 * stored as sent; only their static type is narrower.)
 */
export type FakeMessage = Omit<APIMessage, 'components'> & { components?: ActionRow[] };

/** A fixed window: at most `limit` requests per `windowMs`. */
export interface RateLimitWindow {
  readonly limit: number;
  readonly windowMs: number;
}

/** How the fake is set up. Every option has a Discord-like default. */
export interface FakeDiscordOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  readonly host?: string;
  /** Port for HTTP and the gateway (same port). Default 0: a free one. */
  readonly port?: number;
  /** The token the bot must present. Default: random. */
  readonly botToken?: string;
  /** Default: a fresh snowflake. */
  readonly applicationId?: string;
  /** The bot user's name. Default `Paperboy`. */
  readonly botName?: string;
  /** Time to the first callback of an interaction. Default 3000 (Discord's 3 s). */
  readonly interactionDeadlineMs?: number;
  /** How long follow-ups and edits of an interaction work. Default 900000 (15 min). */
  readonly interactionTokenLifetimeMs?: number;
  /** How long `enforce_nonce` remembers a nonce. Default 300000 (5 min). */
  readonly nonceWindowMs?: number;
  /** HELLO's heartbeat interval. Default 41250, as Discord. */
  readonly heartbeatIntervalMs?: number;
  /**
   * Whether the app has the privileged Message Content intent switched on (the developer portal's
   * toggle). Default false: a client that asks for it is then closed with 4014, as Discord does.
   */
  readonly messageContentIntent?: boolean;
  /**
   * The most guilds one gateway connection may hold: an IDENTIFY whose shard (an unsharded
   * connection is shard 0 of 1) has more is closed with 4011 Sharding required. Default 2500, as
   * Discord; a test sets a small number.
   */
  readonly maxGuildsPerShard?: number;
  /**
   * The `shards` that `GET /gateway/bot` recommends. Default: one shard per 1,000 guilds (Discord's
   * rule of thumb), or per `maxGuildsPerShard` when that is smaller, and at least 1.
   */
  readonly recommendedShards?: number;
  /** Rate limits. Defaults: 5 messages per 5 s per channel, 50 requests per second globally, 50/s per other route. */
  readonly rateLimits?: {
    readonly channelMessages?: RateLimitWindow;
    readonly global?: RateLimitWindow;
    /** Every other route, per major parameter. */
    readonly default?: RateLimitWindow;
  };
  /** Where log lines go (one line per request, gateway event and violation). Default: nowhere. */
  readonly logger?: (line: string) => void;
}

/** One REST request as the fake answered it. */
export interface RequestRecord {
  readonly method: string;
  /** The path after `/api/v10`, with real ids: `/channels/123/messages`. */
  readonly path: string;
  /** The route with placeholders: `/channels/{channel.id}/messages`. */
  readonly route: string;
  readonly status: number;
  /** When it arrived (epoch ms). */
  readonly at: number;
  /** The `X-RateLimit-Bucket` answered, if any. */
  readonly bucket?: string;
  /** The `X-RateLimit-Remaining` answered, if any. */
  readonly remaining?: number;
  /** Seconds, as in the `Retry-After` header of a 429. */
  readonly retryAfter?: number;
  /** `user`, `global` or `shared` on a 429. */
  readonly scope?: string;
  /** Whether a fault (not a Discord rule) produced this answer. */
  readonly fault?: boolean;
}

/** A request Discord would have refused, or an interaction left unanswered. */
export interface Violation {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Discord's JSON error code (0 for 401 and 429, which carry none). */
  readonly code: number;
  /** Discord's message plus the offending fields, e.g. `Invalid Form Body: content: Must be 2000 or fewer in length.` */
  readonly message: string;
  readonly at: number;
}

/** One interaction callback the bot made (successful or not). */
export interface CallbackRecord {
  readonly type: number;
  readonly data?: unknown;
  readonly at: number;
  readonly status: number;
}

/** What the user first sees of an interaction's answer. */
export interface InteractionReply {
  readonly content: string;
  readonly embeds: APIEmbed[];
  readonly components: ActionRow[];
  readonly flags: number;
  readonly ephemeral: boolean;
  /** The message shown (absent for a modal). */
  readonly message?: FakeMessage;
  /** The modal opened by a type 9 callback. */
  readonly modal?: APIModalInteractionResponseCallbackData;
}

/** An autocomplete choice as the user sees it. */
export interface Choice {
  readonly name: string;
  readonly value: string | number;
}

/** A test's grip on one interaction a user started. */
export interface InteractionHandle {
  readonly id: string;
  readonly token: string;
  /**
   * Resolves with the first thing the user sees: a type 4/7 callback's message, a modal, or after a
   * defer (5/6) the first edit of @original or the first follow-up. Rejects after `timeoutMs`
   * (default 5000) with an error naming the interaction.
   */
  reply(timeoutMs?: number): Promise<InteractionReply>;
  /** For autocomplete: resolves with the type 8 choices; rejects after `timeoutMs` (default 5000). */
  choices(timeoutMs?: number): Promise<Choice[]>;
  /** Every callback the bot made for this interaction, failed ones included (with their status). */
  readonly callbacks: ReadonlyArray<CallbackRecord>;
  /** Follow-up messages, in order. */
  readonly followUps: ReadonlyArray<FakeMessage>;
  /** The current @original (after edits), if any. */
  original(): FakeMessage | undefined;
}

/** Events a FakeDiscord emits (it is an EventEmitter). */
export interface FakeDiscordEvents {
  request: [RequestRecord];
  violation: [Violation];
  /** A gateway dispatch, before per-session filtering: event name and payload. */
  dispatch: [string, unknown];
  /** An ephemeral message was created, edited or deleted: only its interaction's user sees it, so no gateway event says so. */
  ephemeral: ['create' | 'update' | 'delete', FakeMessage];
  /** A user started an interaction. */
  interaction: [InteractionHandle];
}
