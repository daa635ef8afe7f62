// AssumeRoleWithSAML through the unmodified @alicloud/sts20150401, called anonymously as the SDK
// calls it: a SAML provider (made in the store: the IMS actions are another change), roles that
// trust it, and Responses from a test IdP — valid ones, and every way one can be forged, stale,
// misdirected or refused.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { ramClient, ramError, type RamCall } from './ram-client.js';
import {
  assertionXml,
  base64,
  createIdp,
  encodedMetadata,
  responseXml,
  ROLE_SSO_ACS,
  ROLE_SSO_ACS_INTL,
  signedResponse,
  signElement,
  type Idp,
  type ResponseSpec,
} from './saml-idp.js';
import { sessionOf, stsV3 } from './sts-client.js';

const require = createRequire(import.meta.url);
const StsModule = require('@alicloud/sts20150401') as Record<string, unknown> & { default: new (config: unknown) => Record<string, (req?: unknown) => Promise<{ body: { toMap(): Record<string, unknown> } }>> };
const OpenApi = require('@alicloud/openapi-client') as { Config: new (fields: Record<string, unknown>) => unknown };

const ACCOUNT = ROOT.accountId;
const providerArn = (name: string) => `acs:ram::${ACCOUNT}:saml-provider/${name}`;
const roleArn = (name: string) => `acs:ram::${ACCOUNT}:role/${name}`;
const pair = (role: string, provider = 'corp-idp') => `${roleArn(role)},${providerArn(provider)}`;

interface SamlCall {
  SAMLProviderArn?: string;
  RoleArn?: string;
  SAMLAssertion?: string;
  DurationSeconds?: number;
  Policy?: string;
}

/** The SDK with no credentials at all: AssumeRoleWithSAML is an anonymous call (authType Anonymous). */
function assumeRoleWithSAML(apiHost: string, p: SamlCall): Promise<Record<string, unknown>> {
  const client = new StsModule.default(new OpenApi.Config({ endpoint: apiHost, protocol: 'http' }));
  const Request = StsModule['AssumeRoleWithSAMLRequest'] as new (fields: Record<string, unknown>) => unknown;
  const fields = { SAMLProviderArn: p.SAMLProviderArn, roleArn: p.RoleArn, SAMLAssertion: p.SAMLAssertion, durationSeconds: p.DurationSeconds, policy: p.Policy };
  return client['assumeRoleWithSAML']!(new Request(fields)).then((r) => r.body.toMap());
}

const trust = (providers: string[], recipient: string | undefined = ROLE_SSO_ACS) =>
  JSON.stringify({
    Version: '1',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { Federated: providers },
        ...(recipient !== undefined ? { Condition: { StringEquals: { 'saml:recipient': recipient } } } : {}),
      },
    ],
  });

let server: TestServer;
let root: RamCall;
let idp: Idp;
/** Another key claiming to be the same IdP. */
let impostor: Idp;
/** A second, genuine IdP of another provider. */
let otherIdp: Idp;
/** The IdP's next certificate, published beside the current one (key rotation). */
let rotated: Idp;

const ENTITY = 'https://idp.example.com/saml/metadata';
const spec = (over: Partial<ResponseSpec> = {}): ResponseSpec => ({ issuer: ENTITY, roles: [pair('saml-reader')], sessionName: 'alice.sso', ...over });

async function call(assertion: string, over: SamlCall = {}): Promise<Record<string, unknown>> {
  return assumeRoleWithSAML(server.apiHost, { SAMLProviderArn: providerArn('corp-idp'), RoleArn: roleArn('saml-reader'), SAMLAssertion: assertion, ...over });
}

async function refused(assertion: string, over: SamlCall = {}): Promise<{ code: string | undefined; status: number | undefined; message: string }> {
  const e = await ramError(call(assertion, over));
  return { code: e.code, status: e.statusCode, message: String(e.data?.['Message'] ?? '') };
}

async function provider(name: string, metadata: string): Promise<void> {
  const now = new Date();
  await server.store.federation.createSamlProvider({ accountId: ACCOUNT, name, encodedMetadata: metadata, description: '', createdAt: now, updatedAt: now });
}

