// The baseline servers: plain node:http doing the least a server of each kind must do, run in a
// process of their own like Rampart. `json BODY_FILE` reads the request and answers a fixed JSON
// body (a real answer of Rampart's to the same request, so both sides send the same bytes);
// `file DIR` writes the request body to a new file with the same durability Rampart gives an
// object (written, flushed to disk, renamed into place). Prints its URL on stdout when listening.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdirSync, readFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';

const mode = process.argv[2];
const arg = process.argv[3];
if ((mode !== 'json' && mode !== 'file') || arg === undefined) throw new Error('usage: bare-server json BODY_FILE | file DIR');
const dir = arg;
const FIXED = mode === 'json' ? readFileSync(arg) : Buffer.alloc(0);

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
  const tmp = join(dir, 'tmp', name);
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(body);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dir, 'objects', name));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  if (mode === 'file') {
    await writeDurably(body);
    res.writeHead(200, { etag: '"0"', 'content-length': 0 });
    res.end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json;charset=utf-8', 'content-length': FIXED.length });
  res.end(FIXED);
}

if (mode === 'file') {
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
