// The composition root: opens the data directory, bootstraps the root account, wires the
// front doors and starts the three listeners. Used by `rampart serve` and by tests alike.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CallbackKey, DEFAULT_OSS_LIMITS, startLifecycleSweep, type OssLimits, type RunningSweep, type SweepResult } from '../services/oss/index.js';
import { hostname } from 'node:os';
import { Authorizer, PolicySets, TrustPolicies } from '../access/index.js';
import { Keyring, OIDC_ISSUER_SETTING, OidcIssuer } from '../tokens/index.js';
import { AuditTrail, keepAuditFor } from '../audit/index.js';
import { assumeRoleRate, auditRetentionDays, wholeNumber, ossCallbackSettings, type OssCallbackConfig, lifecycleSweepSeconds, metadataCredentialSeconds, oidcCaCertificates, oidcIssuerUrl, text } from './settings.js';
import { lifecycleAuditRecord } from './lifecycle-events.js';
import { MemoryNonceCache, SharedNonceCache, StoreCredentialSource, type NonceCache } from '../auth/index.js';
import { OidcKeyResolver } from '../auth/oidc/index.js';
import { BUILT_CONSOLE, CALLBACK_KEY_PATH, DEFAULT_MAX_CONNECTIONS, ConsoleAssets, consoleFrontDoor, ConsoleSessions, DEFAULT_SESSION_LIMITS, listen, type SessionLimits, type AuditSink, type Listener, type RequestObservation, type TlsMaterial } from '../gateway/index.js';
import type { Logger } from '../log.js';
import { defaultCatalog, InstanceCredentials, MetadataService, quotasFrom, RateLimiter, SharedRateLimiter, type RamQuotas } from '../services/index.js';
import { FileBlobStore, NonceFile, parseRedisUrl, RedisSharedState, TieredBlobStore, withReadCache, type Store } from '../store/index.js';
import { ensureTlsFiles } from '../tls/index.js';
import { bootstrap, fixedRootFromEnv, type BootstrapResult } from './bootstrap.js';
import { openDataDir } from './data-dir.js';
import { NodeMetrics } from './metrics.js';
import type { Ops } from './ops.js';
import { apiClientError, apiHandler, consoleClientError, metadataClientError, metadataHandler, ossClientError, ossHandler } from './front-doors.js';

export interface HostPort {
  host: string;
  port: number;
}

export type TlsConfig = { kind: 'self-signed'; extraHosts?: string[] } | { kind: 'files'; certFile: string; keyFile: string };

export interface RampartConfig {
  dataDir: string;
  /** A PostgreSQL database shared with other nodes (postgres://…), else the SQLite file in dataDir. */
  store?: string;
  /** Where objects too big for the database live; nodes sharing a store must share it (default dataDir/blobs). */
  blobsDir?: string;
  /** Redis for nonces and call rates shared by every node (redis://…); else the shared store's tables. */
  redis?: string;
  /** Names this node in logs, metrics and change notifications (default RAMPART_NODE_ID, else host-pid). */
  nodeId?: string;
  api: HostPort;
  oss: HostPort;
  metadata: HostPort;
  /** The web console's listener; none when not given. */
  console?: HostPort;
  /** Console session timeouts other than the defaults (tests use short ones). */
  consoleSessions?: Partial<SessionLimits>;
  tls?: TlsConfig;
  env: NodeJS.ProcessEnv;
  log: Logger;
  /** The clock (ms since the epoch); tests move it to check time-stamp handling. */
  now?: () => number;
  audit?: AuditSink;
  /** RAM quotas that differ from the real service's defaults. */
  quotas?: Partial<RamQuotas>;
  /** AssumeRole calls per second per account (default 100, or RAMPART_ASSUME_ROLE_RATE; 0: no limit). */
  assumeRoleRate?: number;
  /** Days the audit trail keeps events (default 90, or RAMPART_AUDIT_RETENTION_DAYS; 0: for ever). */
  auditRetentionDays?: number;
  /** How long instance role credentials from the metadata service last (default 6 hours). */
  metadataCredentialSeconds?: number;
  /** Object size limits other than the real service's (tests use small ones). */
  ossLimits?: Partial<OssLimits>;
  /**
   * Upload callbacks: the hosts they may go to (default any, or RAMPART_OSS_CALLBACK_HOSTS), whether
   * private addresses are refused (RAMPART_OSS_CALLBACK_REFUSE_PRIVATE), the public key's URL
   * (RAMPART_OSS_CALLBACK_KEY_URL); tests also shorten the 5-second limit.
   */
  ossCallbacks?: Partial<OssCallbackConfig>;
  /** Seconds between lifecycle sweeps (default 3600, or RAMPART_LIFECYCLE_SWEEP_SECONDS; 0: only when asked). */
  lifecycleSweepSeconds?: number;
  /**
   * The iss of the OIDC tokens Rampart issues, where verifiers find /.well-known/… (default
   * RAMPART_OIDC_ISSUER, else the api listener's own URL, https with TLS).
   */
  oidcIssuer?: string;
  /**
   * Fetching OIDC providers' keys (AssumeRoleWithOIDC): CA certificates (PEM) trusted besides
   * Node's roots for issuers' https endpoints (default: the file RAMPART_OIDC_CA_FILE names).
   */
  oidc?: { caCertificates?: string[] };
  /**
   * Each listener's connection limits: the most open at once (default 10,000, or
   * RAMPART_MAX_CONNECTIONS), and the headers and idle clocks (tests use short ones).
   */
  connections?: { maxConnections?: number; headersMs?: number; idleMs?: number };
}

