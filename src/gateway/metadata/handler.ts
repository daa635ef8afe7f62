// The instance metadata service (100.100.100.200 in a real deployment). It knows the calling
// instance by the address its request comes from, and hands it its RAM role's temporary
// credentials: valid 6 hours (configurable); a new set is issued 30 minutes before the old one
// expires, and both stay valid meanwhile. Hardened mode: PUT /latest/api/token mints a token
// bound to the instance, required when the instance's HttpTokens is "required".
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { conditionContext } from '../../policy/index.js';
import { clientAddress } from '../http/client-address.js';
import type { SecretBox } from '../../secrets/index.js';
import { expiration, issueSession, type IssuedSession, type Services } from '../../services/index.js';
import { Freshness, type InstanceRecord } from '../../store/index.js';
import { randomUUID } from 'node:crypto';
import type { AuditSink } from '../audit/index.js';
import type { CredentialSource } from '../../auth/index.js';
import { ApiError, arn, decodeBase64UrlStrict } from '../../model/index.js';

export interface MetadataDeps {
  services: Services;
  /** The API's verifier: a set it would refuse is never handed out again. */
  credentials: CredentialSource;
  box: SecretBox;
  log: Logger;
  now: () => number;
  /** How long an instance's credentials last (real service: 6 hours). */
  credentialSeconds: number;
  /** Every role session handed to an instance is a role assumption, and is audited as one. */
  audit?: AuditSink;
}

const RENEW_BEFORE_MS = 30 * 60 * 1000;
const ECS_SERVICE = 'ecs.aliyuncs.com';
const ECS_PRINCIPAL = { kind: 'Service', name: ECS_SERVICE } as const;
const MAX_TOKEN_TTL = 21_600;
const TOKEN_CONTEXT = 'metadata-token';

