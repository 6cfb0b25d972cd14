/**
 * The health check a process serves when HEALTH_PORT is set: GET /healthz runs every check and
 * answers 200 when all pass, 503 naming the reason of each that does not. A check that hangs (a
 * database that accepts the connection but never answers) fails at its timeout, so a load balancer
 * or systemd watchdog gets an answer, never a hang.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../core/log.ts';

/** Resolves when healthy; throws (or rejects) with the reason when not. The signal fires at the timeout. */
export type HealthCheck = (signal: AbortSignal) => Promise<void> | void;

export type Role = 'start' | 'worker' | 'rest-proxy';

export interface HealthServerOptions {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** What this process is, echoed in the answer. */
  readonly role: Role;
  /** By name: `postgres`, `sqlite`, `redis`, `shards`… */
  readonly checks: Readonly<Record<string, HealthCheck>>;
  readonly log: Logger;
  /**
   * How long one check may take before it counts as failed.
   * @default 2000
   */
  readonly timeoutMs?: number;
}

export interface HealthServer {
  /** The port it listens on (the one picked, for port 0). */
  readonly port: number;
  /** `http://host:port/healthz`. */
  readonly url: string;
  close(): Promise<void>;
}

export type CheckResult = { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly ms: number; readonly reason: string };

export interface HealthReport {
  readonly ok: boolean;
  readonly role: Role;
  readonly checks: Readonly<Record<string, CheckResult>>;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 2000;
/** Reasons come from errors of drivers and servers: cut to a line's length. */
const MAX_REASON_CHARS = 300;

/**
 * Runs each check once per call, all at once. A check still running from an earlier call (it hung
 * past its timeout) is not started again but reported failed, so a dead database never piles up
 * one stuck query per probe.
 */
export function healthChecker(checks: Readonly<Record<string, HealthCheck>>, timeoutMs = DEFAULT_CHECK_TIMEOUT_MS): () => Promise<Omit<HealthReport, 'role'>> {
  const running = new Map<string, { since: number; done: Promise<void> }>();
  const runOne = async (name: string, check: HealthCheck): Promise<CheckResult> => {
    const started = Date.now();
    const stuck = running.get(name);
    if (stuck) return { ok: false, ms: 0, reason: `still waiting for the previous check, started ${started - stuck.since} ms ago` };
    const abort = new AbortController();
    const done = Promise.resolve().then(() => check(abort.signal));
    const entry = { since: started, done };
    running.set(name, entry);
    void done.then(
      () => running.get(name) === entry && running.delete(name),
      () => running.get(name) === entry && running.delete(name),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new Error(`no answer within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      await Promise.race([done, timeout]);
      return { ok: true, ms: Date.now() - started };
    } catch (error) {
      return { ok: false, ms: Date.now() - started, reason: reasonOf(error) };
    } finally {
      clearTimeout(timer);
    }
  };
  return async () => {
    const entries = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await runOne(name, check)] as const));
    return { ok: entries.every(([, r]) => r.ok), checks: Object.fromEntries(entries) };
  };
}

export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const check = healthChecker(options.checks, options.timeoutMs);
  const lastOk = new Map<string, boolean>();
  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path !== '/healthz') return send(res, 404, { error: 'not found: the health check is GET /healthz' });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, { error: 'method not allowed: GET /healthz' });
    }
    const report: HealthReport = { role: options.role, ...(await check()) };
    // Logged when a check changes state, not on every probe.
    for (const [name, result] of Object.entries(report.checks)) {
      if (lastOk.get(name) === result.ok) continue;
      lastOk.set(name, result.ok);
      if (result.ok) options.log.info({ check: name }, 'health check passes');
      else options.log.warn({ check: name, reason: result.reason }, 'health check fails');
    }
    send(res, report.ok ? 200 : 503, report, req.method === 'HEAD');
  };
  const server = createServer((req, res) => {
    answer(req, res).catch((error: unknown) => {
      options.log.error({ err: error }, 'health check server failed');
      if (!res.headersSent) send(res, 500, { error: 'health check failed to run' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    port,
    url: `http://${host}:${port}/healthz`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown, headOnly = false): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(headOnly ? undefined : text);
}

/** An error's message on one line, cut short, with any `user:password@` of a URL in it masked. */
export function reasonOf(error: unknown): string {
  // Node's connect to a name with several addresses fails with an AggregateError whose own message is empty.
  const inner = error instanceof AggregateError && !error.message ? (error.errors as unknown[]).find((e) => e instanceof Error) : undefined;
  const first = inner ?? error;
  const message = first instanceof Error ? first.message || first.name : String(first);
  const line = message
    .slice(0, 4 * MAX_REASON_CHARS)
    .replace(/\s+/g, ' ')
    .replace(/:\/\/[^@/\s]*@/g, '://***@');
  return line.length > MAX_REASON_CHARS ? `${line.slice(0, MAX_REASON_CHARS - 1)}…` : line;
}
