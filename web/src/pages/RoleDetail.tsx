// One role: its ARN, trust policy (edited in place), maximum session duration, policies, ending
// every session issued so far, deleting it.
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api';
import { CopyButton, ErrorBox, Field, useAction } from '../components';
import { AttachedPolicies } from '../policies-attached';
import { PolicyEditor, policyProblem } from '../policy-editor';

interface Role {
  RoleName: string;
  Arn: string;
  Description?: string;
  AssumeRolePolicyDocument: string;
  MaxSessionDuration: number;
}

export function RoleDetailPage({ roleName }: { roleName: string }) {
  const [role, setRole] = useState<Role | undefined>();
  const [trust, setTrust] = useState('');
  const [duration, setDuration] = useState('');
  const [note, setNote] = useState('');
  const [error, busy, run] = useAction();
  const reload = async () => {
    const r = (await call('ram', 'GetRole', { RoleName: roleName }))['Role'] as Role;
    setRole(r);
    setTrust(JSON.stringify(JSON.parse(r.AssumeRolePolicyDocument), null, 2));
    setDuration(String(r.MaxSessionDuration));
  };
  useEffect(() => void run(reload), [roleName]);
  const save = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await call('ram', 'UpdateRole', { RoleName: roleName, NewAssumeRolePolicyDocument: trust, NewMaxSessionDuration: duration });
      setNote('Saved.');
      await reload();
    });
  };
  return (
    <section aria-labelledby="role-title">
      <p>
        <a href="#/roles">Roles</a> /
      </p>
      <h2 id="role-title">{roleName}</h2>
      <ErrorBox error={error} />
      {role && (
        <>
          <p>
            RoleARN <code data-testid="role-arn">{role.Arn}</code> <CopyButton text={role.Arn} label="Copy RoleARN" />
          </p>
          <form onSubmit={save} aria-label="Edit role">
            <PolicyEditor label="Trust policy" kind="trust" value={trust} onInput={setTrust} />
            <Field label="Maximum session duration (seconds)">
              <input name="duration" type="number" min={900} max={43200} value={duration} onInput={(e) => setDuration((e.target as HTMLInputElement).value)} />
            </Field>
            <button type="submit" disabled={busy || policyProblem(trust, 'trust') !== undefined}>
              Save
            </button>
            <span role="status">{note}</span>
          </form>
          <AttachedPolicies holder={{ kind: 'Role', name: roleName }} />
          <h3>Sessions</h3>
          <button type="button" disabled={busy} onClick={() => void run(async () => {
            await call('ram', 'RevokeRoleSessions', { RoleName: roleName });
            setNote('Every session issued so far has ended.');
          })}>
            Revoke all sessions
          </button>
          <h3>Delete</h3>
          <button type="button" class="danger" disabled={busy} onClick={() => void run(async () => {
            if (!confirm(`Delete the role ${roleName}?`)) return;
            await call('ram', 'DeleteRole', { RoleName: roleName });
            location.hash = '#/roles';
          })}>
            Delete role
          </button>
        </>
      )}
    </section>
  );
}
