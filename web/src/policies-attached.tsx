// The policies attached to a user, group or role: the list, attaching one (system or custom) and
// detaching. The same three API actions for each kind of holder, named after it.
import { useEffect, useState } from 'preact/hooks';
import { call, listOf } from './api';
import { ErrorBox, Field, Table, useAction } from './components';

export type Holder = { kind: 'User' | 'Role' | 'Group'; name: string };

interface Policy {
  PolicyName: string;
  PolicyType: 'System' | 'Custom';
  Description?: string;
}

const param = (h: Holder) => ({ [`${h.kind}Name`]: h.name });

export function AttachedPolicies({ holder }: { holder: Holder }) {
  const [attached, setAttached] = useState<Policy[]>([]);
  const [all, setAll] = useState<Policy[]>([]);
  const [choice, setChoice] = useState('');
  const [error, busy, run] = useAction();
  const reload = async () => setAttached(listOf<Policy>((await call('ram', `ListPoliciesFor${holder.kind}`, param(holder)))['Policies'], 'Policy'));
  useEffect(() => {
    void run(async () => {
      await reload();
      setAll(listOf<Policy>((await call('ram', 'ListPolicies', { MaxItems: '1000' }))['Policies'], 'Policy'));
    });
  }, [holder.kind, holder.name]);
  const attach = (e: Event) => {
    e.preventDefault();
    const [type, name] = choice.split(':');
    void run(async () => {
      await call('ram', `AttachPolicyTo${holder.kind}`, { PolicyType: type, PolicyName: name, ...param(holder) });
      setChoice('');
      await reload();
    });
  };
  const detach = (p: Policy) => run(async () => {
    await call('ram', `DetachPolicyFrom${holder.kind}`, { PolicyType: p.PolicyType, PolicyName: p.PolicyName, ...param(holder) });
    await reload();
  });
  return (
    <section aria-label="Attached policies">
      <h3>Policies</h3>
      <ErrorBox error={error} />
      <Table head={['Policy', 'Type', '']}>
        {attached.map((p) => (
          <tr key={`${p.PolicyType}:${p.PolicyName}`}>
            <td>{p.PolicyName}</td>
            <td>{p.PolicyType}</td>
            <td>
              <button type="button" disabled={busy} onClick={() => void detach(p)} aria-label={`Detach ${p.PolicyName}`}>
                Detach
              </button>
            </td>
          </tr>
        ))}
      </Table>
      <form class="inline" onSubmit={attach} aria-label="Attach policy">
        <Field label="Policy to attach">
          <select name="policy" required value={choice} onChange={(e) => setChoice((e.target as HTMLSelectElement).value)}>
            <option value="">Choose a policy…</option>
            {all.map((p) => (
              <option key={`${p.PolicyType}:${p.PolicyName}`} value={`${p.PolicyType}:${p.PolicyName}`}>
                {p.PolicyName} ({p.PolicyType})
              </option>
            ))}
          </select>
        </Field>
        <button type="submit" disabled={busy || choice === ''}>
          Attach
        </button>
      </form>
    </section>
  );
}
