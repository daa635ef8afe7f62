// Console sign-in sessions. The browser holds a random session id in an HttpOnly cookie; this node
// keeps only its SHA-256, so a memory dump or a log line never holds a usable id. A session names
// who signed in, never what they may do: every request resolves the principal afresh, so a key
// disabled or a user deleted ends the session at once. Each session has its own CSRF token, which
// every change must echo in a header (a cross-site form can send the cookie, never the header).
import { createHash, randomBytes } from 'node:crypto';
import { signaturesEqual } from '../../auth/constant-time.js';

/** Who signed in: the account root with one of its AccessKeys, or a RAM user with a password. */
export type ConsoleSubject = { kind: 'root'; accountId: string; accessKeyId: string } | { kind: 'user'; accountId: string; userId: string };

export interface ConsoleSession {
  subject: ConsoleSubject;
  csrfToken: string;
  /** The sign-in passed a second factor (acs:MFAPresent). */
  mfa: boolean;
  /** The login profile asked for a new password: until then the session may only change it. */
  passwordResetRequired: boolean;
  /**
   * The role the signed-in principal switched into: its STS credentials, kept here and never sent
   * to the browser. Calls run as that role session until "back to my identity" or until it ends.
   */
  switched?: SwitchedRole;
  createdMs: number;
  lastSeenMs: number;
}

export interface SwitchedRole {
  accessKeyId: string;
  securityToken: string;
}

export interface SessionLimits {
  /** A session unused this long ends. */
  idleMs: number;
  /** A session ends this long after sign-in, used or not. */
  absoluteMs: number;
  /** Sessions this node keeps; past it, the least recently used go first. */
  max: number;
}

/** [U] Ours: a quarter of an hour idle, a working day (8 hours) in all. */
export const DEFAULT_SESSION_LIMITS: SessionLimits = { idleMs: 15 * 60_000, absoluteMs: 8 * 3_600_000, max: 10_000 };

const digest = (id: string) => createHash('sha256').update(id).digest('base64url');
const token = () => randomBytes(32).toString('base64url');

/** A session id's shape: what `token()` makes. Anything else is not looked up. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export class ConsoleSessions {
  // Insertion order is use order (a use re-inserts), so the first entry is the least recently used.
  readonly #sessions = new Map<string, ConsoleSession>();

  constructor(readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS) {}

  /** Starts a session; the id goes to the browser and nowhere else. */
  create(subject: ConsoleSubject, nowMs: number, options: { mfa?: boolean; passwordResetRequired?: boolean } = {}): { id: string; session: ConsoleSession } {
    const id = token();
    const session: ConsoleSession = { subject, csrfToken: token(), mfa: options.mfa ?? false, passwordResetRequired: options.passwordResetRequired ?? false, createdMs: nowMs, lastSeenMs: nowMs };
    this.#sessions.set(digest(id), session);
    while (this.#sessions.size > this.limits.max) this.#sessions.delete(this.#sessions.keys().next().value!);
    return { id, session };
  }

  /** The live session with this id, marked used; undefined (and forgotten) once it has timed out. */
  use(id: string | undefined, nowMs: number): ConsoleSession | undefined {
    if (id === undefined || !SESSION_ID.test(id)) return undefined;
    const key = digest(id);
    const session = this.#sessions.get(key);
    if (session === undefined) return undefined;
    this.#sessions.delete(key);
    if (nowMs - session.lastSeenMs > this.limits.idleMs || nowMs - session.createdMs > this.limits.absoluteMs) return undefined;
    session.lastSeenMs = nowMs;
    this.#sessions.set(key, session);
    return session;
  }

  end(id: string | undefined): void {
    if (id !== undefined && SESSION_ID.test(id)) this.#sessions.delete(digest(id));
  }

  /** Ends every session of one subject (its password changed, its key was deleted). */
  endAllOf(match: (s: ConsoleSubject) => boolean): void {
    for (const [key, session] of this.#sessions) if (match(session.subject)) this.#sessions.delete(key);
  }

  get size(): number {
    return this.#sessions.size;
  }
}

/** Whether a request's CSRF header matches its session's token (in constant time). */
export function csrfMatches(session: ConsoleSession, header: string | string[] | undefined): boolean {
  return typeof header === 'string' && signaturesEqual(session.csrfToken, header);
}
