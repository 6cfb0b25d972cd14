/**
 * The discord.js client options that point a real client at a fake: its REST base and a gateway
 * identify throttle that does not wait. discord.js waits 5 s between identifies of one shard (as
 * Discord demands); against the fake that wait only slows tests that re-identify.
 */

/** Structurally a discord.js `ClientOptions` subset; spread it into `new Client({ intents, ...here })`. */
export interface FakeClientOptions {
  readonly rest: { readonly api: string };
  readonly ws: {
    /** @discordjs/ws calls this once per manager; the throttler lets every identify through at once. */
    readonly buildIdentifyThrottler: () => Promise<{ waitForIdentify(shardId: number, signal: AbortSignal): Promise<void> }>;
  };
}

/**
 * Client options for a fake Discord.
 *
 * @example
 * const client = new Client({ intents: [GatewayIntentBits.Guilds], ...clientOptionsFor(fake) });
 * await client.login(fake.botToken);
 */
export function clientOptionsFor(fake: { readonly apiUrl: string }): FakeClientOptions {
  return {
    rest: { api: fake.apiUrl },
    ws: { buildIdentifyThrottler: () => Promise.resolve({ waitForIdentify: () => Promise.resolve() }) },
  };
}
