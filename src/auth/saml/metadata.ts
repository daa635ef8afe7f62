// An IdP's SAML metadata, as a SAML provider stores it (EncodedSAMLMetadataDocument): its
// entityID, which every assertion's Issuer must be, and the certificates its signatures are
// checked with. Nothing else of the document is used. One reader for IMS (a provider is accepted
// only with metadata that can admit someone) and STS (which reads what IMS accepted).
import { X509Certificate, type KeyObject } from 'node:crypto';
import { SamlErrors } from './errors.js';
import { attr, children, NS, parseStrictXml, textOf, XmlRefused, type XElement } from './xml.js';

export interface IdpMetadata {
  entityId: string;
  /** The public keys of the IdP's signing certificates, in the document's order. */
  signingKeys: KeyObject[];
}

/** Why a document describes no IdP, in words IMS gives as the parameter's refusal. */
export class MetadataRefused extends Error {}

const SAML2_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function decode(encoded: string): string {
  const compact = encoded.replace(/\s+/g, '');
  if (compact === '' || compact.length % 4 !== 0 || !BASE64.test(compact)) throw new MetadataRefused('it is not base64');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(Buffer.from(compact, 'base64'));
  } catch {
    throw new MetadataRefused('the decoded document is not UTF-8 text');
  }
}

function parse(text: string): XElement {
  try {
    return parseStrictXml(text);
  } catch (e) {
    // No DTDs: nothing in a metadata document needs one, and entities are how XML parsers are made
    // to read files or expand without end.
    if (e instanceof XmlRefused) throw new MetadataRefused(/DOCTYPE|ENTITY/.test(e.message) ? 'a document type declaration is not accepted' : 'it is not well-formed XML');
    throw e;
  }
}

/**
 * The certificates of a KeyDescriptor (ds:KeyInfo/ds:X509Data/ds:X509Certificate). Certificate
 * validity dates are not enforced [U]: the metadata names the key, as most SAML SPs read it.
 */
function certificatesOf(keyDescriptor: XElement): X509Certificate[] {
  return children(keyDescriptor, NS.dsig, 'KeyInfo')
    .flatMap((k) => children(k, NS.dsig, 'X509Data'))
    .flatMap((d) => children(d, NS.dsig, 'X509Certificate'))
    .map((c) => {
      const text = textOf(c).replace(/\s+/g, '');
      if (!BASE64.test(text)) throw new MetadataRefused('an X509Certificate is not base64');
      try {
        return new X509Certificate(Buffer.from(text, 'base64'));
      } catch {
        throw new MetadataRefused('an X509Certificate is not a valid certificate');
      }
    });
}

/**
 * The IdP a base64 metadata document describes: an EntityDescriptor (one IdP per provider; a
 * federation's EntitiesDescriptor names many [U]) with an entityID and an IDPSSODescriptor for
 * SAML 2.0 holding at least one signing certificate (use="signing", or no use: the key then serves
 * both purposes, SAML metadata §2.4.1.1; an "encryption" key never verifies a signature).
 */
export function readIdpMetadata(encoded: string): IdpMetadata {
  const root = parse(decode(encoded));
  if (root.namespaceURI !== NS.metadata || root.localName !== 'EntityDescriptor') throw new MetadataRefused('its root is not a SAML 2.0 metadata EntityDescriptor');
  const entityId = attr(root, 'entityID') ?? '';
  if (entityId === '') throw new MetadataRefused('the EntityDescriptor has no entityID');
  const idps = children(root, NS.metadata, 'IDPSSODescriptor').filter((d) => (attr(d, 'protocolSupportEnumeration') ?? '').split(/\s+/).includes(SAML2_PROTOCOL));
  if (idps.length === 0) throw new MetadataRefused('it has no IDPSSODescriptor for the SAML 2.0 protocol');
  const signingKeys = idps
    .flatMap((d) => children(d, NS.metadata, 'KeyDescriptor'))
    .filter((k) => {
      const use = attr(k, 'use');
      return use === undefined || use === 'signing';
    })
    .flatMap(certificatesOf)
    .map((c) => c.publicKey);
  if (signingKeys.length === 0) throw new MetadataRefused('its IDPSSODescriptor has no signing X509Certificate');
  return { entityId, signingKeys };
}

/** STS's reading: a provider whose metadata describes no IdP refuses with IDPMetadata.Invalid. */
export function parseIdpMetadata(encoded: string): IdpMetadata {
  try {
    return readIdpMetadata(encoded);
  } catch (e) {
    if (e instanceof MetadataRefused) throw SamlErrors.metadataInvalid(e.message);
    throw e;
  }
}
