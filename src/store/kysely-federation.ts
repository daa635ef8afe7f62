import type { Kysely, Selectable } from 'kysely';
import type { FederationRepository, OidcProviderRecord, SamlProviderRecord } from './federation.js';
import type { Database, ImsOidcProvidersTable, ImsSamlProvidersTable } from './schema.js';
import { unique } from './unique.js';

const key = (name: string) => name.toLowerCase();

const oidc = (r: Selectable<ImsOidcProvidersTable>): OidcProviderRecord => ({
  accountId: r.account_id,
  name: r.name,
  issuerUrl: r.issuer_url,
  clientIds: JSON.parse(r.client_ids) as string[],
  fingerprints: JSON.parse(r.fingerprints) as string[],
  issuanceLimitTime: Number(r.issuance_limit_time),
  description: r.description,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
  ...(r.pinned_jwks !== null ? { pinnedJwks: r.pinned_jwks } : {}),
});

const oidcRow = (p: OidcProviderRecord) => ({
  account_id: p.accountId,
  name_key: key(p.name),
  name: p.name,
  issuer_url: p.issuerUrl,
  client_ids: JSON.stringify(p.clientIds),
  fingerprints: JSON.stringify(p.fingerprints),
  issuance_limit_time: p.issuanceLimitTime,
  description: p.description,
  created_at: p.createdAt.toISOString(),
  updated_at: p.updatedAt.toISOString(),
  pinned_jwks: p.pinnedJwks ?? null,
});

const saml = (r: Selectable<ImsSamlProvidersTable>): SamlProviderRecord => ({
  accountId: r.account_id,
  name: r.name,
  encodedMetadata: r.encoded_metadata,
  description: r.description,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

const samlRow = (p: SamlProviderRecord) => ({
  account_id: p.accountId,
  name_key: key(p.name),
  name: p.name,
  encoded_metadata: p.encodedMetadata,
  description: p.description,
  created_at: p.createdAt.toISOString(),
  updated_at: p.updatedAt.toISOString(),
});

/** Changes to an account's providers are announced as the account's (STS reads them per request). */
export class KyselyFederationRepository implements FederationRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly touch: (accountId: string) => void,
  ) {}

  async createOidcProvider(p: OidcProviderRecord): Promise<void> {
    await unique(`OIDC provider ${p.name}`, () => this.db.insertInto('ims_oidc_providers').values(oidcRow(p)).execute());
    this.touch(p.accountId);
  }
  async getOidcProvider(accountId: string, name: string): Promise<OidcProviderRecord | undefined> {
    const r = await this.db.selectFrom('ims_oidc_providers').selectAll().where('account_id', '=', accountId).where('name_key', '=', key(name)).executeTakeFirst();
    return r && oidc(r);
  }
  async listOidcProviders(accountId: string, page: { after?: string; limit: number }): Promise<OidcProviderRecord[]> {
    let q = this.db.selectFrom('ims_oidc_providers').selectAll().where('account_id', '=', accountId);
    if (page.after !== undefined) q = q.where('name_key', '>', key(page.after));
    return (await q.orderBy('name_key').limit(page.limit).execute()).map(oidc);
  }
  async countOidcProviders(accountId: string): Promise<number> {
    const r = await this.db.selectFrom('ims_oidc_providers').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', accountId).executeTakeFirst();
    return Number(r?.n ?? 0);
  }
  async updateOidcProvider(p: OidcProviderRecord): Promise<boolean> {
    const { account_id, name_key, created_at: _created, ...fields } = oidcRow(p);
    const r = await this.db.updateTable('ims_oidc_providers').set(fields).where('account_id', '=', account_id).where('name_key', '=', name_key).executeTakeFirst();
    this.touch(p.accountId);
    return Number(r.numUpdatedRows) === 1;
  }
  async deleteOidcProvider(accountId: string, name: string): Promise<boolean> {
    const r = await this.db.deleteFrom('ims_oidc_providers').where('account_id', '=', accountId).where('name_key', '=', key(name)).executeTakeFirst();
    this.touch(accountId);
    return Number(r.numDeletedRows) === 1;
  }

  async createSamlProvider(p: SamlProviderRecord): Promise<void> {
    await unique(`SAML provider ${p.name}`, () => this.db.insertInto('ims_saml_providers').values(samlRow(p)).execute());
    this.touch(p.accountId);
  }
  async getSamlProvider(accountId: string, name: string): Promise<SamlProviderRecord | undefined> {
    const r = await this.db.selectFrom('ims_saml_providers').selectAll().where('account_id', '=', accountId).where('name_key', '=', key(name)).executeTakeFirst();
    return r && saml(r);
  }
  async listSamlProviders(accountId: string, page: { after?: string; limit: number }): Promise<SamlProviderRecord[]> {
    let q = this.db.selectFrom('ims_saml_providers').selectAll().where('account_id', '=', accountId);
    if (page.after !== undefined) q = q.where('name_key', '>', key(page.after));
    return (await q.orderBy('name_key').limit(page.limit).execute()).map(saml);
  }
  async countSamlProviders(accountId: string): Promise<number> {
    const r = await this.db.selectFrom('ims_saml_providers').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', accountId).executeTakeFirst();
    return Number(r?.n ?? 0);
  }
  async updateSamlProvider(p: SamlProviderRecord): Promise<boolean> {
    const { account_id, name_key, created_at: _created, ...fields } = samlRow(p);
    const r = await this.db.updateTable('ims_saml_providers').set(fields).where('account_id', '=', account_id).where('name_key', '=', name_key).executeTakeFirst();
    this.touch(p.accountId);
    return Number(r.numUpdatedRows) === 1;
  }
  async deleteSamlProvider(accountId: string, name: string): Promise<boolean> {
    const r = await this.db.deleteFrom('ims_saml_providers').where('account_id', '=', accountId).where('name_key', '=', key(name)).executeTakeFirst();
    this.touch(accountId);
    return Number(r.numDeletedRows) === 1;
  }
}
