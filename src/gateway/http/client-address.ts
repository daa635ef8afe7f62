import type { IncomingMessage } from 'node:http';

/** The caller's address; Node reports IPv4 peers of a dual-stack socket as ::ffff:a.b.c.d. */
export function clientAddress(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
