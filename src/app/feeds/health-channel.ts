/**
 * Where a server hears about its feeds' health (issue 17): one setting per server, chosen with
 * /feed health-channel or `paperboy feed health-channel`; both call these, so they read and write it alike.
 */
import type { GuildSettingsRepository } from '../../adapters/store/state.ts';

export interface HealthChannelChange {
  readonly guildId: string;
  /** The channel notices go to now; null: nowhere. */
  readonly channelId: string | null;
  /** The one they went to before; null: nowhere. */
  readonly previous: string | null;
}

/** The server's health channel, or null when it has none. */
export async function healthChannelOf(settings: GuildSettingsRepository, guildId: string): Promise<string | null> {
  return (await settings.get(guildId))?.healthChannelId ?? null;
}

/** Sets the server's health channel, or with null turns its notices off; says what it was before. */
export async function chooseHealthChannel(
  settings: GuildSettingsRepository,
  guildId: string,
  channelId: string | null,
  now: Date,
): Promise<HealthChannelChange> {
  // Read first only to tell the operator what changed: the write itself does not depend on it.
  const previous = await healthChannelOf(settings, guildId);
  await settings.setHealthChannel(guildId, channelId, now.toISOString());
  return { guildId, channelId, previous };
}
