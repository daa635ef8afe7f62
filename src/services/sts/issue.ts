// Issuing a role session: the one place temporary credentials are made, for AssumeRole and for
// the instance metadata service alike. Nothing is written: the token is sealed.
import { isoSeconds, randomBase62, type SessionSource } from '../../model/index.js';
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
  /** For an instance's role: the session ends when the instance loses the role. */
  instanceId?: string;
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
  const expiresAt = req.nowMs + req.durationSeconds * 1000;
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
    ...(req.instanceId !== undefined ? { instanceId: req.instanceId } : {}),
    source: req.source,
    assumedFrom: req.assumedFrom,
  });
  return { accessKeyId, accessKeySecret: sessionSecret(key, accessKeyId), securityToken, issuedAt: req.nowMs, expiresAt };
}

/** Expiration as the SDKs require it: yyyy-MM-ddTHH:mm:ssZ. */
export const expiration = (ms: number): string => isoSeconds(ms);
