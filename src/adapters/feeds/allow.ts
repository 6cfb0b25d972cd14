/**
 * Which addresses a feed fetch may reach. What a feed serves becomes searchable articles posted to
 * channels, so a feed URL (or a redirect) pointing at this machine, the local network or a cloud
 * metadata service (169.254.169.254) would publish what only the bot can see. Only public unicast
 * addresses are reached, unless the operator allows a host name or an address range
 * (FEED_ALLOW_HOSTS).
 */
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** Hosts and ranges a feed may reach although they are not public: parsed FEED_ALLOW_HOSTS. */
export interface AllowList {
  /** Host names allowed whatever they resolve to, lower case without a trailing dot, e.g. `feeds.intranet`. */
  readonly hosts: readonly string[];
  /** Address ranges allowed; a single address is a range of one, e.g. `127.0.0.1` is `127.0.0.1/32`. */
  readonly ranges: readonly (readonly [Address, number])[];
}

/** The default: public addresses only. */
export const PUBLIC_ONLY: AllowList = Object.freeze({ hosts: [], ranges: [] });

/** The setting named in every refusal, so an operator knows where to look. */
export const ALLOW_SETTING = 'FEED_ALLOW_HOSTS';

/** Why each kind of special address is refused, in the words of a refusal. */
const RANGE_WORDS: Readonly<Record<string, string>> = {
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT (shared) address',
  private: 'a private address',
  uniqueLocal: 'a private (unique local) address',
  reserved: 'a reserved address',
};

/**
 * Reads FEED_ALLOW_HOSTS: host names, addresses and CIDR ranges separated by commas, e.g.
 * `127.0.0.1, 10.0.0.0/8, feeds.intranet, ::1`. Throws a RangeError naming the first bad entry.
 */
export function parseAllowList(text: string): AllowList {
  const hosts: string[] = [];
  const ranges: [Address, number][] = [];
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const range = rangeOf(entry);
    if (range) ranges.push(range);
    else if (isHostName(entry)) hosts.push(entry.toLowerCase().replace(/\.$/, ''));
    else throw new RangeError(`"${entry}" is not a host name, an IP address or a CIDR range such as 10.0.0.0/8`);
  }
  return Object.freeze({ hosts, ranges });
}

/** An address or CIDR range written plainly (four-part decimal IPv4, or IPv6), or null. */
function rangeOf(entry: string): [Address, number] | null {
  const [address = '', bits, ...rest] = entry.split('/');
  if (rest.length > 0) return null;
  // Only the plain IPv4 form: "2130706433" or "0x7f.1" would be read as an address by ipaddr.js, and an
  // operator who writes one surely did not mean 127.0.0.1.
  const plain = ipaddr.IPv4.isValidFourPartDecimal(address) || (address.includes(':') && ipaddr.IPv6.isValid(address));
  if (!plain) return null;
  const parsed = ipaddr.parse(address);
  const max = parsed.kind() === 'ipv4' ? 32 : 128;
  if (bits === undefined) return [parsed, max];
  const prefix = /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
  if (!(prefix <= max)) throw new RangeError(`"${entry}": the prefix length must be a number from 0 to ${max}`);
  return [parsed, prefix];
}

function isHostName(entry: string): boolean {
  const labels = entry.replace(/\.$/, '').split('.');
  // An all-numeric name would be read as an IPv4 address by a URL, never as this name.
  if (labels.every((l) => /^\d+$/.test(l))) return false;
  return labels.every((l) => /^[A-Za-z0-9-]{1,63}$/.test(l) && !l.startsWith('-') && !l.endsWith('-'));
}

/** The host of a URL as an address when it is an IP literal (`[::1]` → `::1`), else null. */
export function literalAddress(hostname: string): string | null {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) && (bare.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(bare)) ? bare : null;
}

/**
 * Why a connection to `address` for `host` is refused, as a sentence for `/feed list`, or null when
 * it is allowed. `host` is the URL's host name (an allowed name allows every address it has).
 */
export function refusalOf(address: string, host: string, allow: AllowList): string | null {
  const name = host.toLowerCase().replace(/\.$/, '');
  if (allow.hosts.includes(name)) return null;
  let parsed: Address;
  try {
    // process() reads an IPv4-mapped IPv6 address (::ffff:127.0.0.1) as the IPv4 address it is.
    parsed = ipaddr.process(address);
  } catch {
    return `refused: ${address} is not an IP address`;
  }
  const range = parsed.range();
  if (range === 'unicast') return null;
  if (allow.ranges.some(([base, bits]) => base.kind() === parsed.kind() && parsed.match(base, bits))) return null;
  const words = RANGE_WORDS[range] ?? `a special-purpose address (${range})`;
  const shown = parsed.toString();
  const subject = literalAddress(name) === null ? `${host} resolves to ${shown}, ${words}` : `${shown} is ${words}`;
  return `refused: ${subject} (set ${ALLOW_SETTING} to allow it)`;
}
