// A SAML provider's metadata is accepted only if it can admit someone: a base64 SAML 2.0
// metadata document whose EntityDescriptor has an IDPSSODescriptor with at least one signing
// certificate that parses as X.509. Read once here, into typed values; STS reads it the same way.
import { X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';

/** [U] ROS bounds EncodedSAMLMetadataDocument at 102,400 characters; the API names no limit. */
export const MAX_ENCODED_METADATA = 102_400;

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const SAML2_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
const ELEMENT = 1;

export interface SamlIdpMetadata {
  /** The EntityDescriptor's entityID: the Issuer its assertions must name. */
  entityId: string;
  /** The certificates of its IDPSSODescriptors' signing keys (use="signing" or no use). */
  signingCertificates: X509Certificate[];
}

// The few DOM members read here, typed locally: importing @xmldom/xmldom's declarations would pull
// the browser's DOM library into the whole program's globals.
interface XmlNode {
  readonly nodeType: number;
  readonly namespaceURI: string | null;
  readonly localName: string | null;
  readonly textContent: string | null;
  readonly childNodes: { readonly length: number; item(index: number): XmlNode | null };
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
}
interface XmlDocument {
  readonly documentElement: XmlNode | null;
}
type ErrorHandler = { warning(msg: unknown): void; error(msg: unknown): void; fatalError(msg: unknown): void };
const require = createRequire(import.meta.url);
const { DOMParser } = require('@xmldom/xmldom') as {
  DOMParser: new (options: { errorHandler: ErrorHandler }) => { parseFromString(source: string, mimeType: string): XmlDocument | undefined };
};

class MetadataError extends Error {}

function children(node: XmlNode, ns: string, localName: string): XmlNode[] {
  const out: XmlNode[] = [];
  for (let i = 0; i < node.childNodes.length; i++) {
    const child = node.childNodes.item(i);
    if (child && child.nodeType === ELEMENT && child.namespaceURI === ns && child.localName === localName) out.push(child);
  }
  return out;
}

/** ds:KeyInfo/ds:X509Data/ds:X509Certificate under a KeyDescriptor. */
function certificatesOf(keyDescriptor: XmlNode): X509Certificate[] {
  const texts = children(keyDescriptor, DS, 'KeyInfo')
    .flatMap((k) => children(k, DS, 'X509Data'))
    .flatMap((d) => children(d, DS, 'X509Certificate'))
    .map((c) => (c.textContent ?? '').replace(/\s+/g, ''));
  return texts.map((text) => {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) throw new MetadataError('an X509Certificate is not base64');
    try {
      return new X509Certificate(Buffer.from(text, 'base64'));
    } catch {
      throw new MetadataError('an X509Certificate is not a valid certificate');
    }
  });
}

function decode(encoded: string): string {
  const compact = encoded.replace(/\s+/g, '');
  if (compact === '' || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw new MetadataError('it is not base64');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(Buffer.from(compact, 'base64'));
  } catch {
    throw new MetadataError('the decoded document is not UTF-8 text');
  }
}

function parseXml(text: string): XmlNode {
  // No DTDs: nothing in a metadata document needs one, and entities are how XML parsers are
  // made to read files or expand without end.
  if (/<!DOCTYPE/i.test(text)) throw new MetadataError('a document type declaration is not accepted');
  const problems: string[] = [];
  const note = (msg: unknown) => void problems.push(String(msg));
  let doc: XmlDocument | undefined;
  try {
    doc = new DOMParser({ errorHandler: { warning: note, error: note, fatalError: note } }).parseFromString(text, 'text/xml');
  } catch {
    throw new MetadataError('it is not well-formed XML');
  }
  const root = doc?.documentElement ?? null;
  if (problems.length > 0 || root === null) throw new MetadataError('it is not well-formed XML');
  return root;
}

function readMetadata(encoded: string): SamlIdpMetadata {
  const root = parseXml(decode(encoded));
  if (root.namespaceURI !== MD || root.localName !== 'EntityDescriptor') throw new MetadataError('its root is not a SAML 2.0 metadata EntityDescriptor');
  const entityId = root.getAttribute('entityID') ?? '';
  if (entityId === '') throw new MetadataError('the EntityDescriptor has no entityID');
  const idps = children(root, MD, 'IDPSSODescriptor').filter((d) => (d.getAttribute('protocolSupportEnumeration') ?? '').split(/\s+/).includes(SAML2_PROTOCOL));
  if (idps.length === 0) throw new MetadataError('it has no IDPSSODescriptor for the SAML 2.0 protocol');
  const signingCertificates = idps
    .flatMap((d) => children(d, MD, 'KeyDescriptor'))
    .filter((k) => !k.hasAttribute('use') || k.getAttribute('use') === 'signing')
    .flatMap(certificatesOf);
  if (signingCertificates.length === 0) throw new MetadataError('its IDPSSODescriptor has no signing X509Certificate');
  return { entityId, signingCertificates };
}

/** The IdP a base64 metadata document describes, or why it describes none. */
export function parseSamlMetadata(encoded: string): { ok: true; metadata: SamlIdpMetadata } | { ok: false; reason: string } {
  try {
    return { ok: true, metadata: readMetadata(encoded) };
  } catch (e) {
    if (e instanceof MetadataError) return { ok: false, reason: e.message };
    throw e;
  }
}