before(async () => {
  server = await startTestServer({ assumeRoleRate: 0 });
  root = ramClient(server.apiHost, ROOT);
  idp = createIdp(ENTITY);
  impostor = createIdp(ENTITY);
  otherIdp = createIdp('https://other-idp.example.org');
  rotated = createIdp(ENTITY);
  await provider('corp-idp', encodedMetadata(ENTITY, [{ base64: idp.certBase64, use: 'signing' }, { base64: rotated.certBase64 }, { base64: impostor.certBase64, use: 'encryption' }]));
  await provider('other-idp', encodedMetadata(otherIdp.entityId, [{ base64: otherIdp.certBase64, use: 'signing' }]));
  await provider('broken-idp', base64('<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>'));

  await root('CreateRole', { RoleName: 'saml-reader', AssumeRolePolicyDocument: trust([providerArn('corp-idp')]), MaxSessionDuration: 7200 });
  await root('AttachPolicyToRole', { RoleName: 'saml-reader', PolicyType: 'System', PolicyName: 'AliyunRAMReadOnlyAccess' });
  await root('CreateRole', { RoleName: 'saml-other', AssumeRolePolicyDocument: trust([providerArn('other-idp')]) });
  await root('CreateRole', { RoleName: 'saml-intl', AssumeRolePolicyDocument: trust([providerArn('corp-idp')], ROLE_SSO_ACS_INTL) });
  await root('CreateRole', { RoleName: 'saml-revoked', AssumeRolePolicyDocument: trust([providerArn('corp-idp')]) });
});
after(() => server.stop());

