// Raw requests to the metadata listener, from a chosen loopback source address (the address is
// how the metadata service knows which instance is asking).
import { request } from 'node:http';

export interface MetadataAnswer {
  status: number;
  body: string;
}

export function metadata(endpoint: string, path: string, opts: { method?: string; headers?: Record<string, string>; from?: string } = {}): Promise<MetadataAnswer> {
  const url = new URL(path, endpoint);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers ?? {}, localAddress: opts.from ?? '127.0.0.1', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
