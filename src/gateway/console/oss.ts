// The console's object storage: OSS's own operations under /api/oss/<bucket>/<key>, path style,
// run through the OSS codec and the one lifecycle as the signed-in principal, so they are
// authorized by its policies (and bucket checks) and audited as ConsoleOperation. Answers are
// OSS's (XML, bodies streamed). PostObject forms are not taken here: the console puts objects.
// An object is handed to the browser as a download that can never run in the console's origin
// (attachment, sandboxed, not sniffed): an uploaded page must not act with the console's session.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OssAuthDeps } from '../../auth/oss/index.js';
import type { SecretBox } from '../../secrets/index.js';
import type { Services } from '../../services/index.js';
import type { OssLimits } from '../../services/oss/index.js';
import type { BlobStore } from '../../store/index.js';
import { lifecycle, type LifecycleDeps } from '../lifecycle.js';
import { ossCodec } from '../oss/codec.js';
import { actingPrincipal, actingSession, ConsoleErrors, giveBack, type SessionProof, sessionProof } from './codec.js';
import type { ConsoleSession, ConsoleSessions } from './sessions.js';
import type { CredentialSource } from '../../auth/index.js';

export const CONSOLE_OSS_PATH = '/api/oss';
/** Where shareable object links are served: /api/oss-link/<sealed link>. */
export const CONSOLE_LINK_PATH = '/api/oss-link/';
const LINK_CONTEXT = 'rampart console object link v1';
/** Seconds a link may be made to last: a minute to a week (as a V4 presigned URL). */
export const LINK_SECONDS = { min: 60, max: 7 * 86_400 };

/**
 * A shareable link to one object: whoever holds it may read the object until it expires, as the
 * principal who made it, decided when the link is used (a principal since refused, refuses it).
 * The console signs with no AccessKey, so this stands in for a presigned URL; sealed with the master
 * key, it cannot be altered to name another object or last longer.
 */
interface ObjectLink {
  session: ConsoleSession;
  bucket: string;
  key: string;
  expiresMs: number;
}

export function sealLink(box: SecretBox, link: ObjectLink): string {
  return Buffer.from(box.seal(JSON.stringify(link), LINK_CONTEXT)).toString('base64url');
}

function openLink(box: SecretBox, text: string, nowMs: number): ObjectLink | undefined {
  if (!/^[A-Za-z0-9_-]{40,8192}$/.test(text)) return undefined;
  try {
    const link = JSON.parse(box.open(Buffer.from(text, 'base64url').toString('utf8'), LINK_CONTEXT)) as ObjectLink;
    return link.expiresMs >= nowMs ? link : undefined;
  } catch {
    return undefined;
  }
}

const objectPath = (bucket: string, key: string) => `${CONSOLE_OSS_PATH}/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;

const DOWNLOAD_HEADERS = {
  'content-disposition': 'attachment',
  'content-security-policy': "default-src 'none'; sandbox",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

export interface ConsoleOssDeps {
  box: SecretBox;
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
  const proofs = new WeakMap<object, { proof: SessionProof; reads: boolean; link?: ObjectLink | 'invalid'; session?: ConsoleSession }>();
  // The link a request came with (its URL is rewritten to the object's before the codec reads it).
  const links = new WeakMap<IncomingMessage, ObjectLink | 'invalid'>();
  const codec: typeof base = {
    ...base,
    name: 'console-oss',
    async parse(req, facts) {
      const method = req.method ?? 'GET';
      if (method === 'POST' && /^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) throw ConsoleErrors.badCall('the console puts objects; it takes no PostObject forms');
      const proof = sessionProof(req, deps.secureTransport);
      const parsed = await base.parse(req, facts);
      const link = links.get(req);
      proofs.set(parsed, { proof, reads: method === 'GET' || method === 'HEAD', ...(link !== undefined ? { link } : {}) });
      return parsed;
    },
    async authenticate(parsed, facts) {
      const known = proofs.get(parsed)!;
      const nowMs = facts.now.getTime();
      if (known.link !== undefined) {
        // A link reads its one object, whoever follows it; it is its own proof.
        if (known.link === 'invalid' || !known.reads) throw ConsoleErrors.badLink();
        const principal = await actingPrincipal(known.link.session, deps.services, deps.credentials, nowMs);
        if (principal === undefined) throw ConsoleErrors.badLink();
        return { principal };
      }
      // Reads (downloads are plain navigations) need the session; changes its CSRF token as well.
      const session = known.reads ? await deps.sessions.use(known.proof.cookie, nowMs) : await actingSession(known.proof, deps.sessions, nowMs);
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
      if (session !== undefined) giveBack(res, deps.sessions, session, deps.secureTransport);
      await base.render(res, parsed, { ...result, headers: { ...result.headers, ...DOWNLOAD_HEADERS } }, facts);
    },
  };
  const door = lifecycle(codec, lifecycleDeps, deps.secureTransport);
  return (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    if (url.startsWith(CONSOLE_LINK_PATH)) {
      const link = openLink(deps.box, url.slice(CONSOLE_LINK_PATH.length).split('?')[0] ?? '', lifecycleDeps.now());
      links.set(req, link ?? 'invalid');
      // Nothing of the link's own URL reaches the codec: only the object it names.
      req.url = link === undefined ? `${CONSOLE_OSS_PATH}/` : objectPath(link.bucket, link.key);
    }
    return door(req, res);
  };
}
