/**
 * Messages: creating them (mentions resolved through `allowed_mentions`, replies, nonces), editing,
 * deleting and paging through them, with the gateway events each change produces. Callers check
 * permissions and limits first; this module keeps the state consistent.
 */
import {
  ChannelType,
  MessageFlags,
  MessageReferenceType,
  MessageType,
  type APIAttachment,
  type APIEmbed,
  type APIMessage,
  type APIUser,
} from 'discord-api-types/v10';
import { emptyMessage, invalidFormBody } from './errors.ts';
import { isRecord } from './form-checker.ts';
import { compareSnowflakes, snowflakeTime } from './ids.ts';
import { hasVisibleContent } from './validate-message.ts';
import { isThread, type FakeChannel, type FakeState, type MessageRecord, type SentWith } from './state.ts';
import type { FakeMessage } from './types.ts';

/** Sends a gateway event to every session entitled to it. */
export type Dispatch = (event: string, data: Record<string, unknown>, scope: { guildId: string; channelId?: string }) => void;

/** Tells an observer about a message no gateway event carries: an ephemeral one, seen only by its user. */
export type ObservePrivate = (change: 'create' | 'update' | 'delete', message: APIMessage) => void;

/** What a message is made of, as a REST body carries it. */
export type MessageBody = Record<string, unknown>;

export interface CreateInput {
  channel: FakeChannel;
  author: APIUser;
  body: MessageBody;
  type?: MessageType;
  /** Only the interaction's user sees it; it never enters the channel. */
  ephemeral?: boolean;
  /** Extra fields (interaction metadata, webhook id, a forced id for forum starters). */
  extra?: Partial<APIMessage>;
  /** Start as Discord's "is thinking…" placeholder of a deferred interaction. */
  loading?: boolean;
}

const USER_MENTION = /<@!?(\d{17,20})>/g;
const ROLE_MENTION = /<@&(\d{17,20})>/g;
const EDITABLE_FLAGS = MessageFlags.SuppressEmbeds;

export class MessageService {
  readonly #nonces = new Map<string, { messageId: string; at: number }>();

  constructor(
    private readonly state: FakeState,
    private readonly dispatch: Dispatch,
    private readonly nonceWindowMs: number,
    private readonly observePrivate: ObservePrivate = () => {},
  ) {}

  /** With `enforce_nonce`, the message this author already sent with this nonce recently, if any. */
  findByNonce(channelId: string, authorId: string, nonce: unknown): MessageRecord | undefined {
    if (nonce === undefined || nonce === null) return undefined;
    const seen = this.#nonces.get(nonceKey(channelId, authorId, nonce));
    if (!seen || Date.now() - seen.at > this.nonceWindowMs) return undefined;
    return this.state.messages.get(seen.messageId);
  }

  create(input: CreateInput): APIMessage {
    const { channel, author, body } = input;
    const guildId = channel.guild_id ?? '';
    const attachments = this.#attachments(body, []);
    if (!input.loading && !hasVisibleContent({ ...body, attachments })) throw emptyMessage();
    const id = input.extra?.id ?? this.state.ids.next();
    const reference = this.#reference(channel, body.message_reference);
    const content = typeof body.content === 'string' ? body.content : '';
    let flags = typeof body.flags === 'number' ? body.flags & (EDITABLE_FLAGS | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2) : 0;
    if (input.ephemeral) flags |= MessageFlags.Ephemeral;
    if (input.loading) flags |= MessageFlags.Loading;
    const message: APIMessage = {
      id,
      channel_id: channel.id,
      author: structuredClone(author),
      content,
      timestamp: new Date(snowflakeTime(id)).toISOString(),
      edited_timestamp: null,
      tts: false,
      ...this.#mentions(guildId, content, body.allowed_mentions, reference),
      attachments,
      embeds: Array.isArray(body.embeds) ? (structuredClone(body.embeds) as APIEmbed[]) : [],
      components: Array.isArray(body.components) ? structuredClone(body.components) : [],
      pinned: false,
      type: input.type ?? (reference ? MessageType.Reply : MessageType.Default),
      flags,
      ...(body.nonce !== undefined && body.nonce !== null && { nonce: body.nonce as string | number }),
      ...(reference && {
        message_reference: { type: MessageReferenceType.Default, message_id: reference.id, channel_id: channel.id, guild_id: guildId },
        referenced_message: { ...structuredClone(reference), referenced_message: null },
      }),
      ...input.extra,
    };
    this.state.messages.set(id, { message, guildId, ephemeral: input.ephemeral ?? false, sent: sentWith(body) });
    if (body.nonce !== undefined && body.nonce !== null) this.#remember(nonceKey(channel.id, author.id, body.nonce), id);
    if (!input.ephemeral) {
      this.state.channelMessages.get(channel.id)?.push(id);
      if (channel.type !== ChannelType.GuildCategory) channel.last_message_id = id;
      if (isThread(channel)) {
        channel.message_count = (channel.message_count ?? 0) + 1;
        channel.total_message_sent = (channel.total_message_sent ?? 0) + 1;
      }
      this.dispatch('MESSAGE_CREATE', this.gatewayPayload(message, guildId), { guildId, channelId: channel.id });
    } else this.observePrivate('create', message);
    return message;
  }

