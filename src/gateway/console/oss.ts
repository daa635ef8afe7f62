// The console's object storage: OSS's own operations under /api/oss/<bucket>/<key>, path style,
// run through the OSS codec and the one lifecycle as the signed-in principal, so they are
// authorized by its policies (and bucket checks) and audited as ConsoleOperation. Answers are
// OSS's (XML, bodies streamed). PostObject forms are not taken here: the console puts objects.
// An object is handed to the browser as a download that can never run in the console's origin
// (attachment, sandboxed, not sniffed): an uploaded page must not act with the console's session.
import type { OssAuthDeps } from '../../auth/oss/index.js';
import type { Services } from '../../services/index.js';
import type { OssLimits } from '../../services/oss/index.js';
import type { BlobStore } from '../../store/index.js';
import { lifecycle, type LifecycleDeps } from '../lifecycle.js';
import { ossCodec } from '../oss/codec.js';
import { actingPrincipal, actingSession, ConsoleErrors, sessionCookie, type SessionProof, sessionProof } from './codec.js';
import type { ConsoleSession, ConsoleSessions } from './sessions.js';
import type { CredentialSource } from '../../auth/index.js';

export const CONSOLE_OSS_PATH = '/api/oss';

const DOWNLOAD_HEADERS = {
  'content-disposition': 'attachment',
  'content-security-policy': "default-src 'none'; sandbox",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

export interface ConsoleOssDeps {
  services: Services;
  blobs: BlobStore;
  limits: OssLimits;
  auth: OssAuthDeps;
  credentials: CredentialSource;
  sessions: ConsoleSessions;
  secureTransport: boolean;
}

export function consoleOssDoor(deps: ConsoleOssDeps, lifecycleDeps: LifecycleDeps) {
  const base = ossCodec({ services: deps.services, blobs: deps.blobs, limits: deps.limits, auth: deps.auth }, CONSOLE_OSS_PATH);
  // What parse read off the request before its body, and the session once authenticated, per request.
  const proofs = new WeakMap<object, { proof: SessionProof; reads: boolean; session?: ConsoleSession }>();
  const codec: typeof base = {
    ...base,
    name: 'console-oss',
    async parse(req, facts) {
      const method = req.method ?? 'GET';
      if (method === 'POST' && /^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) throw ConsoleErrors.badCall('the console puts objects; it takes no PostObject forms');
      const proof = sessionProof(req, deps.secureTransport);
      const parsed = await base.parse(req, facts);
      proofs.set(parsed, { proof, reads: method === 'GET' || method === 'HEAD' });
      return parsed;
    },
    async authenticate(parsed, facts) {
      const known = proofs.get(parsed)!;
      const nowMs = facts.now.getTime();
      // Reads (downloads are plain navigations) need the session; changes its CSRF token as well.
      const session = known.reads ? await deps.sessions.use(known.proof.sessionId, nowMs) : await actingSession(known.proof, deps.sessions, nowMs);
      if (session === undefined || (known.reads && !known.proof.sameOrigin)) throw ConsoleErrors.signInRequired();
      if (session.passwordResetRequired) throw ConsoleErrors.passwordResetRequired();
      known.session = session;
      const principal = await actingPrincipal(session, deps.services, deps.credentials, nowMs);
      if (principal === undefined) throw ConsoleErrors.signInRequired();
      return { principal };
    },
    identify(parsed, caller, facts) {
      const identified = base.identify(parsed, caller, facts);
      return identified.event ? { ...identified, event: { ...identified.event, type: 'ConsoleOperation' } } : identified;
    },
    async render(res, parsed, result, facts) {
      const session = proofs.get(parsed)?.session;
      if (session !== undefined) res.setHeader('set-cookie', sessionCookie(deps.sessions.seal(session), deps.secureTransport));
      await base.render(res, parsed, { ...result, headers: { ...result.headers, ...DOWNLOAD_HEADERS } }, facts);
    },
  };
  return lifecycle(codec, lifecycleDeps, deps.secureTransport);
}
