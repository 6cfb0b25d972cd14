/**
 * The local Discord fake: a server the real discord.js client logs into, with Discord's state,
 * rules and failure modes, driven by tests (and later by the browser playground).
 */
export { FakeDiscord } from './fake-discord.ts';
export { clientOptionsFor, type FakeClientOptions } from './client-options.ts';
export type { Faults } from './faults.ts';
export type { GuildInput } from './driver.ts';
export type { CommandInput } from './user-interactions.ts';
export type { OptionValues } from './command-options.ts';
export type { FileInput } from './uploads.ts';
export { UPLOAD_LIMIT_BYTES } from './uploads.ts';
export type { FakeChannel, SentWith, WebhookRecord } from './state.ts';
export type { ForumTagInput } from './forum-tags.ts';
export { DEFAULT_BOT_PERMISSIONS, DEFAULT_MEMBER_PERMISSIONS } from './state.ts';
// Discord's formula, for a test that asks which shard a guild's events go to.
export { shardOf } from './ids.ts';
// The message checks on their own, for a test that asks whether a payload would pass without sending it.
export { checkMessageBody } from './validate-message.ts';
export type { FormIssue } from './errors.ts';
export type {
  ActionRow,
  CallbackRecord,
  Choice,
  FakeDiscordEvents,
  FakeDiscordOptions,
  FakeMessage,
  InteractionHandle,
  InteractionReply,
  RateLimitWindow,
  RequestRecord,
  Violation,
} from './types.ts';