describe('AssumeRoleWithSAML: a valid assertion', () => {
  test('answers as the real service does; the session signs GetCallerIdentity and acts with the role', async () => {
    const assertion = base64(signedResponse(spec(), idp));
    const body = await call(assertion);
    assert.deepEqual(Object.keys(body).sort(), ['AssumedRoleUser', 'Credentials', 'RequestId', 'SAMLAssertionInfo']);
    assert.deepEqual(body['SAMLAssertionInfo'], { SubjectType: 'persistent', Subject: 'alice@example.com', Recipient: ROLE_SSO_ACS, Issuer: ENTITY });
    const role = (await root('GetRole', { RoleName: 'saml-reader' }))['Role'] as Record<string, string>;
    const s = sessionOf(body);
    assert.deepEqual(s.assumedRoleUser, { Arn: `acs:ram::${ACCOUNT}:assumed-role/saml-reader/alice.sso`, AssumedRoleId: `${role['RoleId']}:alice.sso` });
    assert.match(s.accessKeyId, /^STS\.[A-Za-z0-9]{25}$/);
    const lifetime = Date.parse(s.expiration) - Date.now();
    assert.ok(lifetime > 3590_000 && lifetime <= 3600_000, `default duration 3600 s, got ${lifetime}`);

    const me = await stsV3(server.apiHost, s).whoAmI();
    assert.equal(me['Arn'], `acs:ram::${ACCOUNT}:assumed-role/saml-reader/alice.sso`);
    assert.equal(me['IdentityType'], 'AssumedRoleUser');
    await ramClient(server.apiHost, s)('ListUsers');
    assert.equal((await ramError(ramClient(server.apiHost, s)('CreateUser', { UserName: 'nope' }))).code, 'NoPermission');

    // The event is the role's account's; it names the subject and never holds the assertion.
    const event = server.audited.find((r) => r.eventName === 'AssumeRoleWithSAML' && r.errorCode === undefined);
    assert.ok(event, 'the call is audited');
    assert.equal(event.caller.type, 'Anonymous');
    assert.equal(event.resource, roleArn('saml-reader'));
    assert.equal(event.requestParameters['RoleArn'], roleArn('saml-reader'));
    assert.equal(event.requestParameters['SAMLAssertion'], undefined);
    assert.equal((event.responseElements as { SAMLAssertionInfo: { Subject: string } }).SAMLAssertionInfo.Subject, 'alice@example.com');
    const everything = JSON.stringify(server.audited);
    assert.ok(!everything.includes(assertion.slice(100, 160)), 'no part of the assertion is in the audit trail');
    assert.ok(!everything.includes(s.securityToken ?? '-'), 'nor the security token');
  });

  test('an assertion is exchanged once: the same one again is refused, a new one of the same sign-in is not', async () => {
    const assertion = base64(signedResponse(spec(), idp));
    assert.ok((await call(assertion))['Credentials']);
    const again = await refused(assertion);
    assert.deepEqual([again.code, again.status], ['AuthenticationFail.SAMLAssertion.Invalid', 401]);
    assert.match(again.message, /exchanged already/);
    assert.ok((await call(base64(signedResponse(spec(), idp))))['Credentials']);
  });

  test('a Response signed as a whole (assertion unsigned), or both signed, is as good', async () => {
    const responseSigned = signElement(responseXml(spec(), [assertionXml(spec())]), 'Response', idp);
    assert.equal((await call(base64(responseSigned)))['AssumedRoleUser'] !== undefined, true);
    const both = signElement(responseXml(spec(), [signElement(assertionXml(spec()), 'Assertion', idp)]), 'Response', idp);
    assert.equal((await call(base64(both)))['AssumedRoleUser'] !== undefined, true);
  });

  test('a certificate the metadata lists beside the first (rotation) verifies too; base64 may be wrapped', async () => {
    const wrapped = base64(signedResponse(spec(), rotated)).replace(/.{76}/g, '$&\n');
    assert.ok((await call(wrapped))['Credentials']);
  });

  test('a large assertion (the SDK puts it in the query string) up to the documented 100,000 characters', async () => {
    const many = (n: number) => [pair('saml-reader'), ...Array.from({ length: n }, (_, i) => pair(`team-role-${i}`))];
    const large = base64(signedResponse(spec({ roles: many(250) }), idp));
    assert.ok(large.length > 80_000 && large.length <= 100_000, `${large.length}`);
    assert.ok((await call(large))['Credentials']);
    const tooLarge = base64(signedResponse(spec({ roles: many(320) }), idp));
    assert.ok(tooLarge.length > 100_000);
    const r = await refused(tooLarge);
    assert.deepEqual([r.code, r.status], ['InvalidParameter.SAMLAssertion', 400]);
  });

  test('the international endpoint and audience are accepted, and saml:recipient carries what the assertion said', async () => {
    const intl = spec({ roles: [pair('saml-intl')], recipient: ROLE_SSO_ACS_INTL, audience: 'urn:alibaba:cloudcomputing:international' });
    const body = await call(base64(signedResponse(intl, idp)), { RoleArn: roleArn('saml-intl') });
    assert.equal((body['SAMLAssertionInfo'] as Record<string, string>)['Recipient'], ROLE_SSO_ACS_INTL);
    // The China-site recipient does not meet this role's condition.
    const china = spec({ roles: [pair('saml-intl')] });
    const no = await refused(base64(signedResponse(china, idp)), { RoleArn: roleArn('saml-intl') });
    assert.deepEqual([no.code, no.status], ['NoPermission', 403]);
  });

  test('duration: DurationSeconds up to the role maximum, capped by SessionDuration and by the IdP session', async () => {
    const long = sessionOf(await call(base64(signedResponse(spec(), idp)), { DurationSeconds: 7200 }));
    assert.ok(Date.parse(long.expiration) - Date.now() > 7190_000);
    const tooLong = await refused(base64(signedResponse(spec(), idp)), { DurationSeconds: 7201 });
    assert.deepEqual([tooLong.code, tooLong.status], ['InvalidParameter.DurationSeconds', 400]);
    const short = await refused(base64(signedResponse(spec(), idp)), { DurationSeconds: 899 });
    assert.equal(short.code, 'InvalidParameter.DurationSeconds');

    const attr = sessionOf(await call(base64(signedResponse(spec({ sessionDuration: '1800' }), idp))));
    const attrLife = Date.parse(attr.expiration) - Date.now();
    assert.ok(attrLife > 1790_000 && attrLife <= 1800_000, `SessionDuration 1800, got ${attrLife}`);
    const capped = sessionOf(await call(base64(signedResponse(spec({ sessionDuration: '1800' }), idp)), { DurationSeconds: 3600 }));
    assert.ok(Date.parse(capped.expiration) - Date.now() <= 1800_000);
    const overRole = await refused(base64(signedResponse(spec({ sessionDuration: '7201' }), idp)));
    assert.equal(overRole.code, 'InvalidParameter.DurationSeconds');

    const idpEnds = new Date(Date.now() + 1000_000);
    const bounded = sessionOf(await call(base64(signedResponse(spec({ sessionNotOnOrAfter: idpEnds }), idp))));
    assert.ok(Math.abs(Date.parse(bounded.expiration) - idpEnds.getTime()) < 2000, 'the session ends with the IdP session');
  });

  test('a session policy narrows the session', async () => {
    const policy = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ram:GetRole', Resource: '*' }] });
    const s = sessionOf(await call(base64(signedResponse(spec(), idp)), { Policy: policy }));
    await ramClient(server.apiHost, s)('GetRole', { RoleName: 'saml-reader' });
    assert.equal((await ramError(ramClient(server.apiHost, s)('ListUsers'))).code, 'NoPermission');
    assert.equal((await refused(base64(signedResponse(spec(), idp)), { Policy: '{"Version":"1"}' })).code, 'InvalidParameter.PolicyGrammar');
  });

  test('the session ends when the trust policy stops admitting what it was admitted on', async () => {
    const s = sessionOf(await call(base64(signedResponse(spec({ roles: [pair('saml-revoked')] }), idp)), { RoleArn: roleArn('saml-revoked') }));
    await stsV3(server.apiHost, s).whoAmI();
    await root('UpdateRole', { RoleName: 'saml-revoked', NewAssumeRolePolicyDocument: trust([providerArn('corp-idp')], ROLE_SSO_ACS_INTL) });
    assert.equal((await ramError(stsV3(server.apiHost, s).whoAmI())).code, 'InvalidSecurityToken.Expired');
  });
});

