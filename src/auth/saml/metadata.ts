// An IdP's SAML metadata, as a SAML provider stores it (EncodedSAMLMetadataDocument): its
// entityID, which every assertion's Issuer must be, and the certificates its signatures are
// checked with. Nothing else of the document is used.
import { X509Certificate, type KeyObject } from 'node:crypto';
import { SamlErrors } from './errors.js';
import { attr, base64Utf8, children, descendants, NS, parseStrictXml, textOf, XmlRefused, type XElement } from './xml.js';

export interface IdpMetadata {
  entityId: string;
  /** The public keys of the IdP's signing certificates, in the document's order. */
  signingKeys: KeyObject[];
}

/**
 * The keys of an IDPSSODescriptor's KeyDescriptors for signing: use="signing", or no use at all
 * (the key then serves both purposes, SAML metadata §2.4.1.1). An "encryption" key never verifies
 * a signature. Certificate validity dates are not enforced [U]: the metadata names the key, as
 * most SAML service providers read it.
 */
function signingKeys(idp: XElement): KeyObject[] {
  const keys: KeyObject[] = [];
  for (const kd of children(idp, NS.metadata, 'KeyDescriptor')) {
    const use = attr(kd, 'use');
    if (use !== undefined && use !== 'signing') continue;
    for (const cert of descendants(kd, NS.dsig, 'X509Certificate')) {
      const der = Buffer.from(textOf(cert).replace(/\s+/g, ''), 'base64');
      try {
        keys.push(new X509Certificate(der).publicKey);
      } catch {
        throw SamlErrors.metadataInvalid('an X509Certificate of the IdP is not a certificate');
      }
    }
  }
  return keys;
}

export function parseIdpMetadata(encoded: string): IdpMetadata {
  const text = base64Utf8(encoded);
  if (text === undefined) throw SamlErrors.metadataInvalid('the metadata document is not base64 of UTF-8 text');
  let root: XElement;
  try {
    root = parseStrictXml(text);
  } catch (e) {
    if (e instanceof XmlRefused) throw SamlErrors.metadataInvalid(e.message);
    throw e;
  }
  // One IdP per provider: an EntitiesDescriptor (a federation's aggregate) names many [U].
  if (root.namespaceURI !== NS.metadata || root.localName !== 'EntityDescriptor') throw SamlErrors.metadataInvalid('the document is not an EntityDescriptor');
  const entityId = attr(root, 'entityID') ?? '';
  if (entityId === '') throw SamlErrors.metadataInvalid('the EntityDescriptor has no entityID');
  const idps = children(root, NS.metadata, 'IDPSSODescriptor');
  if (idps.length === 0) throw SamlErrors.metadataInvalid('the metadata has no IDPSSODescriptor');
  const keys = idps.flatMap(signingKeys);
  if (keys.length === 0) throw SamlErrors.metadataInvalid('the IDPSSODescriptor has no signing certificate');
  return { entityId, signingKeys: keys };
}
