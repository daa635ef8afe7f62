// Principals in trust and resource policies, and the caller they are matched against.
import type { PrincipalKind } from './document.js';
import { compileWildcard, type Wildcard } from './wildcard.js';
import { normalizeArnPattern } from './resource.js';

/** Who is asking, as a trust or resource policy sees them. */
export type RequestPrincipal =
  /**
   * A RAM identity of an account: its root, a user (…:user/<name>) or a role's session (…:role/<name>).
   * userId: a user's UID, by which a bucket policy names it; session: an assumed-role ARN, by
   * which a bucket policy may name one session (…:assumed-role/<role>/<session>).
   */
  | { kind: 'RAM'; accountId: string; arn: string; userId?: string; session?: string }
  /** A request nobody signed (OSS only): a bucket policy names it only by "*". */
  | { kind: 'Anonymous' }
  /** A cloud service acting through a service role, e.g. ecs.aliyuncs.com. */
  | { kind: 'Service'; name: string }
  /** An identity provider: acs:ram::<uid>:saml-provider/<name> or oidc-provider/<name>. */
  | { kind: 'Federated'; arn: string };

export interface PrincipalMatcher {
  matches(p: RequestPrincipal): boolean;
}

const ROOT = /^acs:ram:[^:]*:([^:]+):root$/;

/**
 * RAM entries: `acs:ram::<uid>:root` names every RAM identity of that account (who then also
 * needs permission to assume); a user or role ARN names that identity. A bare account id is read
 * as its root and `*` as anyone [U]: neither form is documented.
 */
function ramEntry(entry: string): PrincipalMatcher {
  const root = ROOT.exec(entry)?.[1] ?? (/^\d+$/.test(entry) ? entry : undefined);
  if (root !== undefined) {
    const account = compileWildcard(root);
    return { matches: (p) => p.kind === 'RAM' && account.test(p.accountId) };
  }
  // Users and roles are named without regard to case, as RAM resources are (resource.ts).
  const pattern = compileWildcard(normalizeArnPattern(entry).toLowerCase());
  return { matches: (p) => p.kind === 'RAM' && pattern.test(p.arn.toLowerCase()) };
}

function serviceEntry(entry: string): PrincipalMatcher {
  const name = entry.toLowerCase();
  return { matches: (p) => p.kind === 'Service' && p.name.toLowerCase() === name };
}

function federatedEntry(entry: string): PrincipalMatcher {
  const pattern: Wildcard = compileWildcard(normalizeArnPattern(entry));
  return { matches: (p) => p.kind === 'Federated' && pattern.test(p.arn) };
}

/**
 * A bucket policy's entry (OSS, "Bucket Policy" syntax): "*" is anyone, anonymous callers
 * included; a UID names an account (its root: its RAM identities are named by their own UIDs) or
 * one RAM user; arn:sts::<uid>:assumed-role/<role>/<session> (wildcards allowed) names role
 * sessions, which a bare UID never does. acs:ram:… ARNs of a role or user are read the same way.
 */
function bucketEntry(entry: string): PrincipalMatcher {
  if (entry === '*') return { matches: () => true };
  if (/^\d+$/.test(entry)) {
    const root = `acs:ram::${entry}:root`;
    return { matches: (p) => p.kind === 'RAM' && (p.userId === entry || p.arn === root) };
  }
  const pattern = compileWildcard(normalizeArnPattern(entry.replace(/^arn:sts:/i, 'acs:ram:')).toLowerCase());
  return { matches: (p) => p.kind === 'RAM' && (pattern.test(p.arn.toLowerCase()) || (p.session !== undefined && pattern.test(p.session.toLowerCase()))) };
}

const BUILDERS: Record<PrincipalKind, (entry: string) => PrincipalMatcher> = {
  RAM: ramEntry,
  Service: serviceEntry,
  Federated: federatedEntry,
  Bucket: bucketEntry,
};

export function compilePrincipal(block: Partial<Record<PrincipalKind, string[]>>): PrincipalMatcher {
  const matchers = Object.entries(block).flatMap(([kind, entries]) => (entries ?? []).map((e) => BUILDERS[kind as PrincipalKind](e)));
  return { matches: (p) => matchers.some((m) => m.matches(p)) };
}