describe('AssumeRoleWithSAML: assertions that are not to be believed', () => {
  const INVALID = ['AuthenticationFail.SAMLAssertion.Invalid', 401];

  test('a bad signature value', async () => {
    const xml = signedResponse(spec(), idp).replace(/<ds:SignatureValue>(.)/, (_m, c: string) => `<ds:SignatureValue>${c === 'A' ? 'B' : 'A'}`);
    const r = await refused(base64(xml));
    assert.deepEqual([r.code, r.status], INVALID);
    assert.match(r.message, /does not verify/);
  });

  test('an attribute changed after signing', async () => {
    const xml = signedResponse(spec(), idp).replace('>alice.sso<', '>mallory<');
    assert.ok(xml.includes('>mallory<'));
    const changed = await refused(base64(xml));
    assert.deepEqual([changed.code, changed.status], INVALID);
    assert.match(changed.message, /does not verify/);
    const role = signedResponse(spec(), idp).replace(pair('saml-reader'), pair('saml-other'));
    assert.deepEqual(Object.values(await refused(base64(role), { RoleArn: roleArn('saml-other') })).slice(0, 2), INVALID);
  });

  test('signature wrapping: a second, unsigned assertion beside or around the signed one', async () => {
    const signed = signElement(assertionXml(spec({ sessionName: 'alice.sso' })), 'Assertion', idp);
    const evil = assertionXml(spec({ sessionName: 'mallory', nameId: 'mallory@example.com' }));
    for (const assertions of [[evil, signed], [signed, evil]]) {
      const r = await refused(base64(responseXml(spec(), assertions)));
      assert.deepEqual([r.code, r.status], INVALID);
      assert.match(r.message, /exactly one Assertion/);
    }
    // The evil assertion takes the signed one's ID; the signed one hides inside it.
    const id = /ID="([^"]+)"/.exec(signed)?.[1] ?? '';
    const evilSameId = assertionXml(spec({ sessionName: 'mallory', assertionId: id })).replace('</saml2:Assertion>', `<saml2:Advice>${signed}</saml2:Advice></saml2:Assertion>`);
    assert.deepEqual(Object.values(await refused(base64(responseXml(spec(), [evilSameId])))).slice(0, 2), INVALID);
    // A signed Response moved inside an unsigned one.
    const signedResp = signElement(responseXml(spec(), [assertionXml(spec())]), 'Response', idp).replace(/^<\?xml[^>]*\?>/, '');
    const outer = responseXml(spec(), [assertionXml(spec({ sessionName: 'mallory' }))]).replace('<saml2p:Status>', `<saml2p:Extensions>${signedResp}</saml2p:Extensions><saml2p:Status>`);
    assert.deepEqual(Object.values(await refused(base64(outer))).slice(0, 2), INVALID);
  });

  test('no signature at all, or one by another key', async () => {
    const unsigned = await refused(base64(responseXml(spec(), [assertionXml(spec())])));
    assert.deepEqual([unsigned.code, unsigned.status], INVALID);
    assert.match(unsigned.message, /not signed/);
    // The impostor's certificate travels in KeyInfo; only the metadata's keys count. Its key is in the
    // metadata, but for encryption only.
    const forged = signedResponse(spec(), impostor);
    assert.ok(forged.includes(impostor.certBase64.slice(0, 40)));
    const byImpostor = await refused(base64(forged));
    assert.deepEqual([byImpostor.code, byImpostor.status], INVALID);
    assert.match(byImpostor.message, /does not verify/);
    // A genuine signature of another provider's IdP.
    const other = signedResponse(spec({ issuer: otherIdp.entityId }), otherIdp);
    assert.deepEqual(Object.values(await refused(base64(other))).slice(0, 2), INVALID);
  });

  test('SHA-1 signatures are refused', async () => {
    const r = await refused(base64(signedResponse(spec(), idp, 'sha1')));
    assert.deepEqual([r.code, r.status], INVALID);
    assert.match(r.message, /SHA-256/);
  });

  test('expired, or not valid yet', async () => {
    const stale = await refused(base64(signedResponse(spec({ now: new Date(Date.now() - 3600_000) }), idp)));
    assert.deepEqual([stale.code, stale.status], ['AuthenticationFail.SAMLAssertion.Expired', 401]);
    // The conditions still hold but the bearer confirmation ran out.
    const confirmation = await refused(base64(signedResponse(spec({ subjectValidSeconds: -120 }), idp)));
    assert.equal(confirmation.code, 'AuthenticationFail.SAMLAssertion.Expired');
    const idpSessionOver = await refused(base64(signedResponse(spec({ sessionNotOnOrAfter: new Date(Date.now() - 1000) }), idp)));
    assert.equal(idpSessionOver.code, 'AuthenticationFail.SAMLAssertion.Expired');
    const future = await refused(base64(signedResponse(spec({ now: new Date(Date.now() + 3600_000) }), idp)));
    assert.deepEqual([future.code, future.status], INVALID);
    // Within the skew allowed, a slightly fast IdP clock is fine.
    assert.ok((await call(base64(signedResponse(spec({ now: new Date(Date.now() + 30_000) }), idp))))['Credentials']);
  });

  test('for another recipient, another audience, from another issuer, or not a success', async () => {
    const cases: [Partial<ResponseSpec>, RegExp][] = [
      // User-based SSO's endpoint is not role-based SSO's.
      [{ recipient: 'https://signin.aliyun.com/saml/SSO', destination: ROLE_SSO_ACS }, /Recipient/],
      [{ recipient: 'https://sp.example.com/acs', destination: ROLE_SSO_ACS }, /Recipient/],
      [{ destination: 'https://sp.example.com/acs' }, /Destination/],
      [{ audience: 'https://sp.example.com' }, /AudienceRestriction/],
      [{ issuer: 'https://idp.evil.example', responseIssuer: ENTITY }, /Assertion Issuer/],
      [{ responseIssuer: 'https://idp.evil.example' }, /Response Issuer/],
      [{ status: 'urn:oasis:names:tc:SAML:2.0:status:Responder' }, /status/],
    ];
    for (const [over, why] of cases) {
      const r = await refused(base64(signedResponse(spec(over), idp)));
      assert.deepEqual([r.code, r.status], INVALID, JSON.stringify(over));
      assert.match(r.message, why);
    }
    // A Response need not name its Destination; when it does, it is the endpoint.
    assert.ok((await call(base64(signedResponse(spec({ destination: null }), idp))))['Credentials']);
  });

  test('DOCTYPE and entities are refused before anything is read (XXE)', async () => {
    const signed = signedResponse(spec(), idp);
    const body = signed.replace(/^<\?xml[^>]*\?>/, '');
    for (const dtd of ['<!DOCTYPE r [<!ENTITY x "alice.sso">]>', '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>', '<!DOCTYPE r SYSTEM "http://127.0.0.1:1/x.dtd">']) {
      const r = await refused(base64(`<?xml version="1.0"?>${dtd}${body.replace('>alice.sso<', '>&x;<')}`));
      assert.deepEqual([r.code, r.status], INVALID, dtd);
      assert.match(r.message, /DOCTYPE/);
      assert.ok(!r.message.includes('root:'), 'nothing of a file comes back');
    }
  });

  test('malformed input: not base64, not a Response, not well-formed, encrypted', async () => {
    const notBase64 = await refused('this is not base64!');
    assert.deepEqual([notBase64.code, notBase64.status], ['InvalidParameter.SAMLAssertion', 400]);
    const bareAssertion = await refused(base64(signElement(assertionXml(spec()), 'Assertion', idp)));
    assert.deepEqual([bareAssertion.code, bareAssertion.status], INVALID);
    const broken = await refused(base64('<saml2p:Response xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol"><a></saml2p:Response>'));
    assert.deepEqual([broken.code, broken.status], INVALID);
    const encrypted = responseXml(spec(), ['<saml2:EncryptedAssertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion"><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"/></saml2:EncryptedAssertion>']);
    const r = await refused(base64(encrypted));
    assert.deepEqual([r.code, r.status], ['NotImplemented', 501]);
  });
});

