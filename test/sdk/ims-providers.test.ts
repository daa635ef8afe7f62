// IMS identity providers through the unmodified @alicloud/ims20190815 (V3): OIDC and SAML
// providers' round trips and shapes, paging, client IDs and fingerprints with their limits,
// validation, duplicates, quotas, authorization and accounts kept apart.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAccount } from '../../src/server/index.js';
import { createCa } from '../../src/tls/index.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { imsClient, type ImsCall } from './ims-client.js';
import { ramClient, ramError, type RamCall } from './ram-client.js';
import { PopCore } from './sdk-clients.js';

let server: TestServer;
let ims: ImsCall;
let ram: RamCall;
before(async () => {
  server = await startTestServer({ quotas: { oidcProviders: 4, samlProviders: 3 } });
  ims = imsClient(server.apiHost, ROOT);
  ram = ramClient(server.apiHost, ROOT);
});
after(() => server.stop());

const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const FP1 = '902ef2deeb3c5b13ea4c3d5193629309e2310001';
const FP2 = '902ef2deeb3c5b13ea4c3d5193629309e2310002';

async function expectCode(call: Promise<unknown>, status: number, code: string): Promise<Record<string, unknown>> {
  const e = await ramError(call);
  assert.equal(e.code, code, e.message);
  assert.equal(e.statusCode, status, e.message);
  return e.data ?? {};
}

const oidc = (body: Record<string, unknown>) => body['OIDCProvider'] as Record<string, unknown>;
const saml = (body: Record<string, unknown>) => body['SAMLProvider'] as Record<string, unknown>;

