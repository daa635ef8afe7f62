// A SAML 2.0 Response (HTTP-POST binding, base64) as AssumeRoleWithSAML takes it: one assertion,
// signed by the IdP (itself or through the Response around it), issued by the IdP the provider's
// metadata names, for Alibaba Cloud's role-based SSO endpoint and audience, and current. Pure:
// the time is given, nothing is fetched or stored.
import { parseIsoTime } from '../../model/index.js';
import { SamlErrors } from './errors.js';
import type { IdpMetadata } from './metadata.js';
import { verifyEnvelopedSignature } from './signature.js';
import { attr, base64Utf8, children, descendants, NS, parseStrictXml, textOf, XmlRefused, type XElement } from './xml.js';

/** What a service provider accepts: Alibaba Cloud's role-based SSO, on either site. */
export interface ServiceProvider {
  /** SubjectConfirmationData Recipient: the ACS URLs, compared without regard to case. */
  recipients: readonly string[];
  /** Audience: the SP entity IDs. */
  audiences: readonly string[];
  /** How far the IdP's clock may be from ours. */
  skewMs: number;
}

/**
 * Alibaba Cloud's role-based SSO SP (signin.aliyun.com/saml-role/sp-metadata.xml and its
 * international twin): ACS https://signin.aliyun.com/saml-role/sso, entity
 * urn:alibaba:cloudcomputing; https://signin.alibabacloud.com/saml-role/sso,
 * urn:alibaba:cloudcomputing:international. An IdP configured for either site works unchanged.
 * The API reference's own example Recipient ends in /SSO, hence no regard to case [U]. The skew
 * allowed is ours [U].
 */
export const ALIBABA_CLOUD_SP: ServiceProvider = {
  recipients: ['https://signin.aliyun.com/saml-role/sso', 'https://signin.alibabacloud.com/saml-role/sso'],
  audiences: ['urn:alibaba:cloudcomputing', 'urn:alibaba:cloudcomputing:international'],
  skewMs: 60_000,
};

export interface VerifiedAssertion {
  /** The assertion's Issuer: the metadata's entityID. */
  issuer: string;
  /** Subject/NameID. */
  subject: string;
  /** NameID's Format, without urn:oasis:names:tc:SAML:2.0:nameid-format: (as SAMLAssertionInfo gives it). */
  subjectType: string;
  /** SubjectConfirmationData's Recipient, as written. */
  recipient: string;
  /** Every attribute of the assertion by Name, values in order. */
  attributes: ReadonlyMap<string, readonly string[]>;
  /** The earliest AuthnStatement SessionNotOnOrAfter, when given: the IdP's session ends then. */
  sessionNotOnOrAfter?: number;
  /** The Assertion's ID, and when it stops being good (its bearer confirmation's NotOnOrAfter, or its Conditions' if earlier). */
  id: string;
  notOnOrAfter: number;
}

const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const NAMEID_PREFIX = 'urn:oasis:names:tc:SAML:2.0:nameid-format:';

function parse(text: string): XElement {
  try {
    return parseStrictXml(text);
  } catch (e) {
    if (e instanceof XmlRefused) throw SamlErrors.invalid(e.message);
    throw e;
  }
}

function one(parent: XElement, ns: string, local: string, what = local): XElement {
  const found = children(parent, ns, local);
  if (found.length !== 1 || found[0] === undefined) throw SamlErrors.invalid(`the ${parent.localName} must have exactly one ${what}`);
  return found[0];
}

/** An xs:dateTime in UTC (SAML core §1.3.3), or a refusal. */
function time(el: XElement, name: string, required: boolean): number | undefined {
  const raw = attr(el, name);
  if (raw === undefined) {
    if (required) throw SamlErrors.invalid(`${el.localName} has no ${name}`);
    return undefined;
  }
  const ms = parseIsoTime(raw);
  if (ms === undefined) throw SamlErrors.invalid(`${el.localName} ${name} is not a UTC date and time`);
  return ms;
}

