// One enveloped XML signature, checked with xml-crypto against the IdP's keys from its metadata
// (never a key the message carries in its own KeyInfo). What comes back is the canonical XML
// xml-crypto digested, not a node of the message: whatever else the message holds, only what was
// signed is ever read (the defence against signature wrapping).
import type { KeyObject } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { SamlErrors } from './errors.js';
import { attr, children, NS, type XElement } from './xml.js';

const C14N = ['http://www.w3.org/2001/10/xml-exc-c14n#', 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315'];
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

/**
 * SHA-256 and SHA-512 only. Whether the real STS still takes SHA-1 is not documented [U]: a
 * SHA-1 signature is refused here, as a collision-prone digest should be for a bearer credential.
 */
const SIGNATURE_METHODS = [
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1',
];
const DIGEST_METHODS = ['http://www.w3.org/2001/04/xmlenc#sha256', 'http://www.w3.org/2001/04/xmlenc#sha512'];

/** An xs:ID: what a same-document reference may name (and nothing xml-crypto's XPath would misread). */
const XS_ID = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

const only = <T>(record: Record<string, T>, allowed: readonly string[]): Record<string, T> =>
  Object.fromEntries(Object.entries(record).filter(([k]) => allowed.includes(k)));

function algorithm(parent: XElement, local: string): string {
  const found = children(parent, NS.dsig, local);
  if (found.length !== 1 || found[0] === undefined) throw SamlErrors.invalid(`the signature must have one ${local}`);
  return attr(found[0], 'Algorithm') ?? '';
}

/**
 * The signature's form, before any cryptography: one Reference, to the element the signature
 * sits in, with algorithms of the allowed few. The referenced ID is unique in the message
 * (xml-crypto refuses a message where two elements share it).
 */
function checkForm(signed: XElement, signature: XElement): void {
  const id = attr(signed, 'ID') ?? '';
  if (!XS_ID.test(id)) throw SamlErrors.invalid(`the signed ${signed.localName} has no valid ID`);
  const signedInfo = children(signature, NS.dsig, 'SignedInfo');
  if (signedInfo.length !== 1 || signedInfo[0] === undefined) throw SamlErrors.invalid('the signature must have one SignedInfo');
  const info = signedInfo[0];
  if (!C14N.includes(algorithm(info, 'CanonicalizationMethod'))) throw SamlErrors.invalid('the signature canonicalization method is not supported');
  if (!SIGNATURE_METHODS.includes(algorithm(info, 'SignatureMethod'))) {
    throw SamlErrors.invalid('the signature method is not supported (RSA with SHA-256 or SHA-512 only)');
  }
  const references = children(info, NS.dsig, 'Reference');
  if (references.length !== 1 || references[0] === undefined) throw SamlErrors.invalid('the signature must have exactly one Reference');
  const reference = references[0];
  if (attr(reference, 'URI') !== `#${id}`) throw SamlErrors.invalid(`the signature does not reference the ${signed.localName} it is in`);
  if (!DIGEST_METHODS.includes(algorithm(reference, 'DigestMethod'))) throw SamlErrors.invalid('the digest method is not supported (SHA-256 or SHA-512 only)');
  for (const transforms of children(reference, NS.dsig, 'Transforms')) {
    for (const t of children(transforms, NS.dsig, 'Transform')) {
      const a = attr(t, 'Algorithm') ?? '';
      if (a !== ENVELOPED && !C14N.includes(a)) throw SamlErrors.invalid('a signature transform is not supported');
    }
  }
}

/**
 * The canonical XML of `signed` (the Response or the Assertion) as its enveloped `signature`
 * digests it, once that signature verifies with one of `keys`; else a refusal. `xml` is the whole
 * message `signed` was parsed from: xml-crypto resolves the reference in it.
 */
export function verifyEnvelopedSignature(xml: string, signed: XElement, signature: XElement, keys: readonly KeyObject[]): string {
  checkForm(signed, signature);
  for (const key of keys) {
    const sig = new SignedXml({ publicCert: key, getCertFromKeyInfo: () => null });
    sig.SignatureAlgorithms = only(sig.SignatureAlgorithms, SIGNATURE_METHODS);
    sig.HashAlgorithms = only(sig.HashAlgorithms, DIGEST_METHODS);
    sig.CanonicalizationAlgorithms = only(sig.CanonicalizationAlgorithms, [...C14N, ENVELOPED]);
    try {
      sig.loadSignature(signature);
      if (!sig.checkSignature(xml)) continue;
    } catch {
      // A wrong key, a broken signature value, a duplicated ID: this key does not verify it.
      continue;
    }
    const refs = sig.getSignedReferences();
    if (refs.length === 1 && refs[0] !== undefined) return refs[0];
  }
  throw SamlErrors.invalid(`the signature of the ${signed.localName} does not verify with the IdP's certificate`);
}