// A certificate to sign with, as an IdP's metadata carries it (base64 DER).
const certificate = createCa().certPem.replace(/-----[A-Z ]+-----|\s/g, '');
const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const keyDescriptor = (use: string | undefined, cert = certificate) =>
  `<md:KeyDescriptor${use ? ` use="${use}"` : ''}><ds:KeyInfo xmlns:ds="${DS}"><ds:X509Data><ds:X509Certificate>\n${cert}\n</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;
const entity = (inner: string, entityId = 'https://idp.example.com/metadata') =>
  `<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="${MD}" entityID="${entityId}">${inner}</md:EntityDescriptor>`;
const idp = (keys: string) =>
  `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${keys}<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/></md:IDPSSODescriptor>`;
const b64 = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');
const METADATA = b64(entity(idp(keyDescriptor('signing') + keyDescriptor('encryption'))));

describe('OIDC providers', () => {
  test('create, get (any case), update, list and delete, in the real shapes', async () => {
    const created = oidc(
      await ims('CreateOIDCProvider', {
        OIDCProviderName: 'TestOIDCProvider',
        IssuerUrl: 'https://dev-123.okta.com',
        Fingerprints: `${FP1},${FP2}`,
        ClientIds: '498469743454717,app.example:web/1',
        IssuanceLimitTime: 6,
        Description: 'This is an OIDC Provider.',
      }),
    );
    assert.match(String(created['CreateDate']), DATE);
    // GmtCreate/GmtModified: the same instants in epoch milliseconds, as strings.
    assert.match(String(created['GmtCreate']), /^\d{13}$/);
    assert.equal(Math.floor(Number(created['GmtCreate']) / 1000) * 1000, Date.parse(String(created['CreateDate'])));
    assert.deepEqual({ ...created, CreateDate: 0, UpdateDate: 0, GmtCreate: 0, GmtModified: 0 }, {
      OIDCProviderName: 'TestOIDCProvider',
      Arn: `acs:ram::${ROOT.accountId}:oidc-provider/TestOIDCProvider`,
      IssuerUrl: 'https://dev-123.okta.com',
      ClientIds: '498469743454717,app.example:web/1',
      Fingerprints: `${FP1},${FP2}`,
      IssuanceLimitTime: 6,
      Description: 'This is an OIDC Provider.',
      CreateDate: 0,
      UpdateDate: 0,
      GmtCreate: 0,
      GmtModified: 0,
    });
    assert.deepEqual(oidc(await ims('GetOIDCProvider', { OIDCProviderName: 'testoidcprovider' })), created);

    const updated = oidc(await ims('UpdateOIDCProvider', { OIDCProviderName: 'TestOIDCProvider', NewDescription: 'This is a new OIDC Provider.', IssuanceLimitTime: 168, ClientIds: 'c1,c2' }));
    assert.deepEqual([updated['Description'], updated['IssuanceLimitTime'], updated['ClientIds'], updated['Fingerprints'], updated['CreateDate']], [
      'This is a new OIDC Provider.',
      168,
      'c1,c2',
      `${FP1},${FP2}`,
      created['CreateDate'],
    ]);
    assert.ok(Number(updated['GmtModified']) >= Number(created['GmtModified']));
    // An empty ClientIds removes them all (as Terraform sends an emptied set); nothing else changes.
    const cleared = oidc(await ims('UpdateOIDCProvider', { OIDCProviderName: 'TestOIDCProvider', ClientIds: '' }));
    assert.deepEqual([cleared['ClientIds'], cleared['Description'], cleared['IssuanceLimitTime']], ['', 'This is a new OIDC Provider.', 168]);

    const listed = await ims('ListOIDCProviders');
    assert.equal(listed['IsTruncated'], false);
    assert.equal(listed['Marker'], undefined);
    assert.deepEqual((listed['OIDCProviders'] as { OIDCProvider: unknown[] }).OIDCProvider, [oidc(await ims('GetOIDCProvider', { OIDCProviderName: 'TestOIDCProvider' }))]);

    await ims('DeleteOIDCProvider', { OIDCProviderName: 'TESTOIDCPROVIDER' });
    const body = await expectCode(ims('GetOIDCProvider', { OIDCProviderName: 'TestOIDCProvider' }), 404, 'EntityNotExist.OIDCProvider');
    assert.equal(body['Message'], 'The OIDC provider does not exist.');
    await expectCode(ims('DeleteOIDCProvider', { OIDCProviderName: 'TestOIDCProvider' }), 404, 'EntityNotExist.OIDCProvider');
    await expectCode(ims('UpdateOIDCProvider', { OIDCProviderName: 'TestOIDCProvider', NewDescription: 'x' }), 404, 'EntityNotExist.OIDCProvider');
  });

  test('defaults: no fingerprints or client IDs, IssuanceLimitTime 12, an empty description; also over the RPC signature', async () => {
    const rpc = new PopCore({ accessKeyId: ROOT.accessKeyId, accessKeySecret: ROOT.accessKeySecret, endpoint: server.endpoints.api, apiVersion: '2019-08-15' });
    const made = (await rpc.request('CreateOIDCProvider', { OIDCProviderName: 'bare', IssuerUrl: 'https://bare.example.com/oauth2/default' }, { method: 'POST' }))['OIDCProvider'] as Record<string, unknown>;
    assert.deepEqual([made['ClientIds'], made['Fingerprints'], made['IssuanceLimitTime'], made['Description']], ['', '', 12, '']);
    await assert.rejects(rpc.request('GetOIDCProvider', { OIDCProviderName: 'none' }, { method: 'POST' }), { code: 'EntityNotExist.OIDCProvider' });
    await ims('DeleteOIDCProvider', { OIDCProviderName: 'bare' });
  });

  test('client IDs and fingerprints are added and removed one at a time, within their limits', async () => {
    await ims('CreateOIDCProvider', { OIDCProviderName: 'parts', IssuerUrl: 'https://parts.example.com', Fingerprints: FP1, ClientIds: 'first' });
    const added = oidc(await ims('AddClientIdToOIDCProvider', { OIDCProviderName: 'parts', ClientId: 'sts.aliyuncs.com' }));
    assert.equal(added['ClientIds'], 'first,sts.aliyuncs.com');
    await expectCode(ims('AddClientIdToOIDCProvider', { OIDCProviderName: 'parts', ClientId: 'first' }), 409, 'EntityAlreadyExists.OIDCProvider.ClientId');
    // Client IDs are audiences, matched exactly: another case is another client.
    assert.equal(oidc(await ims('AddClientIdToOIDCProvider', { OIDCProviderName: 'parts', ClientId: 'FIRST' }))['ClientIds'], 'first,sts.aliyuncs.com,FIRST');
    assert.equal(oidc(await ims('RemoveClientIdFromOIDCProvider', { OIDCProviderName: 'parts', ClientId: 'first' }))['ClientIds'], 'sts.aliyuncs.com,FIRST');
    await expectCode(ims('RemoveClientIdFromOIDCProvider', { OIDCProviderName: 'parts', ClientId: 'first' }), 404, 'EntityNotExist.OIDCProvider.ClientId');
    await expectCode(ims('AddClientIdToOIDCProvider', { OIDCProviderName: 'nobody', ClientId: 'x' }), 404, 'EntityNotExist.OIDCProvider');
    await expectCode(ims('AddClientIdToOIDCProvider', { OIDCProviderName: 'parts', ClientId: '-starts-with-dash' }), 400, 'InvalidParameter.ClientId.InvalidChars');
    await expectCode(ims('AddClientIdToOIDCProvider', { OIDCProviderName: 'parts', ClientId: 'x'.repeat(129) }), 400, 'InvalidParameter.ClientId.Length');
    await expectCode(ims('AddClientIdToOIDCProvider', { OIDCProviderName: 'parts' }), 400, 'MissingClientId');

    // Fingerprints are hex digests: the same in either case.
    assert.equal(oidc(await ims('AddFingerprintToOIDCProvider', { OIDCProviderName: 'parts', Fingerprint: FP2 }))['Fingerprints'], `${FP1},${FP2}`);
    await expectCode(ims('AddFingerprintToOIDCProvider', { OIDCProviderName: 'parts', Fingerprint: FP1.toUpperCase() }), 409, 'EntityAlreadyExists.OIDCProvider.Fingerprint');
    assert.equal(oidc(await ims('RemoveFingerprintFromOIDCProvider', { OIDCProviderName: 'parts', Fingerprint: FP1.toUpperCase() }))['Fingerprints'], FP2);
    await expectCode(ims('RemoveFingerprintFromOIDCProvider', { OIDCProviderName: 'parts', Fingerprint: FP1 }), 404, 'EntityNotExist.OIDCProvider.Fingerprint');
    await expectCode(ims('AddFingerprintToOIDCProvider', { OIDCProviderName: 'parts', Fingerprint: 'ab:cd' }), 400, 'InvalidParameter.Fingerprint.InvalidChars');
    for (const n of [3, 4, 5, 6]) await ims('AddFingerprintToOIDCProvider', { OIDCProviderName: 'parts', Fingerprint: `${'a'.repeat(39)}${n}` });
    const body = await expectCode(ims('AddFingerprintToOIDCProvider', { OIDCProviderName: 'parts', Fingerprint: 'b'.repeat(40) }), 409, 'LimitExceeded.OIDCProvider.Fingerprint');
    assert.match(String(body['Message']), /\(5\)/);
    assert.equal(String(oidc(await ims('GetOIDCProvider', { OIDCProviderName: 'parts' }))['Fingerprints']).split(',').length, 5);

    // 50 client IDs at most: at creation, by update and one by one.
    const fifty = Array.from({ length: 50 }, (_, i) => `client-${i}`);
    await ims('UpdateOIDCProvider', { OIDCProviderName: 'parts', ClientIds: fifty.join(',') });
    await expectCode(ims('AddClientIdToOIDCProvider', { OIDCProviderName: 'parts', ClientId: 'one-more' }), 409, 'LimitExceeded.OIDCProvider.ClientId');
    await expectCode(ims('UpdateOIDCProvider', { OIDCProviderName: 'parts', ClientIds: [...fifty, 'one-more'].join(',') }), 409, 'LimitExceeded.OIDCProvider.ClientId');
    await expectCode(
      ims('CreateOIDCProvider', { OIDCProviderName: 'too-many', IssuerUrl: 'https://many.example.com', ClientIds: [...fifty, 'one-more'].join(',') }),
      409,
      'LimitExceeded.OIDCProvider.ClientId',
    );
    await expectCode(
      ims('CreateOIDCProvider', { OIDCProviderName: 'too-many', IssuerUrl: 'https://many.example.com', Fingerprints: Array.from({ length: 6 }, (_, i) => `${'c'.repeat(39)}${i}`).join(',') }),
      409,
      'LimitExceeded.OIDCProvider.Fingerprint',
    );
    await expectCode(ims('GetOIDCProvider', { OIDCProviderName: 'too-many' }), 404, 'EntityNotExist.OIDCProvider');
    await ims('DeleteOIDCProvider', { OIDCProviderName: 'parts' });
  });

  test('bad values get RAM\'s InvalidParameter.<Field>.<Why>; missing ones Missing<Field>', async () => {
    const create = (over: Record<string, unknown>) => ims('CreateOIDCProvider', { OIDCProviderName: 'valid', IssuerUrl: 'https://valid.example.com', ...over });
    await expectCode(create({ OIDCProviderName: '-leading' }), 400, 'InvalidParameter.OIDCProviderName.InvalidChars');
    await expectCode(create({ OIDCProviderName: 'trailing.' }), 400, 'InvalidParameter.OIDCProviderName.InvalidChars');
    await expectCode(create({ OIDCProviderName: 'has space' }), 400, 'InvalidParameter.OIDCProviderName.InvalidChars');
    await expectCode(create({ OIDCProviderName: 'x'.repeat(129) }), 400, 'InvalidParameter.OIDCProviderName.Length');
    for (const url of ['http://valid.example.com', 'https://valid.example.com/?tenant=1', 'https://user@valid.example.com', 'https://valid.example.com/#frag', 'https://', 'ftp://x', 'https://a b.com']) {
      await expectCode(create({ IssuerUrl: url }), 400, 'InvalidParameter.IssuerUrl.Format');
    }
    await expectCode(create({ IssuerUrl: `https://valid.example.com/${'p'.repeat(240)}` }), 400, 'InvalidParameter.IssuerUrl.Length');
    await expectCode(create({ IssuanceLimitTime: 0 }), 400, 'InvalidParameter.IssuanceLimitTime.Format');
    await expectCode(create({ IssuanceLimitTime: 169 }), 400, 'InvalidParameter.IssuanceLimitTime.Format');
    await expectCode(create({ Description: 'd'.repeat(257) }), 400, 'InvalidParameter.Description.Length');
    await expectCode(create({ ClientIds: 'a,,b' }), 400, 'InvalidParameter.ClientIds.InvalidChars');
    await expectCode(create({ ClientIds: 'a,b,a' }), 400, 'InvalidParameter.ClientIds.Format');
    await expectCode(create({ Fingerprints: `${FP1},${FP1.toUpperCase()}` }), 400, 'InvalidParameter.Fingerprints.Format');
    await expectCode(create({ Fingerprints: 'not-hex!' }), 400, 'InvalidParameter.Fingerprints.InvalidChars');
    await expectCode(ims('CreateOIDCProvider', { IssuerUrl: 'https://valid.example.com' }), 400, 'MissingOIDCProviderName');
    await expectCode(ims('CreateOIDCProvider', { OIDCProviderName: 'valid' }), 400, 'MissingIssuerUrl');
    await expectCode(ims('UpdateOIDCProvider', { OIDCProviderName: 'valid', NewDescription: 'd'.repeat(257) }), 400, 'InvalidParameter.NewDescription.Length');
    await expectCode(ims('GetOIDCProvider', { OIDCProviderName: 'valid' }), 404, 'EntityNotExist.OIDCProvider');
  });

  test('names are unique without regard to case, and so is an issuer URL within the account', async () => {
    await ims('CreateOIDCProvider', { OIDCProviderName: 'Okta', IssuerUrl: 'https://okta.example.com' });
    await expectCode(ims('CreateOIDCProvider', { OIDCProviderName: 'OKTA', IssuerUrl: 'https://other.example.com' }), 409, 'EntityAlreadyExists.OIDCProvider');
    await expectCode(ims('CreateOIDCProvider', { OIDCProviderName: 'okta-2', IssuerUrl: 'https://okta.example.com' }), 409, 'EntityAlreadyExists.OIDCProvider.Url');
    await ims('DeleteOIDCProvider', { OIDCProviderName: 'okta' });
    // Once deleted, both the name and the URL are free again.
    await ims('CreateOIDCProvider', { OIDCProviderName: 'okta-2', IssuerUrl: 'https://okta.example.com' });
    await ims('DeleteOIDCProvider', { OIDCProviderName: 'okta-2' });
  });

  test('ListOIDCProviders pages with Marker and MaxItems (1 to 100); the account quota is LimitExceeded.OIDCProvider', async () => {
    const names = ['p-c', 'P-a', 'p-d', 'p-b'];
    for (const n of names) await ims('CreateOIDCProvider', { OIDCProviderName: n, IssuerUrl: `https://${n.toLowerCase()}.example.com` });
    const body = await expectCode(ims('CreateOIDCProvider', { OIDCProviderName: 'p-e', IssuerUrl: 'https://p-e.example.com' }), 409, 'LimitExceeded.OIDCProvider');
    assert.equal(body['Message'], 'The count of OIDC providers beyond the current limits.');

    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await ims('ListOIDCProviders', { MaxItems: 3, ...(marker ? { Marker: marker } : {}) });
      const items = (page['OIDCProviders'] as { OIDCProvider: Record<string, unknown>[] }).OIDCProvider;
      assert.ok(items.length <= 3);
      for (const item of items) assert.equal(item['Arn'], `acs:ram::${ROOT.accountId}:oidc-provider/${String(item['OIDCProviderName'])}`);
      seen.push(...items.map((i) => String(i['OIDCProviderName'])));
      marker = page['IsTruncated'] === true ? String(page['Marker']) : undefined;
      if (page['IsTruncated'] !== true) assert.equal(page['Marker'], undefined);
      pages++;
    } while (marker);
    assert.deepEqual(seen, ['P-a', 'p-b', 'p-c', 'p-d']);
    assert.equal(pages, 2);
    await expectCode(ims('ListOIDCProviders', { MaxItems: 0 }), 400, 'InvalidParameter.MaxItems.Format');
    await expectCode(ims('ListOIDCProviders', { MaxItems: 101 }), 400, 'InvalidParameter.MaxItems.Format');
    await expectCode(ims('ListOIDCProviders', { Marker: 'garbage' }), 400, 'InvalidParameter.Marker');
    for (const n of names) await ims('DeleteOIDCProvider', { OIDCProviderName: n });
  });
});

