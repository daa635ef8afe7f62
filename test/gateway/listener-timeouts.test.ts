// The front doors' clocks: headers must arrive promptly, but a body may take as long as it takes
// while bytes keep coming (Node's requestTimeout once answered 408 to any upload longer than 30
// seconds, losing it); a connection silent for the idle time is closed.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import { listen, type Listener } from '../../src/gateway/index.js';
import { createLogger } from '../../src/log.js';
import { ossClientError, plainClientError } from '../../src/server/front-doors.js';

let listener: Listener;
const HEADERS_MS = 400;
const IDLE_MS = 600;

before(async () => {
  listener = await listen({
    name: 'test',
    host: '127.0.0.1',
    port: 0,
    log: createLogger('silent'),
    timeouts: { headersMs: HEADERS_MS, idleMs: IDLE_MS },
    onClientError: plainClientError,
    handler: async (req, res) => {
      let size = 0;
      for await (const chunk of req as AsyncIterable<Buffer>) size += chunk.length;
      res.end(`read ${size}`);
    },
  });
});
after(() => listener.close());

/** Writes the parts with the pauses between them; resolves with what came back before the close. */
function trickle(parts: string[], pauseMs: number): Promise<{ text: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(listener.address.port, '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8').on('data', (d: string) => (text += d));
    socket.on('close', () => resolve({ text, ms: Date.now() - started }));
    socket.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? undefined : reject(e)));
    let i = 0;
    const next = () => {
      if (socket.destroyed) return;
      if (i < parts.length) socket.write(parts[i++] ?? '');
      if (i < parts.length) setTimeout(next, pauseMs);
    };
    next();
  });
}

test('an upload that takes many times the headers timeout, never silent for long, is read whole and answered', async () => {
  const body = Array.from({ length: 12 }, () => 'x'.repeat(100));
  const head = `PUT /up HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: ${body.length * 100}\r\n\r\n`;
  const { text, ms } = await trickle([head, ...body], 200);
  assert.ok(ms > 2 * HEADERS_MS + IDLE_MS, `the upload took ${ms} ms`);
  assert.match(text, /^HTTP\/1\.1 200 OK/);
  assert.match(text, /read 1200$/);
});

test('a body that stops arriving is cut off after the idle time, not held for ever', async () => {
  const head = 'PUT /up HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n';
  const { text, ms } = await trickle([head, 'x'.repeat(10)], 10);
  assert.equal(text, '', 'no answer: no one is left to answer');
  assert.ok(ms >= IDLE_MS - 50 && ms < IDLE_MS * 5, `closed after ${ms} ms`);
});

test('headers that trickle in past the headers timeout are answered 408', async () => {
  const lines = ['PUT /up HTTP/1.1\r\n', 'Host: t\r\n', 'X-A: 1\r\n', 'X-B: 1\r\n', 'X-C: 1\r\n', 'X-D: 1\r\n'];
  const { text } = await trickle(lines, 150);
  assert.match(text, /^HTTP\/1\.1 408 /);
});

test('over OSS, the timeout is OSS\'s RequestTimeout in XML with a request id', () => {
  const answer = ossClientError(Object.assign(new Error('timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }));
  assert.equal(answer.status, 400);
  assert.ok(answer.headers['x-oss-request-id']);
  assert.match(answer.body, /<Code>RequestTimeout<\/Code>/);
});
