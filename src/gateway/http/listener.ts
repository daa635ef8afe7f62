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
  /** Either clock may be given alone; the other keeps its default. */
  timeouts?: Partial<ListenerTimeouts>;
  /**
   * The most header bytes a request may carry (request line included), else 431. Node's 16 KiB by
   * default; the api listener takes more because the Tea SDKs put every RPC parameter in the query
   * string, a SAML provider's metadata document (up to 102,400 characters) included.
   */
  maxHeaderBytes?: number;
  /**
   * The most connections open at once (DEFAULT_MAX_CONNECTIONS unless given); one past it is
   * closed as soon as it is accepted, and the connections already open are served as before.
   */
  maxConnections?: number;
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

/**
 * Each open connection costs a file descriptor and some memory even when it sends nothing: without
 * a cap, a flood of idle connections grows the process until the descriptors run out, and then
 * every client is refused, not only the flood.
 */
export const DEFAULT_MAX_CONNECTIONS = 10_000;

export interface Listener {
  name: string;
  url: string;
  address: AddressInfo;
  close(drainMs?: number): Promise<void>;
}

/** A refusal of the listener's own, named like Node's parser errors for the doors' onClientError. */
function listenerRefusal(code: 'ERR_EXPECTATION_FAILED' | 'ERR_METHOD_CONNECT', message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

function urlHost(address: AddressInfo): string {
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}

export async function listen(opts: ListenerOptions): Promise<Listener> {
  const timeouts: ListenerTimeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
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
  server.maxConnections = opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  // One warning a minute at most, with the count: a flood must not become a flood of log lines.
  let dropped = 0;
  let warnedAt = 0;
  server.on('drop', () => {
    dropped++;
    const at = Date.now();
    if (at - warnedAt < 60_000) return;
    warnedAt = at;
    opts.log.warn({ listener: opts.name, maxConnections: server.maxConnections, dropped }, 'connection limit reached; new connections are closed');
    dropped = 0;
  });
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  let drained: (() => void) | undefined;

  // The last request being answered on each connection (a pipelined request is parsed only once the
  // one before it is whole, and answers go out in order, so the last one decides), and connections
  // whose next request Node refused meanwhile: those get no refusal of their own written ahead of
  // the answer still owed, and are closed once it is sent.
  const answering = new WeakMap<Socket, IncomingMessage>();
  const spoiled = new WeakSet<Socket>();
  const refuse = (socket: Socket, error: NodeJS.ErrnoException) => {
    const answer = opts.onClientError(error);
    const head = [`HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? 'Bad Request'}`];
    for (const [k, v] of Object.entries({ ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)), connection: 'close' })) {
      head.push(`${k}: ${v}`);
    }
    socket.end(`${head.join('\r\n')}\r\n\r\n${answer.body}`);
  };

  // An Expect other than 100-continue, and CONNECT, are refused in the door's own format (Node
  // would answer the first with a bare 417 and drop the second unanswered).
  server.on('checkExpectation', (_req: IncomingMessage, res: ServerResponse) => {
    const answer = opts.onClientError(listenerRefusal('ERR_EXPECTATION_FAILED', 'unsupported Expect header'));
    res.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)), connection: 'close' });
    res.end(answer.body);
  });
  server.on('connect', (_req: IncomingMessage, socket: Socket) => refuse(socket, listenerRefusal('ERR_METHOD_CONNECT', 'CONNECT')));

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    inFlight.add(res);
    const socket = req.socket;
    answering.set(socket, req);
    if (draining) res.setHeader('connection', 'close');
    res.once('close', () => {
      if (answering.get(socket) === req) {
        answering.delete(socket);
        if (spoiled.has(socket)) socket.end();
      }
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
    // What follows a request still being answered (stray bytes past its Content-Length) is not
    // answered first: the client would read that refusal as the answer to its request. A request
    // whose own body was cut short is the one refused, as before.
    if (answering.get(socket)?.complete === true) {
      spoiled.add(socket);
      return;
    }
    refuse(socket, error);
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