/** The validity window of `el` (NotBefore, NotOnOrAfter) against now, with the skew allowed. */
function checkWindow(el: XElement, nowMs: number, skewMs: number, notOnOrAfterRequired: boolean): void {
  const notBefore = time(el, 'NotBefore', false);
  if (notBefore !== undefined && nowMs + skewMs < notBefore) throw SamlErrors.invalid(`${el.localName} is not valid yet (NotBefore)`);
  const notOnOrAfter = time(el, 'NotOnOrAfter', notOnOrAfterRequired);
  if (notOnOrAfter !== undefined && nowMs - skewMs >= notOnOrAfter) throw SamlErrors.expired(`${el.localName} NotOnOrAfter has passed`);
}

/**
 * The assertion to read, from what the signatures cover only. A signature of the assertion
 * gives the assertion as signed; else a signature of the Response gives the Response as signed,
 * and the one assertion in it. The message itself is consulted only to find the signatures and
 * to refuse what is ambiguous: more than one assertion, a signature anywhere else.
 */
function signedAssertion(xml: string, response: XElement, keys: IdpMetadata['signingKeys']): XElement {
  if (descendants(response, NS.assertion, 'EncryptedAssertion').length > 0 || descendants(response, NS.assertion, 'EncryptedID').length > 0) {
    throw SamlErrors.encrypted();
  }
  const assertions = descendants(response, NS.assertion, 'Assertion');
  const assertion = assertions[0];
  if (assertions.length !== 1 || assertion === undefined || assertion.parentNode !== response) {
    throw SamlErrors.invalid('the Response must contain exactly one Assertion');
  }
  const onAssertion = children(assertion, NS.dsig, 'Signature');
  const onResponse = children(response, NS.dsig, 'Signature');
  if (onAssertion.length > 1 || onResponse.length > 1) throw SamlErrors.invalid('an element carries more than one Signature');
  if (descendants(response, NS.dsig, 'Signature').length !== onAssertion.length + onResponse.length) {
    throw SamlErrors.invalid('a Signature is where no signature is read');
  }
  if (onAssertion.length + onResponse.length === 0) throw SamlErrors.invalid('the Assertion is not signed');

  const assertionId = attr(assertion, 'ID');
  // Every signature present must verify: a Response whose signature fails is not half-trusted.
  let fromResponse: XElement | undefined;
  const responseSignature = onResponse[0];
  if (responseSignature !== undefined) {
    const signedResponse = parse(verifyEnvelopedSignature(xml, response, responseSignature, keys));
    if (signedResponse.namespaceURI !== NS.protocol || signedResponse.localName !== 'Response' || attr(signedResponse, 'ID') !== attr(response, 'ID')) {
      throw SamlErrors.invalid('the signed content is not this Response');
    }
    const inside = descendants(signedResponse, NS.assertion, 'Assertion');
    fromResponse = inside[0];
    if (inside.length !== 1 || fromResponse === undefined || attr(fromResponse, 'ID') !== assertionId) {
      throw SamlErrors.invalid('the signed Response does not contain this Assertion');
    }
  }
  const assertionSignature = onAssertion[0];
  if (assertionSignature !== undefined) {
    const signed = parse(verifyEnvelopedSignature(xml, assertion, assertionSignature, keys));
    if (signed.namespaceURI !== NS.assertion || signed.localName !== 'Assertion' || attr(signed, 'ID') !== assertionId) {
      throw SamlErrors.invalid('the signed content is not this Assertion');
    }
    return signed;
  }
  if (fromResponse === undefined) throw SamlErrors.invalid('the Assertion is not signed');
  return fromResponse;
}

function attributesOf(assertion: XElement): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const statement of children(assertion, NS.assertion, 'AttributeStatement')) {
    if (children(statement, NS.assertion, 'EncryptedAttribute').length > 0) throw SamlErrors.encrypted();
    for (const attribute of children(statement, NS.assertion, 'Attribute')) {
      const name = attr(attribute, 'Name') ?? '';
      const values = children(attribute, NS.assertion, 'AttributeValue').map(textOf);
      out.set(name, [...(out.get(name) ?? []), ...values]);
    }
  }
  return out;
}

/**
 * Verifies a base64 SAML Response against the IdP's metadata and returns what its signed
 * assertion says; refuses (with the real STS codes) anything else.
 */
