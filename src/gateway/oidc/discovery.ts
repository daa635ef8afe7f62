// GET /.well-known/openid-configuration and /.well-known/jwks.json on the api listener, without
// credentials (verifiers read them before they trust anything): the discovery document of Rampart's
// OIDC issuer and the public keys its tokens are signed with. Answered before the API codec, as
// the OSS listener answers its callback key.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DISCOVERY_PATH, JWKS_PATH, type OidcIssuer } from '../../tokens/index.js';

/**
 * Caching: the discovery document changes only with the issuer's configuration; the key set
 * changes at a rotation, and verifiers that meet a token with an unknown kid fetch it again (jose's
 * remote key set does, after a 30-second cool-down), so a few minutes is safe either way.
 */
const DISCOVERY_MAX_AGE = 3600;
const JWKS_MAX_AGE = 300;

/** The answer to either document; undefined, at once, for every other request. */
export function answerOidcDiscovery(req: IncomingMessage, res: ServerResponse, issuer: Pick<OidcIssuer, 'discovery' | 'jwks'>): Promise<void> | undefined {
  if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
  const path = (req.url ?? '').split('?')[0];
  if (path !== DISCOVERY_PATH && path !== JWKS_PATH) return undefined;
  return answer(req, res, issuer, path);
}

async function answer(req: IncomingMessage, res: ServerResponse, issuer: Pick<OidcIssuer, 'discovery' | 'jwks'>, path: string): Promise<void> {
  let body: string;
  try {
    body = JSON.stringify(path === DISCOVERY_PATH ? issuer.discovery() : await issuer.jwks());
  } catch {
    // The store did not answer (the keys are kept there): nothing to serve now, and nothing cached.
    res.writeHead(503, { 'content-type': 'text/plain', 'content-length': '19', 'cache-control': 'no-store' });
    res.end('Service Unavailable');
    return;
  }
  res.writeHead(200, {
    // application/json, as the big issuers serve their key sets: some verifiers take nothing else.
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': `public, max-age=${path === JWKS_PATH ? JWKS_MAX_AGE : DISCOVERY_MAX_AGE}`,
    // Public documents: a verifier running in a browser may read them too.
    'access-control-allow-origin': '*',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
