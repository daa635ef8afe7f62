// Console sign-in sessions, carried by the browser: the cookie holds the session itself, sealed
// with the master key (AES-256-GCM), so any node (or worker) that shares the master key can read it
// and none can be forged or altered. The session names who signed in, never what they may do:
// every request resolves the principal afresh, so a key disabled or a user deleted ends it at once.
// The cookie is re-sealed on every use (the idle clock restarts); a sign-out is recorded in the
// store until the session would have ended anyway, so it holds on every node. Each session has its
// own CSRF token, which every change must echo in a header (a cross-site form can send the cookie,
// never the header).
import { randomBytes } from 'node:crypto';
import { signaturesEqual } from '../../auth/constant-time.js';
import type { SecretBox } from '../../secrets/index.js';

/** Who signed in: the account root with one of its AccessKeys, or a RAM user with a password. */
export type ConsoleSubject = { kind: 'root'; accountId: string; accessKeyId: string } | { kind: 'user'; accountId: string; userId: string };

export interface SwitchedRole {
  accessKeyId: string;
  securityToken: string;
}

export interface ConsoleSession {
  /** Names the session in the sign-out record. */
  sid: string;
  subject: ConsoleSubject;
  csrfToken: string;
  /** The sign-in passed a second factor (acs:MFAPresent). */
  mfa: boolean;
  /** The login profile asked for a new password: until then the session may only change it. */
  passwordResetRequired: boolean;
  /**
   * The role the signed-in principal switched into: its STS AccessKeyId and (sealed) token, never
   * its secret, which nothing here needs. Calls run as that role session until "back to my
   * identity" or until it ends.
   */
  switched?: SwitchedRole;
  createdMs: number;
  lastSeenMs: number;
}

export interface SessionLimits {
  /** A session unused this long ends. */
  idleMs: number;
  /** A session ends this long after sign-in, used or not. */
  absoluteMs: number;
}

/** [U] Ours: a quarter of an hour idle, a working day (8 hours) in all. */
export const DEFAULT_SESSION_LIMITS: SessionLimits = { idleMs: 15 * 60_000, absoluteMs: 8 * 3_600_000 };

/** Where sign-outs are kept, shared by the nodes (the store's settings). */
export interface SignOuts {
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
}

const CONTEXT = 'rampart console session v1';
const token = () => randomBytes(32).toString('base64url');
const signedOut = (sid: string) => `console.signed-out.${sid}`;
/** What a sealed cookie looks like (base64url); anything else is not opened. */
const COOKIE = /^[A-Za-z0-9_-]{40,8192}$/;

export class ConsoleSessions {
  constructor(
    private readonly box: SecretBox,
    private readonly signOuts: SignOuts,
    readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS,
  ) {}

  /** A new session (a new sid and CSRF token: nothing of an earlier one is kept). */
  create(subject: ConsoleSubject, nowMs: number, options: { mfa?: boolean; passwordResetRequired?: boolean } = {}): ConsoleSession {
    return { sid: token(), subject, csrfToken: token(), mfa: options.mfa ?? false, passwordResetRequired: options.passwordResetRequired ?? false, createdMs: nowMs, lastSeenMs: nowMs };
  }

  /** The cookie's value for the session as it is now. */
  seal(session: ConsoleSession): string {
    return Buffer.from(this.box.seal(JSON.stringify(session), CONTEXT)).toString('base64url');
  }

  /** The live session a cookie holds, marked used now; undefined when forged, timed out or signed out. */
  async use(cookie: string | undefined, nowMs: number): Promise<ConsoleSession | undefined> {
    if (cookie === undefined || !COOKIE.test(cookie)) return undefined;
    let session: ConsoleSession;
    try {
      session = JSON.parse(this.box.open(Buffer.from(cookie, 'base64url').toString('utf8'), CONTEXT)) as ConsoleSession;
    } catch {
      return undefined;
    }
    if (nowMs - session.lastSeenMs > this.limits.idleMs || nowMs - session.createdMs > this.limits.absoluteMs) return undefined;
    if ((await this.signOuts.get(signedOut(session.sid))) !== undefined) return undefined;
    session.lastSeenMs = nowMs;
    return session;
  }

  /** Ends the session on every node. */
  async end(session: ConsoleSession): Promise<void> {
    await this.signOuts.set(signedOut(session.sid), String(session.createdMs + this.limits.absoluteMs));
  }
}

/** Whether a request's CSRF header matches its session's token (in constant time). */
export function csrfMatches(session: ConsoleSession, header: string | string[] | undefined): boolean {
  return typeof header === 'string' && signaturesEqual(session.csrfToken, header);
}
