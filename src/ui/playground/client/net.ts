/** The page's two ways to the server: JSON requests, and the event stream with its reconnects. */
import type { PlaygroundEvent } from './types.ts';

/** GET without a body, POST with one; a refusal rejects with the server's own words. */
export async function api<T = unknown>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const data = (await response.json().catch(() => ({}))) as T & { error?: string };
  if (!response.ok) throw new Error(data.error ?? `the playground answered ${response.status}`);
  return data;
}

const EVENT_TYPES: ReadonlyArray<PlaygroundEvent['type']> = ['message', 'message-delete', 'channel', 'channel-delete'];

/**
 * Follows the server's events. EventSource reconnects by itself; `connected(true)` after a break
 * tells the page to reload, since events sent while it was away are not replayed.
 */
export function events(handle: (event: PlaygroundEvent) => void, status: { connected(again: boolean): void; lost(): void }): void {
  const source = new EventSource('/api/events');
  let opened = false;
  source.addEventListener('open', () => {
    status.connected(opened);
    opened = true;
  });
  source.addEventListener('error', () => status.lost());
  for (const type of EVENT_TYPES) source.addEventListener(type, (e) => handle(JSON.parse((e as MessageEvent<string>).data) as PlaygroundEvent));
}
