// RAM roles: the list, and a wizard that writes the trust policy for the trusted entity chosen
// (this account, another account, or a cloud service), then shows the new role's ARN to copy.
import { useEffect, useState } from 'preact/hooks';
import { call, listOf, type Identity } from '../api';
import { CopyButton, ErrorBox, Field, Table, useAction } from '../components';

interface Role {
  RoleName: string;
  RoleId: string;
  Arn: string;
  Description?: string;
  MaxSessionDuration?: number;
}

type Trusted = { kind: 'account' } | { kind: 'other'; accountId: string } | { kind: 'service'; service: string };

/** The trust policy a choice in the wizard stands for. */
export function trustPolicy(trusted: Trusted, me: string): string {
  const principal = trusted.kind === 'service' ? { Service: [trusted.service] } : { RAM: [`acs:ram::${trusted.kind === 'other' ? trusted.accountId : me}:root`] };
  return JSON.stringify({ Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: principal }], Version: '1' }, null, 2);
}

export function RolesPage({ identity }: { identity: Identity }) {
  const [roles, setRoles] = useState<Role[]>([]);
  const [filter, setFilter] = useState('');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [kind, setKind] = useState<Trusted['kind']>('account');
  const [other, setOther] = useState('');
  const [service, setService] = useState('ecs.aliyuncs.com');
  const [created, setCreated] = useState<Role | undefined>();
  const [error, busy, run] = useAction();
  const reload = async () => setRoles(listOf<Role>((await call('ram', 'ListRoles', { MaxItems: '1000' }))['Roles'], 'Role'));
  useEffect(() => void run(reload), []);
  const trusted: Trusted = kind === 'account' ? { kind } : kind === 'other' ? { kind, accountId: other } : { kind, service };
  const create = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const role = (await call('ram', 'CreateRole', { RoleName: name, Description: description, AssumeRolePolicyDocument: trustPolicy(trusted, identity.AccountId) }))['Role'] as Role;
      setCreated(role);
      setName('');
      setDescription('');
      await reload();
    });
  };
  const shown = roles.filter((r) => r.RoleName.toLowerCase().includes(filter.toLowerCase()));
  return (
    <section aria-labelledby="roles-title">
      <h2 id="roles-title">Roles</h2>
      <form onSubmit={create} aria-label="Create role">
        <fieldset>
          <legend>Trusted entity</legend>
          <label class="check">
            <input type="radio" name="trusted" checked={kind === 'account'} onChange={() => setKind('account')} /> This account ({identity.AccountId})
          </label>
          <label class="check">
            <input type="radio" name="trusted" checked={kind === 'other'} onChange={() => setKind('other')} /> Another account
          </label>
          {kind === 'other' && (
            <Field label="Trusted account ID">
              <input name="otherAccount" required pattern="\d+" value={other} onInput={(e) => setOther((e.target as HTMLInputElement).value)} />
            </Field>
          )}
          <label class="check">
            <input type="radio" name="trusted" checked={kind === 'service'} onChange={() => setKind('service')} /> A cloud service
          </label>
          {kind === 'service' && (
            <Field label="Service">
              <input name="service" required value={service} onInput={(e) => setService((e.target as HTMLInputElement).value)} />
            </Field>
          )}
        </fieldset>
        <Field label="Role name">
          <input name="RoleName" required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </Field>
        <Field label="Description">
          <input name="Description" value={description} onInput={(e) => setDescription((e.target as HTMLInputElement).value)} />
        </Field>
        <details>
          <summary>Trust policy</summary>
          <pre>{trustPolicy(trusted, identity.AccountId)}</pre>
        </details>
        <button type="submit" disabled={busy}>
          Create role
        </button>
      </form>
      {created && (
        <div class="secret" role="status" aria-label="New role">
          Role <strong>{created.RoleName}</strong> created. RoleARN <code data-testid="new-role-arn">{created.Arn}</code> <CopyButton text={created.Arn} label="Copy RoleARN" />
        </div>
      )}
      <ErrorBox error={error} />
      <Field label="Filter roles">
        <input type="search" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
      </Field>
      <Table head={['Role name', 'ARN', 'Description']}>
        {shown.map((r) => (
          <tr key={r.RoleId}>
            <td>
              <a href={`#/roles/${encodeURIComponent(r.RoleName)}`}>{r.RoleName}</a>
            </td>
            <td>
              <code>{r.Arn}</code>
            </td>
            <td>{r.Description}</td>
          </tr>
        ))}
      </Table>
    </section>
  );
}
