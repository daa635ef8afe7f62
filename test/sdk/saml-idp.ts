// A SAML IdP for tests: an RSA key with a self-signed certificate (written by Rampart's own
// certificate writer, src/tls), its metadata, and Responses for Alibaba Cloud role-based SSO,
// signed with xml-crypto as an IdP signs them (enveloped, exclusive c14n).
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import * as der from '../../src/tls/der.js';
import { certificatePem, signCertificate } from '../../src/tls/certificate.js';
import { escapeXml } from '../../src/model/index.js';

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const COMMON_NAME = '2.5.4.3';

export interface Idp {
  entityId: string;
  key: KeyObject;
  /** The certificate's DER, base64 (as metadata and KeyInfo carry it). */
  certBase64: string;
  certPem: string;
}

function name(cn: string): Buffer {
  return der.sequence(der.set(der.sequence(der.oid(COMMON_NAME), der.utf8String(cn))));
}

export function createIdp(entityId: string, now = new Date()): Idp {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = signCertificate({
    algorithm: der.sequence(der.oid(SHA256_WITH_RSA), der.tlv(0x05)),
    issuer: name('Test IdP'),
    subject: name('Test IdP'),
    subjectKey: privateKey,
    issuerKey: privateKey,
    notBefore: new Date(now.getTime() - 86_400_000),
    notAfter: new Date(now.getTime() + 365 * 86_400_000),
  });
  return { entityId, key: privateKey, certBase64: cert.toString('base64'), certPem: certificatePem(cert) };
}

/** IdP metadata (an EntityDescriptor with an IDPSSODescriptor), base64 as CreateSAMLProvider takes it. */
export function encodedMetadata(entityId: string, certs: { base64: string; use?: 'signing' | 'encryption' }[]): string {
  const keys = certs
    .map(
      (c) =>
        `<md:KeyDescriptor${c.use ? ` use="${c.use}"` : ''}><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${c.base64.match(/.{1,76}/g)?.join('\n')}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
    )
    .join('');
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${escapeXml(entityId)}">` +
    `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${keys}` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`;
  return Buffer.from(xml).toString('base64');
}

export const ROLE_SSO_ACS = 'https://signin.aliyun.com/saml-role/sso';
export const ROLE_SSO_ACS_INTL = 'https://signin.alibabacloud.com/saml-role/sso';

export interface ResponseSpec {
  issuer: string;
  responseIssuer?: string;
  nameId?: string;
  nameIdFormat?: string;
  recipient?: string;
  audience?: string;
  /** Conditions NotBefore / NotOnOrAfter and SubjectConfirmationData NotOnOrAfter. */
  now?: Date;
  validSeconds?: number;
  subjectValidSeconds?: number;
  sessionNotOnOrAfter?: Date;
  roles?: string[];
  sessionName?: string;
  sessionDuration?: string;
  status?: string;
  assertionId?: string;
  /** The Response's Destination (default: the recipient); null leaves it out. */
  destination?: string | null;
}

const iso = (d: Date): string => d.toISOString();

/** The Assertion element alone (no signature yet). */
export function assertionXml(spec: ResponseSpec): string {
  const now = spec.now ?? new Date();
  const until = new Date(now.getTime() + (spec.validSeconds ?? 300) * 1000);
  const subjectUntil = new Date(now.getTime() + (spec.subjectValidSeconds ?? spec.validSeconds ?? 300) * 1000);
  const id = spec.assertionId ?? `_a${randomUUID().replace(/-/g, '')}`;
  const attribute = (n: string, values: string[]) =>
    `<saml2:Attribute Name="${n}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified">${values
      .map((v) => `<saml2:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">${escapeXml(v)}</saml2:AttributeValue>`)
      .join('')}</saml2:Attribute>`;
  const attrs = [
    ...(spec.roles !== undefined ? [attribute('https://www.aliyun.com/SAML-Role/Attributes/Role', spec.roles)] : []),
    ...(spec.sessionName !== undefined ? [attribute('https://www.aliyun.com/SAML-Role/Attributes/RoleSessionName', [spec.sessionName])] : []),
    ...(spec.sessionDuration !== undefined ? [attribute('https://www.aliyun.com/SAML-Role/Attributes/SessionDuration', [spec.sessionDuration])] : []),
  ].join('');
  return (
    `<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" IssueInstant="${iso(now)}" Version="2.0">` +
    `<saml2:Issuer>${escapeXml(spec.issuer)}</saml2:Issuer>` +
    `<saml2:Subject><saml2:NameID Format="${spec.nameIdFormat ?? 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent'}">${escapeXml(spec.nameId ?? 'alice@example.com')}</saml2:NameID>` +
    `<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml2:SubjectConfirmationData NotOnOrAfter="${iso(subjectUntil)}" Recipient="${escapeXml(spec.recipient ?? ROLE_SSO_ACS)}"/></saml2:SubjectConfirmation></saml2:Subject>` +
    `<saml2:Conditions NotBefore="${iso(new Date(now.getTime() - 5000))}" NotOnOrAfter="${iso(until)}"><saml2:AudienceRestriction><saml2:Audience>${escapeXml(spec.audience ?? 'urn:alibaba:cloudcomputing')}</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions>` +
    `<saml2:AuthnStatement AuthnInstant="${iso(now)}" SessionIndex="${id}"${spec.sessionNotOnOrAfter ? ` SessionNotOnOrAfter="${iso(spec.sessionNotOnOrAfter)}"` : ''}><saml2:AuthnContext><saml2:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml2:AuthnContextClassRef></saml2:AuthnContext></saml2:AuthnStatement>` +
    `<saml2:AttributeStatement>${attrs}</saml2:AttributeStatement>` +
    `</saml2:Assertion>`
  );
}

