// The one outbound request of an upload callback: a POST to the app server, bounded as OSS bounds
// it (an answer within the time limit, a Content-Length, a body of at most the size limit, status
// 200 exactly, JSON), never following a redirect, and, when the operator asks for it, never to a
// loopback, private or link-local address, whatever the host name resolves to (the address checked
// is the address connected to, so a name that resolves differently the second time gains nothing).
// What went wrong comes back as OSS's words for it, for the CallbackFailed answer.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { checkServerIdentity } from 'node:tls';

/** Addresses no callback goes to when private addresses are refused (IPv4-mapped IPv6 included). */
const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) PRIVATE.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) PRIVATE.addSubnet(net, bits, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  return family !== 0 && PRIVATE.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** OSS's words for an address it will not call. */
export const PRIVATE_ADDRESS_FORBIDDEN = 'Private address is forbidden to callback.';

class PrivateAddressError extends Error {
  readonly code = 'ERR_CALLBACK_PRIVATE_ADDRESS';
}

/** dns.lookup, refusing a name any of whose addresses is private. */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 0);
    if (addresses.length === 0 || addresses.some((a) => isPrivateAddress(a.address))) return callback(new PrivateAddressError(PRIVATE_ADDRESS_FORBIDDEN), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    const first = addresses[0] as LookupAddress;
    return callback(null, first.address, first.family);
  });
};

export interface CallbackLimits {
  timeoutMs: number;
  maxResponseBytes: number;
  refusePrivateAddresses: boolean;
}

export interface CallbackPost {
  url: URL;
  /** The Host header: callbackHost, else the URL's host name. */
  host: string;
  /** Send the host name in TLS's SNI (callbackSNI). */
  sni: boolean;
  headers: Record<string, string>;
  body: Buffer;
}

export type CallbackAnswer =
  | { ok: true; contentType: string | undefined; body: Buffer }
  | { ok: false; message: string; status?: number };

const hostName = (host: string) => host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');

export function postCallback(post: CallbackPost, limits: CallbackLimits): Promise<CallbackAnswer> {
  const { url } = post;
  const address = hostName(url.hostname);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const secure = url.protocol === 'https:';
  // The certificate is checked against the name the app server is known by (its callbackHost).
  const tlsName = hostName(post.host) || address;
  return new Promise((resolve) => {
    let settled = false;
    const started = Date.now();
    const settle = (answer: CallbackAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => {
      const cost = Date.now() - started;
      settle({ ok: false, message: `Error status : -1 ${url.host} reply timeout, cost:${cost}ms, timeout:${limits.timeoutMs}ms` });
    }, limits.timeoutMs);
    const options = {
      method: 'POST',
      hostname: address,
      port,
      path: `${url.pathname}${url.search}`,
      headers: { ...post.headers, host: post.host, 'content-length': String(post.body.length), connection: 'close' },
      // One connection per callback: nothing pooled, nothing kept for the next caller.
      agent: false,
      ...(limits.refusePrivateAddresses ? { lookup: publicOnlyLookup } : {}),
      ...(secure
        ? {
            // Without callbackSNI no server name is sent (an empty servername turns SNI off).
            servername: post.sni && isIP(tlsName) === 0 ? tlsName : '',
            checkServerIdentity: (_name: string, cert: Parameters<typeof checkServerIdentity>[1]) => checkServerIdentity(tlsName, cert),
          }
        : {}),
    };
    const req = (secure ? httpsRequest : httpRequest)(options, (res) => void read(res));
    req.on('error', (e: NodeJS.ErrnoException) =>
      settle({ ok: false, message: e instanceof PrivateAddressError ? PRIVATE_ADDRESS_FORBIDDEN : 'Error status : -1. OSS can not connect to your callbackUrl, please check it.' }),
    );
    req.end(post.body);

    async function read(res: IncomingMessage): Promise<void> {
      // Only 200 is success: OSS takes any other status, a redirect included, as a failure.
      if (res.statusCode !== 200) return settle({ ok: false, status: res.statusCode ?? 0, message: `Error status : ${res.statusCode ?? 0}.` });
      const declared = res.headers['content-length'];
      if (declared === undefined || !/^\d{1,15}$/.test(declared) || Number(declared) > limits.maxResponseBytes) {
        return settle({ ok: false, status: 200, message: 'Error Status : 400.User server return too long content-length value' });
      }
      const chunks: Buffer[] = [];
      let received = 0;
      try {
        for await (const chunk of res) {
          received += (chunk as Buffer).length;
          if (received > Number(declared)) break;
          chunks.push(chunk as Buffer);
        }
      } catch {
        return settle({ ok: false, message: 'Error status : -1. OSS can not connect to your callbackUrl, please check it.' });
      }
      if (received !== Number(declared)) return settle({ ok: false, message: 'Error status : -1. OSS can not connect to your callbackUrl, please check it.' });
      const body = Buffer.concat(chunks);
      try {
        // A byte-order mark is no part of JSON: OSS refuses it too.
        JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body));
      } catch {
        return settle({ ok: false, status: 200, message: 'Response body is not valid json format.' });
      }
      settle({ ok: true, contentType: res.headers['content-type'], body });
    }
  });
}
