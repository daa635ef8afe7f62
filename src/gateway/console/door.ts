// The console listener: the built pages, and a small JSON API under /api/ for them.
//   GET  /api/session   who is signed in (and the session's CSRF token), or SignedIn: false
//   POST /api/signin    {Kind: root, AccessKeyId, AccessKeySecret} | {Kind: user, Account, UserName, Password, MFACode?}
//   POST /api/switch-back  leave the role switched into (a call of sts AssumeRole with Switch: true)
//   POST /api/signout
//   POST /api/call      {Product?, Version, Action, Params}: one catalog action, through the lifecycle
//   *    /api/oss/…     OSS's own operations, path style (oss.ts)
//   POST /api/oss-link  {Bucket, Key, Expires}: a link that reads one object until it expires
//   GET  /api/oss-link/… the object a link names, as the principal who made it
// Sign-in and sign-out are not catalog actions, but are recorded as ActionTrail records them
// (ConsoleSignin, ConsoleSignout). Every answer under /api/ is JSON in the API's error format.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { CredentialSource } from '../../auth/index.js';
import { ApiError, CommonErrors, newRequestId, type Principal } from '../../model/index.js';
import type { Catalog, Services } from '../../services/index.js';
import { StoreUnavailableError } from '../../store/index.js';
import type { AuditSink } from '../audit/index.js';
import { errorBody } from '../api/render.js';
import { requestFacts } from '../http/request-facts.js';
import { lifecycle, type LifecycleDeps } from '../lifecycle.js';
import { SECURITY_HEADERS, type ConsoleAssets } from './assets.js';
import { actingAndSelf, actingSession, consoleCallCodec, ConsoleErrors, consoleIdentity, cookie, giveBack, jsonBody, principalOf, sendJson, SESSION_COOKIE, sessionCookie, sessionProof } from './codec.js';
import type { ConsoleSession, ConsoleSessions } from './sessions.js';
import { CONSOLE_LINK_PATH, CONSOLE_OSS_PATH, consoleOssDoor, LINK_SECONDS, sealLink, type ConsoleOssDeps } from './oss.js';
import { ConsoleSignIn, type SignInRequest } from './signin.js';

export interface ConsoleDeps {
  /** Object storage for the console's bucket pages (the OSS listener's blobs and limits). */
  oss: Pick<ConsoleOssDeps, 'blobs' | 'limits' | 'auth'>;
  catalog: Catalog;
  services: Services;
  credentials: CredentialSource;
  sessions: ConsoleSessions;
  audit: AuditSink | undefined;
  assets: ConsoleAssets;
  log: Logger;
}

const MAX_SIGNIN_BYTES = 8 * 1024;

function signInRequest(body: Record<string, unknown>): SignInRequest {
  const text = (name: string, max: number): string => {
    const v = body[name];
    if (typeof v !== 'string' || v === '' || v.length > max) throw ConsoleErrors.badCall(`${name} must be a string of 1 to ${max} characters`);
    return v;
  };
  if (body['Kind'] === 'root') return { kind: 'root', accessKeyId: text('AccessKeyId', 128), accessKeySecret: text('AccessKeySecret', 128) };
  if (body['Kind'] === 'user') {
    const code = body['MFACode'];
    if (code !== undefined && (typeof code !== 'string' || !/^\d{6}$/.test(code))) throw ConsoleErrors.badCall('MFACode must be six digits');
    return { kind: 'user', account: text('Account', 64), userName: text('UserName', 64), password: text('Password', 128), ...(code !== undefined ? { mfaCode: code } : {}) };
  }
  throw ConsoleErrors.badCall('Kind must be root or user');
}

/** Whom the session acts as and, when it switched into a role, who signed in. */
function sessionAnswer(requestId: string, session: ConsoleSession, acting: Principal, self: Principal) {
  return {
    RequestId: requestId,
    SignedIn: true,
    Identity: consoleIdentity(acting),
    ...(acting !== self ? { SignedInAs: consoleIdentity(self) } : {}),
    CsrfToken: session.csrfToken,
    PasswordResetRequired: session.passwordResetRequired,
    MFAPresent: session.mfa,
  };
}