export interface RunningRampart {
  endpoints: { api: string; oss: string; metadata: string; console?: string };
  /** The issuer URL of the OIDC tokens this node issues. */
  oidcIssuer: string;
  root: BootstrapResult;
  /** The CA certificate clients must trust, when TLS is self-signed. */
  caPath?: string;
  store: Store;
  trail: AuditTrail;
  /** Runs one bounded pass of the lifecycle sweep now (tests, with their own clock). */
  lifecycleSweep: { pass(limit?: number): Promise<SweepResult> };
  close(): Promise<void>;
}

function tlsHosts(api: HostPort, extra: readonly string[]): string[] {
  // Real cloud names (e.g. sts.aliyuncs.com) only when asked for with --tls-host: a CA trusted
  // for them could vouch for the real service's hosts on that machine.
  const hosts = new Set(['localhost', '127.0.0.1', '::1', hostname(), ...extra]);
  if (api.host !== '0.0.0.0' && api.host !== '::' && api.host !== '') hosts.add(api.host);
  return [...hosts];
}

/** Room for a 102,400-character SAML metadata document, URL-encoded, in an RPC query string (IMS). */
const API_MAX_HEADER_BYTES = 512 * 1024;

const optionalUrl = <T>(url: string | undefined, parse: (t: string) => T): T | undefined => (url !== undefined && url !== '' ? parse(url) : undefined);