describe('SAML providers', () => {
  test('create, get (with the document), update, list and delete, in the real shapes', async () => {
    const created = saml(await ims('CreateSAMLProvider', { SAMLProviderName: 'test-provider', EncodedSAMLMetadataDocument: METADATA, Description: 'This is a provider.' }));
    assert.match(String(created['CreateDate']), DATE);
    assert.deepEqual({ ...created, CreateDate: 0, UpdateDate: 0 }, {
      SAMLProviderName: 'test-provider',
      Arn: `acs:ram::${ROOT.accountId}:saml-provider/test-provider`,
      Description: 'This is a provider.',
      CreateDate: 0,
      UpdateDate: 0,
    });
    assert.deepEqual(saml(await ims('GetSAMLProvider', { SAMLProviderName: 'TEST-PROVIDER' })), { ...created, EncodedSAMLMetadataDocument: METADATA });

    const described = saml(await ims('UpdateSAMLProvider', { SAMLProviderName: 'test-provider', NewDescription: 'This is a new provider.' }));
    assert.equal(described['Description'], 'This is a new provider.');
    assert.equal(described['EncodedSAMLMetadataDocument'], undefined);
    // Metadata wrapped at 76 characters, as IdPs and tools write base64, is the same document.
    const rotated = b64(entity(idp(keyDescriptor(undefined)), 'https://idp.example.com/rotated')).replace(/.{76}/g, '$&\n');
    await ims('UpdateSAMLProvider', { SAMLProviderName: 'test-provider', NewEncodedSAMLMetadataDocument: rotated });
    const got = saml(await ims('GetSAMLProvider', { SAMLProviderName: 'test-provider' }));
    assert.deepEqual([got['EncodedSAMLMetadataDocument'], got['Description']], [rotated, 'This is a new provider.']);
    await expectCode(ims('UpdateSAMLProvider', { SAMLProviderName: 'test-provider' }), 400, 'MissingParameter');

    const listed = await ims('ListSAMLProviders');
    assert.equal(listed['IsTruncated'], false);
    const { EncodedSAMLMetadataDocument: _document, ...summary } = got;
    assert.deepEqual((listed['SAMLProviders'] as { SAMLProvider: unknown[] }).SAMLProvider, [summary]);

    await ims('DeleteSAMLProvider', { SAMLProviderName: 'Test-Provider' });
    const body = await expectCode(ims('GetSAMLProvider', { SAMLProviderName: 'test-provider' }), 404, 'EntityNotExist.SAMLProvider');
    assert.equal(body['Message'], 'The SAML provider does not exist.');
    await expectCode(ims('DeleteSAMLProvider', { SAMLProviderName: 'test-provider' }), 404, 'EntityNotExist.SAMLProvider');
    await expectCode(ims('UpdateSAMLProvider', { SAMLProviderName: 'test-provider', NewDescription: 'x' }), 404, 'EntityNotExist.SAMLProvider');
  });

  test('a provider may be created without metadata and given it later; AuthnSignAlgo is refused, not ignored', async () => {
    const bare = saml(await ims('CreateSAMLProvider', { SAMLProviderName: 'later' }));
    assert.equal(bare['Description'], '');
    assert.equal(saml(await ims('GetSAMLProvider', { SAMLProviderName: 'later' }))['EncodedSAMLMetadataDocument'], '');
    await ims('UpdateSAMLProvider', { SAMLProviderName: 'later', NewEncodedSAMLMetadataDocument: METADATA });
    assert.equal(saml(await ims('GetSAMLProvider', { SAMLProviderName: 'later' }))['EncodedSAMLMetadataDocument'], METADATA);
    await expectCode(ims('CreateSAMLProvider', { SAMLProviderName: 'signed', EncodedSAMLMetadataDocument: METADATA, AuthnSignAlgo: 'rsa-sha256' }), 400, 'InvalidParameter');
    await expectCode(ims('UpdateSAMLProvider', { SAMLProviderName: 'later', NewDescription: 'x', AuthnSignAlgo: 'rsa-sha256' }), 400, 'InvalidParameter');
    await expectCode(ims('GetSAMLProvider', { SAMLProviderName: 'signed' }), 404, 'EntityNotExist.SAMLProvider');
    assert.equal(saml(await ims('GetSAMLProvider', { SAMLProviderName: 'later' }))['Description'], '');
    await ims('DeleteSAMLProvider', { SAMLProviderName: 'later' });
  });

  test('the metadata must be base64 SAML 2.0 IdP metadata with a signing certificate', async () => {
    const create = (doc: string) => ims('CreateSAMLProvider', { SAMLProviderName: 'checked', EncodedSAMLMetadataDocument: doc });
    const refused = async (doc: string, why: RegExp) => {
      const body = await expectCode(create(doc), 400, 'InvalidParameter.EncodedSAMLMetadataDocument.Format');
      assert.match(String(body['Message']), why);
    };
    await refused('not base64!', /not base64/);
    await refused(b64('just text'), /not well-formed XML/);
    await refused(b64('<a><b></a>'), /not well-formed XML/);
    await refused(b64('<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"/>'), /not a SAML 2.0 metadata EntityDescriptor/);
    await refused(b64(entity(idp(keyDescriptor('signing')), '')), /no entityID/);
    await refused(b64(entity(`<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${keyDescriptor('signing')}</md:SPSSODescriptor>`)), /no IDPSSODescriptor/);
    await refused(b64(entity(idp(keyDescriptor('signing')).replace('urn:oasis:names:tc:SAML:2.0:protocol', 'urn:oasis:names:tc:SAML:1.1:protocol'))), /no IDPSSODescriptor/);
    await refused(b64(entity(idp(keyDescriptor('encryption')))), /no signing X509Certificate/);
    await refused(b64(entity(idp(keyDescriptor('signing', 'AAAA')))), /not a valid certificate/);
    await refused(b64(`<!DOCTYPE md:EntityDescriptor [<!ENTITY x "y">]>${entity(idp(keyDescriptor('signing')))}`), /document type declaration/);
    await refused(Buffer.from([0xff, 0xfe, 0x00]).toString('base64'), /not UTF-8/);
    // Past 100 KiB is too long: refused by the action, in the query string where the Tea SDK puts
    // every parameter (the api listener takes headers that long) as in pop-core's form body.
    await expectCode(create('A'.repeat(102_404)), 400, 'InvalidParameter.EncodedSAMLMetadataDocument.Length');
    const rpc = new PopCore({ accessKeyId: ROOT.accessKeyId, accessKeySecret: ROOT.accessKeySecret, endpoint: server.endpoints.api, apiVersion: '2019-08-15' });
    await assert.rejects(
      rpc.request('CreateSAMLProvider', { SAMLProviderName: 'checked', EncodedSAMLMetadataDocument: 'A'.repeat(102_404) }, { method: 'POST' }),
      { code: 'InvalidParameter.EncodedSAMLMetadataDocument.Length' },
    );
    // A large real-world metadata document (many certificates, ~90 KB) goes through the Tea SDK's query string.
    const large = b64(entity(idp(keyDescriptor('signing') + keyDescriptor(undefined).repeat(60))));
    assert.ok(large.length > 60_000 && large.length <= 102_400, `${large.length}`);
    await ims('CreateSAMLProvider', { SAMLProviderName: 'large', EncodedSAMLMetadataDocument: large });
    assert.equal(saml(await ims('GetSAMLProvider', { SAMLProviderName: 'large' }))['EncodedSAMLMetadataDocument'], large);
    await ims('DeleteSAMLProvider', { SAMLProviderName: 'large' });
    await ims('CreateSAMLProvider', { SAMLProviderName: 'checked', EncodedSAMLMetadataDocument: METADATA });
    await expectCode(ims('UpdateSAMLProvider', { SAMLProviderName: 'checked', NewEncodedSAMLMetadataDocument: b64('<x/>') }), 400, 'InvalidParameter.NewEncodedSAMLMetadataDocument.Format');
    assert.equal(saml(await ims('GetSAMLProvider', { SAMLProviderName: 'checked' }))['EncodedSAMLMetadataDocument'], METADATA);
    await ims('DeleteSAMLProvider', { SAMLProviderName: 'checked' });
  });

  test('names: the rules, uniqueness without regard to case, paging and the account quota', async () => {
    await expectCode(ims('CreateSAMLProvider', { SAMLProviderName: '_x' }), 400, 'InvalidParameter.SAMLProviderName.InvalidChars');
    await expectCode(ims('CreateSAMLProvider', { SAMLProviderName: 'x'.repeat(129) }), 400, 'InvalidParameter.SAMLProviderName.Length');
    await expectCode(ims('CreateSAMLProvider', {}), 400, 'MissingSAMLProviderName');
    await expectCode(ims('CreateSAMLProvider', { SAMLProviderName: 'ok', Description: 'd'.repeat(257) }), 400, 'InvalidParameter.Description.Length');
    for (const n of ['s-b', 'S-a', 's-c']) await ims('CreateSAMLProvider', { SAMLProviderName: n, EncodedSAMLMetadataDocument: METADATA });
    await expectCode(ims('CreateSAMLProvider', { SAMLProviderName: 'S-B', EncodedSAMLMetadataDocument: METADATA }), 409, 'EntityAlreadyExists.SAMLProvider');
    await expectCode(ims('CreateSAMLProvider', { SAMLProviderName: 's-d', EncodedSAMLMetadataDocument: METADATA }), 409, 'LimitExceeded.SAMLProvider');
    const first = await ims('ListSAMLProviders', { MaxItems: 2 });
    assert.equal(first['IsTruncated'], true);
    const second = await ims('ListSAMLProviders', { MaxItems: 2, Marker: String(first['Marker']) });
    assert.equal(second['IsTruncated'], false);
    const names = [first, second].flatMap((p) => (p['SAMLProviders'] as { SAMLProvider: { SAMLProviderName: string }[] }).SAMLProvider.map((s) => s.SAMLProviderName));
    assert.deepEqual(names, ['S-a', 's-b', 's-c']);
    await expectCode(ims('ListSAMLProviders', { MaxItems: 101 }), 400, 'InvalidParameter.MaxItems.Format');
    for (const n of ['s-b', 'S-a', 's-c']) await ims('DeleteSAMLProvider', { SAMLProviderName: n });
  });
});

