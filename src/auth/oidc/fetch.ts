// One https GET of an issuer's JSON (discovery document, JWKS), bounded in time and size, no
// redirects followed, with the SHA-1 fingerprints of the certificate chain it was served with.
import { X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import { rootCertificates, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';

export interface FetchSettings {
  /** PEM certificates trusted for issuers besides Node's bundled roots (a private CA; tests). */
  caCertificates: readonly string[];
  /** For the whole exchange: connect, TLS, answer and body. */
  timeoutMs: number;
  maxBytes: number;
}

export const DEFAULT_FETCH_SETTINGS: FetchSettings = { caCertificates: [], timeoutMs: 5000, maxBytes: 256 * 1024 };

/** Why nothing usable came back: `certificate` when TLS verification failed, else `failed`. */
export class OidcFetchError extends Error {
  constructor(
    readonly kind: 'certificate' | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'OidcFetchError';
  }
}

export interface FetchedJson {
  json: unknown;
  /** SHA-1 fingerprints (lower-case hex, no colons) of every certificate of the verified chain, leaf first. */
  chain: string[];
}

/** A fingerprint as IMS takes it (40 hex digits) or as openssl prints it (colon-separated): lower-case hex. */
export const normalizeFingerprint = (text: string): string => text.replace(/:/g, '').trim().toLowerCase();

/**
 * The chain the TLS handshake verified: the certificates the server sent and the trusted root
 * Node completed it with. A self-signed root is its own issuer; the walk stops at a repeat.
 */
function chainOf(socket: TLSSocket): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (cert !== undefined && cert.raw !== undefined && out.length < 16) {
    const sha1 = normalizeFingerprint(new X509Certificate(cert.raw).fingerprint);
    if (seen.has(sha1)) break;
    seen.add(sha1);
    out.push(sha1);
    cert = cert.issuerCertificate;
  }
  return out;
}

const CERTIFICATE_ERRORS = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ALTNAME|HOSTNAME_MISMATCH/;

export function fetchJson(url: URL, settings: FetchSettings): Promise<FetchedJson> {
  if (url.protocol !== 'https:') return Promise.reject(new OidcFetchError('failed', `${url.href} is not an https URL`));
  return new Promise<FetchedJson>((resolve, reject) => {
    let settled = false;
    const fail = (e: OidcFetchError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(e);
    };
    const req = request(url, {
      method: 'GET',
      // A connection of its own, so its certificate chain is this answer's.
      agent: false,
      ...(settings.caCertificates.length > 0 ? { ca: [...rootCertificates, ...settings.caCertificates] } : {}),
      headers: { accept: 'application/json', 'user-agent': 'rampart-oidc' },
    });
    const timer = setTimeout(() => fail(new OidcFetchError('failed', `${url.href} did not answer within ${settings.timeoutMs} ms`)), settings.timeoutMs);
    req.on('error', (e: Error & { code?: string }) => {
      const certificate = e.code !== undefined && CERTIFICATE_ERRORS.test(e.code);
      fail(new OidcFetchError(certificate ? 'certificate' : 'failed', `${url.href}: ${e.code ?? e.message}`));
    });
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status !== 200) {
        res.resume();
        const why = status >= 300 && status < 400 ? `redirects (${status}) are not followed` : `answered ${status}`;
        return fail(new OidcFetchError('failed', `${url.href} ${why}`));
      }
      const chain = chainOf(res.socket as TLSSocket);
      const parts: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > settings.maxBytes) return fail(new OidcFetchError('failed', `${url.href} answered more than ${settings.maxBytes} bytes`));
        parts.push(chunk);
      });
      res.on('error', (e) => fail(new OidcFetchError('failed', `${url.href}: ${e.message}`)));
      res.on('end', () => {
        if (settled) return;
        let json: unknown;
        try {
          json = JSON.parse(Buffer.concat(parts).toString('utf8'));
        } catch {
          return fail(new OidcFetchError('failed', `${url.href} did not answer JSON`));
        }
        settled = true;
        clearTimeout(timer);
        resolve({ json, chain });
      });
    });
    req.end();
  });
}
