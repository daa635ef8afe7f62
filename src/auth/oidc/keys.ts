// The keys an OIDC provider's tokens are signed with: Rampart's own issuer's (the local hook), an
// operator-pinned JWKS, or the issuer's published ones (OIDC discovery, then jwks_uri) over https.
import type { JSONWebKeySet, JWK } from 'jose';
import type { OidcProviderRecord } from '../../store/index.js';
import { OidcErrors } from './errors.js';
import { DEFAULT_FETCH_SETTINGS, fetchJson, normalizeFingerprint, OidcFetchError, type FetchedJson, type FetchSettings } from './fetch.js';

/**
 * An issuer whose keys Rampart holds itself (its own OIDC issuer): a provider whose IssuerUrl is
 * exactly `issuer` gets these keys with no fetch, whatever the URL's scheme.
 */
export interface LocalIssuer {
  readonly issuer: string;
  jwks(): Promise<JSONWebKeySet>;
}

export interface OidcKeySource {
  /**
   * The keys of the provider's issuer. `kid`, when the token names one: an unknown kid makes a
   * fetched set be fetched again (at most once per refetch interval: key rotation, not a way to
   * make Rampart hammer the issuer). Throws the real service's error when there are none.
   */
  keysFor(provider: OidcProviderRecord, nowMs: number, kid?: string): Promise<JSONWebKeySet>;
}

export interface OidcKeySettings extends FetchSettings {
  /** How long fetched keys are used before they are fetched again. */
  cacheMs: number;
  /** The least time between two fetches of one issuer's keys for an unknown kid. */
  refetchIntervalMs: number;
  local?: LocalIssuer;
}

export const DEFAULT_KEY_SETTINGS: OidcKeySettings = { ...DEFAULT_FETCH_SETTINGS, cacheMs: 10 * 60_000, refetchIntervalMs: 30_000 };

const MAX_KEYS = 100;
const MAX_ISSUERS = 1000;
const PUBLIC_KEY_TYPES = new Set(['RSA', 'EC', 'OKP']);
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A key set as Rampart uses it: public signature keys only (a symmetric `oct` key could only ever
 * serve an HMAC forgery), private members dropped, at most MAX_KEYS. Undefined if nothing is left.
 */
export function usableKeySet(value: unknown): JSONWebKeySet | undefined {
  if (!isObject(value) || !Array.isArray(value['keys'])) return undefined;
  const keys: JWK[] = [];
  for (const key of value['keys'] as unknown[]) {
    if (!isObject(key) || typeof key['kty'] !== 'string' || !PUBLIC_KEY_TYPES.has(key['kty'])) continue;
    if (key['use'] !== undefined && key['use'] !== 'sig') continue;
    const copy: Record<string, unknown> = { ...key };
    for (const member of PRIVATE_MEMBERS) delete copy[member];
    keys.push(copy as JWK);
    if (keys.length === MAX_KEYS) break;
  }
  return keys.length > 0 ? { keys } : undefined;
}

const hasKid = (set: JSONWebKeySet, kid: string | undefined): boolean => kid === undefined || set.keys.some((k) => k.kid === kid);

interface Fetched {
  keys: JSONWebKeySet;
  fetchedAt: number;
  /** The last time they were fetched again for an unknown kid, successfully or not. */
  triedAt: number;
  /** The connections that delivered them (discovery, JWKS) and their certificate chains (SHA-1s). */
  connections: { url: string; chain: string[] }[];
}