function reply(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const notFound = (res: ServerResponse) => reply(res, 404, 'Not Found');

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

interface CachedSet {
  session: IssuedSession;
  /** When the API's verifier last honoured it (a Freshness stamp). */
  verified: number;
}

export function metadataHandler(deps: MetadataDeps) {
  const credentials = new Map<string, CachedSet>();
  const freshness = new Freshness(deps.services.store.changes);

  /**
   * Whether the API would still honour a set: revocation, a re-created role or a new attachment
   * ends it. Asked again only once the instance's account has changed since the last answer.
   */
  async function honoured(cached: CachedSet, accountId: string, now: number): Promise<boolean> {
    const stamp = freshness.stamp();
    if (freshness.isFresh(accountId, cached.verified)) return true;
    try {
      await deps.credentials.resolve(cached.session.accessKeyId, cached.session.securityToken, now);
      cached.verified = stamp;
      return true;
    } catch (e) {
      if (e instanceof ApiError) return false;
      throw e;
    }
  }

  function mintToken(instance: InstanceRecord, ttlSeconds: number): string {
    const claims = { i: instance.instanceId, ip: instance.privateIp, exp: deps.now() + ttlSeconds * 1000 };
    return Buffer.from(deps.box.seal(JSON.stringify(claims), TOKEN_CONTEXT)).toString('base64url');
  }

  function tokenValid(instance: InstanceRecord, token: string): boolean {
    try {
      const raw = decodeBase64UrlStrict(token);
      if (raw === undefined) return false;
      const claims = JSON.parse(deps.box.open(raw.toString('utf8'), TOKEN_CONTEXT)) as { i: string; ip: string; exp: number };
      return claims.i === instance.instanceId && claims.ip === instance.privateIp && deps.now() < claims.exp;
    } catch {
      return false;
    }
  }

  /**
   * The instance's current set, or a new one once the current is within 30 minutes of expiry or
   * has been ended (the role revoked, deleted and re-created, or attached again): what was ended
   * is never handed out again.
   */
  async function credentialsFor(instance: InstanceRecord): Promise<IssuedSession | undefined> {
    const { ramRoleName: roleName, ramRoleAttachment: attachment } = instance;
    if (roleName === undefined || attachment === undefined) return undefined;
    const role = await deps.services.store.ram.getRole(instance.accountId, roleName);
    if (role === undefined) return undefined;
    // The role must still trust ECS; a session it would refuse is not handed out.
    if (deps.services.trust.evaluate(role, ECS_PRINCIPAL, conditionContext({})).effect !== 'Allow') return undefined;
    const now = deps.now();
    const cached = credentials.get(instance.instanceId);
    if (cached && now < cached.session.expiresAt - RENEW_BEFORE_MS && (await honoured(cached, instance.accountId, now))) return cached.session;
    const stamp = freshness.stamp();
    const session = await issueSession(deps.services.keyring, {
      role,
      sessionName: instance.instanceId,
      durationSeconds: deps.credentialSeconds,
      ...(instance.ramRolePolicy !== undefined ? { policy: instance.ramRolePolicy } : {}),
      source: ECS_PRINCIPAL,
      assumedFrom: { sourceIp: instance.privateIp, secureTransport: false },
      instance: { instanceId: instance.instanceId, attachment },
      nowMs: now,
    });
    // The event names the new session (assumed-role <role>:<instance id>), so later calls it signs line up with it.
    const { principal } = await deps.credentials.resolve(session.accessKeyId, session.securityToken, now);
    const roleArn = arn.ramRole(role.accountId, role.roleName);
    await deps.audit?.record({
      request: { requestId: randomUUID().toUpperCase(), sourceIp: instance.privateIp, secureTransport: false, userAgent: 'ecs-metadata', now: new Date(now) },
      serviceName: 'Sts',
      apiVersion: '2015-04-01',
      eventName: 'AssumeRole',
      eventRW: 'Write',
      caller: principal,
      resource: roleArn,
      requestParameters: { RoleArn: roleArn, RoleSessionName: instance.instanceId, InstanceId: instance.instanceId, Principal: ECS_SERVICE },
      responseElements: { Credentials: { AccessKeyId: session.accessKeyId, Expiration: expiration(session.expiresAt) } },
    });
    credentials.set(instance.instanceId, { session, verified: stamp });
    return session;
  }

  async function serve(req: IncomingMessage, res: ServerResponse, instance: InstanceRecord): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const base = '/latest/meta-data/';
    const simple: Record<string, string> = {
      'instance-id': instance.instanceId,
      'region-id': instance.regionId,
      hostname: instance.hostName,
      'private-ipv4': instance.privateIp,
    };
    if (path === '/latest/meta-data' || path === base) return reply(res, 200, [...Object.keys(simple), 'ram/'].join('\n'));
    if (!path.startsWith(base)) return notFound(res);
    const rest = path.slice(base.length);
    const value = simple[rest];
    if (value !== undefined) return reply(res, 200, value);
    if (rest === 'ram' || rest === 'ram/') return reply(res, 200, 'security-credentials/');
    if (!rest.startsWith('ram/security-credentials')) return notFound(res);
    const name = rest.slice('ram/security-credentials'.length).replace(/^\//, '').replace(/\/$/, '');
    if (instance.ramRoleName === undefined) return notFound(res);
    if (name === '') return reply(res, 200, instance.ramRoleName);
    if (name.toLowerCase() !== instance.ramRoleName.toLowerCase()) return notFound(res);
    const session = await credentialsFor(instance);
    if (session === undefined) return notFound(res);
    const body = JSON.stringify({
      AccessKeyId: session.accessKeyId,
      AccessKeySecret: session.accessKeySecret,
      Expiration: expiration(session.expiresAt),
      SecurityToken: session.securityToken,
      LastUpdated: expiration(session.issuedAt),
      Code: 'Success',
    });
    return reply(res, 200, body);
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const instance = await deps.services.store.ecs.byPrivateIp(clientAddress(req));
    // An address no instance was registered with gets nothing at all.
    if (instance === undefined || instance.httpEndpoint === 'disabled') return notFound(res);
    const path = (req.url ?? '/').split('?')[0];

    if (path === '/latest/api/token') {
      if (req.method !== 'PUT') return reply(res, 405, 'Method Not Allowed');
      // A proxy in front of the metadata service must not mint tokens for whoever asks it.
      if (header(req, 'x-forwarded-for') !== undefined) return reply(res, 403, 'Forbidden');
      const ttl = header(req, 'x-aliyun-ecs-metadata-token-ttl-seconds');
      if (ttl === undefined || !/^\d{1,5}$/.test(ttl) || Number(ttl) < 1 || Number(ttl) > MAX_TOKEN_TTL) return reply(res, 400, 'Bad Request');
      return reply(res, 200, mintToken(instance, Number(ttl)));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'Method Not Allowed');
    const token = header(req, 'x-aliyun-ecs-metadata-token');
    if (token !== undefined) {
      if (!tokenValid(instance, token)) return reply(res, 401, 'Unauthorized');
    } else if (instance.httpTokens === 'required') {
      return reply(res, 403, 'Forbidden');
    }
    try {
      await serve(req, res, instance);
    } catch (e) {
      deps.log.error({ err: e, instanceId: instance.instanceId }, 'metadata request failed');
      if (!res.headersSent) reply(res, 500, 'Internal Server Error');
    }
  };
}
