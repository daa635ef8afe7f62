// `rampart serve`: runs the three listeners until SIGTERM or SIGINT, then drains and exits.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { createLogger } from '../log.js';
import { flag, logLevel, startRampart, tuneGarbageCollector, type RunningRampart, type TlsConfig } from '../server/index.js';
import { DEFAULTS, parseHostPort, pick, UsageError } from './options.js';
import { isWorker, parseWorkers, reportReady, runWorkers } from './workers.js';

export const SERVE_USAGE = `rampart serve [options]
  --api HOST:PORT        API listener (RAM, STS, ...)     env RAMPART_API       default ${DEFAULTS.api}
  --oss HOST:PORT        OSS listener                     env RAMPART_OSS       default ${DEFAULTS.oss}
  --metadata HOST:PORT   instance metadata listener       env RAMPART_METADATA  default ${DEFAULTS.metadata}
  --console HOST:PORT    web console listener             env RAMPART_CONSOLE   default ${DEFAULTS.console}
  --data DIR             data directory                   env RAMPART_DATA      default ${DEFAULTS.data}
  --store URL            a PostgreSQL database shared by several nodes (postgres://user@host:5432/db[?schema=NAME])
                                                          env RAMPART_STORE     default: SQLite in DIR
  --blobs DIR            objects past 64 KiB (nodes sharing a store share it)   env RAMPART_BLOBS   default DIR/blobs
  --redis URL            nonces and call rates shared by the nodes (redis://host:6379[/db][?prefix=NAME])
                                                          env RAMPART_REDIS     default: in the store
  --workers N            processes sharing the listeners (needs --store)   env RAMPART_WORKERS   default 1
  --tls                  serve the API and OSS over https with a self-signed CA kept in DIR/tls   env RAMPART_TLS=1
  --tls-host NAME        another name or address the certificate must cover (repeatable)  env RAMPART_TLS_HOSTS=a,b
  --tls-cert FILE --tls-key FILE   serve the API and OSS over https with this certificate   env RAMPART_TLS_CERT/KEY
  --oss-callback-hosts LIST   hosts upload callbacks may go to (a.example.com,*.example.com,10.0.0.5), or none
                                                          env RAMPART_OSS_CALLBACK_HOSTS   default: any host
  --oss-callback-refuse-private   no upload callback to loopback, private or link-local addresses
                                                          env RAMPART_OSS_CALLBACK_REFUSE_PRIVATE=1
  --oss-callback-key-url URL  where app servers fetch the callbacks' public key   env RAMPART_OSS_CALLBACK_KEY_URL
                                                          default: the oss listener's /callback_pub_key_v1.pem
  --oidc-issuer URL      the iss of the OIDC tokens Rampart issues, where verifiers find /.well-known/…
                                                          env RAMPART_OIDC_ISSUER   default: the api listener's URL
Root account for scripted set-ups: RAMPART_ACCOUNT_ID, RAMPART_ROOT_ACCESS_KEY_ID, RAMPART_ROOT_ACCESS_KEY_SECRET.
Master key: RAMPART_MASTER_KEY (32 bytes, hex or base64), else DIR/master.key is created.
Garbage collection: old-generation marking on the request thread; RAMPART_CONCURRENT_GC=1 keeps V8's background marking.`;

function tlsConfig(values: { tls?: boolean; 'tls-cert'?: string; 'tls-key'?: string; 'tls-host'?: string[] }, env: NodeJS.ProcessEnv): TlsConfig | undefined {
  const certFile = pick(values['tls-cert'], env, 'RAMPART_TLS_CERT');
  const keyFile = pick(values['tls-key'], env, 'RAMPART_TLS_KEY');
  if ((certFile === undefined) !== (keyFile === undefined)) throw new UsageError('--tls-cert and --tls-key go together');
  if (certFile !== undefined && keyFile !== undefined) return { kind: 'files', certFile, keyFile };
  if (values.tls === true || flag(env, 'RAMPART_TLS')) {
    const extraHosts = [...(values['tls-host'] ?? []), ...(env['RAMPART_TLS_HOSTS'] ?? '').split(',').filter((h) => h !== '')];
    return { kind: 'self-signed', extraHosts };
  }
  return undefined;
}