describe('authorization and accounts', () => {
  test('a RAM user needs ram:<Action> on the provider\'s ARN; every call is audited as IMS', async () => {
    await ram('CreateUser', { UserName: 'idp-admin' });
    const ak = (await ram('CreateAccessKey', { UserName: 'idp-admin' }))['AccessKey'] as Record<string, string>;
    const user = imsClient(server.apiHost, { accessKeyId: ak['AccessKeyId'] ?? '', accessKeySecret: ak['AccessKeySecret'] ?? '' });

    const denied = await expectCode(user('CreateOIDCProvider', { OIDCProviderName: 'allowed-1', IssuerUrl: 'https://allowed.example.com' }), 403, 'NoPermission');
    assert.equal((denied['AccessDeniedDetail'] as Record<string, unknown>)['AuthAction'], 'ram:CreateOIDCProvider');
    const refusal = server.audited.find((r) => r.eventName === 'CreateOIDCProvider' && r.errorCode === 'NoPermission');
    assert.deepEqual([refusal?.serviceName, refusal?.resource], ['Ims', `acs:ram::${ROOT.accountId}:oidc-provider/allowed-1`]);
    await expectCode(user('ListSAMLProviders'), 403, 'NoPermission');
    await expectCode(user('GetOIDCProvider', { OIDCProviderName: 'nothing' }), 403, 'NoPermission');

    await ram('CreatePolicy', {
      PolicyName: 'create-oidc',
      PolicyDocument: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: ['ram:CreateOIDCProvider', 'ram:AddClientIdToOIDCProvider'], Resource: 'acs:ram:*:*:oidc-provider/allowed-*' }] }),
    });
    await ram('AttachPolicyToUser', { UserName: 'idp-admin', PolicyType: 'Custom', PolicyName: 'create-oidc' });
    const made = oidc(await user('CreateOIDCProvider', { OIDCProviderName: 'allowed-1', IssuerUrl: 'https://allowed.example.com' }));
    assert.equal(made['Arn'], `acs:ram::${ROOT.accountId}:oidc-provider/allowed-1`);
    await user('AddClientIdToOIDCProvider', { OIDCProviderName: 'allowed-1', ClientId: 'app' });
    await expectCode(user('CreateOIDCProvider', { OIDCProviderName: 'other', IssuerUrl: 'https://other.example.com' }), 403, 'NoPermission');
    await expectCode(user('RemoveClientIdFromOIDCProvider', { OIDCProviderName: 'allowed-1', ClientId: 'app' }), 403, 'NoPermission');
    await expectCode(user('DeleteOIDCProvider', { OIDCProviderName: 'allowed-1' }), 403, 'NoPermission');
    await expectCode(user('CreateSAMLProvider', { SAMLProviderName: 'allowed-1', EncodedSAMLMetadataDocument: METADATA }), 403, 'NoPermission');

    // A read-only administrator reads providers and changes none.
    await ram('AttachPolicyToUser', { UserName: 'idp-admin', PolicyType: 'System', PolicyName: 'AliyunRAMReadOnlyAccess' });
    assert.equal(oidc(await user('GetOIDCProvider', { OIDCProviderName: 'allowed-1' }))['ClientIds'], 'app');
    await user('ListOIDCProviders');
    await expectCode(user('UpdateOIDCProvider', { OIDCProviderName: 'allowed-1', NewDescription: 'x' }), 403, 'NoPermission');

    const events = server.audited.filter((r) => r.serviceName === 'Ims' && r.caller.type === 'RAMUser');
    const created = events.find((r) => r.eventName === 'CreateOIDCProvider' && r.errorCode === undefined);
    assert.deepEqual([created?.apiVersion, created?.eventRW, created?.resource], ['2019-08-15', 'Write', `acs:ram::${ROOT.accountId}:oidc-provider/allowed-1`]);
    assert.ok(events.some((r) => r.eventName === 'DeleteOIDCProvider' && r.errorCode === 'NoPermission'));
    assert.ok(events.some((r) => r.eventName === 'ListOIDCProviders' && r.eventRW === 'Read' && r.resource === `acs:ram::${ROOT.accountId}:oidc-provider/*`));

    await ims('DeleteOIDCProvider', { OIDCProviderName: 'allowed-1' });
    await ram('DetachPolicyFromUser', { UserName: 'idp-admin', PolicyType: 'Custom', PolicyName: 'create-oidc' });
    await ram('DetachPolicyFromUser', { UserName: 'idp-admin', PolicyType: 'System', PolicyName: 'AliyunRAMReadOnlyAccess' });
  });

  test('another account neither sees nor changes these providers, and may use the same names and issuer', async () => {
    await ims('CreateOIDCProvider', { OIDCProviderName: 'shared-name', IssuerUrl: 'https://shared.example.com', ClientIds: 'a' });
    await ims('CreateSAMLProvider', { SAMLProviderName: 'shared-name', EncodedSAMLMetadataDocument: METADATA });
    const b = await createAccount(server.store, new Date());
    const imsB = imsClient(server.apiHost, { accessKeyId: b.AccessKeyId, accessKeySecret: b.AccessKeySecret });
    await expectCode(imsB('GetOIDCProvider', { OIDCProviderName: 'shared-name' }), 404, 'EntityNotExist.OIDCProvider');
    await expectCode(imsB('GetSAMLProvider', { SAMLProviderName: 'shared-name' }), 404, 'EntityNotExist.SAMLProvider');
    await expectCode(imsB('AddClientIdToOIDCProvider', { OIDCProviderName: 'shared-name', ClientId: 'b' }), 404, 'EntityNotExist.OIDCProvider');
    await expectCode(imsB('DeleteSAMLProvider', { SAMLProviderName: 'shared-name' }), 404, 'EntityNotExist.SAMLProvider');
    assert.deepEqual((await imsB('ListOIDCProviders'))['OIDCProviders'], { OIDCProvider: [] });
    assert.deepEqual((await imsB('ListSAMLProviders'))['SAMLProviders'], { SAMLProvider: [] });

    const theirs = oidc(await imsB('CreateOIDCProvider', { OIDCProviderName: 'shared-name', IssuerUrl: 'https://shared.example.com' }));
    assert.equal(theirs['Arn'], `acs:ram::${b.AccountId}:oidc-provider/shared-name`);
    await imsB('CreateSAMLProvider', { SAMLProviderName: 'shared-name' });
    assert.equal(oidc(await ims('GetOIDCProvider', { OIDCProviderName: 'shared-name' }))['ClientIds'], 'a');
    assert.equal(saml(await ims('GetSAMLProvider', { SAMLProviderName: 'shared-name' }))['EncodedSAMLMetadataDocument'], METADATA);
    await ims('DeleteOIDCProvider', { OIDCProviderName: 'shared-name' });
    await ims('DeleteSAMLProvider', { SAMLProviderName: 'shared-name' });
    assert.equal(oidc(await imsB('GetOIDCProvider', { OIDCProviderName: 'shared-name' }))['IssuerUrl'], 'https://shared.example.com');
  });
});
