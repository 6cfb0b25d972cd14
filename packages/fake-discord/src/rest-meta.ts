/**
 * The routes a client calls to find its way: where the gateway is, who the bot is, which app it is.
 */
import type { Core } from './core.ts';
import type { Route } from './router.ts';

/** What `GET /gateway/bot` says: a fixed `recommended`, else one shard per `guildsPerShard` guilds. */
export interface ShardAdvice {
  readonly recommended?: number;
  readonly guildsPerShard: number;
}

export function metaRoutes(core: Core, gatewayUrl: () => string, applicationFlags: number, shards: ShardAdvice): Route[] {
  const recommended = (): number => shards.recommended ?? Math.max(1, Math.ceil(core.state.guilds.size / shards.guildsPerShard));
  return [
    {
      method: 'GET',
      template: '/gateway/bot',
      handle: () => ({
        status: 200,
        body: { url: gatewayUrl(), shards: recommended(), session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 } },
      }),
    },
    { method: 'GET', template: '/gateway', handle: () => ({ status: 200, body: { url: gatewayUrl() } }) },
    { method: 'GET', template: '/users/@me', handle: () => ({ status: 200, body: core.botUser }) },
    {
      method: 'GET',
      template: '/applications/@me',
      handle: () => ({
        status: 200,
        body: {
          id: core.applicationId,
          name: core.botUser.username,
          icon: null,
          description: '',
          bot_public: true,
          bot_require_code_grant: false,
          bot: core.botUser,
          verify_key: '0'.repeat(64),
          flags: applicationFlags,
          team: null,
          owner: core.botUser,
          summary: '',
          approximate_guild_count: core.state.guilds.size,
        },
      }),
    },
  ];
}
