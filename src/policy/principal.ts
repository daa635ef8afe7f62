// Principals in trust and resource policies, and the caller they are matched against.
import type { PrincipalKind } from './document.js';
import { compileWildcard, type Wildcard } from './wildcard.js';
import { normalizeArnPattern } from './resource.js';

/** Who is asking, as a trust or resource policy sees them. */
export type RequestPrincipal =
  /** A RAM identity of an account: its root, a user (…:user/<name>) or a role's session (…:role/<name>). */
  | { kind: 'RAM'; accountId: string; arn: string }
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

const BUILDERS: Record<PrincipalKind, (entry: string) => PrincipalMatcher> = {
  RAM: ramEntry,
  Service: serviceEntry,
  Federated: federatedEntry,
};

export function compilePrincipal(block: Partial<Record<PrincipalKind, string[]>>): PrincipalMatcher {
  const matchers = Object.entries(block).flatMap(([kind, entries]) => (entries ?? []).map((e) => BUILDERS[kind as PrincipalKind](e)));
  return { matches: (p) => matchers.some((m) => m.matches(p)) };
}