function banner(running: RunningRampart, dataDir: string): string {
  const { endpoints, root } = running;
  const lines = [
    'Rampart is running.',
    `  api        ${endpoints.api}`,
    `  oss        ${endpoints.oss}`,
    `  metadata   ${endpoints.metadata}`,
    ...(endpoints.console ? [`  console    ${endpoints.console}`] : []),
    `  oidc       ${running.oidcIssuer}   (issuer)`,
    `  data       ${dataDir}`,
  ];
  if (running.caPath) lines.push(`  tls CA     ${running.caPath}   (clients: NODE_EXTRA_CA_CERTS=${running.caPath})`);
  lines.push('');
  if (root.newSecret !== undefined) {
    lines.push(
      'Root account created. Its AccessKey secret is shown this once; keep it safe:',
      `  AccountId        ${root.accountId}`,
      `  AccessKeyId      ${root.accessKeyId}`,
      `  AccessKeySecret  ${root.newSecret}`,
    );
  } else {
    lines.push(`Root account ${root.accountId}, AccessKeyId ${root.accessKeyId} (secret shown when it was created).`);
  }
  return lines.join('\n') + '\n';
}

export async function serve(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      api: { type: 'string' },
      oss: { type: 'string' },
      metadata: { type: 'string' },
      console: { type: 'string' },
      data: { type: 'string' },
      store: { type: 'string' },
      blobs: { type: 'string' },
      redis: { type: 'string' },
      workers: { type: 'string' },
      tls: { type: 'boolean' },
      'tls-host': { type: 'string', multiple: true },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'oss-callback-hosts': { type: 'string' },
      'oss-callback-refuse-private': { type: 'boolean' },
      'oss-callback-key-url': { type: 'string' },
      'oidc-issuer': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const dataDir = resolve(pick(values.data, env, 'RAMPART_DATA', DEFAULTS.data));
  const tls = tlsConfig(values, env);
  const log = createLogger(logLevel(env));
  const workers = parseWorkers(pick(values.workers, env, 'RAMPART_WORKERS'));
  // Workers share state as nodes do: an embedded SQLite file would give each its own nonces.
  if (workers > 1 && pick(values.store, env, 'RAMPART_STORE') === undefined) throw new UsageError('--workers needs --store: the workers share their state through PostgreSQL, as nodes do');
  if (workers > 1 && !isWorker()) {
    process.exitCode = await runWorkers(workers);
    return;
  }
  tuneGarbageCollector(env);
  const running = await startRampart({
    dataDir,
    // The environment's RAMPART_STORE, _BLOBS and _REDIS are read where every setting is.
    ...(values.store !== undefined ? { store: values.store } : {}),
    ...(values.blobs !== undefined ? { blobsDir: values.blobs } : {}),
    ...(values.redis !== undefined ? { redis: values.redis } : {}),
    api: parseHostPort(pick(values.api, env, 'RAMPART_API', DEFAULTS.api), '--api'),
    oss: parseHostPort(pick(values.oss, env, 'RAMPART_OSS', DEFAULTS.oss), '--oss'),
    metadata: parseHostPort(pick(values.metadata, env, 'RAMPART_METADATA', DEFAULTS.metadata), '--metadata'),
    console: parseHostPort(pick(values.console, env, 'RAMPART_CONSOLE', DEFAULTS.console), '--console'),
    ...(tls ? { tls } : {}),
    // The environment's RAMPART_OSS_CALLBACK_* are read where every setting is; flags come first.
    ossCallbacks: {
      ...(values['oss-callback-hosts'] !== undefined ? { allowedHosts: values['oss-callback-hosts'].trim() === 'none' ? [] : values['oss-callback-hosts'].split(',').filter((h) => h.trim() !== '') } : {}),
      ...(values['oss-callback-refuse-private'] === true ? { refusePrivateAddresses: true } : {}),
      ...(values['oss-callback-key-url'] !== undefined ? { publicKeyUrl: values['oss-callback-key-url'] } : {}),
    },
    ...(values['oidc-issuer'] !== undefined ? { oidcIssuer: values['oidc-issuer'] } : {}),
    env,
    log,
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A worker hears a terminal's Ctrl-C and its primary's relay of it: the primary decides.
      if (isWorker()) return;
      log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'draining in-flight requests');
    running.close().then(
      () => {
        log.info('stopped');
        log.flush();
        process.exitCode = 0;
        // A worker's channel to its primary would keep it alive.
        if (isWorker()) process.disconnect?.();
      },
      (e: unknown) => {
        log.error({ err: e }, 'error while stopping');
        process.exitCode = 1;
      },
    );
  };
  // Handlers first: whoever reads the banner may signal at once.
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (isWorker()) reportReady(banner(running, dataDir));
  else process.stdout.write(banner(running, dataDir));
  log.info({ endpoints: running.endpoints }, 'listening');
}
