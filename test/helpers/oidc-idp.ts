// A loopback OIDC identity provider for tests: https with a CA of its own (or one it is given),
// serving the discovery document and a JWKS, and signing tokens with RS256 keys it made.
import { createPublicKey, generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { exportJWK, SignJWT, type JSONWebKeySet, type JWTPayload } from 'jose';
import { createCa, issueServerCertificate, type IssuedCertificate } from '../../src/tls/index.js';

export const sha1Of = (pem: string): string => new X509Certificate(pem).fingerprint.replace(/:/g, '').toLowerCase();

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicPem: string;
}

export function newSigningKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export async function publicJwks(keys: readonly SigningKey[]): Promise<JSONWebKeySet> {
  return { keys: await Promise.all(keys.map(async (k) => ({ ...(await exportJWK(createPublicKey(k.privateKey))), kid: k.kid, alg: 'RS256', use: 'sig' }))) };
}

export interface TestIdp {
  issuer: string;
  ca: IssuedCertificate;
  /** SHA-1 of the CA certificate and of the server's own (leaf) certificate. */
  caFingerprint: string;
  leafFingerprint: string;
  /** The keys published in the JWKS; tests add and remove keys to rotate. */
  published: SigningKey[];
  key: SigningKey;
  /** Paths asked for, in order. */
  requests: string[];
  /** Answers a request in place of the IdP when it returns true (a redirect, a huge body…). */
  override?: (url: string, res: ServerResponse) => boolean;
  /** Signs a token: iss, aud, sub, iat and exp default to a good one for `audience`, and claims override (undefined removes). */
  token(claims?: Record<string, unknown>, opts?: { key?: SigningKey; alg?: string }): Promise<string>;
  stop(): Promise<void>;
}

export const AUDIENCE = 'sts.aliyuncs.com';

export async function startTestIdp(opts: { ca?: IssuedCertificate } = {}): Promise<TestIdp> {
  const ca = opts.ca ?? createCa();
  const leaf = issueServerCertificate(ca, ['127.0.0.1', 'localhost']);
  const key = newSigningKey('key-1');
  const requests: string[] = [];
  let issuer = '';
  const idp: TestIdp = {
    issuer: '',
    ca,
    caFingerprint: sha1Of(ca.certPem),
    leafFingerprint: sha1Of(leaf.certPem),
    published: [key],
    key,
    requests,
    async token(claims = {}, o = {}) {
      const now = Math.floor(Date.now() / 1000);
      const all: Record<string, unknown> = { iss: issuer, aud: AUDIENCE, sub: 'system:serviceaccount:apps:builder', iat: now, exp: now + 3600, ...claims };
      const payload = Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as JWTPayload;
      const signer = o.key ?? key;
      return new SignJWT(payload).setProtectedHeader({ alg: o.alg ?? 'RS256', kid: signer.kid, typ: 'JWT' }).sign(signer.privateKey);
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer({ cert: leaf.certPem + ca.certPem, key: leaf.keyPem }, (req, res) => {
    requests.push(req.url ?? '');
    if (idp.override?.(req.url ?? '', res)) return;
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/.well-known/openid-configuration') {
      return json(200, { issuer, jwks_uri: `${issuer}/keys`, id_token_signing_alg_values_supported: ['RS256'], response_types_supported: ['id_token'], subject_types_supported: ['public'] });
    }
    if (req.url === '/keys') return void publicJwks(idp.published).then((jwks) => json(200, jwks));
    json(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  idp.issuer = issuer;
  return idp;
}