describe('AssumeRoleWithSAML: valid assertions that do not get this role', () => {
  test("the assertion's Role attribute does not pair this role with this provider", async () => {
    const elsewhere = await refused(base64(signedResponse(spec({ roles: [pair('saml-intl')] }), idp)));
    assert.deepEqual([elsewhere.code, elsewhere.status], ['NoPermission', 403]);
    const otherProvider = await refused(base64(signedResponse(spec({ roles: [pair('saml-reader', 'other-idp')] }), idp)));
    assert.equal(otherProvider.code, 'NoPermission');
    // Either order of the pair, and any of several values, is read.
    const reversed = `${providerArn('corp-idp')},${roleArn('saml-reader')}`;
    assert.ok((await call(base64(signedResponse(spec({ roles: [pair('saml-intl'), reversed] }), idp))))['Credentials']);
    const none = await refused(base64(signedResponse(spec({ roles: undefined }), idp)));
    assert.equal(none.code, 'AuthenticationFail.SAMLAssertion.Invalid');
  });

  test('RoleSessionName: required, and of the documented characters', async () => {
    const missing = await refused(base64(signedResponse(spec({ sessionName: undefined }), idp)));
    assert.equal(missing.code, 'AuthenticationFail.SAMLAssertion.Invalid');
    const bad = await refused(base64(signedResponse(spec({ sessionName: 'Alice Smith' }), idp)));
    assert.deepEqual([bad.code, bad.status, bad.message], ['InvalidParameter.RoleSessionName', 400, 'The RoleSessionName is invalid.']);
    assert.ok((await call(base64(signedResponse(spec({ sessionName: 'alice=ops@example.com' }), idp))))['Credentials']);
  });

  test('unknown provider, unknown role, a trust policy that does not name the provider', async () => {
    const unknown = await refused(base64(signedResponse(spec(), idp)), { SAMLProviderArn: providerArn('nobody') });
    assert.deepEqual([unknown.code, unknown.status, unknown.message], ['EntityNotExist.SAMLProvider', 404, 'Can not find SAML provider.']);
    const noRole = await refused(base64(signedResponse(spec({ roles: [pair('ghost')] }), idp)), { RoleArn: roleArn('ghost') });
    assert.deepEqual([noRole.code, noRole.status], ['EntityNotExist.RoleArn', 404]);
    // saml-other trusts other-idp only; corp-idp's assertion names it all the same.
    const untrusted = await refused(base64(signedResponse(spec({ roles: [pair('saml-other')] }), idp)), { RoleArn: roleArn('saml-other') });
    assert.deepEqual([untrusted.code, untrusted.status], ['NoPermission', 403]);
  });

  test("a provider whose metadata is unusable, and the parameters' own rules", async () => {
    const broken = await refused(base64(signedResponse(spec({ roles: [pair('saml-reader', 'broken-idp')] }), idp)), { SAMLProviderArn: providerArn('broken-idp') });
    assert.deepEqual([broken.code, broken.status], ['AuthenticationFail.IDPMetadata.Invalid', 401]);
    const missing = await ramError(assumeRoleWithSAML(server.apiHost, { SAMLProviderArn: providerArn('corp-idp'), RoleArn: roleArn('saml-reader') }));
    assert.deepEqual([missing.code, missing.statusCode], ['MissingParameter.SAMLAssertion', 400]);
    const badArn = await refused(base64(signedResponse(spec(), idp)), { SAMLProviderArn: `acs:ram::${ACCOUNT}:oidc-provider/corp-idp` });
    assert.equal(badArn.code, 'InvalidParameter.SAMLProviderArn');
    const badRole = await refused(base64(signedResponse(spec(), idp)), { RoleArn: 'saml-reader' });
    assert.equal(badRole.code, 'InvalidParameter.RoleArn');
    // A failed call is audited in the role's account too, without the assertion.
    const failures = server.audited.filter((r) => r.eventName === 'AssumeRoleWithSAML' && r.errorCode !== undefined);
    assert.ok(failures.length > 0);
    assert.ok(failures.every((r) => r.requestParameters['SAMLAssertion'] === undefined));
  });
});