export function consoleFrontDoor(deps: ConsoleDeps, lifecycleDeps: LifecycleDeps, secureTransport: boolean) {
  const signIn = new ConsoleSignIn({ store: deps.services.store, box: deps.services.box, credentials: deps.credentials, audit: deps.audit });
  const call = lifecycle(consoleCallCodec({ ...deps, secureTransport }), lifecycleDeps, secureTransport);
  const oss = consoleOssDoor({ ...deps.oss, box: deps.services.box, services: deps.services, credentials: deps.credentials, sessions: deps.sessions, secureTransport }, lifecycleDeps);

  /** The console's own routes (not catalog actions), each answering JSON. */
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse, requestId: string) => Promise<void>> = {
    'GET /api/session': async (req, res, requestId) => {
      const nowMs = lifecycleDeps.now();
      const session = await deps.sessions.use(cookie(req, SESSION_COOKIE), nowMs);
      const who = session && (await actingAndSelf(session, deps.services, deps.credentials, nowMs).catch((e: unknown) => {
        // A role session that ended: the session goes on as who signed in, and says so next time.
        giveBack(res, deps.sessions, session, secureTransport);
        throw e;
      }));
      // Asking is not an error: a page that just loaded asks before anyone has signed in.
      if (session === undefined || who === undefined) sendJson(res, 200, { RequestId: requestId, SignedIn: false });
      else {
        giveBack(res, deps.sessions, session, secureTransport);
        sendJson(res, 200, sessionAnswer(requestId, session, who.acting, who.self));
      }
    },
    'POST /api/signin': async (req, res, requestId) => {
      const proof = sessionProof(req, secureTransport);
      if (!proof.sameOrigin) throw ConsoleErrors.crossOrigin();
      const request = signInRequest(await jsonBody(req, MAX_SIGNIN_BYTES));
      const facts = requestFacts(req, requestId, secureTransport, lifecycleDeps.now());
      const signedIn = await signIn.signIn(request, facts);
      // A new sign-in gets a new session, whatever the browser held before (no session fixation).
      const earlier = await deps.sessions.use(proof.cookie, facts.now.getTime());
      if (earlier !== undefined) await deps.sessions.end(earlier);
      const session = deps.sessions.create(signedIn.subject, facts.now.getTime(), { passwordResetRequired: signedIn.passwordResetRequired, mfa: signedIn.mfa });
      giveBack(res, deps.sessions, session, secureTransport);
      sendJson(res, 200, sessionAnswer(requestId, session, signedIn.principal, signedIn.principal));
    },
    'POST /api/switch-back': async (req, res, requestId) => {
      const nowMs = lifecycleDeps.now();
      const session = await actingSession(sessionProof(req, secureTransport), deps.sessions, nowMs);
      session.switched = undefined;
      const principal = await principalOf(session.subject, deps.services, deps.credentials, nowMs, session.mfa);
      if (principal === undefined) throw ConsoleErrors.signInRequired();
      giveBack(res, deps.sessions, session, secureTransport);
      sendJson(res, 200, sessionAnswer(requestId, session, principal, principal));
    },
    'POST /api/oss-link': async (req, res, requestId) => {
      const nowMs = lifecycleDeps.now();
      const session = await actingSession(sessionProof(req, secureTransport), deps.sessions, nowMs);
      const body = await jsonBody(req, MAX_SIGNIN_BYTES);
      const { Bucket: bucket, Key: key, Expires: expires } = body;
      if (typeof bucket !== 'string' || bucket === '' || typeof key !== 'string' || key === '') throw ConsoleErrors.badCall('Bucket and Key must be names');
      if (typeof expires !== 'number' || !Number.isInteger(expires) || expires < LINK_SECONDS.min || expires > LINK_SECONDS.max) throw ConsoleErrors.badCall(`Expires must be whole seconds from ${LINK_SECONDS.min} to ${LINK_SECONDS.max}`);
      const expiresMs = nowMs + expires * 1000;
      const link = sealLink(deps.services.box, { session, bucket, key, expiresMs });
      sendJson(res, 200, { RequestId: requestId, Url: `${secureTransport ? 'https' : 'http'}://${req.headers.host ?? ''}${CONSOLE_LINK_PATH}${link}`, Expiration: new Date(expiresMs).toISOString() });
    },
    'POST /api/signout': async (req, res, requestId) => {
      const proof = sessionProof(req, secureTransport);
      const facts = requestFacts(req, requestId, secureTransport, lifecycleDeps.now());
      const session = await actingSession(proof, deps.sessions, facts.now.getTime());
      await deps.sessions.end(session);
      const principal = await principalOf(session.subject, deps.services, deps.credentials, facts.now.getTime(), session.mfa);
      if (principal !== undefined) await signIn.signedOut(principal, facts);
      res.setHeader('set-cookie', sessionCookie('', secureTransport));
      sendJson(res, 200, { RequestId: requestId });
    },
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/api/call' && req.method === 'POST') return call(req, res);
    if (path === CONSOLE_OSS_PATH || path.startsWith(`${CONSOLE_OSS_PATH}/`) || path.startsWith(CONSOLE_LINK_PATH)) return oss(req, res);
    if (path.startsWith('/api/')) {
      const requestId = newRequestId();
      res.setHeader('x-acs-request-id', requestId);
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
      try {
        const route = routes[`${req.method} ${path}`];
        if (route === undefined) throw new ApiError('NotFound', `The console has no ${req.method} ${path}.`, 404);
        await route(req, res, requestId);
      } catch (e) {
        const error = e instanceof ApiError ? e : e instanceof StoreUnavailableError ? CommonErrors.serviceUnavailable() : CommonErrors.internal();
        if (!(e instanceof ApiError)) deps.log.error({ err: e, requestId }, 'console internal error');
        if (!res.headersSent) sendJson(res, error.httpStatus, errorBody(error, requestId, 'rampart-console'));
        else res.destroy();
      }
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...SECURITY_HEADERS, allow: 'GET, HEAD', 'content-type': 'text/plain;charset=utf-8' });
      res.end('Method not allowed');
      return;
    }
    deps.assets.serve(req, res, path);
  };
}
