// Issuing a role session: the one place temporary credentials are made, for AssumeRole and for
// the instance metadata service alike. Nothing is written: the token is sealed.
import { isoSeconds, randomBase62, type SessionLink, type SessionSource } from '../../model/index.js';
import type { RoleRecord } from '../../store/index.js';
import { sealSessionToken, sessionSecret, type Keyring } from '../../tokens/index.js';

export interface SessionRequest {
  role: RoleRecord;
  sessionName: string;
  durationSeconds: number;
  policy?: string;
  externalId?: string;
  source: SessionSource;
  assumedFrom: { sourceIp: string; secureTransport: boolean };
  /** For an instance's role: the session ends when the instance loses this attachment of the role. */
  instance?: { instanceId: string; attachment: string };
  /** For role chaining: the calling session's chain; the new session ends with any of them. */
  chain?: readonly SessionLink[];
  /** The latest the session may end (a chained session never outlives the one it came from). */
  notAfter?: number;
  nowMs: number;
}

export interface IssuedSession {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  issuedAt: number;
  expiresAt: number;
}

export async function issueSession(keyring: Keyring, req: SessionRequest): Promise<IssuedSession> {
  const key = await keyring.current();
  const expiresAt = Math.min(req.nowMs + req.durationSeconds * 1000, req.notAfter ?? Infinity);
  const accessKeyId = `STS.${randomBase62(25)}`;
  const securityToken = sealSessionToken(key, {
    accountId: req.role.accountId,
    roleId: req.role.roleId,
    roleName: req.role.roleName,
    sessionName: req.sessionName,
    accessKeyId,
    issuedAt: req.nowMs,
    expiresAt,
    ...(req.policy !== undefined ? { policy: req.policy } : {}),
    ...(req.externalId !== undefined ? { externalId: req.externalId } : {}),
    ...(req.instance !== undefined ? { instanceId: req.instance.instanceId, attachment: req.instance.attachment } : {}),
    source: req.source,
    assumedFrom: req.assumedFrom,
    ...(req.chain !== undefined && req.chain.length > 0 ? { chain: [...req.chain] } : {}),
  });
  return { accessKeyId, accessKeySecret: sessionSecret(key, accessKeyId), securityToken, issuedAt: req.nowMs, expiresAt };
}

/** Expiration as the SDKs require it: yyyy-MM-ddTHH:mm:ssZ. */
export const expiration = (ms: number): string => isoSeconds(ms);

/** A session's Credentials as every AssumeRole* answer gives them. */
export const credentialsAnswer = (session: IssuedSession) => ({
  AccessKeyId: session.accessKeyId,
  AccessKeySecret: session.accessKeySecret,
  SecurityToken: session.securityToken,
  Expiration: expiration(session.expiresAt),
});
