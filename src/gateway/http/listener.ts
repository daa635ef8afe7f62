// One HTTP(S) front door: listens, counts requests in flight, and on close stops accepting,
// lets in-flight requests finish (closing each connection as its response ends) and only
// then resolves.
import { createServer as createHttpServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from 'pino';

export interface TlsMaterial {
  cert: string;
  key: string;
}

export interface ListenerOptions {
  name: string;
  host: string;
  port: number;
  tls?: TlsMaterial;
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Answers requests Node could not parse (bad request line, headers too large). */
  onClientError: (error: NodeJS.ErrnoException) => { status: number; headers: Record<string, string>; body: string };
  log: Logger;
  timeouts?: ListenerTimeouts;
  /**
   * The most header bytes a request may carry (request line included), else 431. Node's 16 KiB by
   * default; the api listener takes more because the Tea SDKs put every RPC parameter in the query
   * string, a SAML provider's metadata document (up to 102,400 characters) included.
   */
  maxHeaderBytes?: number;
}

/**
 * How long a client may take. The headers must all arrive within `headersMs` (a slow-headers
 * client holds nothing else); after that a connection may take as long as it likes, as long as it
 * is never silent for `idleMs`: a large upload over a slow link is not cut off at some total time
 * (Node's requestTimeout would answer 408 mid-body), a stalled one is.
 */
export interface ListenerTimeouts {
  headersMs: number;
  idleMs: number;
}

export const DEFAULT_TIMEOUTS: ListenerTimeouts = { headersMs: 20_000, idleMs: 60_000 };

export interface Listener {
  name: string;
  url: string;
  address: AddressInfo;
  close(drainMs?: number): Promise<void>;
}

function urlHost(address: AddressInfo): string {
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}

export async function listen(opts: ListenerOptions): Promise<Listener> {
  const timeouts = opts.timeouts ?? DEFAULT_TIMEOUTS;
  const serverOptions = {
    requestTimeout: 0,
    headersTimeout: timeouts.headersMs,
    keepAliveTimeout: 5_000,
    connectionsCheckingInterval: Math.min(30_000, timeouts.headersMs / 4),
    ...(opts.maxHeaderBytes !== undefined ? { maxHeaderSize: opts.maxHeaderBytes } : {}),
  };
  const server: Server = opts.tls
    ? createHttpsServer({ ...serverOptions, cert: opts.tls.cert, key: opts.tls.key })
    : createHttpServer(serverOptions);
  // Silence for idleMs ends the connection (the socket is destroyed: no one is left to answer).
  server.timeout = timeouts.idleMs;
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  let drained: (() => void) | undefined;

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    inFlight.add(res);
    if (draining) res.setHeader('connection', 'close');
    res.once('close', () => {
      inFlight.delete(res);
      if (draining) {
        server.closeIdleConnections();
        if (inFlight.size === 0) drained?.();
      }
    });
    opts.handler(req, res).catch((error: unknown) => {
      // Handlers render their own errors; reaching here means rendering itself failed.
      opts.log.error({ err: error, listener: opts.name }, 'unhandled error while answering a request');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const answer = opts.onClientError(error);
    const head = [`HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? 'Bad Request'}`];
    for (const [k, v] of Object.entries({ ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)), connection: 'close' })) {
      head.push(`${k}: ${v}`);
    }
    socket.end(`${head.join('\r\n')}\r\n\r\n${answer.body}`);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `${opts.tls ? 'https' : 'http'}://${urlHost(address)}:${address.port}`;

  return {
    name: opts.name,
    url,
    address,
    close: (drainMs = 10_000) =>
      new Promise<void>((resolve) => {
        draining = true;
        // Tell clients of requests already in flight not to reuse their connection.
        for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
        const closed = new Promise<void>((done) => server.close(() => done()));
        server.closeIdleConnections();
        const idle = inFlight.size === 0 ? Promise.resolve() : new Promise<void>((done) => (drained = done));
        const timer = setTimeout(() => {
          opts.log.warn({ listener: opts.name, inFlight: inFlight.size }, 'drain timed out; closing remaining connections');
          server.closeAllConnections();
        }, drainMs);
        timer.unref();
        void Promise.all([idle, closed]).then(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
