// A request refused before its body was read (a 501, 403 or 400 from the headers alone) still has
// a client sending that body. Answering at once does not reach it: Node closes a connection whose
// request was not read to its end, and the sender, still writing, fails (EPIPE) or waits on a
// socket no one reads. So the rest of the body is read and thrown away first, up to a bound; past
// it, or when more than the bound is announced, the answer goes at once with Connection: close, as
// no one should be made to read gigabytes for nothing. The server's timeouts bound the wait.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** How much of an unread body is read and discarded so its sender sees the answer. */
export const DISCARD_LIMIT = 16 * 1024 * 1024;

/** Call before the answer's head is written; resolves once the body is read or given up on. */
export function discardUnread(req: IncomingMessage, res: ServerResponse, limit = DISCARD_LIMIT): Promise<void> {
  if (req.complete || req.destroyed) return Promise.resolve();
  if (Number(req.headers['content-length']) > limit) {
    res.setHeader('connection', 'close');
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    let seen = 0;
    const done = () => {
      req.off('data', onData).off('end', done).off('close', done).off('error', done);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen <= limit) return;
      res.setHeader('connection', 'close');
      req.pause();
      done();
    };
    req.on('data', onData).once('end', done).once('close', done).once('error', done);
    req.resume();
  });
}