/** A Response around the given assertion(s) (their XML, signed or not). */
export function responseXml(spec: ResponseSpec, assertions: string[]): string {
  const now = spec.now ?? new Date();
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<saml2p:Response xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" ${spec.destination === null ? '' : `Destination="${escapeXml(spec.destination ?? spec.recipient ?? ROLE_SSO_ACS)}" `}ID="_r${randomUUID().replace(/-/g, '')}" IssueInstant="${iso(now)}" Version="2.0">` +
    `<saml2:Issuer xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">${escapeXml(spec.responseIssuer ?? spec.issuer)}</saml2:Issuer>` +
    `<saml2p:Status><saml2p:StatusCode Value="${spec.status ?? 'urn:oasis:names:tc:SAML:2.0:status:Success'}"/></saml2p:Status>` +
    assertions.join('') +
    `</saml2p:Response>`
  );
}

export type DigestName = 'sha1' | 'sha256';
const ALGORITHMS: Record<DigestName, { signature: string; digest: string }> = {
  sha1: { signature: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1', digest: 'http://www.w3.org/2000/09/xmldsig#sha1' },
  sha256: { signature: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', digest: 'http://www.w3.org/2001/04/xmlenc#sha256' },
};

/**
 * Signs the element `local` (Assertion or Response) of `xml` with an enveloped signature placed
 * after its Issuer, as SAML's schema wants it.
 */
export function signElement(xml: string, local: 'Assertion' | 'Response', idp: Pick<Idp, 'key' | 'certPem'>, digest: DigestName = 'sha256'): string {
  const alg = ALGORITHMS[digest];
  const sig = new SignedXml({
    privateKey: idp.key.export({ type: 'pkcs8', format: 'pem' }),
    publicCert: idp.certPem,
    signatureAlgorithm: alg.signature,
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  const target = `//*[local-name(.)='${local}']`;
  sig.addReference({
    xpath: target,
    digestAlgorithm: alg.digest,
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
  });
  sig.computeSignature(xml, { prefix: 'ds', location: { reference: `${target}/*[local-name(.)='Issuer']`, action: 'after' } });
  return sig.getSignedXml();
}

/** The usual IdP output: a Response whose Assertion is signed. */
export function signedResponse(spec: ResponseSpec, idp: Pick<Idp, 'key' | 'certPem'>, digest: DigestName = 'sha256'): string {
  return responseXml(spec, [signElement(assertionXml(spec), 'Assertion', idp, digest)]);
}

export const base64 = (xml: string): string => Buffer.from(xml, 'utf8').toString('base64');
