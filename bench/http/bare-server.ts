// The baseline servers: plain node:http doing the least a server of each kind must do, run in a
// process of their own like Rampart. `json` reads the request and answers a fixed JSON body;
// `file` also writes the request body to a new file with the same durability Rampart gives an
// object (written, flushed to disk, renamed into place). Prints its URL on stdout when listening.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdirSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';

const mode = process.argv[2];
const dir = process.argv[3];
if (mode !== 'json' && mode !== 'file') throw new Error('usage: bare-server json|file [DIR]');

const FIXED = JSON.stringify({
  RequestId: '6894B13B-6D71-4EF5-88FA-F32781734A7F',
  AssumedRoleUser: { Arn: 'acs:ram::1234567890123456:role/bench/session', AssumedRoleId: '344584339364951186:session' },
  Credentials: { AccessKeyId: 'STS.NUgYrLnoC37mZZCNnAbez2', AccessKeySecret: 'xxx', Expiration: '2026-01-01T00:00:00Z', SecurityToken: 'CAIS' },
});

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

let seq = 0;
async function writeDurably(body: Buffer): Promise<void> {
  const name = `${process.pid}-${seq++}`;
  const tmp = join(dir ?? '.', 'tmp', name);
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(body);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dir ?? '.', 'objects', name));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  if (mode === 'file') {
    await writeDurably(body);
    res.writeHead(200, { etag: '"0"', 'content-length': 0 });
    res.end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(FIXED) });
  res.end(FIXED);
}

if (mode === 'file') {
  if (dir === undefined) throw new Error('bare-server file needs a directory');
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  mkdirSync(join(dir, 'objects'), { recursive: true });
}
const server = createServer((req, res) => {
  handle(req, res).catch(() => {
    res.writeHead(500);
    res.end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  console.log(`http://127.0.0.1:${address.port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