  /** Applies an edit body; an edit that leaves nothing to show is refused as Discord does. */
  edit(record: MessageRecord, body: MessageBody): APIMessage {
    const before = record.message;
    const next: APIMessage = { ...before };
    if ('content' in body) next.content = typeof body.content === 'string' ? body.content : '';
    if ('embeds' in body) next.embeds = Array.isArray(body.embeds) ? (structuredClone(body.embeds) as APIEmbed[]) : [];
    if ('components' in body) next.components = Array.isArray(body.components) ? structuredClone(body.components) : [];
    if ('attachments' in body) next.attachments = this.#attachments(body, before.attachments);
    let flags = (before.flags ?? 0) & ~MessageFlags.Loading;
    if (typeof body.flags === 'number') flags = (flags & ~EDITABLE_FLAGS) | (body.flags & EDITABLE_FLAGS);
    next.flags = flags;
    if (!hasVisibleContent(next)) throw emptyMessage();
    if ('content' in body || 'allowed_mentions' in body) {
      Object.assign(next, this.#mentions(record.guildId, next.content, body.allowed_mentions, undefined));
    }
    // The first edit of a deferred reply is its first content, not a change of it.
    if (!((before.flags ?? 0) & MessageFlags.Loading)) next.edited_timestamp = new Date().toISOString();
    record.message = next;
    if (body.allowed_mentions !== undefined) record.sent = { ...record.sent, allowedMentions: structuredClone(body.allowed_mentions) };
    if (!record.ephemeral) {
      this.dispatch('MESSAGE_UPDATE', this.gatewayPayload(next, record.guildId), { guildId: record.guildId, channelId: next.channel_id });
    } else this.observePrivate('update', next);
    return next;
  }

  delete(record: MessageRecord): void {
    const { id, channel_id: channelId } = record.message;
    this.state.messages.delete(id);
    const ids = this.state.channelMessages.get(channelId);
    const at = ids?.indexOf(id) ?? -1;
    if (ids && at >= 0) ids.splice(at, 1);
    if (!record.ephemeral) this.dispatch('MESSAGE_DELETE', { id, channel_id: channelId, guild_id: record.guildId }, { guildId: record.guildId, channelId });
    else this.observePrivate('delete', record.message);
  }

  /** A page of a channel's messages, newest first, as `GET /channels/{id}/messages` answers. */
  list(channelId: string, query: { limit?: number; before?: string; after?: string; around?: string }): APIMessage[] {
    const all = this.state.messagesOf(channelId);
    const limit = query.limit ?? 50;
    let page: APIMessage[];
    if (query.around) {
      const older = all.filter((m) => compareSnowflakes(m.id, query.around ?? '') <= 0).slice(-Math.ceil(limit / 2));
      const newer = all.filter((m) => compareSnowflakes(m.id, query.around ?? '') > 0).slice(0, Math.floor(limit / 2));
      page = [...older, ...newer];
    } else if (query.before) {
      page = all.filter((m) => compareSnowflakes(m.id, query.before ?? '') < 0).slice(-limit);
    } else if (query.after) {
      // The messages right after `after` (the oldest ones past it), still answered newest first.
      page = all.filter((m) => compareSnowflakes(m.id, query.after ?? '') > 0).slice(0, limit);
    } else {
      page = all.slice(-limit);
    }
    return page.reverse();
  }

  /** A message as the gateway carries it: with `guild_id` and the author's `member`. */
  gatewayPayload(message: APIMessage, guildId: string): Record<string, unknown> {
    const member = this.state.guilds.get(guildId)?.members.get(message.author.id);
    return {
      ...structuredClone(message),
      guild_id: guildId,
      ...(member && { member: { roles: member.roles, joined_at: member.joinedAt, nick: member.nick, deaf: false, mute: false, flags: 0, pending: false } }),
    };
  }

  #remember(key: string, messageId: string): void {
    const now = Date.now();
    // Forget nonces past the window now and then, so a long-running playground does not grow forever.
    if (this.#nonces.size >= 1000) for (const [k, seen] of this.#nonces) if (now - seen.at > this.nonceWindowMs) this.#nonces.delete(k);
    this.#nonces.set(key, { messageId, at: now });
  }

  /**
   * A body's `attachments`: files uploaded with this request (the HTTP layer stored them and put
   * their objects here) and, on an edit, the message's own attachments it names to keep. Any other
   * entry names nothing Discord holds and is dropped.
   */
  #attachments(body: MessageBody, existing: readonly APIAttachment[]): APIAttachment[] {
    if (!Array.isArray(body.attachments)) return [];
    return body.attachments.flatMap((entry: unknown) => {
      const id = isRecord(entry) && typeof entry.id === 'string' ? entry.id : undefined;
      const kept = existing.find((a) => a.id === id);
      if (kept) return [structuredClone(kept)];
      const uploaded = id === undefined ? undefined : this.state.uploads.attachment(id);
      return uploaded ? [uploaded] : [];
    });
  }

