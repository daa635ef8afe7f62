// Switch role: act as a role of this account or of a partner's that trusts this principal. The
// role's temporary credentials stay on the server; every later action runs, and is audited, as
// that role session until "Back to my identity".
import { useState } from 'preact/hooks';
import { switchRole, type Identity, type Session } from '../api';
import { ErrorBox, Field, useAction } from '../components';

export function SwitchRolePage({ identity, onSwitched }: { identity: Identity; onSwitched: (s: Session | undefined) => void }) {
  const [account, setAccount] = useState(identity.AccountId);
  const [role, setRole] = useState('');
  const [sessionName, setSessionName] = useState(identity.UserName ?? identity.RoleSessionName ?? 'console');
  const [error, busy, run] = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      onSwitched(await switchRole(`acs:ram::${account}:role/${role}`, sessionName));
      location.hash = '#/users';
    });
  };
  return (
    <section aria-labelledby="switch-title">
      <h2 id="switch-title">Switch role</h2>
      <form onSubmit={submit} aria-label="Switch role">
        <Field label="Account ID of the role">
          <input name="account" required pattern="\d+" value={account} onInput={(e) => setAccount((e.target as HTMLInputElement).value)} />
        </Field>
        <Field label="Role name">
          <input name="role" required value={role} onInput={(e) => setRole((e.target as HTMLInputElement).value)} />
        </Field>
        <Field label="Session name">
          <input name="session" required minLength={2} value={sessionName} onInput={(e) => setSessionName((e.target as HTMLInputElement).value)} />
        </Field>
        <button type="submit" disabled={busy}>
          Switch
        </button>
      </form>
      <ErrorBox error={error} />
    </section>
  );
}
