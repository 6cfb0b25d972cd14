/**
 * Threads over REST: from a message (the thread takes the message's id; one thread per message),
 * without a message in a text channel, and forum posts (a thread whose starter message has the
 * thread's id). THREAD_CREATE always goes out before any MESSAGE_CREATE inside the new thread,
 * or discord.js would drop the message for want of a channel.
 */
import {
  ChannelType,
  MessageFlags,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  type APIMessage,
  type APIThreadChannel,
  type APIUser,
} from 'discord-api-types/v10';
import { requireBotPermissions, requireChannel, requireMessage, type Core } from './core.ts';
import { ApiError, invalidFormBody, threadAlreadyExists } from './errors.ts';
import { isRecord } from './form-checker.ts';
import type { Route, RouteRequest } from './router.ts';
import type { FakeChannel } from './state.ts';
import { checkAppliedTags } from './forum-tags.ts';
import { checkMessageBody, checkThreadBody, hasVisibleContent } from './validate-message.ts';

const DEFAULT_AUTO_ARCHIVE = 1440;

export function threadRoutes(core: Core): Route[] {
  return [
    {
      method: 'POST',
      template: '/channels/{channel.id}/messages/{message.id}/threads',
      major: 'channel.id',
      handle: (r) => ({ status: 201, body: threadFromMessage(core, r) }),
    },
    { method: 'POST', template: '/channels/{channel.id}/threads', major: 'channel.id', handle: (r) => ({ status: 201, body: threadWithoutMessage(core, r) }) },
    // Threads are archived only when a test says so (FakeDiscord.archiveThread), never by the clock.
    {
      method: 'GET',
      template: '/guilds/{guild.id}/threads/active',
      major: 'guild.id',
      handle: (r) => ({ status: 200, body: activeThreads(core, r.params['guild.id'] ?? '') }),
    },
    {
      method: 'GET',
      template: '/channels/{channel.id}/threads/archived/public',
      major: 'channel.id',
      handle: (r) => ({ status: 200, body: archivedThreads(core, r) }),
    },
  ];
}

function activeThreads(core: Core, guildId: string): { threads: APIThreadChannel[]; members: [] } {
  const threads = [...core.state.channels.values()].filter(
    (c): c is FakeChannel & APIThreadChannel =>
      c.guild_id === guildId && (c.type === ChannelType.PublicThread || c.type === ChannelType.PrivateThread) && c.thread_metadata?.archived !== true,
  );
  return { threads, members: [] };
}

/** A channel's archived public threads, most recently archived first, `before` an ISO time, as Discord pages them. */
function archivedThreads(core: Core, request: RouteRequest): { threads: APIThreadChannel[]; members: []; has_more: boolean } {
  const parent = requireChannel(core, request.params['channel.id']);
  requireBotPermissions(core, parent, PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory);
  const rawLimit = request.query.get('limit');
  const limit = rawLimit === null ? 50 : Number(rawLimit);
  const before = request.query.get('before');
  const beforeMs = before === null ? Number.POSITIVE_INFINITY : Date.parse(before);
  const issues = [];
  if (!Number.isInteger(limit) || limit < 2 || limit > 100)
    issues.push({ path: ['limit'], code: 'NUMBER_TYPE_MAX', message: 'Value must be a whole number from 2 to 100.' });
  if (Number.isNaN(beforeMs)) issues.push({ path: ['before'], code: 'DATE_TYPE_PARSE', message: `Could not parse ${before ?? ''}. Should be ISO8601.` });
  if (issues.length > 0) throw invalidFormBody(issues);
  const archived = core.state
    .threadsOf(parent.id)
    .filter((t) => t.type === ChannelType.PublicThread && t.thread_metadata?.archived === true && Date.parse(t.thread_metadata.archive_timestamp) < beforeMs)
    .sort((x, y) => Date.parse(y.thread_metadata?.archive_timestamp ?? '') - Date.parse(x.thread_metadata?.archive_timestamp ?? ''));
  return { threads: structuredClone(archived.slice(0, limit)), members: [], has_more: archived.length > limit };
}

function wrongChannelType(): ApiError {
  return new ApiError(400, RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType, 'Cannot execute action on this channel type');
}

