// Self-signed CA and server certificates (ECDSA P-256), written with node:crypto and a small DER
// encoder so no binary or extra package is needed.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import * as der from './der.js';
import { parseIpv6 } from '../model/index.js';

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
};

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
}

function name(commonName: string): Buffer {
  return der.sequence(
    der.set(der.sequence(der.oid(OID.organization), der.utf8String('Rampart'))),
    der.set(der.sequence(der.oid(OID.commonName), der.utf8String(commonName))),
  );
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return der.sequence(der.oid(id), ...(critical ? [der.boolean(true)] : []), der.octetString(value));
}

/** RFC 5280's key identifier: SHA-1 of the subject public key info (of a public or private key). */
function keyId(key: KeyObject): Buffer {
  return createHash('sha1').update(createPublicKey(key).export({ type: 'spki', format: 'der' })).digest();
}

/** keyUsage bits, numbered from the most significant bit of the first byte. */
function keyUsage(bits: number[]): Buffer {
  let value = 0;
  for (const bit of bits) value |= 0x80 >> bit;
  return der.tlv(0x03, Buffer.from([0]), Buffer.from([value]));
}

function subjectAltNames(hosts: readonly string[]): Buffer {
  const names = hosts.map((host) => {
    const kind = isIP(host);
    if (kind === 4) return der.tlv(0x87, Buffer.from(host.split('.').map(Number)));
    if (kind === 6) return der.tlv(0x87, Buffer.from(parseIpv6(host) ?? []));
    return der.tlv(0x82, Buffer.from(host, 'ascii'));
  });
  return der.sequence(...names);
}

interface CertificateSpec {
  subject: string;
  subjectKey: KeyObject;
  issuer: string;
  issuerKey: KeyObject;
  isCa: boolean;
  hosts: readonly string[];
  validDays: number;
  now: Date;
}

function buildCertificate(spec: CertificateSpec): string {
  const algorithm = der.sequence(der.oid(OID.ecdsaWithSha256));
  const extensions = [
    extension(OID.basicConstraints, true, der.sequence(...(spec.isCa ? [der.boolean(true)] : []))),
    // CA: keyCertSign (5) + cRLSign (6); server: digitalSignature (0).
    extension(OID.keyUsage, true, keyUsage(spec.isCa ? [5, 6] : [0])),
    extension(OID.subjectKeyIdentifier, false, der.octetString(keyId(spec.subjectKey))),
    extension(OID.authorityKeyIdentifier, false, der.sequence(der.tlv(0x80, keyId(spec.issuerKey)))),
  ];
  if (!spec.isCa) {
    extensions.push(extension(OID.extKeyUsage, false, der.sequence(der.oid(OID.serverAuth))));
    extensions.push(extension(OID.subjectAltName, false, subjectAltNames(spec.hosts)));
  }
  return certificatePem(
    signCertificate({
      algorithm,
      issuer: name(spec.issuer),
      subject: name(spec.subject),
      subjectKey: spec.subjectKey,
      issuerKey: spec.issuerKey,
      notBefore: new Date(spec.now.getTime() - 60 * 60 * 1000),
      notAfter: new Date(spec.now.getTime() + spec.validDays * 24 * 60 * 60 * 1000),
      extensions,
    }),
  );
}

/** What every X.509 v3 certificate holds; the signature is SHA-256 with the issuer's key. */
export interface CertificateFields {
  /** The AlgorithmIdentifier of that signature (ECDSA here; an RSA key's carries a NULL). */
  algorithm: Buffer;
  /** Distinguished names, DER. */
  issuer: Buffer;
  subject: Buffer;
  /** Its public half is certified (a private key is accepted). */
  subjectKey: KeyObject;
  issuerKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  extensions?: readonly Buffer[];
}

/** A certificate, DER: a random positive serial, the fields, signed. */
export function signCertificate(c: CertificateFields): Buffer {
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const tbs = der.sequence(
    der.explicit(0, der.integer(Buffer.from([2]))),
    der.integer(serial),
    c.algorithm,
    c.issuer,
    der.sequence(der.time(c.notBefore), der.time(c.notAfter)),
    c.subject,
    createPublicKey(c.subjectKey).export({ type: 'spki', format: 'der' }),
    ...(c.extensions !== undefined && c.extensions.length > 0 ? [der.explicit(3, der.sequence(...c.extensions))] : []),
  );
  return der.sequence(tbs, c.algorithm, der.bitString(sign('sha256', tbs, c.issuerKey)));
}

export function certificatePem(cert: Buffer): string {
  const lines = cert.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function newKey(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
}

const pem = (key: KeyObject): string => key.export({ type: 'pkcs8', format: 'pem' }).toString();

export function createCa(now = new Date()): IssuedCertificate {
  const key = newKey();
  const subject = 'Rampart local CA';
  return { certPem: buildCertificate({ subject, subjectKey: key, issuer: subject, issuerKey: key, isCa: true, hosts: [], validDays: 3650, now }), keyPem: pem(key) };
}

export function issueServerCertificate(ca: IssuedCertificate, hosts: readonly string[], now = new Date()): IssuedCertificate {
  const key = newKey();
  const certPem = buildCertificate({
    subject: hosts[0] ?? 'localhost',
    subjectKey: key,
    issuer: 'Rampart local CA',
    issuerKey: createPrivateKey(ca.keyPem),
    isCa: false,
    hosts,
    // Clients reject server certificates valid for more than 398 days.
    validDays: 397,
    now,
  });
  return { certPem, keyPem: pem(key) };
}
