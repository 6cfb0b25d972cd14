/**
 * Reading a file a user attached to a command. Only from where Discord keeps attachments: its CDN
 * hosts, or the origin of the REST base the bot is configured with (a local Discord in tests and
 * the playground), never an address the user chose. The size Discord reported is checked before
 * anything is fetched, the download is cut off past it, and it has a time limit. Feed addresses go
 * through the feed fetcher and its private-address refusal; this is not that path.
 */
import { UserError } from '../../core/errors.ts';
import type { AttachmentValue } from './options.ts';

/** Discord's attachment hosts. */
const CDN_ORIGINS = ['https://cdn.discordapp.com', 'https://media.discordapp.net'];
const DEFAULT_TIMEOUT_MS = 10_000;

export interface AttachmentReader {
  /**
   * The bytes of `file`, at most `maxBytes`, or a UserError naming the file and what is wrong
   * (too large, not from Discord, not downloadable in time).
   */
  read(file: AttachmentValue, maxBytes: number): Promise<Buffer>;
}

/** Reads attachments from Discord's CDN and from the origin of `apiUrl` (DISCORD_API_URL). */
export function attachmentReader(apiUrl: string, options: { readonly timeoutMs?: number } = {}): AttachmentReader {
  const trusted = new Set([...CDN_ORIGINS, new URL(apiUrl).origin]);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    async read(file, maxBytes) {
      const name = `“${file.name.slice(0, 100)}”`;
      const tooLarge = (): UserError => new UserError('bad-input', `${name} is too large: at most ${formatBytes(maxBytes)} is read.`);
      if (file.size > maxBytes) throw tooLarge();
      let url: URL;
      try {
        url = new URL(file.url);
      } catch {
        throw new UserError('bad-input', `${name} has no address Discord gave: it cannot be read.`);
      }
      if (!trusted.has(url.origin)) throw new UserError('bad-input', `${name} is not stored by Discord: it cannot be read.`);
      try {
        const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
        if (!response.ok || !response.body) throw new UserError('bad-input', `${name} could not be downloaded from Discord (HTTP ${response.status}).`);
        if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
          await response.body.cancel();
          throw tooLarge();
        }
        return await readCapped(response.body, maxBytes, tooLarge);
      } catch (error) {
        if (error instanceof UserError) throw error;
        const timedOut = error instanceof Error && error.name === 'TimeoutError';
        throw new UserError('bad-input', `${name} could not be downloaded from Discord${timedOut ? ` within ${timeoutMs / 1000} s` : ''}. Try again.`, {
          cause: error,
        });
      }
    },
  };
}

/** The stream's bytes, refused as soon as they pass `maxBytes` (the size Discord reported may be wrong). */
async function readCapped(body: ReadableStream<Uint8Array>, maxBytes: number, tooLarge: () => Error): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${bytes / 1_000_000} MB`;
  return bytes >= 1000 ? `${Math.round(bytes / 1000)} KB` : `${bytes} bytes`;
}