function threadFromMessage(core: Core, request: RouteRequest): APIThreadChannel {
  const parent = requireChannel(core, request.params['channel.id']);
  if (parent.type !== ChannelType.GuildText) throw wrongChannelType();
  requireBotPermissions(core, parent, PermissionFlagsBits.ViewChannel | PermissionFlagsBits.CreatePublicThreads);
  const starter = requireMessage(core, parent, request.params['message.id']);
  if (core.state.channels.has(starter.message.id) || starter.message.thread) throw threadAlreadyExists();
  const body = bodyOf(request);
  const issues = checkThreadBody(body);
  if (issues.length > 0) throw invalidFormBody(issues);
  const thread = core.state.createThread(parent, {
    id: starter.message.id,
    name: body.name as string,
    type: ChannelType.PublicThread,
    ownerId: core.botUser.id,
    autoArchiveDuration: archiveDuration(body, parent),
  });
  starter.message = { ...starter.message, thread: structuredClone(thread), flags: (starter.message.flags ?? 0) | MessageFlags.HasThread };
  announce(core, thread);
  return structuredClone(thread);
}

function threadWithoutMessage(core: Core, request: RouteRequest): APIThreadChannel & { message?: unknown } {
  const parent = requireChannel(core, request.params['channel.id']);
  const body = bodyOf(request);
  if (parent.type === ChannelType.GuildForum) return forumPost(core, parent, body);
  if (parent.type !== ChannelType.GuildText) throw wrongChannelType();
  // Discord's default for a thread without a message is a private one.
  const type = body.type ?? ChannelType.PrivateThread;
  if (type !== ChannelType.PublicThread && type !== ChannelType.PrivateThread) {
    throw invalidFormBody([{ path: ['type'], code: 'BASE_TYPE_CHOICES', message: 'Value must be one of {11, 12}.' }]);
  }
  const needed = type === ChannelType.PublicThread ? PermissionFlagsBits.CreatePublicThreads : PermissionFlagsBits.CreatePrivateThreads;
  requireBotPermissions(core, parent, PermissionFlagsBits.ViewChannel | needed);
  const issues = checkThreadBody(body);
  if (issues.length > 0) throw invalidFormBody(issues);
  const thread = core.state.createThread(parent, {
    name: body.name as string,
    type,
    ownerId: core.botUser.id,
    autoArchiveDuration: archiveDuration(body, parent),
  });
  announce(core, thread);
  return structuredClone(thread);
}

function forumPost(core: Core, forum: FakeChannel, body: Record<string, unknown>): APIThreadChannel & { message: unknown } {
  requireBotPermissions(core, forum, PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages);
  const starter = isRecord(body.message) ? body.message : undefined;
  const issues = [...checkThreadBody(body), ...(starter ? checkMessageBody(starter, ['message']) : [])];
  if (!starter) issues.push({ path: ['message'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
  else if (!hasVisibleContent(starter)) issues.push({ path: ['message'], code: 'MESSAGE_EMPTY', message: 'A forum post needs content, embeds or components' });
  issues.push(...checkAppliedTags(forum, body.applied_tags));
  if (issues.length > 0) throw invalidFormBody(issues);
  const { thread, message } = startForumPost(core, forum, {
    name: body.name as string,
    autoArchiveDuration: archiveDuration(body, forum),
    appliedTags: body.applied_tags,
    author: core.botUser,
    body: starter ?? {},
  });
  return { ...structuredClone(thread), message: structuredClone(message) };
}

/**
 * Makes a forum post whose body and tags are checked already: the thread (owned by `author`, the bot
 * or a webhook), THREAD_CREATE, then its starter message, whose id is the thread's.
 */
export function startForumPost(
  core: Core,
  forum: FakeChannel,
  input: { name: string; autoArchiveDuration: number; appliedTags: unknown; author: APIUser; body: Record<string, unknown>; extra?: Partial<APIMessage> },
): { thread: APIThreadChannel; message: APIMessage } {
  const thread = core.state.createThread(forum, {
    name: input.name,
    type: ChannelType.PublicThread,
    ownerId: input.author.id,
    autoArchiveDuration: input.autoArchiveDuration,
  });
  if (Array.isArray(input.appliedTags)) thread.applied_tags = input.appliedTags.filter((t): t is string => typeof t === 'string');
  (forum as { last_message_id?: string | null }).last_message_id = thread.id;
  announce(core, thread);
  const message = core.messages.create({ channel: thread, author: input.author, body: input.body, extra: { ...input.extra, id: thread.id } });
  return { thread, message };
}

function announce(core: Core, thread: APIThreadChannel): void {
  const guildId = thread.guild_id ?? '';
  core.dispatch('THREAD_CREATE', { ...structuredClone(thread), newly_created: true }, { guildId });
}

function bodyOf(request: RouteRequest): Record<string, unknown> {
  return isRecord(request.body) ? request.body : {};
}

export function archiveDuration(body: Record<string, unknown>, parent: FakeChannel): number {
  if (typeof body.auto_archive_duration === 'number') return body.auto_archive_duration;
  return 'default_auto_archive_duration' in parent && typeof parent.default_auto_archive_duration === 'number'
    ? parent.default_auto_archive_duration
    : DEFAULT_AUTO_ARCHIVE;
}
