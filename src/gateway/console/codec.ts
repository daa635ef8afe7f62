// The console's calls: `POST /api/call` with {Version, Action, Params} in JSON, made by the signed-in
// principal. The caller is the session's subject, resolved afresh for every call (a disabled key or a
// deleted user ends the session); the action is the catalog's, prepared, authorized and audited as
// the api listener's are, recorded as ActionTrail's ConsoleOperation. Answers are the API's JSON.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CredentialSource, SigningCredential } from '../../auth/index.js';
import { ApiError, CommonErrors, newRequestId, principalArn, type Principal } from '../../model/index.js';
import type { Catalog, RequestFacts, ResolvedAction, Services } from '../../services/index.js';
import { errorBody } from '../api/render.js';
import { catalogOperation } from '../catalog-operation.js';
import { BodyTooLargeError, readBody } from '../http/read-body.js';
import type { Codec } from '../lifecycle.js';
import { csrfMatches, type ConsoleSession, type ConsoleSessions, type ConsoleSubject } from './sessions.js';

export const SESSION_COOKIE = 'rampart_console';
export const CSRF_HEADER = 'x-rampart-csrf';
const MAX_CALL_BYTES = 256 * 1024;
const NOTHING = new Set<string>();

export const ConsoleErrors = {
  signInRequired: () => new ApiError('ConsoleSession.Required', 'Sign in to the console first (the session is missing, has timed out or has ended).', 401),
  csrf: () => new ApiError('ConsoleSession.CsrfTokenMismatch', 'The request does not carry this session\'s CSRF token; reload the console.', 403),
  crossOrigin: () => new ApiError('ConsoleSession.CrossOrigin', 'The console answers only pages of its own origin.', 403),
  passwordResetRequired: () => new ApiError('ConsoleSession.PasswordResetRequired', 'Change your password before anything else.', 403),
  roleSessionEnded: (why: string) => new ApiError('ConsoleSession.RoleSessionEnded', `The role session this console switched into has ended (${why}); you are back to your own identity.`, 401),
  badLink: () => new ApiError('AccessDenied', 'The link has expired, is not valid, or its maker may no longer read the object.', 403),
  switchOnlyAssumeRole: () => new ApiError('InvalidParameter', 'Switch is only for STS AssumeRole.', 400),
  badCall: (why: string) => new ApiError('InvalidParameter', `The console call is malformed: ${why}.`, 400),
};

/** One cookie's value from a Cookie header. */
export function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * A change must come from a page of the console's own origin: a browser names the page's origin in
 * Origin on every POST; a request without it is not a browser's, and the CSRF token still binds it.
 */
export function sameOrigin(req: IncomingMessage, secureTransport: boolean): boolean {
  const origin = req.headers.origin;
  return origin === undefined || origin === `${secureTransport ? 'https' : 'http'}://${req.headers.host ?? ''}`;
}