/** The discovery document's URL: the issuer, without a trailing '/', + /.well-known/openid-configuration. */
export const discoveryUrl = (issuer: string): string => `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;

/**
 * Fetched keys are cached per issuer, and one fetch per issuer runs at a time (concurrent
 * requests wait for it). A fetch that fails is not cached and is not replaced by stale keys:
 * the token is refused (fail closed), the next request tries again.
 *
 * Fingerprints, as the real service documents them (IMS: "the fingerprint of the HTTPS CA
 * certificate"; help.aliyun.com/zh/ram/obtain-oidc-idp-fingerprints-through-openssl): each
 * https connection that delivered the keys (discovery and JWKS) must have been served with a
 * certificate chain, verified against the trusted CAs, that includes a certificate whose SHA-1 is
 * one of the provider's Fingerprints. A provider with no fingerprints cannot use fetched keys [U].
 * Pinned and local keys are not fetched, so there is no connection to check: the operator who
 * pinned them, or Rampart itself, vouches for them.
 */
export class OidcKeyResolver implements OidcKeySource {
  readonly #settings: OidcKeySettings;
  readonly #fetched = new Map<string, Fetched>();
  readonly #inFlight = new Map<string, Promise<Fetched>>();
  readonly #pinned = new Map<string, JSONWebKeySet | undefined>();

  constructor(settings: Partial<OidcKeySettings> = {}) {
    this.#settings = { ...DEFAULT_KEY_SETTINGS, ...settings };
  }

  async keysFor(provider: OidcProviderRecord, nowMs: number, kid?: string): Promise<JSONWebKeySet> {
    const local = this.#settings.local;
    if (local !== undefined && provider.issuerUrl === local.issuer) {
      const keys = usableKeySet(await local.jwks());
      if (keys === undefined) throw OidcErrors.keysUnavailable(provider.issuerUrl, 'the local issuer has no keys');
      return keys;
    }
    if (provider.pinnedJwks !== undefined) return this.#pinnedKeys(provider);
    const fetched = await this.#fresh(provider.issuerUrl, nowMs, kid);
    checkFingerprints(provider, fetched.connections);
    return fetched.keys;
  }

  #pinnedKeys(provider: OidcProviderRecord): JSONWebKeySet {
    const text = provider.pinnedJwks ?? '';
    if (!this.#pinned.has(text)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      if (this.#pinned.size >= MAX_ISSUERS) this.#pinned.clear();
      this.#pinned.set(text, usableKeySet(parsed));
    }
    const keys = this.#pinned.get(text);
    if (keys === undefined) throw OidcErrors.keysUnavailable(provider.issuerUrl, 'the pinned JWKS holds no public signature key');
    return keys;
  }

  async #fresh(issuer: string, nowMs: number, kid: string | undefined): Promise<Fetched> {
    const cached = this.#fetched.get(issuer);
    const { cacheMs, refetchIntervalMs } = this.#settings;
    if (cached !== undefined && nowMs - cached.fetchedAt < cacheMs) {
      // An unknown kid may be a key the issuer has just rotated in: fetch again, but not often.
      if (hasKid(cached.keys, kid) || nowMs - cached.triedAt < refetchIntervalMs) return cached;
      cached.triedAt = nowMs;
      try {
        return await this.#fetch(issuer, nowMs);
      } catch {
        return cached;
      }
    }
    return this.#fetch(issuer, nowMs);
  }

  #fetch(issuer: string, nowMs: number): Promise<Fetched> {
    let running = this.#inFlight.get(issuer);
    if (running === undefined) {
      running = fetchKeys(issuer, this.#settings, nowMs)
        .then((fetched) => {
          if (this.#fetched.size >= MAX_ISSUERS) this.#fetched.clear();
          this.#fetched.set(issuer, fetched);
          return fetched;
        })
        .finally(() => this.#inFlight.delete(issuer));
      this.#inFlight.set(issuer, running);
    }
    return running;
  }
}

function checkFingerprints(provider: OidcProviderRecord, connections: Fetched['connections']): void {
  const allowed = new Set(provider.fingerprints.map(normalizeFingerprint));
  for (const { url, chain } of connections) {
    if (!chain.some((sha1) => allowed.has(sha1))) throw OidcErrors.fingerprint(url);
  }
}

async function get(url: URL, issuer: string, settings: FetchSettings): Promise<FetchedJson> {
  try {
    return await fetchJson(url, settings);
  } catch (e) {
    if (e instanceof OidcFetchError && e.kind === 'certificate') throw OidcErrors.certificateChain(url.href);
    throw OidcErrors.keysUnavailable(issuer, e instanceof Error ? e.message : String(e));
  }
}

function httpsUrl(text: unknown, issuer: string, what: string): URL {
  let url: URL | undefined;
  try {
    url = typeof text === 'string' ? new URL(text) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || url.protocol !== 'https:' || url.username !== '' || url.password !== '') {
    throw OidcErrors.keysUnavailable(issuer, `${what} must be an https URL`);
  }
  return url;
}

/** Discovery (its issuer must be the provider's, exactly: OIDC Discovery 1.0 §4.3), then the JWKS. */
async function fetchKeys(issuer: string, settings: FetchSettings, nowMs: number): Promise<Fetched> {
  const discoveryAt = httpsUrl(discoveryUrl(issuer), issuer, 'the issuer URL');
  const discovery = await get(discoveryAt, issuer, settings);
  const config = discovery.json;
  if (!isObject(config)) throw OidcErrors.keysUnavailable(issuer, 'the discovery document is not a JSON object');
  if (config['issuer'] !== issuer) throw OidcErrors.keysUnavailable(issuer, 'the discovery document names another issuer');
  const jwksUrl = httpsUrl(config['jwks_uri'], issuer, 'jwks_uri');
  const jwks = await get(jwksUrl, issuer, settings);
  const keys = usableKeySet(jwks.json);
  if (keys === undefined) throw OidcErrors.keysUnavailable(issuer, 'the JWKS holds no public signature key');
  return { keys, fetchedAt: nowMs, triedAt: nowMs, connections: [{ url: discoveryAt.href, chain: discovery.chain }, { url: jwksUrl.href, chain: jwks.chain }] };
}