export function verifySamlResponse(encoded: string, idp: IdpMetadata, nowMs: number, sp: ServiceProvider = ALIBABA_CLOUD_SP): VerifiedAssertion {
  const xml = base64Utf8(encoded);
  if (xml === undefined) throw SamlErrors.undecodable('it is not base64 of UTF-8 text');
  const response = parse(xml);
  if (response.namespaceURI !== NS.protocol || response.localName !== 'Response') {
    throw SamlErrors.invalid('a complete SAML Response (samlp:Response) is required');
  }
  if (attr(response, 'Version') !== '2.0') throw SamlErrors.invalid('the Response is not SAML 2.0');
  // The status is the IdP's word on the login; unsigned, it can only make us refuse.
  const status = one(one(response, NS.protocol, 'Status'), NS.protocol, 'StatusCode');
  if (attr(status, 'Value') !== SUCCESS) throw SamlErrors.invalid('the Response status is not Success');
  // A Response that names where it is going (SAML bindings §3.5.5.2) must be going here.
  const destination = attr(response, 'Destination');
  if (destination !== undefined && !sp.recipients.includes(destination.toLowerCase())) throw SamlErrors.invalid('the Response Destination is not the role-based SSO endpoint');
  const responseIssuer = children(response, NS.assertion, 'Issuer')[0];
  if (responseIssuer !== undefined && textOf(responseIssuer) !== idp.entityId) throw SamlErrors.invalid('the Response Issuer is not the IdP of this SAML provider');

  // From here on, only the signed assertion is read.
  const assertion = signedAssertion(xml, response, idp.signingKeys);
  if (attr(assertion, 'Version') !== '2.0') throw SamlErrors.invalid('the Assertion is not SAML 2.0');
  const issuer = textOf(one(assertion, NS.assertion, 'Issuer'));
  if (issuer !== idp.entityId) throw SamlErrors.invalid('the Assertion Issuer is not the entityID of this SAML provider');

  const subject = one(assertion, NS.assertion, 'Subject');
  const nameId = one(subject, NS.assertion, 'NameID');
  const confirmation = one(subject, NS.assertion, 'SubjectConfirmation');
  if (attr(confirmation, 'Method') !== BEARER) throw SamlErrors.invalid('the SubjectConfirmation Method is not bearer');
  const data = one(confirmation, NS.assertion, 'SubjectConfirmationData');
  const recipient = attr(data, 'Recipient') ?? '';
  if (!sp.recipients.includes(recipient.toLowerCase())) throw SamlErrors.invalid('the SubjectConfirmationData Recipient is not the role-based SSO endpoint');
  checkWindow(data, nowMs, sp.skewMs, true);

  const conditions = one(assertion, NS.assertion, 'Conditions');
  checkWindow(conditions, nowMs, sp.skewMs, false);
  const notOnOrAfter = Math.min(time(data, 'NotOnOrAfter', true) ?? nowMs, time(conditions, 'NotOnOrAfter', false) ?? Infinity);
  const restrictions = children(conditions, NS.assertion, 'AudienceRestriction');
  if (restrictions.length === 0) throw SamlErrors.invalid('the Conditions have no AudienceRestriction');
  // Several restrictions must all hold; within one, any Audience will do (SAML core §2.5.1.4).
  for (const r of restrictions) {
    if (!children(r, NS.assertion, 'Audience').some((a) => sp.audiences.includes(textOf(a)))) {
      throw SamlErrors.invalid('the AudienceRestriction does not name Alibaba Cloud');
    }
  }

  let sessionNotOnOrAfter: number | undefined;
  for (const authn of children(assertion, NS.assertion, 'AuthnStatement')) {
    const t = time(authn, 'SessionNotOnOrAfter', false);
    if (t !== undefined) sessionNotOnOrAfter = Math.min(t, sessionNotOnOrAfter ?? Infinity);
  }
  if (sessionNotOnOrAfter !== undefined && sessionNotOnOrAfter <= nowMs) throw SamlErrors.expired('the AuthnStatement SessionNotOnOrAfter has passed');

  const format = attr(nameId, 'Format') ?? '';
  return {
    issuer,
    subject: textOf(nameId),
    subjectType: format.startsWith(NAMEID_PREFIX) ? format.slice(NAMEID_PREFIX.length) : format,
    recipient,
    attributes: attributesOf(assertion),
    ...(sessionNotOnOrAfter !== undefined ? { sessionNotOnOrAfter } : {}),
    id: attr(assertion, 'ID') ?? '',
    notOnOrAfter,
  };
}
