// IP addresses read one way everywhere (policy conditions, certificates, instance addresses): IPv4
// in dotted decimal without leading zeros, IPv6 with :: and an embedded IPv4 tail.

/** 4 bytes, or undefined. */
export function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i] ?? '';
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    out[i] = Number(p);
  }
  return out;
}

/** 16 bytes; an embedded IPv4 tail (::ffff:1.2.3.4) is read as its two groups. */
export function parseIpv6(text: string): Uint8Array | undefined {
  let t = text;
  if (t.includes('.')) {
    // An embedded IPv4 tail (::ffff:1.2.3.4) is rewritten as its two hex groups.
    const lastColon = t.lastIndexOf(':');
    const v4 = parseIpv4(t.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    const hex = (a: number, b: number) => ((a << 8) | b).toString(16);
    t = `${t.slice(0, lastColon + 1)}${hex(v4[0] ?? 0, v4[1] ?? 0)}:${hex(v4[2] ?? 0, v4[3] ?? 0)}`;
  }
  if (!/^[0-9a-fA-F:]+$/.test(t)) return undefined;
  const halves = t.split('::');
  if (halves.length > 2) return undefined;
  const split = (h: string) => (h === '' ? [] : h.split(':'));
  const left = split(halves[0] ?? '');
  const right = halves.length === 2 ? split(halves[1] ?? '') : [];
  if (halves.length === 2 && left.length + right.length > 7) return undefined;
  const groups = halves.length === 2 ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = parseInt(g, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  });
  return out;
}

/** IPv4 as 4 bytes; IPv6 as 16, except IPv4-mapped addresses, which become their IPv4 form. */
export function parseIp(text: string): Uint8Array | undefined {
  const v4 = parseIpv4(text);
  if (v4) return v4;
  const v6 = parseIpv6(text);
  if (v6 && v6.subarray(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff) return v6.slice(12);
  return v6;
}

