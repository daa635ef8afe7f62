// `serve --tls`: a local CA and a server certificate kept in <data>/tls. The certificates are
// public; their private keys are sealed with the master key like every other stored secret.
// The CA survives restarts (clients trust it once); the server certificate is reissued when
// the names it must cover change or it nears expiry.
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { SecretBox } from '../secrets/index.js';
import { createCa, issueServerCertificate, type IssuedCertificate } from './certificate.js';

export interface TlsFiles {
  cert: string;
  key: string;
  /** Path of the CA certificate to give clients (NODE_EXTRA_CA_CERTS). */
  caPath: string;
}

const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;

function load(dir: string, base: string, box: SecretBox): IssuedCertificate | undefined {
  const certPath = join(dir, `${base}.pem`);
  const keyPath = join(dir, `${base}.key.sealed`);
  if (!existsSync(certPath) || !existsSync(keyPath)) return undefined;
  return { certPem: readFileSync(certPath, 'utf8'), keyPem: box.open(readFileSync(keyPath, 'utf8').trim(), `tls:${base}`) };
}

function save(dir: string, base: string, box: SecretBox, issued: IssuedCertificate): void {
  writeFileSync(join(dir, `${base}.pem`), issued.certPem);
  writeFileSync(join(dir, `${base}.key.sealed`), box.seal(issued.keyPem, `tls:${base}`) + '\n', { mode: 0o600 });
}

function covers(certPem: string, hosts: readonly string[], now: Date): boolean {
  const cert = new X509Certificate(certPem);
  if (new Date(cert.validTo).getTime() - now.getTime() < RENEW_BEFORE_MS) return false;
  return hosts.every((h) => (isIP(h) ? cert.checkIP(h) !== undefined : cert.checkHost(h) !== undefined));
}

export function ensureTlsFiles(dataDir: string, box: SecretBox, hosts: readonly string[], now = new Date()): TlsFiles {
  const dir = join(dataDir, 'tls');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let ca = load(dir, 'ca', box);
  let server = ca && load(dir, 'server', box);
  if (ca === undefined) {
    ca = createCa(now);
    save(dir, 'ca', box, ca);
    server = undefined;
  }
  if (server === undefined || !covers(server.certPem, hosts, now) || !new X509Certificate(server.certPem).checkIssued(new X509Certificate(ca.certPem))) {
    server = issueServerCertificate(ca, hosts, now);
    save(dir, 'server', box, server);
  }
  return { cert: server.certPem, key: server.keyPem, caPath: join(dir, 'ca.pem') };
}
