// IpAddress / NotIpAddress: IPv4 and IPv6 addresses and CIDR ranges. An IPv4 address seen as
// IPv4-mapped IPv6 (::ffff:a.b.c.d) is the same address.
import { parseIp } from '../../model/ip.js';

export { parseIp };
import { InvalidValue, recentlyParsed, type OperatorFamily, type OperatorSpec } from './operator.js';

export interface IpRange {
  bytes: Uint8Array;
  prefix: number;
}

export function parseIpRange(text: string): IpRange | undefined {
  const slash = text.indexOf('/');
  const bytes = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (bytes === undefined) return undefined;
  const max = bytes.length * 8;
  if (slash < 0) return { bytes, prefix: max };
  const p = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(p) || Number(p) > max) return undefined;
  return { bytes, prefix: Number(p) };
}

export function inRange(ip: Uint8Array, range: IpRange): boolean {
  if (ip.length !== range.bytes.length) return false;
  const full = range.prefix >> 3;
  for (let i = 0; i < full; i++) if (ip[i] !== range.bytes[i]) return false;
  const rest = range.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((ip[full] ?? 0) & mask) === ((range.bytes[full] ?? 0) & mask);
}

const ip: OperatorFamily<IpRange, Uint8Array> = {
  parsePolicyValue: (t) => parseIpRange(t) ?? new InvalidValue(`"${t}" is not an IP address or CIDR range`),
  parseRequestValue: recentlyParsed(parseIp),
  matches: inRange,
};

export const IP_OPERATORS: Record<string, OperatorSpec> = {
  IpAddress: { family: ip, negated: false },
  NotIpAddress: { family: ip, negated: true },
} as Record<string, OperatorSpec>;