export async function startRampart(config: RampartConfig): Promise<RunningRampart> {
  const now = config.now ?? Date.now;
  // Every setting is read before anything is opened or created: a bad one stops the start clean.
  const settings = {
    assumeRoleRate: config.assumeRoleRate ?? assumeRoleRate(config.env),
    credentialSeconds: config.metadataCredentialSeconds ?? metadataCredentialSeconds(config.env),
    retentionDays: config.auditRetentionDays ?? auditRetentionDays(config.env),
    ossCallbacks: ossCallbackSettings(config.ossCallbacks, config.env),
    lifecycleSweepMs: (config.lifecycleSweepSeconds ?? lifecycleSweepSeconds(config.env)) * 1000,
    quotas: quotasFrom(config.quotas, config.env['RAMPART_QUOTAS']),
    store: config.store ?? text(config.env, 'RAMPART_STORE'),
    blobsDir: resolve(config.blobsDir ?? text(config.env, 'RAMPART_BLOBS') ?? join(config.dataDir, 'blobs')),
    redis: optionalUrl(config.redis ?? text(config.env, 'RAMPART_REDIS'), parseRedisUrl),
    oidcIssuer: optionalUrl(config.oidcIssuer ?? text(config.env, 'RAMPART_OIDC_ISSUER'), oidcIssuerUrl),
    oidcCaCertificates: config.oidc?.caCertificates ?? oidcCaCertificates(config.env),
    maxConnections: config.connections?.maxConnections ?? wholeNumber(config.env, 'RAMPART_MAX_CONNECTIONS', DEFAULT_MAX_CONNECTIONS, 1, 1_000_000, 'the most connections each listener keeps open at once'),
  };
  const nodeId = config.nodeId ?? text(config.env, 'RAMPART_NODE_ID') ?? `${hostname()}-${process.pid}`;
  const log = config.log.child({ node: nodeId });
  // The metrics read the trail and the feed once they exist.
  let auditBacklog = () => 0;
  let feed: Store['changes'] | undefined;
  const metrics = new NodeMetrics(nodeId, () => auditBacklog(), () => feed?.listening);
  const opened = await openDataDir(config.dataDir, config.env, settings.store, {
    nodeId,
    onFeedLag: (ms) => metrics.feedLag(ms),
    onFeedError: (e) => log.warn({ err: e }, 'shared store connection'),
  });
  const { box } = opened;
  feed = opened.store.changes;
  const store = withReadCache(opened.store, (cache, hit) => metrics.cacheLookup(cache, hit));
  const listeners: Listener[] = [];
  let stopRetention = async (): Promise<void> => {};
  let sweep: RunningSweep | undefined;
  let closeNonces = (): void => {};
  let redis: RedisSharedState | undefined;
  try {
    // Nodes starting together on a fresh shared store: one creates the root account, the rest find it.
    const setUp = () => bootstrap(store, fixedRootFromEnv(config.env), new Date(now()));
    const root = await (store.exclusively ? store.exclusively(setUp) : setUp());

    let tls: TlsMaterial | undefined;
    let caPath: string | undefined;
    if (config.tls?.kind === 'self-signed') {
      const files = ensureTlsFiles(config.dataDir, box, tlsHosts(config.api, config.tls.extraHosts ?? []), new Date(now()));
      tls = { cert: files.cert, key: files.key };
      caPath = files.caPath;
    } else if (config.tls?.kind === 'files') {
      tls = { cert: readFileSync(config.tls.certFile, 'utf8'), key: readFileSync(config.tls.keyFile, 'utf8') };
    }

    const trail = new AuditTrail(store);
    auditBacklog = () => trail.backlog;
    stopRetention = keepAuditFor(store, settings.retentionDays, now, log);
    const audit: AuditSink = config.audit
      ? { record: async (r) => void (await Promise.all([trail.record(r), config.audit?.record(r)])) }
      : trail;
    // Nonces outlive restarts, so a request captured before one cannot be replayed after it. Nodes
    // sharing a store share nonces and call rates (in Redis, else in the store), so a request
    // captured on one node cannot be replayed on another and the rate holds across them.
    if (settings.redis) redis = await RedisSharedState.open(settings.redis, (e) => log.warn({ err: e }, 'redis'));
    const shared = redis ?? store.shared;
    let nonces: NonceCache;
    if (shared !== undefined) {
      nonces = new SharedNonceCache(shared);
    } else {
      const nonceFile = new NonceFile(join(config.dataDir, 'nonces'));
      closeNonces = () => nonceFile.close();
      nonces = new MemoryNonceCache(nonceFile, now());
    }
    const keyring = new Keyring(store, now);
    await keyring.load();
    const trust = new TrustPolicies();
    // The issuer is the api listener's URL unless configured: known once it listens.
    let apiUrl = '';
    const oidcIssuer = new OidcIssuer(store, box, { issuer: () => settings.oidcIssuer ?? apiUrl, now });
    const deps = {
      catalog: defaultCatalog(),
      auth: { credentials: new StoreCredentialSource(store, keyring, trust), nonces, now },
      services: {
        store,
        box,
        authorizer: new Authorizer(new PolicySets(store), box),
        quotas: settings.quotas,
        keyring,
        trust,
        assumeRoleLimiter: shared ? new SharedRateLimiter(settings.assumeRoleRate, shared) : new RateLimiter(settings.assumeRoleRate),
        oidcIssuer,
        // Rampart's own issuer's keys are its own: a provider naming it is answered without a fetch.
        oidcKeys: new OidcKeyResolver({ caCertificates: settings.oidcCaCertificates, local: oidcIssuer }),
        spent: nonces,
      },
    };
    const lifecycleDeps = { authorizer: deps.services.authorizer, audit, flushed: () => store.flushed(), log, now, observe: (o: RequestObservation) => metrics.request(o) };
    const ops: Ops = { store, metrics, ...(redis ? { redis } : {}) };
    const ossDeps = {
      blobs: new TieredBlobStore(new FileBlobStore(settings.blobsDir), store.oss),
      limits: { ...DEFAULT_OSS_LIMITS, ...config.ossLimits },
      auth: { credentials: deps.auth.credentials, now },
    };
    // Every node sweeps (as every node removes old audit events): each deletion is conditional, so none is done twice.
    sweep = startLifecycleSweep({ store, blobs: ossDeps.blobs, now, log, record: (e) => audit.record(lifecycleAuditRecord(e)) }, settings.lifecycleSweepMs);
    const lifecycleSweep = sweep;
    // App servers fetch the key from this node's OSS listener unless told of another URL.
    let ossUrl = '';
    const { publicKeyUrl, ...callbackSettings } = settings.ossCallbacks;
    const { headersMs, idleMs } = config.connections ?? {};
    const connectionLimits = {
      maxConnections: settings.maxConnections,
      timeouts: { ...(headersMs !== undefined ? { headersMs } : {}), ...(idleMs !== undefined ? { idleMs } : {}) },
    };
    const callbacks = { settings: callbackSettings, key: new CallbackKey(store, box), publicKeyUrl: () => publicKeyUrl ?? `${ossUrl}${CALLBACK_KEY_PATH}` };
    listeners.push(
      await listen({ name: 'api', ...config.api, ...(tls ? { tls } : {}), handler: apiHandler(deps, lifecycleDeps, tls !== undefined, ops), onClientError: apiClientError, log, maxHeaderBytes: API_MAX_HEADER_BYTES, ...connectionLimits }).then((l) => ((apiUrl = l.url), l)),
      await listen({
        name: 'oss',
        ...config.oss,
        ...(tls ? { tls } : {}),
        handler: ossHandler(
          { services: deps.services, ...ossDeps, callbacks },
          lifecycleDeps,
          tls !== undefined,
          ops,
        ),
        onClientError: ossClientError,
        log,
        ...connectionLimits,
      }).then((l) => ((ossUrl = l.url), l)),
      await listen({
        name: 'metadata',
        ...config.metadata,
        handler: metadataHandler(
          {
            service: new MetadataService(new InstanceCredentials(deps.services, deps.auth.credentials, settings.credentialSeconds, now), box, now),
            auth: { instances: store.ecs, box, now },
          },
          lifecycleDeps,
          ops,
        ),
        onClientError: metadataClientError,
        log,
        ...connectionLimits,
      }),
    );
    if (config.console) {
      const door = consoleFrontDoor(
        {
          catalog: deps.catalog,
          services: deps.services,
          credentials: deps.auth.credentials,
          sessions: new ConsoleSessions(box, store.settings, { ...DEFAULT_SESSION_LIMITS, ...config.consoleSessions }),
          audit,
          assets: new ConsoleAssets(fileURLToPath(BUILT_CONSOLE)),
          oss: ossDeps,
          log,
        },
        lifecycleDeps,
        tls !== undefined,
      );
      listeners.push(await listen({ name: 'console', ...config.console, ...(tls ? { tls } : {}), handler: door, onClientError: consoleClientError, log, ...connectionLimits }));
    }
    const [api, oss, metadata, consoleListener] = listeners as [Listener, Listener, Listener, Listener | undefined];
    // `rampart oidc issue` beside this node signs with the issuer it serves under.
    await store.settings.set(OIDC_ISSUER_SETTING, oidcIssuer.issuer);
    return {
      endpoints: { api: api.url, oss: oss.url, metadata: metadata.url, ...(consoleListener ? { console: consoleListener.url } : {}) },
      oidcIssuer: oidcIssuer.issuer,
      root,
      ...(caPath ? { caPath } : {}),
      store,
      trail,
      lifecycleSweep: { pass: (limit) => lifecycleSweep.pass(limit) },
      close: async () => {
        await Promise.all(listeners.map((l) => l.close()));
        await stopRetention();
        await lifecycleSweep.stop();
        closeNonces();
        await redis?.close();
        // Closing the store writes whatever events this turn recorded before it lets go of the journal.
        await store.close();
      },
    };
  } catch (e) {
    await Promise.all(listeners.map((l) => l.close(0)));
    await stopRetention();
    await sweep?.stop();
    closeNonces();
    await redis?.close();
    await store.close();
    throw e;
  }
}