  #reference(channel: FakeChannel, reference: unknown): APIMessage | undefined {
    if (!isRecord(reference) || typeof reference.message_id !== 'string') return undefined;
    const target = this.state.messages.get(reference.message_id);
    if (target && target.message.channel_id === channel.id) return target.message;
    if (reference.fail_if_not_exists === false) return undefined;
    throw invalidFormBody([{ path: ['message_reference'], code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' }]);
  }

  /** Who actually gets pinged: the mentions in `content` that `allowed_mentions` lets through. */
  #mentions(
    guildId: string,
    content: string,
    allowed: unknown,
    repliedTo: APIMessage | undefined,
  ): Pick<APIMessage, 'mentions' | 'mention_roles' | 'mention_everyone'> {
    const rules = isRecord(allowed) ? allowed : undefined;
    const parse = rules && Array.isArray(rules.parse) ? (rules.parse as unknown[]) : undefined;
    const userAllowed = (id: string): boolean => !rules || parse?.includes('users') === true || (Array.isArray(rules.users) && rules.users.includes(id));
    const roleAllowed = (id: string): boolean => !rules || parse?.includes('roles') === true || (Array.isArray(rules.roles) && rules.roles.includes(id));
    const guild = this.state.guilds.get(guildId);
    const userIds = new Set([...content.matchAll(USER_MENTION)].map((m) => m[1] ?? '').filter((id) => this.state.users.has(id) && userAllowed(id)));
    // A reply pings its target unless allowed_mentions is given without replied_user: true.
    if (repliedTo && (!rules || rules.replied_user === true)) userIds.add(repliedTo.author.id);
    return {
      mentions: [...userIds].flatMap((id) => {
        const user = this.state.users.get(id);
        return user ? [structuredClone(user)] : [];
      }),
      mention_roles: [...new Set([...content.matchAll(ROLE_MENTION)].map((m) => m[1] ?? ''))].filter((id) => guild?.roles.has(id) && roleAllowed(id)),
      mention_everyone: /@(everyone|here)\b/.test(content) && (!rules || parse?.includes('everyone') === true),
    };
  }
}

/** What a test may ask about how a message was sent: its `allowed_mentions` and, from a webhook, its `avatar_url`. */
function sentWith(body: MessageBody): SentWith {
  return {
    ...(body.allowed_mentions !== undefined && { allowedMentions: structuredClone(body.allowed_mentions) }),
    ...(typeof body.avatar_url === 'string' && { avatarUrl: body.avatar_url }),
  };
}

function nonceKey(channelId: string, authorId: string, nonce: unknown): string {
  return JSON.stringify([channelId, authorId, nonce]);
}

/** A copy of a stored message for a test to keep (typed with action-row components). */
export function copyOut(message: APIMessage): FakeMessage {
  return structuredClone(message) as FakeMessage;
}

/**
 * A message as an app without the Message Content intent sees it: other users' messages lose
 * their content, embeds, attachments and components unless they mention the app.
 */
export function redactContent<T extends Record<string, unknown>>(message: T, botUserId: string): T {
  const author = message.author as { id?: string } | undefined;
  const mentions = Array.isArray(message.mentions) ? (message.mentions as Array<{ id?: string }>) : [];
  if (author?.id === botUserId || mentions.some((m) => m.id === botUserId)) return message;
  return { ...message, content: '', embeds: [], attachments: [], components: [] };
}
