// The simulator: can this user or role do this action on this resource, with this context? The
// page reads the principal's policies through the API (so it shows only what the signed-in
// principal may read) and decides with the server's own engine (src/policy), answering Allow,
// ExplicitDeny or ImplicitDeny and the policy and statement that decided.
import { useState } from 'preact/hooks';
import { compilePolicy, type CompiledPolicy, type Decision } from '../../../src/policy/compile.js';
import { conditionContext } from '../../../src/policy/condition/index.js';
import { PolicySet } from '../../../src/policy/evaluate.js';
import { parsePolicy } from '../../../src/policy/parse.js';
import { call, listOf } from '../api';
import { ErrorBox, Field, useAction } from '../components';

interface Attached {
  PolicyName: string;
  PolicyType: 'System' | 'Custom';
}

/** Every policy that applies to a user (its own and its groups') or a role, compiled. */
async function policiesOf(kind: 'User' | 'Role', name: string): Promise<CompiledPolicy[]> {
  const attached = listOf<Attached>((await call('ram', `ListPoliciesFor${kind}`, { [`${kind}Name`]: name }))['Policies'], 'Policy');
  if (kind === 'User') {
    const groups = listOf<{ GroupName: string }>((await call('ram', 'ListGroupsForUser', { UserName: name }))['Groups'], 'Group');
    for (const g of groups) attached.push(...listOf<Attached>((await call('ram', 'ListPoliciesForGroup', { GroupName: g.GroupName }))['Policies'], 'Policy'));
  }
  const compiled: CompiledPolicy[] = [];
  for (const p of attached) {
    const version = (await call('ram', 'GetPolicy', { PolicyType: p.PolicyType, PolicyName: p.PolicyName }))['DefaultPolicyVersion'] as { PolicyDocument: string; VersionId: string };
    compiled.push(compilePolicy(parsePolicy(version.PolicyDocument), { name: p.PolicyName, type: p.PolicyType, version: version.VersionId }));
  }
  return compiled;
}

/** KEY=VALUE lines; acs:CurrentTime is now unless given. */
function contextOf(text: string): Record<string, string> {
  const values: Record<string, string> = { 'acs:CurrentTime': new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), 'acs:SecureTransport': 'false' };
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) values[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return values;
}

export function SimulatorPage() {
  const [kind, setKind] = useState<'User' | 'Role'>('User');
  const [name, setName] = useState('');
  const [action, setAction] = useState('oss:PutObject');
  const [resource, setResource] = useState('acs:oss:*:*:bucket/d-001/file');
  const [context, setContext] = useState('acs:SourceIp=192.168.0.1');
  const [answer, setAnswer] = useState<{ decision: Decision; count: number } | undefined>();
  const [error, busy, run] = useAction();
  const simulate = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      setAnswer(undefined);
      const policies = await policiesOf(kind, name);
      const decision = new PolicySet(policies).explain({ action, resource, context: conditionContext(contextOf(context)) });
      setAnswer({ decision, count: policies.length });
    });
  };
  return (
    <section aria-labelledby="simulator-title">
      <h2 id="simulator-title">Simulator</h2>
      <form onSubmit={simulate} aria-label="Simulate">
        <div class="inline">
          <Field label="Principal kind">
            <select value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value as 'User' | 'Role')}>
              <option value="User">RAM user</option>
              <option value="Role">RAM role</option>
            </select>
          </Field>
          <Field label="Principal name">
            <input required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          </Field>
        </div>
        <Field label="Action">
          <input required value={action} onInput={(e) => setAction((e.target as HTMLInputElement).value)} />
        </Field>
        <Field label="Resource">
          <input required value={resource} onInput={(e) => setResource((e.target as HTMLInputElement).value)} />
        </Field>
        <Field label="Context (one KEY=VALUE a line)">
          <textarea rows={3} value={context} onInput={(e) => setContext((e.target as HTMLTextAreaElement).value)} />
        </Field>
        <button type="submit" disabled={busy}>
          Simulate
        </button>
      </form>
      <ErrorBox error={error} />
      {answer && (
        <div role="status" class={answer.decision.effect === 'Allow' ? 'secret' : 'error'} data-testid="decision">
          <p>
            <strong>{answer.decision.effect}</strong> — {answer.decision.reason}
          </p>
          {answer.decision.policy && (
            <p>
              Deciding policy: {answer.decision.policy.name} ({answer.decision.policy.type}
              {answer.decision.policy.version ? `, ${answer.decision.policy.version}` : ''}), Statement[{answer.decision.statement}]
              {answer.decision.sid ? ` (${answer.decision.sid})` : ''}
            </p>
          )}
          {answer.decision.condition && <pre>{JSON.stringify(answer.decision.condition, null, 2)}</pre>}
          <p>{answer.count} policies considered.</p>
        </div>
      )}
    </section>
  );
}
