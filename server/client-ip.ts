/** Who is asking, for the per-client limit on `/token`: the trusted `X-Forwarded-For` hop, and the bucket an address counts in. */
import { BlockList, isIP } from 'node:net';
import { invalid } from './options.js';

/** How many proxies of yours stand in front of the backend, or their addresses and CIDR ranges. */
export type TrustProxy = number | readonly string[];

/** An `X-Forwarded-For` hop that the trusted proxies would never have written (not an IP address). */
export class MalformedForwardedFor extends Error {}

/** `fe80::1%eth0` → `fe80::1`; `::ffff:192.0.2.1` → `192.0.2.1`. Undefined when the text is no IP address. */
function plainAddress(text: string): string | undefined {
  const address = text.trim().replace(/%.*$/, '');
  const version = isIP(address);
  if (version === 4) return address;
  if (version !== 6) return undefined;
  const groups = hextets(address);
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  return mapped ? [groups[6] >> 8, groups[6] & 255, groups[7] >> 8, groups[7] & 255].join('.') : address;
}

/** The eight 16-bit groups of an IPv6 address (the URL parser writes it canonically: no dotted quad, `::` at most once). */
function hextets(address: string): number[] {
  const canonical = new URL(`http://[${address}]`).hostname.slice(1, -1);
  const [left, right] = canonical.split('::');
  const head = left ? left.split(':') : [];
  const tail = right ? right.split(':') : [];
  const zeros = right === undefined ? [] : Array<string>(8 - head.length - tail.length).fill('0');
  return [...head, ...zeros, ...tail].map((group) => parseInt(group, 16));
}

/**
 * The rate-limit bucket of an address: an IPv4 address (IPv4-mapped IPv6 ones included) is its own; an IPv6 address
 * counts with its /64, which one subscriber usually holds whole. Text that is no IP address (a custom `clientIp`'s key)
 * is its own bucket.
 */
export function bucketOf(client: string): string {
  const address = plainAddress(client);
  if (address === undefined) return client;
  if (isIP(address) === 4) return address;
  const prefix = hextets(address)
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':');
  return `${prefix}::/64`;
}

/** `trustProxy` as read once: a hop count, or the set of the proxies' addresses. */
export type ProxyTrust = number | BlockList;

/** Reads (and checks) `trustProxy`. */
export function trustedProxies(trust: unknown): ProxyTrust | undefined {
  const where = 'createBackend';
  if (trust === undefined) return undefined;
  if (typeof trust === 'number') {
    if (!Number.isSafeInteger(trust) || trust < 0) invalid(where, 'trustProxy', 'a whole number of proxies', trust);
    return trust;
  }
  if (!Array.isArray(trust))
    invalid(where, 'trustProxy', 'a number of proxies or a list of addresses and CIDRs', trust);
  const list = new BlockList();
  for (const entry of trust) {
    const [text, bits, extra] = typeof entry === 'string' ? entry.split('/') : [];
    const address = text === undefined ? undefined : plainAddress(text);
    const family = address && isIP(address) === 4 ? 'ipv4' : 'ipv6';
    const prefix = bits === undefined ? undefined : Number(bits);
    const maxBits = family === 'ipv4' ? 32 : 128;
    if (
      address === undefined ||
      extra !== undefined ||
      (prefix !== undefined && !(/^\d+$/.test(bits) && prefix <= maxBits))
    ) {
      invalid(where, 'trustProxy', 'a list of IP addresses and CIDR ranges ("10.0.0.0/8")', entry);
    }
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, prefix, family);
  }
  return list;
}

/**
 * The client's address for one request, from the socket's address and `X-Forwarded-For` read from the right: each proxy
 * appends the address it was connected from, so the hops left of the trusted proxies' are the client's to write (the
 * leftmost above all), and the rightmost hop a trusted proxy wrote is the client. Undefined without a socket address.
 */
export function clientAddress(
  trust: ProxyTrust | undefined,
  forwardedFor: string | null,
  socketAddress: string | undefined,
): string | undefined {
  if (socketAddress === undefined || trust === undefined || trust === 0) return socketAddress;
  const hops = [...(forwardedFor ?? '').split(',').filter((hop) => hop.trim()), socketAddress];
  let at = hops.length - 1;
  if (typeof trust === 'number') at = Math.max(0, at - trust);
  else {
    const isTrusted = (hop: string) => {
      const address = plainAddress(hop);
      return address !== undefined && trust.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6');
    };
    while (at > 0 && isTrusted(hops[at])) at--;
  }
  const client = plainAddress(hops[at]);
  if (client === undefined) throw new MalformedForwardedFor();
  return client;
}
