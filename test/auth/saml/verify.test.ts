// The SAML checks as pure functions, on a clock the test sets: the validity windows at their
// edges, what metadata yields a key, how the role attributes read.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../../../src/model/index.js';
import { ALIBABA_CLOUD_SP, parseIdpMetadata, readRoleAttributes, verifySamlResponse } from '../../../src/auth/saml/index.js';
import { assertionXml, base64, createIdp, encodedMetadata, responseXml, signedResponse, signElement } from '../../sdk/saml-idp.js';

const ENTITY = 'https://idp.example.com';
const idp = createIdp(ENTITY);
const metadata = parseIdpMetadata(encodedMetadata(ENTITY, [{ base64: idp.certBase64, use: 'signing' }]));
const issuedAt = new Date('2026-03-01T10:00:00Z');
const spec = { issuer: ENTITY, now: issuedAt, validSeconds: 300, roles: ['acs:ram::1:role/r,acs:ram::1:saml-provider/p'], sessionName: 'alice' };

const code = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof ApiError) return e.code;
    throw e;
  }
  return 'accepted';
};

describe('verifySamlResponse', () => {
  const signed = base64(signedResponse(spec, idp));
  const at = (ms: number) => code(() => verifySamlResponse(signed, metadata, ms));

  test('reads the signed assertion', () => {
    const v = verifySamlResponse(signed, metadata, issuedAt.getTime());
    assert.equal(v.issuer, ENTITY);
    assert.equal(v.subject, 'alice@example.com');
    assert.equal(v.subjectType, 'persistent');
    assert.equal(v.recipient, 'https://signin.aliyun.com/saml-role/sso');
    assert.deepEqual(v.attributes.get('https://www.aliyun.com/SAML-Role/Attributes/RoleSessionName'), ['alice']);
  });

  test('valid from NotBefore (less the skew) until NotOnOrAfter (plus the skew), not a millisecond more', () => {
    const notBefore = issuedAt.getTime() - 5000;
    const notOnOrAfter = issuedAt.getTime() + 300_000;
    const skew = ALIBABA_CLOUD_SP.skewMs;
    assert.equal(at(notBefore - skew), 'accepted');
    assert.equal(at(notBefore - skew - 1), 'AuthenticationFail.SAMLAssertion.Invalid');
    assert.equal(at(notOnOrAfter + skew - 1), 'accepted');
    assert.equal(at(notOnOrAfter + skew), 'AuthenticationFail.SAMLAssertion.Expired');
  });

  test('a NameID format outside SAML 2.0 is given whole; the time stamps must be UTC', () => {
    const email = base64(signedResponse({ ...spec, nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress' }, idp));
    assert.equal(verifySamlResponse(email, metadata, issuedAt.getTime()).subjectType, 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress');
    // A time with an offset is not UTC as SAML writes it, signed or not.
    const offset = assertionXml(spec).replace(/NotOnOrAfter="([^"]+)Z"/, 'NotOnOrAfter="$1+08:00"');
    assert.ok(offset.includes('+08:00'));
    const xml = responseXml(spec, [signElement(offset, 'Assertion', idp)]);
    assert.equal(code(() => verifySamlResponse(base64(xml), metadata, issuedAt.getTime())), 'AuthenticationFail.SAMLAssertion.Invalid');
  });

  test('a signature elsewhere than on the Response or its Assertion is refused', () => {
    const extra = signElement(assertionXml(spec), 'Assertion', idp);
    const sig = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(extra)?.[0] ?? '';
    const xml = responseXml(spec, [extra]).replace('<saml2p:Status>', `<saml2p:Extensions>${sig}</saml2p:Extensions><saml2p:Status>`);
    assert.equal(code(() => verifySamlResponse(base64(xml), metadata, issuedAt.getTime())), 'AuthenticationFail.SAMLAssertion.Invalid');
  });
});

describe('parseStrictXml bounds', () => {
  test('deep nesting is refused before anything recurses over it', () => {
    const deep = `<saml2p:Response xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" Version="2.0">${'<a>'.repeat(20_000)}${'</a>'.repeat(20_000)}</saml2p:Response>`;
    assert.equal(code(() => verifySamlResponse(base64(deep), metadata, issuedAt.getTime())), 'AuthenticationFail.SAMLAssertion.Invalid');
  });
});

describe('parseIdpMetadata', () => {
  test('signing keys: use="signing" or no use; never an encryption key', () => {
    assert.equal(parseIdpMetadata(encodedMetadata(ENTITY, [{ base64: idp.certBase64 }])).signingKeys.length, 1);
    assert.equal(code(() => parseIdpMetadata(encodedMetadata(ENTITY, [{ base64: idp.certBase64, use: 'encryption' }]))), 'AuthenticationFail.IDPMetadata.Invalid');
  });

  test('one EntityDescriptor with an entityID, no DTD, base64 of XML', () => {
    const aggregate = base64(`<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"/>`);
    assert.equal(code(() => parseIdpMetadata(aggregate)), 'AuthenticationFail.IDPMetadata.Invalid');
    const noId = Buffer.from(Buffer.from(encodedMetadata(ENTITY, [{ base64: idp.certBase64 }]), 'base64').toString().replace(`entityID="${ENTITY}"`, '')).toString('base64');
    assert.equal(code(() => parseIdpMetadata(noId)), 'AuthenticationFail.IDPMetadata.Invalid');
    const dtd = Buffer.from(`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${Buffer.from(encodedMetadata(ENTITY, [{ base64: idp.certBase64 }]), 'base64').toString().replace(/^<\?xml[^>]*\?>/, '')}`).toString('base64');
    assert.equal(code(() => parseIdpMetadata(dtd)), 'AuthenticationFail.IDPMetadata.Invalid');
    assert.equal(code(() => parseIdpMetadata('not metadata')), 'AuthenticationFail.IDPMetadata.Invalid');
  });
});

describe('readRoleAttributes', () => {
  const attrs = (m: Record<string, string[]>) => new Map(Object.entries(m));
  const ROLE = 'https://www.aliyun.com/SAML-Role/Attributes/Role';
  const NAME = 'https://www.aliyun.com/SAML-Role/Attributes/RoleSessionName';
  const DURATION = 'https://www.aliyun.com/SAML-Role/Attributes/SessionDuration';

  test('pairs in either order, spaces ignored, malformed values entitling to nothing', () => {
    const r = readRoleAttributes(
      attrs({ [ROLE]: ['acs:ram::1:role/a,acs:ram::1:saml-provider/p', 'acs:ram::1:saml-provider/p , acs:ram::1:role/b', 'acs:ram::1:role/c', 'x,y'], [NAME]: ['alice'] }),
    );
    assert.deepEqual(r.roles, [
      { roleArn: 'acs:ram::1:role/a', providerArn: 'acs:ram::1:saml-provider/p' },
      { roleArn: 'acs:ram::1:role/b', providerArn: 'acs:ram::1:saml-provider/p' },
    ]);
    assert.equal(r.sessionDuration, undefined);
  });

  test('SessionDuration: one whole number of seconds, at least 900', () => {
    const base = { [ROLE]: ['acs:ram::1:role/a,acs:ram::1:saml-provider/p'], [NAME]: ['alice'] };
    assert.equal(readRoleAttributes(attrs({ ...base, [DURATION]: ['900'] })).sessionDuration, 900);
    for (const bad of [['899'], ['1800.5'], ['-1'], ['900', '1800']]) {
      assert.equal(code(() => readRoleAttributes(attrs({ ...base, [DURATION]: bad }))), 'AuthenticationFail.SAMLAssertion.Invalid', bad.join());
    }
    assert.equal(code(() => readRoleAttributes(attrs({ ...base, [NAME]: ['a', 'b'] }))), 'AuthenticationFail.SAMLAssertion.Invalid');
    assert.equal(code(() => readRoleAttributes(attrs({ ...base, [NAME]: ['x'] }))), 'InvalidParameter.RoleSessionName');
  });
});
