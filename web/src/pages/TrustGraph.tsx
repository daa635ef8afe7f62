// The account's trust graph: who may assume which role (accounts, users, roles, services, across
// accounts) and what each role may do (its policies), drawn left to right, with the same facts
// as a list for readers who prefer text and for screen readers.
import { useEffect, useState } from 'preact/hooks';
import { call, listOf } from '../api';
import { ErrorBox, useAction } from '../components';

interface RoleFacts {
  name: string;
  trusted: string[];
  policies: string[];
}

/** Who a trust policy's Allow statements name, in words: an account root, a user, a service… */
export function trustedBy(document: string): string[] {
  const names = new Set<string>();
  const doc = JSON.parse(document) as { Statement?: unknown };
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  for (const st of statements as { Effect?: string; Principal?: Record<string, string | string[]> | string }[]) {
    if (st?.Effect !== 'Allow' || st.Principal === undefined) continue;
    if (typeof st.Principal === 'string') names.add(st.Principal);
    else for (const [kind, value] of Object.entries(st.Principal)) for (const v of [value].flat()) names.add(kind === 'Service' ? `service ${v}` : kind === 'Federated' ? `federated ${v}` : v);
  }
  return [...names];
}

const ROW = 34;
const COLUMN = [20, 360, 640];
const WIDTH = 940;

export function TrustGraphPage() {
  const [roles, setRoles] = useState<RoleFacts[]>([]);
  const [error, , run] = useAction();
  useEffect(
    () =>
      void run(async () => {
        const listed = listOf<{ RoleName: string }>((await call('ram', 'ListRoles', { MaxItems: '1000' }))['Roles'], 'Role');
        const facts: RoleFacts[] = [];
        for (const r of listed) {
          const role = (await call('ram', 'GetRole', { RoleName: r.RoleName }))['Role'] as { AssumeRolePolicyDocument: string };
          const policies = listOf<{ PolicyName: string }>((await call('ram', 'ListPoliciesForRole', { RoleName: r.RoleName }))['Policies'], 'Policy').map((p) => p.PolicyName);
          facts.push({ name: r.RoleName, trusted: trustedBy(role.AssumeRolePolicyDocument), policies });
        }
        setRoles(facts);
      }),
    [],
  );
  const principals = [...new Set(roles.flatMap((r) => r.trusted))];
  const policies = [...new Set(roles.flatMap((r) => r.policies))];
  const y = (i: number) => 30 + i * ROW;
  const height = y(Math.max(principals.length, roles.length, policies.length)) + 10;
  return (
    <section aria-labelledby="graph-title">
      <h2 id="graph-title">Trust graph</h2>
      <ErrorBox error={error} />
      <svg class="graph" viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-labelledby="graph-title graph-summary" data-testid="trust-graph">
        <desc id="graph-summary">
          {roles.length} roles; {principals.length} trusted principals; {policies.length} policies
        </desc>
        <text x={COLUMN[0]} y={14} class="heading">Who may assume</text>
        <text x={COLUMN[1]} y={14} class="heading">Role</text>
        <text x={COLUMN[2]} y={14} class="heading">What it may do</text>
        {roles.map((r, i) =>
          r.trusted.map((t) => <line key={`${t}>${r.name}`} x1={COLUMN[0]! + 300} y1={y(principals.indexOf(t)) - 4} x2={COLUMN[1]! - 6} y2={y(i) - 4} class="trust" />),
        )}
        {roles.map((r, i) =>
          r.policies.map((p) => <line key={`${r.name}>${p}`} x1={COLUMN[1]! + 250} y1={y(i) - 4} x2={COLUMN[2]! - 6} y2={y(policies.indexOf(p)) - 4} class="grant" />),
        )}
        {principals.map((p, i) => (
          <text key={p} x={COLUMN[0]} y={y(i)} class="principal">
            {p.length > 44 ? `…${p.slice(-43)}` : p}
          </text>
        ))}
        {roles.map((r, i) => (
          <text key={r.name} x={COLUMN[1]} y={y(i)} class="role">
            {r.name}
          </text>
        ))}
        {policies.map((p, i) => (
          <text key={p} x={COLUMN[2]} y={y(i)} class="policy">
            {p}
          </text>
        ))}
      </svg>
      <h3>As a list</h3>
      <ul data-testid="trust-list">
        {roles.map((r) => (
          <li key={r.name}>
            <a href={`#/roles/${encodeURIComponent(r.name)}`}>{r.name}</a>: assumed by {r.trusted.join(', ') || 'nobody'}; may do {r.policies.join(', ') || 'nothing'}
          </li>
        ))}
      </ul>
    </section>
  );
}
