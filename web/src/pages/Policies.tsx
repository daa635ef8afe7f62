// Policies: system and custom, filtered by type and name; a custom one written in the checking
// editor.
import { useEffect, useState } from 'preact/hooks';
import { call, listOf } from '../api';
import { ErrorBox, Field, Table, useAction } from '../components';
import { NEW_POLICY, PolicyEditor, policyProblem } from '../policy-editor';

interface Policy {
  PolicyName: string;
  PolicyType: 'System' | 'Custom';
  Description?: string;
  DefaultVersion?: string;
  AttachmentCount?: number;
}

export function PoliciesPage() {
  const [policies, setPolicies] = useState<Policy[]>([]);
  const [type, setType] = useState('');
  const [filter, setFilter] = useState('');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [document, setDocument] = useState(NEW_POLICY);
  const [error, busy, run] = useAction();
  const reload = async () => setPolicies(listOf<Policy>((await call('ram', 'ListPolicies', { MaxItems: '1000', PolicyType: type }))['Policies'], 'Policy'));
  useEffect(() => void run(reload), [type]);
  const create = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await call('ram', 'CreatePolicy', { PolicyName: name, Description: description, PolicyDocument: document });
      location.hash = `#/policies/Custom/${encodeURIComponent(name)}`;
    });
  };
  const shown = policies.filter((p) => p.PolicyName.toLowerCase().includes(filter.toLowerCase()));
  return (
    <section aria-labelledby="policies-title">
      <h2 id="policies-title">Policies</h2>
      <div class="inline">
        <Field label="Type">
          <select value={type} onChange={(e) => setType((e.target as HTMLSelectElement).value)}>
            <option value="">All</option>
            <option value="System">System</option>
            <option value="Custom">Custom</option>
          </select>
        </Field>
        <Field label="Filter policies">
          <input type="search" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
        </Field>
      </div>
      <ErrorBox error={error} />
      <details>
        <summary>Create a custom policy</summary>
        <form onSubmit={create} aria-label="Create policy">
          <Field label="Policy name">
            <input name="PolicyName" required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          </Field>
          <Field label="Description">
            <input name="Description" value={description} onInput={(e) => setDescription((e.target as HTMLInputElement).value)} />
          </Field>
          <PolicyEditor label="Policy document" kind="identity" value={document} onInput={setDocument} />
          <button type="submit" disabled={busy || policyProblem(document, 'identity') !== undefined}>
            Create policy
          </button>
        </form>
      </details>
      <Table head={['Policy', 'Type', 'Description', 'Attachments']}>
        {shown.map((p) => (
          <tr key={`${p.PolicyType}:${p.PolicyName}`}>
            <td>{p.PolicyName}</td>
            <td>{p.PolicyType}</td>
            <td>{p.Description}</td>
            <td>{p.AttachmentCount ?? ''}</td>
          </tr>
        ))}
      </Table>
    </section>
  );
}