/** Reads a JSON object body: bounded, and a clear error for anything else. */
export async function jsonBody(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  if (!/^application\/json(;|$)/i.test(req.headers['content-type'] ?? '')) throw ConsoleErrors.badCall('the body must be application/json');
  let text: string;
  try {
    text = (await readBody(req, limit)).toString('utf8');
  } catch (e) {
    if (e instanceof BodyTooLargeError) throw ConsoleErrors.badCall(`the body is larger than ${limit} bytes`);
    throw e;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw ConsoleErrors.badCall('the body is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw ConsoleErrors.badCall('the body must be a JSON object');
  return value as Record<string, unknown>;
}

/**
 * Who a session acts as now: the role it switched into, else who signed in; undefined when the
 * signed-in principal may no longer act. A role session that has ended (expired, revoked, its role
 * deleted or no longer trusting) is dropped, and the caller told, never silently replaced.
 */
export async function actingPrincipal(session: ConsoleSession, services: Services, credentials: CredentialSource, nowMs: number): Promise<Principal | undefined> {
  return (await actingAndSelf(session, services, credentials, nowMs))?.acting;
}

/** Whom the session acts as, and who signed in (the same principal unless it switched into a role). */
export async function actingAndSelf(session: ConsoleSession, services: Services, credentials: CredentialSource, nowMs: number): Promise<{ acting: Principal; self: Principal } | undefined> {
  const self = await principalOf(session.subject, services, credentials, nowMs, session.mfa);
  if (self === undefined || session.switched === undefined) return self && { acting: self, self };
  try {
    return { acting: (await credentials.resolve(session.switched.accessKeyId, session.switched.securityToken, nowMs)).principal, self };
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    session.switched = undefined;
    throw ConsoleErrors.roleSessionEnded(e.code);
  }
}

/** A long-term AccessKey's credential, or undefined where the API would refuse it (unknown, disabled…). */
export async function resolvedOrNone(credentials: CredentialSource, accessKeyId: string, nowMs: number): Promise<SigningCredential | undefined> {
  try {
    return await credentials.resolve(accessKeyId, undefined, nowMs);
  } catch (e) {
    if (e instanceof ApiError) return undefined;
    throw e;
  }
}

/** The principal a session's subject is now, or undefined when it no longer may sign anything. */
export async function principalOf(subject: ConsoleSubject, services: Services, credentials: CredentialSource, nowMs: number, mfa = false): Promise<Principal | undefined> {
  if (subject.kind === 'root') {
    const c = await resolvedOrNone(credentials, subject.accessKeyId, nowMs);
    return c?.principal.type === 'Account' ? c.principal : undefined;
  }
  const user = await services.store.ram.getUserById(subject.userId);
  if (user === undefined || user.accountId !== subject.accountId || (await services.store.ram.getLoginProfile(user.userId)) === undefined) return undefined;
  // A console session signs with no AccessKey.
  return { type: 'RAMUser', accountId: user.accountId, userId: user.userId, userName: user.userName, accessKeyId: '', ...(mfa ? { mfaPresent: true } : {}) };
}

export interface ConsoleCallDeps {
  catalog: Catalog;
  services: Services;
  credentials: CredentialSource;
  sessions: ConsoleSessions;
  secureTransport: boolean;
}

/** What a change brings to prove its session: read off the request before its body. */
export interface SessionProof {
  /** The session cookie's value: the sealed session. */
  cookie: string | undefined;
  csrf: string | string[] | undefined;
  sameOrigin: boolean;
}

export const sessionProof = (req: IncomingMessage, secureTransport: boolean): SessionProof => ({
  cookie: cookie(req, SESSION_COOKIE),
  csrf: req.headers[CSRF_HEADER],
  sameOrigin: sameOrigin(req, secureTransport),
});

/** A session that may make changes: live, same-origin, with its CSRF token. */
export async function actingSession(proof: SessionProof, sessions: ConsoleSessions, nowMs: number): Promise<ConsoleSession> {
  if (!proof.sameOrigin) throw ConsoleErrors.crossOrigin();
  const session = await sessions.use(proof.cookie, nowMs);
  if (session === undefined) throw ConsoleErrors.signInRequired();
  if (!csrfMatches(session, proof.csrf)) throw ConsoleErrors.csrf();
  return session;
}

interface CallParsed {
  proof: SessionProof;
  /** The call is an AssumeRole whose session the console switches into (its credentials stay here). */
  switchRole: boolean;
  /** Known once authenticated. */
  session?: ConsoleSession;
  /** The product's endpoint prefix (ram, sts…), needed only where two products share a version. */
  product: string;
  version: string;
  action: string;
  params: Map<string, string>;
}

export function consoleCallCodec(deps: ConsoleCallDeps): Codec<CallParsed, { principal: Principal; resolved: ResolvedAction }, object> {
  return {
    name: 'console',
    requestIdHeader: 'x-acs-request-id',
    newRequestId: () => newRequestId(),

    async parse(req) {
      const proof = sessionProof(req, deps.secureTransport);
      const body = await jsonBody(req, MAX_CALL_BYTES);
      const { Product: product = '', Version: version, Action: action, Params: params = {}, Switch: switchRole = false } = body;
      if (typeof switchRole !== 'boolean') throw ConsoleErrors.badCall('Switch must be true or false');
      if (typeof version !== 'string' || typeof action !== 'string' || typeof product !== 'string') throw ConsoleErrors.badCall('Product, Version and Action must be strings');
      if (typeof params !== 'object' || params === null || Array.isArray(params)) throw ConsoleErrors.badCall('Params must be an object');
      const map = new Map<string, string>();
      for (const [k, v] of Object.entries(params)) {
        if (typeof v !== 'string') throw ConsoleErrors.badCall(`the parameter ${k} must be a string`);
        map.set(k, v);
      }
      return { proof, switchRole, product, version, action, params: map };
    },

    async authenticate(parsed, facts: RequestFacts) {
      const nowMs = facts.now.getTime();
      const session = await actingSession(parsed.proof, deps.sessions, nowMs);
      // Known before anything else can fail: whatever the answer, the browser gets the session back
      // as it now is (used just now; a role session that ended, dropped).
      parsed.session = session;
      const principal = await actingPrincipal(session, deps.services, deps.credentials, nowMs);
      if (principal === undefined) throw ConsoleErrors.signInRequired();
      const resolved = deps.catalog.resolve(parsed.version, parsed.action, parsed.product);
      // Until the password is changed, the session may do that and nothing else.
      if (session.passwordResetRequired && resolved.action.name !== 'ChangePassword') throw ConsoleErrors.passwordResetRequired();
      if (parsed.switchRole && !(resolved.product.code === 'Sts' && resolved.action.name === 'AssumeRole')) throw ConsoleErrors.switchOnlyAssumeRole();
      facts.params = parsed.params;
      return { principal, resolved };
    },

    identify(parsed, { principal, resolved }, facts) {
      return catalogOperation(resolved, principal, parsed.params, facts, deps.services, { notAudited: NOTHING, common: NOTHING, type: 'ConsoleOperation' });
    },

    refuse: (_caller, _check, _decision, detail) => CommonErrors.noPermission({ AccessDeniedDetail: detail() }),

    async render(res: ServerResponse, parsed, result, facts) {
      if (parsed.switchRole && parsed.session !== undefined) {
        // The role's credentials stay in the session; the page learns only whom it now acts as.
        const { AccessKeyId: accessKeyId, SecurityToken: securityToken } = (result as { Credentials: { AccessKeyId: string; SecurityToken: string } }).Credentials;
        parsed.session.switched = { accessKeyId, securityToken };
        const principal = await actingPrincipal(parsed.session, deps.services, deps.credentials, facts.now.getTime());
        giveBack(res, deps.sessions, parsed.session, deps.secureTransport);
        sendJson(res, 200, { RequestId: facts.requestId, Identity: principal === undefined ? undefined : consoleIdentity(principal) });
        return;
      }
      // The new password was set: the session may do everything its principal may.
      if (parsed.action === 'ChangePassword' && parsed.session !== undefined) parsed.session.passwordResetRequired = false;
      if (parsed.session !== undefined) giveBack(res, deps.sessions, parsed.session, deps.secureTransport);
      sendJson(res, 200, { RequestId: facts.requestId, ...result });
    },

    renderError(res, parsed, error, facts) {
      if (parsed?.session !== undefined) giveBack(res, deps.sessions, parsed.session, deps.secureTransport);
      sendJson(res, error.httpStatus, errorBody(error, facts.requestId, 'rampart-console'), error.headers);
    },

    logFields: (parsed) => ({ action: parsed?.action, version: parsed?.version }),
  };
}

/** The session cookie: HttpOnly, same-site only, Secure over TLS; an empty one clears it. */
export function sessionCookie(value: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}${value === '' ? '; Max-Age=0' : ''}`;
}

/** Hands the session back to the browser as it now is (used just now, perhaps changed). */
export function giveBack(res: ServerResponse, sessions: ConsoleSessions, session: ConsoleSession, secure: boolean): void {
  res.setHeader('set-cookie', sessionCookie(sessions.seal(session), secure));
}

/** Who the console acts as, in the words the pages show. */
export function consoleIdentity(p: Principal) {
  return {
    Type: p.type,
    AccountId: p.accountId,
    Arn: principalArn(p),
    ...(p.type === 'RAMUser' ? { UserName: p.userName, UserId: p.userId } : {}),
    ...(p.type === 'AssumedRoleUser' ? { RoleName: p.roleName, RoleSessionName: p.sessionName } : {}),
  };
}

export function sendJson(res: ServerResponse, status: number, body: object, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}
