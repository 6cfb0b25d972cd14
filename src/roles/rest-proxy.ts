/** `paperboy rest-proxy`: one Discord rate-limit budget for every process of the bot. */
import { type Config, requireDiscord } from '../config.ts';
import type { HealthServer } from '../ui/health/server.ts';
import { serveHealth } from './health.ts';
import { exitSoon, untilStop } from './shutdown.ts';

/** `paperboy rest-proxy`: forwards every bot process's REST calls within one budget until stopped. */
export async function restProxy(config: Config): Promise<void> {
  const discord = requireDiscord(config);
  const [{ createLogger }, { startRestProxy, isLoopback }, { describeStart }] = await Promise.all([
    import('../core/log.ts'),
    import('../ui/rest-proxy/server.ts'),
    import('../ui/health/describe.ts'),
  ]);
  const log = createLogger({ level: config.logLevel });
  const { host, port } = config.restProxy;
  log.info(describeStart(config, 'rest-proxy'), 'starting: REST proxy');
  const remote = !isLoopback(host);
  if (remote)
    log.warn(
      { host },
      'REST_PROXY_HOST is not a loopback address: anyone who reaches the proxy can use the bot token it is sent; keep it behind a firewall or a private network',
    );
  const stopping = untilStop(log, null, '');
  const proxy = await startRestProxy({ apiUrl: discord.apiUrl, host, port, allowRemote: remote, token: discord.token, log });
  let health: HealthServer | null = null;
  try {
    health = await serveHealth(config, 'rest-proxy', {}, log);
    await stopping;
  } finally {
    await health?.close();
    await proxy.stop();
  }
  exitSoon();
}
