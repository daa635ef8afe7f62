// Policies: system and custom, filtered by type and name.
import { useEffect, useState } from 'preact/hooks';
import { call, listOf } from '../api';
import { ErrorBox, Field, Table, useAction } from '../components';

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
  const [error, , run] = useAction();
  useEffect(() => void run(async () => setPolicies(listOf<Policy>((await call('ram', 'ListPolicies', { MaxItems: '1000', PolicyType: type }))['Policies'], 'Policy'))), [type]);
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
