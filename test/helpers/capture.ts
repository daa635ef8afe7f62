// Captures what an unmodified SDK sends (it talks to a throwaway server on loopback that answers
// with an error), so a test can replay the very bytes against Rampart, changed as an attacker
// would change them.
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedRequest {
  method: string;
  /** Path and query exactly as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export async function capture(run: (hostPort: string) => Promise<unknown>): Promise<CapturedRequest> {
  let captured: CapturedRequest | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      captured ??= { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) };
      const body = JSON.stringify({ RequestId: 'captured', Code: 'Captured', Message: 'captured for a test' });
      res.writeHead(400, { 'content-type': 'application/json' }).end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    await run(`127.0.0.1:${(server.address() as AddressInfo).port}`).catch(() => undefined);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
  if (captured === undefined) throw new Error('the SDK sent nothing');
  return captured;
}

export interface ReplayAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** Sends a captured request (its Host header too, which the signature covers) to endpoint. */
export function replay(endpoint: string, r: CapturedRequest, change: { url?: string; headers?: Record<string, string | undefined>; body?: Buffer } = {}): Promise<ReplayAnswer> {
  const url = new URL(change.url ?? r.url, endpoint);
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries({ ...r.headers, ...change.headers })) if (v !== undefined) headers[k] = v;
  const body = change.body ?? r.body;
  headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: r.method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
