/**
 * Channels and their messages over REST: send (with limits, permissions and `enforce_nonce`), page,
 * fetch, edit, delete; fetch and delete a channel.
 */
import { ChannelType, PermissionFlagsBits, RESTJSONErrorCodes, type APIMessage } from 'discord-api-types/v10';
import { botPermissions, requireBotPermissions, requireChannel, requireMessage, type Core } from './core.ts';
import { removeChannelAndTell } from './driver.ts';
import { ApiError, invalidFormBody, missingPermissions, notAuthor } from './errors.ts';
import { FormChecker, isRecord } from './form-checker.ts';
import { redactContent } from './messages.ts';
import type { Route, RouteRequest } from './router.ts';
import { isThread, type FakeChannel } from './state.ts';
import { checkMessageBody } from './validate-message.ts';

const CHANNEL = '/channels/{channel.id}';
const MESSAGES = `${CHANNEL}/messages`;
const MESSAGE = `${MESSAGES}/{message.id}`;

export function messageRoutes(core: Core): Route[] {
  const major = 'channel.id';
  return [
    { method: 'GET', template: CHANNEL, major, handle: (r) => ({ status: 200, body: getChannel(core, r) }) },
    { method: 'DELETE', template: CHANNEL, major, handle: (r) => ({ status: 200, body: deleteChannel(core, r) }) },
    { method: 'GET', template: MESSAGES, major, handle: (r) => ({ status: 200, body: listMessages(core, r) }) },
    { method: 'POST', template: MESSAGES, major, limit: 'channelMessages', handle: (r) => ({ status: 200, body: sendMessage(core, r) }) },
    { method: 'GET', template: MESSAGE, major, handle: (r) => ({ status: 200, body: getMessage(core, r) }) },
    { method: 'PATCH', template: MESSAGE, major, handle: (r) => ({ status: 200, body: editMessage(core, r) }) },
    { method: 'DELETE', template: MESSAGE, major, handle: (r) => deleteMessage(core, r) },
  ];
}

/** What the bot may read of a message: all of it with the Message Content intent, else Discord's redaction. */
function asSeen(core: Core, message: APIMessage): APIMessage {
  const copy = structuredClone(message);
  return core.messageContentGranted ? copy : (redactContent(copy as unknown as Record<string, unknown>, core.botUser.id) as unknown as APIMessage);
}

function getChannel(core: Core, request: RouteRequest): FakeChannel {
  const channel = requireChannel(core, request.params['channel.id']);
  requireBotPermissions(core, channel, PermissionFlagsBits.ViewChannel);
  return structuredClone(channel);
}

function deleteChannel(core: Core, request: RouteRequest): FakeChannel {
  const channel = requireChannel(core, request.params['channel.id']);
  requireBotPermissions(core, channel, isThread(channel) ? PermissionFlagsBits.ManageThreads : PermissionFlagsBits.ManageChannels);
  return removeChannelAndTell(core, channel.id);
}

function listMessages(core: Core, request: RouteRequest): APIMessage[] {
  const channel = requireChannel(core, request.params['channel.id']);
  requireBotPermissions(core, channel, PermissionFlagsBits.ViewChannel);
  const check = new FormChecker();
  const rawLimit = request.query.get('limit');
  const limit = rawLimit === null ? 50 : Number(rawLimit);
  check.integer(['limit'], limit, 1, 100);
  for (const key of ['before', 'after', 'around']) {
    const value = request.query.get(key);
    if (value !== null && !/^\d{1,20}$/.test(value)) check.add([key], 'NUMBER_TYPE_COERCE', `Value "${value}" is not snowflake.`);
  }
  if (check.issues.length > 0) throw invalidFormBody(check.issues);
  // Without READ_MESSAGE_HISTORY Discord answers an empty page rather than an error.
  if (!(botPermissions(core, channel) & PermissionFlagsBits.ReadMessageHistory)) return [];
  const query = {
    limit,
    ...optional('before', request.query.get('before')),
    ...optional('after', request.query.get('after')),
    ...optional('around', request.query.get('around')),
  };
  return core.messages.list(channel.id, query).map((m) => asSeen(core, m));
}

function optional<K extends string>(key: K, value: string | null): Partial<Record<K, string>> {
  return value === null ? {} : ({ [key]: value } as Record<K, string>);
}

function sendMessage(core: Core, request: RouteRequest): APIMessage {
  const channel = requireChannel(core, request.params['channel.id']);
  if (channel.type === ChannelType.GuildForum || channel.type === ChannelType.GuildCategory) {
    throw new ApiError(400, RESTJSONErrorCodes.CannotSendMessagesInNonTextChannel, 'Cannot send messages in a non-text channel');
  }
  requireBotPermissions(
    core,
    channel,
    PermissionFlagsBits.ViewChannel | (isThread(channel) ? PermissionFlagsBits.SendMessagesInThreads : PermissionFlagsBits.SendMessages),
  );
  const body = isRecord(request.body) ? request.body : {};
  const issues = checkMessageBody(body);
  if (issues.length > 0) throw invalidFormBody(issues);
  if (body.enforce_nonce === true) {
    const existing = core.messages.findByNonce(channel.id, core.botUser.id, body.nonce);
    if (existing) return structuredClone(existing.message);
  }
  return structuredClone(core.messages.create({ channel, author: core.botUser, body }));
}

function getMessage(core: Core, request: RouteRequest): APIMessage {
  const channel = requireChannel(core, request.params['channel.id']);
  requireBotPermissions(core, channel, PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory);
  return asSeen(core, requireMessage(core, channel, request.params['message.id']).message);
}

function editMessage(core: Core, request: RouteRequest): APIMessage {
  const channel = requireChannel(core, request.params['channel.id']);
  requireBotPermissions(core, channel, PermissionFlagsBits.ViewChannel);
  const record = requireMessage(core, channel, request.params['message.id']);
  if (record.message.author.id !== core.botUser.id) throw notAuthor();
  const body = isRecord(request.body) ? request.body : {};
  const issues = checkMessageBody(body);
  if (issues.length > 0) throw invalidFormBody(issues);
  return structuredClone(core.messages.edit(record, body));
}

function deleteMessage(core: Core, request: RouteRequest): { status: number } {
  const channel = requireChannel(core, request.params['channel.id']);
  requireBotPermissions(core, channel, PermissionFlagsBits.ViewChannel);
  const record = requireMessage(core, channel, request.params['message.id']);
  if (record.message.author.id !== core.botUser.id && !(botPermissions(core, channel) & PermissionFlagsBits.ManageMessages)) {
    throw missingPermissions(`the bot lacks ManageMessages to delete another user's message in channel ${channel.id}`);
  }
  core.messages.delete(record);
  return { status: 204 };
}
