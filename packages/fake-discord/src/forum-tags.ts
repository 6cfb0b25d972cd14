/**
 * Forum tags: a forum's `available_tags` (set by a test, as a moderator would in the forum's
 * settings) and the `applied_tags` a new forum post names, which Discord checks against them.
 */
import { ChannelType, type APIGuildForumTag } from 'discord-api-types/v10';
import type { Core } from './core.ts';
import type { FormIssue } from './errors.ts';
import type { FakeChannel } from './state.ts';

/** Discord's limits: 20 tags a forum, 5 on a post, names of 1–20 characters. */
export const FORUM_TAG_LIMITS = { perForum: 20, perPost: 5, name: 20 } as const;

/** A tag as a test gives it. */
export interface ForumTagInput {
  readonly name: string;
  readonly moderated?: boolean;
  readonly emoji?: string;
}

/**
 * Replaces a forum's tags, dispatching CHANNEL_UPDATE; returns them with their new ids. Throws
 * (a test's mistake, not the bot's) on a channel that is no forum, more than 20 tags, or a bad name.
 */
export function setForumTags(core: Core, forumId: string, tags: readonly ForumTagInput[]): APIGuildForumTag[] {
  const forum = core.state.channels.get(forumId);
  if (!forum || forum.type !== ChannelType.GuildForum) throw new Error(`FakeDiscord: ${forumId} is not a forum`);
  if (tags.length > FORUM_TAG_LIMITS.perForum) throw new RangeError(`FakeDiscord: a forum has at most ${FORUM_TAG_LIMITS.perForum} tags, got ${tags.length}`);
  const made = tags.map((t) => {
    const length = [...t.name].length;
    if (length < 1 || length > FORUM_TAG_LIMITS.name)
      throw new RangeError(`FakeDiscord: a tag name has 1–${FORUM_TAG_LIMITS.name} characters, got "${t.name}"`);
    return { id: core.state.ids.next(), name: t.name, moderated: t.moderated ?? false, emoji_id: null, emoji_name: t.emoji ?? null };
  });
  forum.available_tags = made;
  core.dispatch('CHANNEL_UPDATE', structuredClone(forum) as unknown as Record<string, unknown>, { guildId: forum.guild_id ?? '' });
  return structuredClone(made);
}

/** What is wrong with a post's `applied_tags` in `forum`: not an array of ids, more than 5, or a tag the forum lacks. */
export function checkAppliedTags(forum: FakeChannel, applied: unknown): FormIssue[] {
  if (applied === undefined || applied === null) return [];
  if (!Array.isArray(applied)) return [{ path: ['applied_tags'], code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }];
  const issues: FormIssue[] = [];
  if (applied.length > FORUM_TAG_LIMITS.perPost) {
    issues.push({ path: ['applied_tags'], code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${FORUM_TAG_LIMITS.perPost} or fewer in length.` });
  }
  const known = new Set(forum.type === ChannelType.GuildForum ? forum.available_tags.map((t) => t.id) : []);
  applied.forEach((id, i) => {
    if (typeof id !== 'string' || !known.has(id))
      issues.push({ path: ['applied_tags', i], code: 'TAG_INVALID', message: `Tag ${String(id)} is not a tag of this forum.` });
  });
  return issues;
}
