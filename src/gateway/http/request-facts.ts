import type { IncomingMessage } from 'node:http';
import type { RequestFacts } from '../../services/index.js';
import { clientAddress } from './client-address.js';

/** What every front door knows about a request before reading it: for policies and the audit trail. */
export function requestFacts(req: IncomingMessage, requestId: string, secureTransport: boolean, nowMs: number): RequestFacts {
  return { requestId, sourceIp: clientAddress(req), secureTransport, userAgent: req.headers['user-agent'] ?? '', now: new Date(nowMs) };
}
