/**
 * Button and menu state carried in the component's custom id: signed, so a forged id is refused,
 * and dated, so an old one expires. The id holds at most 100 characters; when the state is longer
 * (a long search query), its longest part is kept in keyv for the same lifetime and the id holds
 * its hash. Both kinds survive a restart and work from any shard process.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type Keyv from 'keyv';
import type { ComponentState } from '../../core/view.ts';
import { addKey } from '../../adapters/store/kv.ts';
import { LIMITS } from './limits.ts';

const VERSION = 'p1';
const SEP = '~';
const SIG_CHARS = 10;
/** How long a list's buttons keep working. */
export const STATE_TTL_MS = 60 * 60 * 1000;

export interface StateCodec {
  encode(state: ComponentState): Promise<string>;
  /** The state, or null when the id is forged, malformed or expired. */
  decode(customId: string): Promise<ComponentState | null>;
}

export interface CodecOptions {
  /** Keeps the signing secret and long state parts. */
  readonly keyv: Keyv;
  /** Default Date.now. */
  readonly now?: () => number;
  /** Default STATE_TTL_MS. */
  readonly ttlMs?: number;
}

// "~" separates parts; "%" escapes; a leading "@" marks a part kept in keyv.
const escapePart = (s: string): string => s.replace(/[%~]/g, (c) => (c === '%' ? '%25' : '%7E')).replace(/^@/, '%40');
const unescapePart = (s: string): string => s.replace(/%(25|7E|40)/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

/** The signing secret, made once and kept in keyv so that every process and every restart shares it. */
async function secretOf(keyv: Keyv): Promise<Buffer> {
  const stored = await keyv.get<string>('state-secret');
  if (typeof stored === 'string') return Buffer.from(stored, 'base64');
  // Two processes starting at once may both make one: only the first is stored (an atomic add, not
  // a set that the second would overwrite after the first began signing with its own), and both
  // read back the one stored.
  await addKey(keyv, 'state-secret', randomBytes(32).toString('base64'));
  const kept = await keyv.get<string>('state-secret');
  if (typeof kept !== 'string') throw new Error('custom-id: the signing secret could not be stored');
  return Buffer.from(kept, 'base64');
}

export function createCodec(options: CodecOptions): StateCodec {
  const { keyv } = options;
  const now = options.now ?? Date.now;
  const ttl = options.ttlMs ?? STATE_TTL_MS;
  const secret = secretOf(keyv);
  const sign = async (body: string): Promise<string> =>
    createHmac('sha256', await secret)
      .update(body)
      .digest('base64url')
      .slice(0, SIG_CHARS);

  return {
    async encode(state) {
      const parts = state.map(escapePart);
      const stamp = Math.floor(now() / 1000).toString(36);
      const size = (): number => VERSION.length + stamp.length + SIG_CHARS + parts.reduce((n, p) => n + p.length + 1, 3);
      while (size() > LIMITS.customId) {
        let longest = 0;
        parts.forEach((p, i) => {
          if (p.length > (parts[longest]?.length ?? 0)) longest = i;
        });
        const raw = state[longest] ?? '';
        const key = createHash('sha256').update(raw).digest('base64url').slice(0, 16);
        if (parts[longest] === `@${key}`) throw new RangeError(`custom id state cannot be made to fit ${LIMITS.customId} characters: ${state[0]}`);
        await keyv.set(`state:${key}`, raw, ttl);
        parts[longest] = `@${key}`;
      }
      const body = [stamp, ...parts].join(SEP);
      return [VERSION, await sign(body), body].join(SEP);
    },

    async decode(customId) {
      const [version, sig, ...rest] = customId.split(SEP);
      if (version !== VERSION || sig === undefined || rest.length < 2) return null;
      const body = rest.join(SEP);
      const expected = Buffer.from(await sign(body));
      if (expected.length !== Buffer.from(sig).length || !timingSafeEqual(expected, Buffer.from(sig))) return null;
      const [stamp = '', ...parts] = rest;
      const age = now() - parseInt(stamp, 36) * 1000;
      if (!(age >= -60_000 && age <= ttl)) return null;
      const state: string[] = [];
      for (const part of parts) {
        if (!part.startsWith('@')) state.push(unescapePart(part));
        else {
          const kept = await keyv.get<string>(`state:${part.slice(1)}`);
          if (typeof kept !== 'string') return null;
          state.push(kept);
        }
      }
      const [command, ...args] = state;
      return command === undefined ? null : [command, ...args];
    },
  };
}
